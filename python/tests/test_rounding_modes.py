"""The rounding modes are defined once, by the pike dialect's RoundingMode;
every other list of them is bound to it here: Python's (pike.rounding, used by
the CLI and the NumPy reference's cross-check), the default the option help
marks, and the table of docs/Numerics.md."""

import os
import re
import subprocess
import unittest

from pike import rounding, tools

DOCS = os.path.join(os.path.dirname(__file__), "..", "..", "docs", "Numerics.md")


def pike_opt_result(text, *args):
    return subprocess.run([tools.find("pike-opt"), "-", *args], input=text, text=True,
                          capture_output=True)


def dialect_modes():
    """The modes the dialect parses, in enum order, from its own error."""
    result = pike_opt_result(
        "module attributes {pike.rounding = #pike<rounding no_such_mode>} {}")
    found = re.search(r"RoundingMode to be one of: ([a-z0-9_, ]+)", result.stderr)
    assert found, result.stderr
    return tuple(name.strip() for name in found.group(1).split(","))


class RoundingModesTest(unittest.TestCase):
    def test_python_lists_the_dialects_modes_in_order(self):
        # The order is the numbering pike-c/Numerics.h shares.
        self.assertEqual(rounding.MODES, dialect_modes())

    def test_default_is_the_one_the_option_help_marks(self):
        help_text = pike_opt_result("", "--help").stdout
        marked = re.findall(r"^\s*=(\w+)\s+-\s+.*\(the default\)$", help_text, re.M)
        self.assertTrue(marked)
        self.assertEqual(set(marked), {rounding.DEFAULT})

    def test_docs_table_has_a_row_per_mode(self):
        with open(DOCS) as f:
            text = f.read()
        table = text[text.index("| mode     | definition"):]
        table = table[:table.index("\n\n")]
        rows = re.findall(r"^\| `(\w+)` \|", table, re.M)
        self.assertEqual(tuple(rows), rounding.MODES)


if __name__ == "__main__":
    unittest.main()
