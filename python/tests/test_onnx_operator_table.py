"""The ONNX operators are defined once, by the importer's registry (the
family tables of lib/Conversion/OnnxToPike, printed by pike-opt
--list-onnx-operators); docs/Frontends.md's operator tables, docs/generated
and `pike import --help` are bound to it here."""

import os
import re
import unittest

from pike import cli

DOCS = os.path.join(os.path.dirname(__file__), "..", "..", "docs")
OPERATOR = re.compile(r"`([A-Z][A-Za-z0-9]*[a-z][A-Za-z0-9]*)`")


def documented_operators():
    """Operator names in the first column of docs/Frontends.md's operator
    tables (the importer's and onnxruntime's), minus the rows it refuses."""
    names = set()
    in_table = False
    with open(os.path.join(DOCS, "Frontends.md"), encoding="utf-8") as f:
        for line in f:
            if line.startswith("| operator | pike |") or line.startswith("| onnxruntime (domain"):
                in_table = True
                continue
            if in_table and not line.startswith("|"):
                in_table = False
            if not in_table or line.startswith("|--"):
                continue
            cells = line.strip().strip("|").split("|")
            if cells[-1].strip().startswith("an error"):
                continue
            names.update(OPERATOR.findall(cells[0]))
    return names


class OnnxOperatorTableTest(unittest.TestCase):
    def test_docs_table_names_exactly_the_registry(self):
        registry = {name for _, name, _ in cli.onnx_operators()}
        self.assertGreater(len(registry), 30)
        documented = documented_operators()
        self.assertEqual(sorted(registry - documented), [], "taken but not in docs/Frontends.md")
        self.assertEqual(sorted(documented - registry), [], "in docs/Frontends.md, not taken")

    def test_generated_table_is_the_registry(self):
        with open(os.path.join(DOCS, "generated", "Pike", "OnnxOperators.md"),
                  encoding="utf-8") as f:
            generated = f.read()
        from pike import tools
        self.assertEqual(generated, tools.run("pike-opt", "--list-onnx-operators"))

    def test_import_help_lists_every_operator(self):
        parser = cli.build_parser()
        sub = parser._subparsers._group_actions[0].choices["import"]
        help_text = " ".join(sub.format_help().split())
        for domain, name, since in cli.onnx_operators():
            self.assertIn(name, help_text)
        self.assertIn("Slice (opset 10+)", help_text)
        self.assertIn("com.microsoft: Gelu, QLinearAdd", help_text)


if __name__ == "__main__":
    unittest.main()
