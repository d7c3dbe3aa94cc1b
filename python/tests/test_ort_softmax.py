"""onnxruntime decides a QDQ Softmax: it fuses dequantize -> Softmax ->
quantize into QLinearSoftmax (a float32 table of exp, a float32 row sum,
one float32 product and division per element, ties rounded up). With
`rounding=float32` Pike's pike.float32_softmax, run by pike-run and by the
NumPy reference, gives onnxruntime's integers on every element: uint8 and
int8, rows of 8 to 256 values, input scales from 0.01 to 0.5, rows whose
maximum is every value, and output steps from 1/255 down to 1/51234, where
nearly every float32 rounding reaches the integers."""

import unittest

import numpy as np
from onnx import TensorProto, helper

from tests import onnx_models as om
from tests.arbiter import ELEM8 as ELEM, assert_float32_form, integer_form


def qdq_softmax(dtype, shape, in_scale, in_zp, out_scale, out_zp, out_dtype=None):
    elem = ELEM[np.dtype(dtype)]
    out_elem = ELEM[np.dtype(out_dtype or dtype)]
    inits = [helper.make_tensor("sx", TensorProto.FLOAT, [], [in_scale]),
             helper.make_tensor("zx", elem, [], [in_zp]),
             helper.make_tensor("sy", TensorProto.FLOAT, [], [out_scale]),
             helper.make_tensor("zy", out_elem, [], [out_zp])]
    nodes = [helper.make_node("DequantizeLinear", ["x", "sx", "zx"], ["xr"]),
             helper.make_node("Softmax", ["xr"], ["yr"], axis=-1),
             helper.make_node("QuantizeLinear", ["yr", "sy", "zy"], ["y"])]
    graph = helper.make_graph(nodes, "qsoftmax", [om.tensor("x", list(shape), elem)],
                              [om.tensor("y", list(shape), out_elem)], inits)
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])


class Float32SoftmaxTest(unittest.TestCase):
    def check(self, seed, dtype, n, in_scale, out_scale=1 / 255, rows=1024):
        rng = np.random.default_rng(seed)
        info = np.iinfo(dtype)
        x = rng.integers(info.min, info.max + 1, (rows, n))
        # Rows peaked at every value, and rows of a few close values.
        x[:256] = np.minimum(x[:256], np.arange(info.min, info.max + 1)[:, None])
        x[256:512] = rng.integers(info.max - 6, info.max + 1, (256, n))
        x = x.astype(dtype)
        model = qdq_softmax(dtype, x.shape, in_scale, int(rng.integers(info.min, info.max)),
                            out_scale, int(info.min))
        assert_float32_form(self, model, x, "pike.float32_softmax",
                            (seed, np.dtype(dtype).name, n, in_scale, out_scale))

    def test_both_types_and_row_lengths(self):
        cases = [(8, 0.5), (64, 0.01), (197, 0.07), (256, 0.2)]
        for seed, (n, in_scale) in enumerate(cases):
            for dtype in (np.uint8, np.int8):
                self.check(seed, dtype, n, in_scale)

    def test_fine_output_steps_show_every_rounding(self):
        # floor(1 / scale) up to 51,234 steps per unit of probability: the
        # small probabilities land between 0 and 255 with their float32
        # roundings and ties showing, which 1/255 hides.
        self.check(13, np.uint8, 256, 0.05, out_scale=1 / 25600, rows=16384)
        self.check(14, np.uint8, 256, 0.02, out_scale=1 / 51234, rows=16384)
        self.check(15, np.int8, 256, 0.03, out_scale=1 / 9000, rows=16384)

    def test_a_millionth_step(self):
        # floor(1 / 1e-6): the table's largest entry times it is past
        # float32's range; onnxruntime's quotient is float64, and so is Pike's.
        self.check(16, np.uint8, 64, 0.1, out_scale=1e-6, rows=1024)

    def test_what_stays_the_integer_softmax(self):
        # Mixed types: QLinearSoftmax takes one type in and out.
        mixed = qdq_softmax(np.int8, (2, 8), 0.1, 0, 1 / 256, 0, out_dtype=np.uint8)
        integer = integer_form(mixed)
        self.assertIn("pike.integer_softmax", integer)
        self.assertNotIn("pike.float32_softmax", integer)

if __name__ == "__main__":
    unittest.main()
