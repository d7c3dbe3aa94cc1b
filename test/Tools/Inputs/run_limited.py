"""run_limited.py MODEL INPUT: pike-run MODEL --input=INPUT with 4 GiB of
address space; prints its exit status, then its stderr."""

import resource
import subprocess
import sys


def limit():
    resource.setrlimit(resource.RLIMIT_AS, (4 << 30, 4 << 30))


result = subprocess.run(["pike-run", sys.argv[1], f"--input={sys.argv[2]}"], capture_output=True,
                        text=True, preexec_fn=limit, timeout=120)
print("exit", result.returncode)
print(result.stderr)
