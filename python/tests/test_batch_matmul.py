"""Matrix products with batch dimensions (NumPy matmul broadcasting) and 1-D
operands: QLinearMatMul, MatMulInteger and MatMul between QDQ pairs import,
run with pike-run as imported and through the integer pipeline, and give the
integers of a NumPy reference written from ONNX's operator definitions.

ONNX's own cases run with B as a graph input (an activation) here, where
test_onnx_conformance.py gives it as an initializer. The built models pair
unsigned and signed operands with zero points at the ends of their ranges;
their scales make the requantization multiplier a power of two, so the
integer pipeline's fixed-point multiplier is exact and every output must be
identical, exact ties (rounded half to even) included."""

import unittest

import numpy as np
from onnx import TensorProto, helper, numpy_helper

from tests import onnx_conformance as oc
from tests import onnx_models as om
from tests.tools import run_onnx

MODES = [[], ["--pike-quantize-pipeline"], ["--pike-quantize-pipeline=rounding=half_even"]]
ELEM = {np.uint8: TensorProto.UINT8, np.int8: TensorProto.INT8}
RANGE = {np.uint8: (0, 255), np.int8: (-128, 127)}

# (name, A shape, B shape, A type, A zero point, B type, B zero point, B constant)
SHAPES = [
    ("4d_by_2d", (2, 3, 4, 5), (5, 6), np.uint8, 255, np.int8, -128, True),
    ("broadcast_both", (2, 1, 4, 5), (3, 5, 6), np.int8, -128, np.uint8, 255, False),
    ("broadcast_constant", (2, 1, 4, 5), (3, 5, 6), np.uint8, 0, np.uint8, 255, True),
    ("3d_by_3d", (3, 2, 7), (3, 7, 4), np.int8, 127, np.int8, 0, False),
    ("vector_a", (5,), (2, 5, 6), np.uint8, 255, np.int8, 127, True),
    ("vector_b", (2, 3, 4, 5), (5,), np.int8, -128, np.uint8, 0, False),
]


def random_ints(rng, shape, dtype):
    lo, hi = RANGE[dtype]
    # The ends of the range appear in every case.
    values = rng.integers(lo, hi + 1, size=shape)
    flat = values.reshape(-1)
    flat[:2] = (lo, hi)
    return values.astype(dtype)


def integer_product(a, za, b, zb):
    return np.matmul(a.astype(np.int64) - za, b.astype(np.int64) - zb)


def requantize(acc, ratio, zy, dtype):
    lo, hi = RANGE[dtype]
    return np.clip(np.round(acc * ratio) + zy, lo, hi).astype(dtype)


def scalar(name, value, dtype):
    return om.init(name, np.array(value, dtype=dtype))


def operands(a, a_t, b, b_t, b_const, inits):
    """Graph inputs and their data: A always, B too unless it is a constant
    (then an initializer appended to `inits`)."""
    inputs, data = [om.tensor("a", a.shape, ELEM[a_t])], [a]
    if b_const:
        inits.append(om.init("b", b))
    else:
        inputs.append(om.tensor("b", b.shape, ELEM[b_t]))
        data.append(b)
    return inputs, data


class BatchMatmulTest(unittest.TestCase):
    def check(self, model, data, expected, label):
        for passes in MODES:
            (got,) = run_onnx(model, data, passes)
            self.assertEqual(got.shape, expected.shape, f"{label} {passes}")
            self.assertTrue(np.array_equal(got.astype(np.int64), expected.astype(np.int64)),
                            f"{label} {passes}: {got.ravel()[:8]} vs {expected.ravel()[:8]}")

    def test_onnx_cases_with_b_as_input(self):
        """ONNX's QLinearMatMul (2-D, 3-D; uint8 and int8; float32 and float16
        scales) and MatMulInteger cases, B data."""
        ran = []
        for name, model, data_sets in oc.cases({"QLinearMatMul", "MatMulInteger"}):
            for inputs, outputs in data_sets:
                with self.subTest(case=name):
                    built, data = oc.with_initializers(model, inputs)
                    node = built.graph.node[0]
                    b_name = node.input[3] if node.op_type == "QLinearMatMul" else node.input[1]
                    b_init = next(i for i in built.graph.initializer if i.name == b_name)
                    b_value = numpy_helper.to_array(b_init)
                    built.graph.initializer.remove(b_init)
                    built.graph.input.append(
                        helper.make_tensor_value_info(b_name, ELEM[b_value.dtype.type], b_value.shape))
                    self.check(built, data + [b_value], oc.expected_outputs(outputs)[0], name)
                    ran.append(name)
        self.assertEqual(sorted(ran), sorted(
            ["test_matmulinteger"] + [f"test_qlinearmatmul_{rank}_{t}_{scale}"
                                      for rank in ("2D", "3D") for t in ("uint8", "int8")
                                      for scale in ("float32", "float16")]))

    def test_matmulinteger(self):
        rng = np.random.default_rng(1)
        for name, a_shape, b_shape, a_t, za, b_t, zb, b_const in SHAPES:
            with self.subTest(case=name):
                a, b = random_ints(rng, a_shape, a_t), random_ints(rng, b_shape, b_t)
                expected = integer_product(a, za, b, zb).astype(np.int32)
                inits = [scalar("za", za, a_t), scalar("zb", zb, b_t)]
                inputs, data = operands(a, a_t, b, b_t, b_const, inits)
                node = helper.make_node("MatMulInteger", ["a", "b", "za", "zb"], ["y"], name="mm")
                model = om.model([node], inputs, [om.tensor("y", expected.shape, TensorProto.INT32)],
                                 inits)
                self.check(model, data, expected, name)

    def test_qlinearmatmul(self):
        rng = np.random.default_rng(2)
        # 2^-5 * 2^-4 / 2^3 = 2^-12: the multiplier is exact.
        sa, sb, sy = 2.0 ** -5, 2.0 ** -4, 2.0 ** 3
        for (name, a_shape, b_shape, a_t, za, b_t, zb, b_const), (y_t, zy) in zip(
                SHAPES, [(np.int8, 127), (np.int8, 127), (np.uint8, 255), (np.int8, -128),
                         (np.uint8, 128), (np.int8, 0)]):
            with self.subTest(case=name):
                a, b = random_ints(rng, a_shape, a_t), random_ints(rng, b_shape, b_t)
                acc = integer_product(a, za, b, zb)
                expected = requantize(acc, sa * sb / sy, zy, y_t)
                inits = [scalar("sa", sa, np.float32), scalar("za", za, a_t),
                         scalar("sb", sb, np.float32), scalar("zb", zb, b_t),
                         scalar("sy", sy, np.float32), scalar("zy", zy, y_t)]
                inputs, data = operands(a, a_t, b, b_t, b_const, inits)
                node = helper.make_node("QLinearMatMul",
                                        ["a", "sa", "za", "b", "sb", "zb", "sy", "zy"], ["y"],
                                        name="mm")
                model = om.model([node], inputs, [om.tensor("y", expected.shape, ELEM[y_t])], inits)
                self.check(model, data, expected, name)
                # Not every output saturates.
                lo, hi = RANGE[y_t]
                self.assertTrue(((expected > lo) & (expected < hi)).mean() > 0.3, name)

    def test_qdq_matmul(self):
        """MatMul between QDQ pairs: per-tensor activations, per-tensor or
        per-column weights, or two activations."""
        rng = np.random.default_rng(3)
        sx, sw, sy = 2.0 ** -3, 2.0 ** -4, 2.0 ** 2
        for name, a_shape, b_shape, a_t, za, b_t, zb, b_const in SHAPES:
            with self.subTest(case=name):
                aq, bq = random_ints(rng, a_shape, a_t), random_ints(rng, b_shape, b_t)
                x = ((aq.astype(np.float64) - za) * sx).astype(np.float32)
                acc = integer_product(aq, za, bq, zb)
                zy = 128
                nodes = [helper.make_node("QuantizeLinear", ["x", "sx", "zx"], ["xq"], name="xq"),
                         helper.make_node("DequantizeLinear", ["xq", "sx", "zx"], ["xd"], name="xd")]
                inits = [scalar("sx", sx, np.float32), scalar("zx", za, a_t),
                         scalar("sw", sw, np.float32), scalar("zw", zb, b_t),
                         scalar("sy", sy, np.float32), scalar("zy", zy, np.uint8)]
                inputs, data = [om.tensor("x", a_shape)], [x]
                if b_const:
                    inits.append(om.init("w", bq))
                else:
                    w = ((bq.astype(np.float64) - zb) * sw).astype(np.float32)
                    inputs.append(om.tensor("wr", b_shape))
                    data.append(w)
                    nodes.append(helper.make_node("QuantizeLinear", ["wr", "sw", "zw"], ["w"],
                                                  name="wq"))
                nodes += [helper.make_node("DequantizeLinear", ["w", "sw", "zw"], ["wd"], name="wd"),
                          helper.make_node("MatMul", ["xd", "wd"], ["m"], name="mm"),
                          helper.make_node("QuantizeLinear", ["m", "sy", "zy"], ["y"], name="yq")]
                expected = requantize(acc, sx * sw / sy, zy, np.uint8)
                model = om.model(nodes, inputs, [om.tensor("y", expected.shape, TensorProto.UINT8)],
                                 inits)
                self.check(model, data, expected, name)

    def test_qdq_matmul_per_column_weights(self):
        """Per-column weight scales of a 2-D B apply along the result's last
        dimension, whatever the batch."""
        rng = np.random.default_rng(4)
        sx, sy = 2.0 ** -3, 2.0 ** 1
        sw = np.array([2.0 ** -4, 2.0 ** -5, 2.0 ** -3, 2.0 ** -6, 2.0 ** -4, 2.0 ** -2], np.float32)
        aq = random_ints(rng, (2, 3, 4, 5), np.uint8)
        wq = random_ints(rng, (5, 6), np.int8)
        x = ((aq.astype(np.float64) - 3) * sx).astype(np.float32)
        acc = integer_product(aq, 3, wq, 0)
        expected = np.clip(np.round(acc * (sx * sw.astype(np.float64) / sy)) + 100, 0, 255)
        nodes = [helper.make_node("QuantizeLinear", ["x", "sx", "zx"], ["xq"], name="xq"),
                 helper.make_node("DequantizeLinear", ["xq", "sx", "zx"], ["xd"], name="xd"),
                 helper.make_node("DequantizeLinear", ["w", "sw", "zw"], ["wd"], axis=1, name="wd"),
                 helper.make_node("MatMul", ["xd", "wd"], ["m"], name="mm"),
                 helper.make_node("QuantizeLinear", ["m", "sy", "zy"], ["y"], name="yq")]
        inits = [scalar("sx", sx, np.float32), scalar("zx", 3, np.uint8), om.init("w", wq),
                 om.init("sw", sw), om.init("zw", np.zeros(6, np.int8)),
                 scalar("sy", sy, np.float32), scalar("zy", 100, np.uint8)]
        model = om.model(nodes, [om.tensor("x", [2, 3, 4, 5])],
                         [om.tensor("y", [2, 3, 4, 6], TensorProto.UINT8)], inits)
        self.check(model, [x], expected.astype(np.uint8), "per-column")


if __name__ == "__main__":
    unittest.main()
