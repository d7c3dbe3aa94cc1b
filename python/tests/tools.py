"""Locating and running the built tools from the Python tests."""

import os
import subprocess

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def tool(name):
    """The built tool: $PIKE_OPT / $PIKE_RUN if set, else build/bin/<name>."""
    variable = name.upper().replace("-", "_")
    path = os.environ.get(variable, os.path.join(ROOT, "build", "bin", name))
    if not os.path.exists(path):
        raise FileNotFoundError(f"{name} not found at {path}; build Pike first")
    return path


def pike_opt(text, *args):
    """Runs pike-opt on `text`; returns its generic-form output."""
    result = subprocess.run([tool("pike-opt"), "-", "--mlir-print-op-generic", *args],
                            input=text, capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"pike-opt {' '.join(args)} failed:\n{result.stderr}")
    return result.stdout
