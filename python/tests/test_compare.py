"""`python3 -m pike compare`: the per-layer divergence finder, on an imported
ONNX model whose integer form is exact, and on the same model with Double
Quantization at 2 bits, which must be named as the first layer that moves."""

import os
import subprocess
import sys
import tempfile
import unittest

import numpy as np

from pike import compare, onnx_import
from tests import onnx_models as om
from tests import test_onnx_import as imports

SRC = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def cli(*args):
    return subprocess.run([sys.executable, "-m", "pike", *args], capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": SRC})


class CompareTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        rng = np.random.default_rng(0)
        nodes, inits = imports.QdqTest.conv_bn_relu(None, rng, 4, 8)
        model = om.model(nodes, [om.tensor("x", [1, 4, 6, 6])], [om.tensor("y", [1, 8, 6, 6])],
                         inits)
        cls.tmp = tempfile.TemporaryDirectory()
        cls.model = os.path.join(cls.tmp.name, "model.mlir")
        with open(cls.model, "w") as f:
            f.write(onnx_import.import_model(model))
        cls.x = os.path.join(cls.tmp.name, "x.npy")
        np.save(cls.x, rng.uniform(-1, 2, size=(1, 4, 6, 6)).astype(np.float32))

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def test_exact_model_has_no_divergence(self):
        layers, outputs = compare.compare(self.model, [np.load(self.x)])
        # The input quantizer and the output quantizer, by ONNX node name.
        self.assertEqual([layer.name for layer in layers], ["xd_q", "y_q"])
        self.assertTrue(all(layer.max_steps <= 1 for layer in layers), layers)
        text, first = compare.report(layers, outputs, 1)
        self.assertIsNone(first)
        self.assertIn("no layer differs by more than 1 step(s)", text)

    def test_coarse_double_quantization_is_found(self):
        result = cli("compare", self.model, "--input", self.x, "--double-quantize",
                     "--dq-bits", "2", "--steps", "0", "--fail")
        self.assertEqual(result.returncode, 3, result.stderr)
        lines = result.stdout.strip().splitlines()
        self.assertTrue(lines[0].startswith("layer"), lines)
        self.assertEqual(lines[-1].split(":")[0], "first layer beyond 0 step(s)")
        self.assertIn("y_q", lines[-1])
        row = next(line for line in lines if line.startswith("xd_q"))
        self.assertIn(" 0 steps", row)  # the input quantizer is untouched

    def test_bad_steps(self):
        result = cli("compare", self.model, "--input", self.x, "--steps", "-1")
        self.assertEqual(result.returncode, 2)
        self.assertIn("--steps must be at least 0", result.stderr)


if __name__ == "__main__":
    unittest.main()
