"""Pike's Python front door: model builders, importers, reports and the
reference of the integer semantics. Runs with Debian's /usr/bin/python3."""

__all__ = ["emit", "zoo"]
