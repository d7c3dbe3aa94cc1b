"""Pike's Python front door: model builders, importers, reports and the
reference of the integer semantics. Runs with the project's .venv (Debian's
/usr/bin/python3 and packages, plus pinned PyPI ones), or Debian's python3 alone."""

import os as _os

__all__ = ["emit", "zoo"]

# Defined once, in the repository's VERSION file (the C++ tools read it too).
# A copy of python/ without the repository still imports; it says so.
try:
    with open(_os.path.join(_os.path.dirname(__file__), "..", "..", "VERSION")) as _f:
        __version__ = _f.read().strip()
except OSError:
    __version__ = "unknown (no VERSION file two folders above the pike package)"
