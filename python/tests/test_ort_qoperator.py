"""ONNX Runtime's QOperator ops (domain com.microsoft, as its static quantizer
writes them): QLinearAdd (broadcasting), QLinearGlobalAveragePool (both
channels_last settings), QLinearAveragePool, QLinearConcat and QGemm import,
run in integer form, and stay within one output step of a NumPy reference
written from onnxruntime's contrib-op documentation (dequantize, the float
op, quantize with ties to even); DynamicQuantizeLinear is refused with its
reason."""

import unittest

import numpy as np
from onnx import TensorProto, helper

from pike import onnx_import
from tests import onnx_models as om
from tests.tools import pike_opt, run_onnx

MS = "com.microsoft"


def quantize(x, scale, zp, lo=0, hi=255):
    return np.clip(np.round(x / scale) + zp, lo, hi)


def dequantize(q, scale, zp):
    return (q.astype(np.float64) - zp) * scale


def model_pools_add_concat():
    c = {"sx": 0.02, "zx": 100, "sg": 0.015, "zg": 90, "sa": 0.03, "za": 10, "sp": 0.025,
         "zp": 20, "sc": 0.04, "zc": 5, "sl": 0.01, "zl": 128}
    inits = [om.init(k, np.float32(v)) if k.startswith("s") else om.init(k, np.uint8(v))
             for k, v in c.items()]
    nodes = [helper.make_node("QuantizeLinear", ["x", "sx", "zx"], ["xq"], name="xq"),
             helper.make_node("QLinearGlobalAveragePool", ["xq", "sx", "zx", "sg", "zg"], ["g"],
                              domain=MS, channels_last=0, name="gap"),
             helper.make_node("QLinearAdd", ["xq", "sx", "zx", "g", "sg", "zg", "sa", "za"],
                              ["a"], domain=MS, name="add"),
             helper.make_node("QLinearAveragePool", ["a", "sa", "za", "sp", "zp"], ["p"],
                              domain=MS, kernel_shape=[2, 2], strides=[2, 2], name="pool"),
             helper.make_node("QLinearConcat", ["sc", "zc", "p", "sp", "zp", "p", "sp", "zp"],
                              ["cat"], domain=MS, axis=1, name="concat"),
             helper.make_node("QLinearGlobalAveragePool", ["xq", "sx", "zx", "sl", "zl"],
                              ["last"], domain=MS, channels_last=1, name="gap_nhwc")]
    m = om.model(nodes, [om.tensor("x", [1, 4, 4, 4])],
                 [om.tensor("cat", [1, 8, 2, 2], TensorProto.UINT8),
                  om.tensor("last", [1, 1, 1, 4], TensorProto.UINT8)], inits,
                 extra_opsets=[MS])

    def reference(x):
        xq = quantize(x, c["sx"], c["zx"])
        xd = dequantize(xq, c["sx"], c["zx"])
        g = quantize(xd.mean(axis=(2, 3), keepdims=True), c["sg"], c["zg"])
        a = quantize(xd + dequantize(g, c["sg"], c["zg"]), c["sa"], c["za"])
        p = quantize(om._avg_pool(dequantize(a, c["sa"], c["za"]), (2, 2), (2, 2)), c["sp"], c["zp"])
        pd = dequantize(p, c["sp"], c["zp"])
        cat = quantize(np.concatenate([pd, pd], axis=1), c["sc"], c["zc"])
        last = quantize(xd.mean(axis=(1, 2), keepdims=True), c["sl"], c["zl"])
        return cat, last

    return m, reference


def model_qgemm():
    rng = np.random.default_rng(1)
    w = rng.integers(-60, 60, size=(10, 8)).astype(np.int8)
    bias = rng.integers(-500, 500, size=10).astype(np.int32)
    sx, zx, sw, sy, zy, alpha = 0.05, 120, 0.004, 0.02, 128, 0.5
    inits = [om.init("sx", np.float32(sx)), om.init("zx", np.uint8(zx)), om.init("w", w),
             om.init("sw", np.float32(sw)), om.init("zw", np.int8(0)), om.init("bias", bias),
             om.init("sy", np.float32(sy)), om.init("zy", np.uint8(zy))]
    nodes = [helper.make_node("QuantizeLinear", ["x", "sx", "zx"], ["xq"], name="xq"),
             helper.make_node("QGemm", ["xq", "sx", "zx", "w", "sw", "zw", "bias", "sy", "zy"],
                              ["y"], domain=MS, transB=1, alpha=alpha, name="qgemm")]
    m = om.model(nodes, [om.tensor("x", [1, 8])], [om.tensor("y", [1, 10], TensorProto.UINT8)],
                 inits, extra_opsets=[MS])

    def reference(x):
        xd = dequantize(quantize(x, sx, zx), sx, zx)
        y = alpha * xd @ (w.astype(np.float64) * sw).T + bias * (sx * sw * alpha)
        return (quantize(y, sy, zy),)

    return m, reference


class QOperatorTest(unittest.TestCase):
    def check(self, m, reference, shape, trials=4):
        integer = pike_opt(onnx_import.import_model(m), "--pike-quantize-pipeline")
        self.assertNotIn("com.microsoft", integer)
        rng = np.random.default_rng(7)
        exact = total = 0
        for _ in range(trials):
            x = rng.uniform(-1, 2, size=shape).astype(np.float32)
            got = run_onnx(m, [x], ["--pike-quantize-pipeline"])
            for g, e in zip(got, reference(x)):
                self.assertEqual(g.dtype, np.uint8)
                diff = np.abs(g.astype(np.int64) - e.astype(np.int64))
                self.assertLessEqual(int(diff.max()), 1)
                exact += int(np.sum(diff == 0))
                total += diff.size
        self.assertGreater(exact / total, 0.95)

    def test_pools_add_concat(self):
        self.check(*model_pools_add_concat(), (1, 4, 4, 4))

    def test_qgemm(self):
        self.check(*model_qgemm(), (1, 8))

    def test_dynamic_quantize_is_refused(self):
        m = om.model([helper.make_node("DynamicQuantizeLinear", ["x"], ["y", "ys", "yz"],
                                       domain=MS, name="dq")],
                      [om.tensor("x", [1, 8])], [om.tensor("y", [1, 8], TensorProto.UINT8)], [],
                      extra_opsets=[MS])
        with self.assertRaises(onnx_import.OnnxImportError) as ctx:
            onnx_import.import_model(m)
        self.assertIn("node 'dq' (DynamicQuantizeLinear): the scale and zero point are computed "
                      "from the data at run time", str(ctx.exception))


if __name__ == "__main__":
    unittest.main()
