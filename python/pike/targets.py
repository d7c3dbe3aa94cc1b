"""The CPU targets as Pike's one table describes them (lib/Target/CpuTarget.cpp,
printed by `pike-run --list-targets`): their names, what `host` picks on this
CPU, and how an ahead-of-time library is built and checked for each. Nothing
here restates the table, so the JIT, the AOT build, the CLI and lit agree."""

import functools
import json

from . import tools


class TargetError(ValueError):
    """A target name the table does not hold."""


@functools.lru_cache(maxsize=None)
def _table():
    return json.loads(tools.run("pike-run", "--list-targets"))


def names():
    """`host` and every concrete target, from the most portable, then the
    AArch64 rows' triple spellings (`aarch64-linux-gnu-dotprod`)."""
    rows = _table()["targets"]
    return (["host"] + [t["name"] for t in rows] +
            [t["triple_spelling"] for t in rows if t["triple_spelling"]])


def host():
    """The most specific target this CPU runs, as pike-run resolves `host`."""
    return _table()["host"]


def describe(name):
    """The table's row for `name` (`host` resolved)."""
    resolved = host() if name == "host" else name
    for target in _table()["targets"]:
        if resolved == target["name"] or (target["triple_spelling"] and
                                           resolved == target["triple_spelling"]):
            return target
    raise TargetError(f"unknown target {name!r}; one of: {', '.join(names())}")


def runs_here(name):
    return not describe(name)["missing_here"]


def llc_flags(name):
    """llc's (and opt's) -mtriple, -mcpu and -mattr for the target."""
    target = describe(name)
    attrs = [f"+{f}" for f in target["extra_features"]]
    if target["tuning"]:
        attrs.append(target["tuning"])
    return ([f"-mtriple={target['triple']}", f"-mcpu={target['cpu_level']}"] +
            ([f"-mattr={','.join(attrs)}"] if attrs else []))


def is_cross(name):
    """Whether the target's code is for another architecture than this one's
    (pike-run's host detection marks it missing "arch <name>")."""
    return any(m.startswith("arch ") for m in describe(name)["missing_here"])
