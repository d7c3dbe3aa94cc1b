"""onnxruntime decides a LayerNorm written out in steps and quantized
between them, as its quantize_static leaves a model exported before opset
17: DequantizeLinear, ReduceMean, Sub, Pow, ReduceMean, a QDQ variance, an
Add of a QDQ epsilon (its QLinearAdd), a QDQ sum, Sqrt, Div, QuantizeLinear.
With `rounding=float32`, Pike's pike.float32_stepwise_layer_norm (run by
pike-run and by the NumPy reference) gives onnxruntime's integers on every
element, for uint8 and int8, rows of 8 to 768 values, and rows that are
constant or nearly so (a variance quantized to 0: a division by zero). The
default integer form is checked against the real steps."""

import unittest

import numpy as np
from onnx import TensorProto, helper

from tests import onnx_models as om
from tests.arbiter import ELEM8 as ELEM, assert_float32_form, run_both
from tests.test_ort_layer_norm import rows_of
from tests.tools import run_onnx


def stepwise_layer_norm(dtype, rows, n, scales, zero_points, epsilon, quantized_epsilon=True,
                        requantized=True):
    """The graph quantize_static writes: `scales` and `zero_points` of the
    input, the variance, the sum with epsilon (not quantized again unless
    `requantized`), and the output."""
    elem = ELEM[np.dtype(dtype)]
    inits = [helper.make_tensor("two", TensorProto.FLOAT, [], [2.0])]
    for name, s, z in zip(("x", "v", "e", "y"), scales, zero_points):
        inits += [helper.make_tensor("s" + name, TensorProto.FLOAT, [], [s]),
                  helper.make_tensor("z" + name, elem, [], [z])]

    def qdq(name, real):
        return [helper.make_node("QuantizeLinear", [real, "s" + name, "z" + name], [name + "q"]),
                helper.make_node("DequantizeLinear", [name + "q", "s" + name, "z" + name],
                                 [name + "r"])]

    nodes = [helper.make_node("DequantizeLinear", ["x", "sx", "zx"], ["xr"]),
             helper.make_node("ReduceMean", ["xr"], ["m"], axes=[-1]),
             helper.make_node("Sub", ["xr", "m"], ["c"]),
             helper.make_node("Pow", ["c", "two"], ["c2"]),
             helper.make_node("ReduceMean", ["c2"], ["var"], axes=[-1])]
    nodes += qdq("v", "var")
    if quantized_epsilon:
        # quantize_static's epsilon: uint8 (int8 for int8 activations) at
        # scale epsilon / 255, the integer 255 (127).
        top = 255 if dtype == np.uint8 else 127
        inits += [helper.make_tensor("epsq", elem, [], [top]),
                  helper.make_tensor("seps", TensorProto.FLOAT, [], [epsilon / top]),
                  helper.make_tensor("zeps", elem, [], [0])]
        nodes.append(helper.make_node("DequantizeLinear", ["epsq", "seps", "zeps"], ["eps"]))
    else:
        inits.append(helper.make_tensor("eps", TensorProto.FLOAT, [], [epsilon]))
    nodes.append(helper.make_node("Add", ["vr", "eps"], ["sum"]))
    if requantized:
        nodes += qdq("e", "sum")
    nodes += [helper.make_node("Sqrt", ["er" if requantized else "sum"], ["d"]),
              helper.make_node("Div", ["c", "d"], ["yr"]),
              helper.make_node("QuantizeLinear", ["yr", "sy", "zy"], ["y"])]
    graph = helper.make_graph(nodes, "stepwise", [om.tensor("x", [rows, n], elem)],
                              [om.tensor("y", [rows, n], elem)], inits)
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])


class StepwiseLayerNormTest(unittest.TestCase):
    def case(self, seed, dtype, n, rows=256, quantized_epsilon=True):
        rng = np.random.default_rng(seed)
        info = np.iinfo(dtype)
        sx = float(np.float32(rng.uniform(0.005, 0.2)))
        zx = int(rng.integers(info.min, info.max + 1))
        x = rows_of(rng, dtype, rows, n, zx)
        # The variance's scale as calibration sets it: its largest value
        # over the range of the type.
        reals = (x.astype(np.float64) - zx) * sx
        top = float(reals.var(axis=-1).max())
        span = 255 if dtype == np.uint8 else 127
        sv = float(np.float32(top / span))
        zero = 0
        scales = [sx, sv, float(np.float32(sv * 1.0001)), float(np.float32(rng.uniform(0.02, 0.05)))]
        zy = int(rng.integers(info.min + 64, info.max - 63))
        model = stepwise_layer_norm(dtype, rows, n, scales, [zx, zero, zero, zy], 1e-5,
                                    quantized_epsilon)
        return model, x

    def test_onnxruntimes_integers_for_both_types_and_row_lengths(self):
        for seed, n in enumerate((8, 128, 192, 768)):
            for dtype in (np.uint8, np.int8):
                model, x = self.case(seed, dtype, n)
                want = assert_float32_form(self, model, x, "pike.float32_stepwise_layer_norm",
                                           (seed, np.dtype(dtype).name, n))
                info = np.iinfo(dtype)
                # Rows 0 and 2: constant, and one value apart (a variance
                # quantized to 0): a NaN and infinities, the range's ends.
                self.assertTrue(np.all(want[0] == info.min))
                self.assertEqual(set(want[2].tolist()), {info.min, info.max})

    def test_a_float_epsilon_is_added_in_float32(self):
        model, x = self.case(9, np.uint8, 64, quantized_epsilon=False)
        assert_float32_form(self, model, x, "pike.float32_stepwise_layer_norm", "float epsilon")

    def test_the_integer_form_follows_the_real_steps(self):
        # Pike's own rounding: the variance's integer from the exact sum of
        # squares, the rest from a table. Against onnxruntime's float32 it
        # differs where a variance lies within float32's error of a half
        # step (then a whole row moves); elsewhere by at most one step.
        from pike import onnx_import, tools
        from tests.arbiter import run as ort
        model, x = self.case(3, np.uint8, 128, rows=512)
        text = tools.run("pike-opt", "-", "--pike-quantize-pipeline",
                         stdin=onnx_import.import_model(model, "model.mlir"))
        self.assertIn("pike.integer_stepwise_layer_norm", text)
        exact = run_onnx(model, [x], ["--pike-quantize-pipeline"])[0].astype(np.int64)
        want = ort(model, {"x": x})[0].astype(np.int64)
        rows_far = np.any(np.abs(exact - want) > 1, axis=-1)
        self.assertLessEqual(np.count_nonzero(rows_far), 2)
        self.assertGreater(np.mean(exact == want), 0.95)

    def default_form_against_onnxruntime(self, model, x, skip=0):
        """Pike's own rounding against onnxruntime: the largest step apart,
        past the first `skip` rows (a variance quantized to a division by
        zero, where onnxruntime's float mean decides the sign of 0 / 0)."""
        from tests.arbiter import run as ort
        exact = run_onnx(model, [x], ["--pike-quantize-pipeline"])[0].astype(np.int64)
        want = ort(model, {"x": x})[0].astype(np.int64)
        return int(np.abs(exact - want)[skip:].max())

    def test_a_tiny_epsilon_keeps_every_entrys_precision(self):
        # epsilon added in float and not quantized again: the entry of a
        # variance quantized to 0 normalizes by sqrt(epsilon), a multiplier
        # 10^10 times the others'; each entry has its own shift.
        rng = np.random.default_rng(4)
        for n, sx, epsilon in [(64, 0.05, 1e-20), (768, 2.0, 1e-12)]:
            x = rng.integers(0, 256, (64, n)).astype(np.uint8)
            x[0] = 128
            x[1] = 128
            x[1, 0] = 129
            sv = float(np.float32(((x - 128.0) * sx).var(-1).max() / 255))
            model = stepwise_layer_norm(np.uint8, 64, n, [sx, sv, 1.0, 0.03], [128, 0, 0, 128],
                                        epsilon, quantized_epsilon=False, requantized=False)
            self.assertLessEqual(self.default_form_against_onnxruntime(model, x, skip=2), 1, n)

    def test_a_variance_past_int64_saturates(self):
        # A variance scale of s_in^2 * 2^-50: T * M >> shift passes 2^63
        # before it is clamped to the variance's range.
        x = np.zeros((4, 128), np.uint8)
        x[0, ::2] = 255
        x[1, ::2], x[1, 1::2] = 200, 50
        x[2] = np.arange(128)
        x[3, 0] = 1
        sv = float(np.float32(0.05 * 0.05 * 2.0 ** -50))
        model = stepwise_layer_norm(np.uint8, 4, 128, [0.05, sv, 1.0, 1e7], [0, 0, 0, 128], 0.0,
                                    quantized_epsilon=False, requantized=False)
        self.assertEqual(self.default_form_against_onnxruntime(model, x), 0)

    def test_huge_scales_make_infinite_deviations(self):
        # Variance scales of 2e36: the table's roots of integers no row
        # reaches overflow float32 to infinity, which divides to 0.
        model, x = self.case(5, np.uint8, 64)
        for init in model.graph.initializer:
            if init.name in ("sv", "se"):
                init.float_data[:] = [2e36]
        assert_float32_form(self, model, x, "pike.float32_stepwise_layer_norm", "huge scales")


class ReduceMeanTest(unittest.TestCase):
    def test_the_reference_mean_is_onnxruntimes(self):
        # Every float32 bit of onnxruntime's ReduceMean over a last axis of
        # a multiple of 8, on rows of all magnitudes: the integers above see
        # only a few of its roundings.
        from pike import reference_normalization as normalization
        from tests.arbiter import run as ort
        rng = np.random.default_rng(6)
        for n, magnitude in [(8, 1.0), (24, 3.0), (192, 30.0), (128, 1e4), (768, 0.01)]:
            x = (rng.normal(0, magnitude, (512, n)) + rng.normal(0, magnitude, (512, 1)))
            x = x.astype(np.float32)
            node = helper.make_node("ReduceMean", ["x"], ["y"], axes=[-1])
            graph = helper.make_graph([node], "mean", [om.tensor("x", [512, n], TensorProto.FLOAT)],
                                      [om.tensor("y", [512, 1], TensorProto.FLOAT)])
            model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
            want = ort(model, {"x": x})[0]
            ours = normalization._onnxruntime_mean(x)
            self.assertEqual(np.count_nonzero(ours.view(np.int32) != want.view(np.int32)), 0,
                             (n, magnitude))

    def test_pike_run_is_the_reference_with_16_bit_steps(self):
        # Output steps of 2^-12 standard deviations and a 16-bit variance:
        # the float32 roundings of both means reach the integers, so the
        # lowering's order of operations is checked where 8 bits hide it.
        rng = np.random.default_rng(8)
        rows, n = 256, 192
        deviations = np.sqrt(np.arange(65536, dtype=np.float32) * np.float32(2.0 ** -10))
        attrs = ("input_scale = 0.013 : f32, input_zp = -7, variance_scale = 9.765625E-4 : f32, "
                 "variance_min = 0, variance_max = 65535, output_scale = 2.44140625E-4 : f32, "
                 "output_zp = 5, variance_zp = 0, deviations = array<f32: "
                 + ", ".join(repr(float(d)) for d in deviations) + ">")
        text = (f"func.func @main(%x: tensor<{rows}x{n}xi16>) -> tensor<{rows}x{n}xi16> {{\n"
                f"  %y = pike.float32_stepwise_layer_norm %x {{{attrs}}} : "
                f"(tensor<{rows}x{n}xi16>) -> tensor<{rows}x{n}xi16>\n"
                f"  return %y : tensor<{rows}x{n}xi16>\n}}\n")
        x = rng.integers(-3000, 3000, (rows, n)).astype(np.int16)
        x[:64] = rng.integers(-3, 4, (64, n)) + rng.integers(-30000, 30000, (64, 1))
        got, want = run_both(text, x)
        self.assertGreater(len(np.unique(want)), 10000)  # fine steps, not clamped
        self.assertEqual(np.count_nonzero(got != want), 0)


if __name__ == "__main__":
    unittest.main()
