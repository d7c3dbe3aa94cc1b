"""exit_and_stderr.py TOOL ARGS...: runs the tool; prints its exit status
(negative for a signal), then its stderr."""

import subprocess
import sys

result = subprocess.run(sys.argv[1:], capture_output=True, text=True, timeout=120)
print("exit", result.returncode)
print(result.stderr)
