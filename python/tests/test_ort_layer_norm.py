"""onnxruntime decides a QDQ LayerNormalization: with `rounding=float32`,
Pike's pike.float32_layer_norm (run by pike-run and by the NumPy reference)
gives onnxruntime's integers on every element, for uint8 and int8, rows of
8 to 768 values, epsilon down to 0, and rows that are constant or nearly
so. onnxruntime runs dequantize -> LayerNormalization -> quantize in
float32, LayerNormalization in MLAS's x86 vector kernel (docs/Numerics.md);
the default integer form is within a step of it, not equal."""

import unittest

import numpy as np
from onnx import TensorProto, helper

from pike import reference
from tests import onnx_models as om
from tests.arbiter import ELEM8 as ELEM, assert_float32_form, integer_form, run_both
from tests.arbiter import run as arbiter_run
from tests.tools import run_onnx


def qdq_layer_norm(dtype, rows, n, scales, zero_points, gamma, beta, epsilon):
    elem = ELEM[np.dtype(dtype)]
    (sx, sy), (zx, zy) = scales, zero_points
    inits = [helper.make_tensor("sx", TensorProto.FLOAT, [], [sx]),
             helper.make_tensor("zx", elem, [], [zx]),
             helper.make_tensor("sy", TensorProto.FLOAT, [], [sy]),
             helper.make_tensor("zy", elem, [], [zy]),
             helper.make_tensor("g", TensorProto.FLOAT, [n], gamma),
             helper.make_tensor("b", TensorProto.FLOAT, [n], beta)]
    nodes = [helper.make_node("DequantizeLinear", ["x", "sx", "zx"], ["xr"]),
             helper.make_node("LayerNormalization", ["xr", "g", "b"], ["yr"], axis=-1,
                              epsilon=epsilon),
             helper.make_node("QuantizeLinear", ["yr", "sy", "zy"], ["y"])]
    graph = helper.make_graph(nodes, "qln", [om.tensor("x", [rows, n], elem)],
                              [om.tensor("y", [rows, n], elem)], inits)
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])


def ort_run(model, x):
    return arbiter_run(model, {"x": x})[0]


def rows_of(rng, dtype, rows, n, zero_point):
    """Random rows, then constant rows (at the zero point and elsewhere) and
    rows that differ in one or two values: zero and tiny variances."""
    info = np.iinfo(dtype)
    x = rng.integers(info.min, info.max + 1, (rows, n))
    x[0] = zero_point
    x[1] = info.max
    x[2] = zero_point
    x[2, 0] = zero_point + (1 if zero_point < info.max else -1)
    x[3] = rng.integers(info.min, info.max + 1)
    x[3, rng.integers(n, size=2)] = info.min
    spread = rng.integers(-2, 3, (rows // 4, n)) + rng.integers(info.min + 2, info.max - 1,
                                                                (rows // 4, 1))
    x[-(rows // 4):] = spread
    return x.astype(dtype)


def ort_float_layer_norm(x, gamma, beta, epsilon):
    n = x.shape[-1]
    inits = [helper.make_tensor("g", TensorProto.FLOAT, [n], gamma),
             helper.make_tensor("b", TensorProto.FLOAT, [n], beta)]
    node = helper.make_node("LayerNormalization", ["x", "g", "b"], ["y"], axis=-1,
                            epsilon=epsilon)
    graph = helper.make_graph([node], "ln", [om.tensor("x", list(x.shape), TensorProto.FLOAT)],
                              [om.tensor("y", list(x.shape), TensorProto.FLOAT)], inits)
    return ort_run(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)]), x)


def f32_text(v):
    """A float32 as a decimal MLIR reads back to the same float32."""
    return repr(float(np.float32(v)))


class Float32LayerNormTest(unittest.TestCase):
    def check(self, seed, dtype, n, epsilon, rows=256):
        rng = np.random.default_rng(seed)
        info = np.iinfo(dtype)
        zx, zy = (int(v) for v in rng.integers(info.min, info.max + 1, 2))
        scales = [float(np.float32(rng.uniform(0.005, 0.2))),
                  float(np.float32(rng.uniform(0.005, 0.05)))]
        gamma = rng.normal(1.0, 0.5, n).astype(np.float32)
        beta = rng.normal(0.0, 0.5, n).astype(np.float32)
        model = qdq_layer_norm(dtype, rows, n, scales, [zx, zy], gamma, beta, epsilon)
        x = rows_of(rng, dtype, rows, n, zx)
        want = assert_float32_form(self, model, x, "pike.float32_layer_norm",
                                   (seed, np.dtype(dtype).name, n, epsilon))
        exact = run_onnx(model, [x], ["--pike-quantize-pipeline"])[0]
        return np.count_nonzero(exact != want)

    def test_rows_of_8_to_768_both_types(self):
        integer_differs = 0
        cases = [(8, 1e-5), (128, 1e-12), (192, 1e-6), (768, 1e-5)]
        for seed, (n, epsilon) in enumerate(cases):
            for dtype in (np.uint8, np.int8):
                integer_differs += self.check(seed, dtype, n, epsilon)
        # The integer form rounds once from the exact value: some differ.
        self.assertGreater(integer_differs, 0)

    def test_the_reference_is_onnxruntimes_float32_kernel(self):
        # Every float32 bit of the kernel's output, on rows of all
        # magnitudes: the integers above see only a few of its roundings.
        from pike import reference_normalization as normalization
        rng = np.random.default_rng(5)
        for n, magnitude in [(8, 1.0), (192, 30.0), (128, 1e4), (768, 0.01)]:
            x = (rng.normal(0, magnitude, (512, n)) + rng.normal(0, magnitude, (512, 1)))
            x = x.astype(np.float32)
            gamma = rng.normal(1, 0.5, n).astype(np.float32)
            beta = rng.normal(0, 0.5, n).astype(np.float32)
            want = ort_float_layer_norm(x, gamma, beta, 1e-5)
            ours = normalization.float32_layer_norm_real(x, gamma, beta, 1e-5, reference._fma32)
            self.assertEqual(np.count_nonzero(ours.view(np.int32) != want.view(np.int32)), 0,
                             (n, magnitude))

    def test_pike_run_is_the_reference_with_16_bit_steps(self):
        # Output steps of 2^-12 standard deviations: most float32 roundings
        # inside the kernel reach the integers, so the lowering's order of
        # operations is checked where 8 bits would hide it.
        rng = np.random.default_rng(7)
        rows, n = 256, 192
        gamma = rng.normal(1, 0.5, n).astype(np.float32)
        beta = rng.normal(0, 0.5, n).astype(np.float32)
        attrs = (f"input_scale = {f32_text(0.013)} : f32, input_zp = -7, "
                 f"gamma = array<f32: {', '.join(f32_text(g) for g in gamma)}>, "
                 f"beta = array<f32: {', '.join(f32_text(b) for b in beta)}>, "
                 f"epsilon = {f32_text(1e-5)} : f32, output_scale = {f32_text(2.0 ** -12)} : f32, "
                 "output_zp = 5")
        text = (f"func.func @main(%x: tensor<{rows}x{n}xi16>) -> tensor<{rows}x{n}xi16> {{\n"
                f"  %y = pike.float32_layer_norm %x {{{attrs}}} : "
                f"(tensor<{rows}x{n}xi16>) -> tensor<{rows}x{n}xi16>\n"
                f"  return %y : tensor<{rows}x{n}xi16>\n}}\n")
        x = rng.integers(-3000, 3000, (rows, n)).astype(np.int16)
        x[:64] = rng.integers(-3, 4, (64, n)) + rng.integers(-30000, 30000, (64, 1))
        got, want = run_both(text, x)
        self.assertGreater(len(np.unique(want)), 10000)  # fine steps, not clamped
        self.assertEqual(np.count_nonzero(got != want), 0)

    def test_epsilon_zero_makes_a_constant_row_the_lowest_value(self):
        # 0 / 0 is NaN in onnxruntime's float32; its quantizer makes it the
        # lowest integer (MLAS's maxps), and so does Pike's.
        self.check(11, np.uint8, 64, 0.0)
        self.check(12, np.int8, 16, 0.0)

    def test_other_row_lengths_keep_the_integer_form(self):
        # onnxruntime's vector kernel takes rows of a multiple of 8; others
        # take its scalar path, which Pike does not reproduce.
        model = qdq_layer_norm(np.uint8, 4, 12, [0.1, 0.02], [3, 128], np.ones(12, np.float32),
                               np.zeros(12, np.float32), 1e-5)
        integer = integer_form(model)
        self.assertIn("pike.integer_layer_norm", integer)
        self.assertNotIn("pike.float32_layer_norm", integer)


if __name__ == "__main__":
    unittest.main()
