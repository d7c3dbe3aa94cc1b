"""Runs each tool on good and bad input and prints its exit status."""

import os
import subprocess
import sys

bad = sys.argv[1]
good = os.path.join(os.path.dirname(__file__), "..", "..", "..", "examples", "mobilenet_tiny.mlir")
lowered = os.path.join(os.path.dirname(__file__), "..", "..", "Aot", "c-library.mlir")
python = [sys.executable, "-m", "pike"]
cases = [
    ("pike-opt ok", ["pike-opt", good, "-o", os.devnull]),
    ("pike-opt bad-model", ["pike-opt", bad]),
    ("pike-opt bad-option", ["pike-opt", "--no-such-option", good]),
    ("pike-run missing-file", ["pike-run", bad + ".missing"]),
    ("pike-run bad-model", ["pike-run", bad]),
    ("pike-run bad-option", ["pike-run", "--no-such-option", good]),
    ("pike-translate ok", ["pike-translate", "--pike-c-header", lowered, "-o", os.devnull]),
    ("pike-translate bad-model", ["pike-translate", "--pike-c-header", bad]),
    ("pike-translate bad-option", ["pike-translate", "--no-such-option", lowered]),
    ("python-pike bad-model", python + ["compile", bad]),
    ("python-pike bad-option", python + ["compile", "--no-such-option", good]),
]
for name, command in cases:
    result = subprocess.run(command, capture_output=True)
    print(name, result.returncode)
