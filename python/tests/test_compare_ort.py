"""`pike compare model.onnx --reference onnxruntime`: onnxruntime's own
integers of every quantizing node, taken from one run of the model in its
CPU provider, against Pike's integer form layer by layer."""

import os
import subprocess
import sys
import tempfile
import unittest

import numpy as np
import onnx
from onnx import TensorProto, helper

from pike import ort_reference
from tests import onnx_models as om

SRC = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
X_SCALE, X_ZP = np.float32(0.02), np.uint8(100)


def conv_relu_model(rng):
    """x -> QuantizeLinear (u8) -> conv with 7-bit s8 weights and a bias ->
    QuantizeLinear -> Relu -> QuantizeLinear -> out. 7-bit weights keep
    onnxruntime's AVX2 kernels exact (they saturate 16-bit pair sums)."""
    w = rng.integers(-63, 64, size=(6, 3, 3, 3)).astype(np.int8)
    nodes = [
        helper.make_node("QuantizeLinear", ["x", "xs", "xz"], ["xq"], name="x_q"),
        helper.make_node("DequantizeLinear", ["xq", "xs", "xz"], ["xd"], name="x_dq"),
        helper.make_node("DequantizeLinear", ["w", "ws", "wz"], ["wd"], name="w_dq"),
        helper.make_node("Conv", ["xd", "wd", "b"], ["c"], name="conv", pads=[1, 1, 1, 1]),
        helper.make_node("QuantizeLinear", ["c", "cs", "cz"], ["cq"], name="conv_q"),
        helper.make_node("DequantizeLinear", ["cq", "cs", "cz"], ["cd"], name="conv_dq"),
        helper.make_node("Relu", ["cd"], ["r"], name="relu"),
        helper.make_node("QuantizeLinear", ["r", "cs", "cz"], ["rq"], name="relu_q"),
        helper.make_node("DequantizeLinear", ["rq", "cs", "cz"], ["y"], name="out_dq"),
    ]
    inits = [om.init("xs", X_SCALE), om.init("xz", X_ZP), om.init("w", w),
             om.init("ws", np.float32(0.01)), om.init("wz", np.int8(0)),
             om.init("b", rng.normal(0, 0.2, size=6).astype(np.float32)),
             om.init("cs", np.float32(0.05)), om.init("cz", np.uint8(120))]
    return om.model(nodes, [om.tensor("x", [1, 3, 8, 8])], [om.tensor("y", [1, 6, 8, 8])], inits)


def int8_conv_model(rng):
    """x -> QuantizeLinear (s8) -> conv with 8-bit weights -> QuantizeLinear
    (s8) -> y, as onnxruntime's quantizer writes S8S8. Weights and inputs
    near their ends: where onnxruntime's x86 kernel adds uint8 x int8 pairs in
    16 bits (CPUs without VNNI), its fused run is not the float one."""
    w = rng.choice(np.array([-128, -127, 126, 127], np.int8), size=(8, 16, 1, 1))
    nodes = [
        helper.make_node("QuantizeLinear", ["x", "xs", "xz"], ["xq"], name="x_q"),
        helper.make_node("DequantizeLinear", ["xq", "xs", "xz"], ["xd"], name="x_dq"),
        helper.make_node("DequantizeLinear", ["w", "ws", "wz"], ["wd"], name="w_dq"),
        helper.make_node("Conv", ["xd", "wd"], ["c"], name="conv"),
        helper.make_node("QuantizeLinear", ["c", "ys", "yz"], ["cq"], name="conv_q"),
        helper.make_node("DequantizeLinear", ["cq", "ys", "yz"], ["y"], name="out_dq"),
    ]
    inits = [om.init("xs", np.float32(0.01)), om.init("xz", np.int8(0)), om.init("w", w),
             om.init("ws", np.float32(0.01)), om.init("wz", np.int8(0)),
             om.init("ys", np.float32(0.5)), om.init("yz", np.int8(0))]
    return om.model(nodes, [om.tensor("x", [1, 16, 4, 4])], [om.tensor("y", [1, 8, 4, 4])], inits)


class CompareOnnxruntimeTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        rng = np.random.default_rng(3)
        cls.model = conv_relu_model(rng)
        cls.x = rng.uniform(-2, 3, size=(1, 3, 8, 8)).astype(np.float32)
        cls.tmp = tempfile.TemporaryDirectory()
        cls.onnx_path = os.path.join(cls.tmp.name, "model.onnx")
        onnx.save(cls.model, cls.onnx_path)
        cls.x_path = os.path.join(cls.tmp.name, "x.npy")
        np.save(cls.x_path, cls.x)

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def test_every_quantizer_by_name(self):
        integers = ort_reference.layer_integers(self.model, [self.x])
        self.assertEqual(set(integers), {"x_q", "conv_q", "relu_q"})
        self.assertTrue(all(v.dtype == np.uint8 for v in integers.values()))
        # The input quantizer, computed here: round half to even, saturate.
        expected = np.clip(np.round(self.x / X_SCALE) + int(X_ZP), 0, 255)
        np.testing.assert_array_equal(integers["x_q"], expected)
        # The ReLU's quantizer is never below the zero point; the conv's is.
        self.assertGreaterEqual(int(integers["relu_q"].min()), 120)
        self.assertLess(int(integers["conv_q"].min()), 120)

    def test_the_integers_onnxruntime_runs(self):
        # The reference is the run a user's session makes (fused kernels and
        # all), not the one extra graph outputs would make of the model.
        import onnxruntime

        rng = np.random.default_rng(4)
        model = int8_conv_model(rng)
        x = rng.choice(np.array([-1.28, 1.27], np.float32), size=(1, 16, 4, 4))
        integers = ort_reference.layer_integers(model, [x])
        session = onnxruntime.InferenceSession(model.SerializeToString(),
                                               providers=["CPUExecutionProvider"])
        y = session.run(None, {"x": x})[0]
        np.testing.assert_array_equal(integers["conv_q"].astype(np.int64),
                                      np.rint(y / np.float32(0.5)).astype(np.int64))
        self.assertEqual(integers["conv_q"].dtype, np.int8)

    def test_cli_layer_by_layer(self):
        result = subprocess.run(
            [sys.executable, "-m", "pike", "compare", self.onnx_path, "--input", self.x_path,
             "--reference", "onnxruntime", "--steps", "0", "--fail"],
            capture_output=True, text=True, env={**os.environ, "PYTHONPATH": SRC})
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        rows = {line.split()[0]: line for line in result.stdout.splitlines()[1:]}
        for name in ("x_q", "conv_q", "relu_q"):
            self.assertIn(name, rows)
            self.assertRegex(rows[name], r"\s0 steps\s+0\.00%")

    def test_unnamed_nodes_by_their_output(self):
        # Pike names an unnamed node by its first output; so does the
        # reference, and an unnamed conv matches no other unnamed node.
        model = onnx.ModelProto()
        model.CopyFrom(self.model)
        for node in model.graph.node:
            if node.name in ("x_q", "conv"):
                node.name = ""
        named = ort_reference.layer_integers(self.model, [self.x])
        unnamed = ort_reference.layer_integers(model, [self.x])
        self.assertEqual(set(unnamed), {"xq", "conv_q", "relu_q"})
        np.testing.assert_array_equal(unnamed["xq"], named["x_q"])
        np.testing.assert_array_equal(unnamed["conv_q"], named["conv_q"])

    def test_names_as_the_model_writes_them(self):
        # A name MLIR escapes (non-ASCII, a newline) is still the same layer,
        # and is shown escaped, never raw, in the report.
        model = onnx.ModelProto()
        model.CopyFrom(self.model)
        for node in model.graph.node:
            if node.name == "conv_q":
                node.name = "卷积\n\x1b[31m_q"
        path = os.path.join(self.tmp.name, "named.onnx")
        onnx.save(model, path)
        result = subprocess.run(
            [sys.executable, "-m", "pike", "compare", path, "--input", self.x_path,
             "--reference", "onnxruntime", "--steps", "0"],
            capture_output=True, text=True, env={**os.environ, "PYTHONPATH": SRC})
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertNotIn("\x1b", result.stdout)
        rows = result.stdout.splitlines()[1:4]
        self.assertEqual(len(rows), 3, result.stdout)
        self.assertTrue(any(row.startswith("\\E5\\8D\\B7") for row in rows), result.stdout)
        self.assertIn("3 of 3 layers identical", result.stdout)

    def test_quantizer_output_dtype(self):
        # Opset 21: no zero point, the type from output_dtype.
        nodes = [helper.make_node("QuantizeLinear", ["x", "s"], ["q"], name="q",
                                  output_dtype=TensorProto.INT8),
                 helper.make_node("DequantizeLinear", ["q", "s"], ["y"], name="dq")]
        model = om.model(nodes, [om.tensor("x", [1, 4])], [om.tensor("y", [1, 4])],
                         [om.init("s", np.float32(0.5))], opset=21)
        x = np.array([[-70.2, -1.25, 0.75, 70.0]], np.float32)
        integers = ort_reference.layer_integers(model, [x])
        self.assertEqual(integers["q"].dtype, np.int8)
        self.assertEqual(integers["q"].tolist(), [[-128, -2, 2, 127]])

    def test_what_onnxruntime_refuses_is_an_error(self):
        x64 = os.path.join(self.tmp.name, "x64.npy")
        np.save(x64, self.x.astype(np.float64))
        result = subprocess.run(
            [sys.executable, "-m", "pike", "compare", self.onnx_path, "--input", x64,
             "--reference", "onnxruntime"],
            capture_output=True, text=True, env={**os.environ, "PYTHONPATH": SRC})
        self.assertEqual(result.returncode, 2, result.stderr)
        self.assertIn("onnxruntime cannot run the model on the input", result.stderr)
        self.assertNotIn("Traceback", result.stderr)

    def test_cli_needs_the_onnx_model(self):
        result = subprocess.run(
            [sys.executable, "-m", "pike", "compare", os.path.join(self.tmp.name, "m.mlir"),
             "--input", self.x_path, "--reference", "onnxruntime"],
            capture_output=True, text=True, env={**os.environ, "PYTHONPATH": SRC})
        self.assertEqual(result.returncode, 2)
        self.assertIn("--reference onnxruntime needs the .onnx model", result.stderr)


if __name__ == "__main__":
    unittest.main()
