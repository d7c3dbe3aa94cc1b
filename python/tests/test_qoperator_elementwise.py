"""ONNX Runtime's elementwise QOperator ops (QLinearSigmoid, QLinearLeakyRelu,
QLinearMul) and ONNX's activations between QDQ pairs: imported, made integer
(lookup tables, an integer product), run, and compared with a NumPy
reference written from onnxruntime's contrib-op documentation: dequantize,
the real function in float64, quantize with ties to even.

The remaining QOperator ops are pinned bit for bit at power-of-two scale ratios.
The activations are checked on every input integer, with zero points at both
ends of the range (saturation) and with exact ties."""

import unittest

import numpy as np
from onnx import TensorProto, helper

from pike import onnx_import
from tests import onnx_models as om
from tests.tools import pike_opt, run_onnx

MS = "com.microsoft"
CODES = np.arange(256, dtype=np.uint8).reshape(1, 256)


def f32(value):
    """A scale or attribute as the model stores it (float32)."""
    return float(np.float32(value))


def quantize(x, scale, zp):
    return np.clip(np.round(x / f32(scale)) + zp, 0, 255).astype(np.uint8)


def dequantize(q, scale, zp):
    return (q.astype(np.float64) - zp) * f32(scale)


def scalars(**values):
    return [om.init(k, np.float32(v)) if k.startswith("s") else om.init(k, np.uint8(v))
            for k, v in values.items()]


def integer_form(m):
    return pike_opt(onnx_import.import_model(m), "--pike-quantize-pipeline")


class ActivationTableTest(unittest.TestCase):
    def check_table(self, node, reference, sx, zx, sy, zy):
        m = om.model([node], [om.tensor("x", [1, 256], TensorProto.UINT8)],
                     [om.tensor("y", [1, 256], TensorProto.UINT8)],
                     scalars(sx=sx, zx=zx, sy=sy, zy=zy), extra_opsets=[MS])
        text = integer_form(m)
        self.assertIn("pike.table", text)
        self.assertNotIn("pike.activation", text)
        (got,) = run_onnx(m, [CODES], ["--pike-quantize-pipeline"])
        expected = quantize(reference(dequantize(CODES, sx, zx)), sy, zy)
        np.testing.assert_array_equal(got, expected)
        return got

    def test_qlinear_sigmoid(self):
        node = helper.make_node("QLinearSigmoid", ["x", "sx", "zx", "sy", "zy"], ["y"],
                                domain=MS, name="sigmoid")
        for zx, zy in [(128, 0), (0, 0), (255, 255), (0, 255)]:
            self.check_table(node, lambda x: 1 / (1 + np.exp(-x)), 0.05, zx, 1 / 255, zy)
        # A tie: at an output scale of 1, sigmoid(0) = 0.5 rounds to the even 0,
        # and anything above it to 1.
        got = self.check_table(node, lambda x: 1 / (1 + np.exp(-x)), 0.05, 128, 1.0, 0)
        self.assertEqual((int(got[0, 128]), int(got[0, 129])), (0, 1))
        # Saturation at both ends with zy = 255: everything at or above 0.5 is 255.
        got = self.check_table(node, lambda x: 1 / (1 + np.exp(-x)), 0.05, 128, 1 / 255, 255)
        self.assertTrue((got[0, 128:] == 255).all())

    def test_qlinear_leaky_relu_ties(self):
        # alpha = 0.5 on equal scales: negative inputs land on exact half steps.
        node = helper.make_node("QLinearLeakyRelu", ["x", "sx", "zx", "sy", "zy"], ["y"],
                                domain=MS, alpha=0.5, name="leaky")
        got = self.check_table(node, lambda x: np.where(x >= 0, x, 0.5 * x), 0.1, 128, 0.1, 128)
        # -3 * 0.5 = -1.5 -> -2 and -5 * 0.5 = -2.5 -> -2 (ties to even).
        self.assertEqual(int(got[0, 125]) - 128, -2)
        self.assertEqual(int(got[0, 123]) - 128, -2)
        for zx, zy in [(0, 0), (255, 255), (255, 0)]:
            self.check_table(node, lambda x: np.where(x >= 0, x, 0.5 * x), 0.02, zx, 0.03, zy)

    def test_onnx_activations_between_qdq(self):
        for op, attrs in [("Sigmoid", {}), ("Tanh", {}), ("HardSigmoid", {"alpha": 0.25, "beta": 0.4}),
                          ("HardSwish", {}), ("LeakyRelu", {"alpha": 0.1}), ("Gelu", {})]:
            with self.subTest(op=op):
                domain = MS if op == "Gelu" else ""
                nodes = [helper.make_node("DequantizeLinear", ["x", "sx", "zx"], ["d"], name="d"),
                         helper.make_node(op, ["d"], ["a"], domain=domain, name="act", **attrs),
                         helper.make_node("QuantizeLinear", ["a", "sy", "zy"], ["y"], name="q")]
                m = om.model(nodes, [om.tensor("x", [1, 256], TensorProto.UINT8)],
                             [om.tensor("y", [1, 256], TensorProto.UINT8)],
                             scalars(sx=0.04, zx=120, sy=0.02, zy=60), extra_opsets=[MS],
                             opset=14 if op == "HardSwish" else 13)
                text = integer_form(m)
                self.assertIn("pike.table", text)
                (got,) = run_onnx(m, [CODES], ["--pike-quantize-pipeline"])
                reference = om._activation(op, dequantize(CODES, 0.04, 120), attrs)
                np.testing.assert_array_equal(got, quantize(reference, 0.02, 60))

    def test_gelu_tanh_approximation_is_refused(self):
        nodes = [helper.make_node("Gelu", ["x"], ["y"], approximate="tanh", name="g")]
        m = om.model(nodes, [om.tensor("x", [1, 4])], [om.tensor("y", [1, 4])], [], opset=20)
        with self.assertRaises(onnx_import.OnnxImportError) as ctx:
            onnx_import.import_model(m)
        self.assertIn("node 'g' (Gelu): approximate = 'tanh' is not supported", str(ctx.exception))
        # ONNX's Gelu exists from opset 20; com.microsoft's in any model.
        m = om.model(nodes, [om.tensor("x", [1, 4])], [om.tensor("y", [1, 4])], [], opset=13)
        with self.assertRaises(onnx_import.OnnxImportError) as ctx:
            onnx_import.import_model(m)
        self.assertIn("the importer reads Gelu from opset 20 on; this model imports opset 13",
                      str(ctx.exception))


class QLinearMulTest(unittest.TestCase):
    def run_mul(self, a, b, c, shape_b=(1, 256)):
        sa, za, sb, zb, sy, zy = c
        node = helper.make_node("QLinearMul", ["a", "sa", "za", "b", "sb", "zb", "sy", "zy"],
                                ["y"], domain=MS, name="mul")
        m = om.model([node], [om.tensor("a", [1, 256], TensorProto.UINT8),
                              om.tensor("b", list(shape_b), TensorProto.UINT8)],
                     [om.tensor("y", [1, 256], TensorProto.UINT8)],
                     scalars(sa=sa, za=za, sb=sb, zb=zb, sy=sy, zy=zy), extra_opsets=[MS])
        self.assertIn("pike.mul", integer_form(m))
        (got,) = run_onnx(m, [a, b], ["--pike-quantize-pipeline"])
        expected = quantize(dequantize(a, sa, za) * dequantize(b, sb, zb), sy, zy)
        return got, expected

    def test_exact_ratio_ties_to_even(self):
        # s_a * s_b / s_y = 0.5 exactly: odd products are ties, rounded to even.
        b = np.random.default_rng(0).permutation(256).astype(np.uint8).reshape(1, 256)
        got, expected = self.run_mul(CODES, b, (0.5, 128, 0.25, 128, 0.25, 128))
        np.testing.assert_array_equal(got, expected)

    def test_zero_points_at_the_ends_and_saturation(self):
        rng = np.random.default_rng(1)
        for c in [(0.02, 0, 0.03, 255, 0.01, 0), (0.02, 255, 0.03, 0, 0.004, 255),
                  (0.013, 7, 0.021, 250, 0.0005, 128)]:
            with self.subTest(scales=c):
                b = rng.integers(0, 256, size=(1, 256)).astype(np.uint8)
                got, expected = self.run_mul(CODES, b, c)
                diff = np.abs(got.astype(int) - expected.astype(int))
                self.assertLessEqual(int(diff.max()), 1)
                self.assertGreater(float(np.mean(diff == 0)), 0.95)
                self.assertTrue(((got == 0) | (got == 255)).any())  # saturation reached

    def test_broadcast_gate(self):
        # Squeeze-and-excitation: a [1, 256] tensor times a [1, 1] gate.
        got, expected = self.run_mul(CODES, np.array([[200]], dtype=np.uint8),
                                     (0.02, 128, 1 / 255, 0, 0.02, 128), shape_b=(1, 1))
        diff = np.abs(got.astype(int) - expected.astype(int))
        self.assertLessEqual(int(diff.max()), 1)


if __name__ == "__main__":
    unittest.main()


class ExactRatiosTest(unittest.TestCase):
    """With scale ratios that are powers of two, the fixed-point multipliers
    are exact, so the remaining ops' bits are pinned: every output equal to
    the reference, with zero points at both range ends, saturation and
    exact ties (half steps, rounded to even)."""

    def run_op(self, node, inputs, shapes, out_shape, inits):
        m = om.model([node], [om.tensor(n, list(s), TensorProto.UINT8) for n, s in shapes],
                     [om.tensor("y", list(out_shape), TensorProto.UINT8)], inits,
                     extra_opsets=[MS])
        (got,) = run_onnx(m, inputs, ["--pike-quantize-pipeline"])
        (expected,) = om.evaluate(m, dict(zip([n for n, _ in shapes], inputs)))
        np.testing.assert_array_equal(got, expected)
        return got

    def test_qlinear_add(self):
        b = np.random.default_rng(2).permutation(256).astype(np.uint8).reshape(1, 256)
        for za, zb, zy in [(0, 255, 128), (255, 0, 0), (128, 128, 255)]:
            with self.subTest(zero_points=(za, zb, zy)):
                node = helper.make_node("QLinearAdd", ["a", "sa", "za", "b", "sb", "zb", "sy", "zy"],
                                        ["y"], domain=MS, name="add")
                got = self.run_op(node, [CODES, b], [("a", (1, 256)), ("b", (1, 256))], (1, 256),
                                  scalars(sa=0.5, za=za, sb=0.25, zb=zb, sy=1.0, zy=zy))
                if zy != 128:  # the sums reach past the range
                    self.assertTrue(((got == 0) | (got == 255)).any())

    def test_pools_and_concat(self):
        x = np.random.default_rng(3).integers(0, 256, (1, 2, 4, 4)).astype(np.uint8)
        pool = helper.make_node("QLinearAveragePool", ["x", "sx", "zx", "sy", "zy"], ["y"],
                                domain=MS, kernel_shape=[2, 2], strides=[2, 2], name="pool")
        gap = helper.make_node("QLinearGlobalAveragePool", ["x", "sx", "zx", "sy", "zy"], ["y"],
                               domain=MS, channels_last=0, name="gap")
        for zx, zy in [(0, 255), (255, 0)]:
            # A window sum of 4 at a ratio of 1/2: averages land on quarter
            # and half steps, so the ties are exercised.
            self.run_op(pool, [x], [("x", x.shape)], (1, 2, 2, 2),
                        scalars(sx=0.5, zx=zx, sy=1.0, zy=zy))
            self.run_op(gap, [x], [("x", x.shape)], (1, 2, 1, 1),
                        scalars(sx=0.5, zx=zx, sy=0.25, zy=zy))
        concat = helper.make_node("QLinearConcat", ["sy", "zy", "x", "sx", "zx", "x", "sx2", "zx2"],
                                  ["y"], domain=MS, axis=1, name="concat")
        self.run_op(concat, [x], [("x", x.shape)], (1, 4, 4, 4),
                    scalars(sy=1.0, zy=255, sx=0.5, zx=0, sx2=2.0, zx2=255))

    def test_qgemm(self):
        rng = np.random.default_rng(4)
        w = rng.integers(-127, 128, (10, 16)).astype(np.int8)
        bias = rng.integers(-3000, 3000, 10).astype(np.int32)
        node = helper.make_node("QGemm", ["x", "sx", "zx", "w", "sw", "zw", "bias", "sy", "zy"],
                                ["y"], domain=MS, transB=1, name="qgemm")
        inits = scalars(sx=0.5, zx=255, sy=64.0, zy=0) + [
            om.init("w", w), om.init("sw", np.float32(0.25)), om.init("zw", np.int8(0)),
            om.init("bias", bias)]
        x = rng.integers(0, 256, (4, 16)).astype(np.uint8)
        self.run_op(node, [x], [("x", x.shape)], (4, 10), inits)
