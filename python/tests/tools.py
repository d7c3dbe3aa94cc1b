"""Running pike-opt from the Python tests."""

from pike import tools


def pike_opt(text, *args):
    """Runs pike-opt on `text`; returns its generic-form output."""
    return tools.run("pike-opt", "-", "--mlir-print-op-generic", *args, stdin=text)
