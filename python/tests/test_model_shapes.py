"""Whole models in the shapes users bring: a MobileNetV2-shaped QDQ model
(inverted residuals, ReLU6, residual Add, GlobalAveragePool, Gemm), a
MobileNetV3 block (HardSwish, squeeze-and-excitation gating with
HardSigmoid and a broadcast Mul) that stays integer, and a
small model using every QOperator op onnxruntime's static quantizer writes,
with the activations made lookup tables. Both are built with the onnx helper
API, imported, run in integer form, and compared with an independent
reference: the float fake-quant evaluation, executed node by node
(tests/onnx_models.evaluate). Every integer-form output is within one output
step, and the as-is run (the real arithmetic) matches the reference."""

import unittest

import numpy as np
from onnx import TensorProto, helper

from pike import onnx_import
from tests import onnx_models as om
from tests.tools import pike_opt, run_onnx

MS = "com.microsoft"


class QdqBuilder:
    """Builds a QDQ graph and, alongside, its float values on a calibration
    batch, so that every quantizer gets a range that fits its tensor."""

    def __init__(self, rng, x):
        self.rng, self.nodes, self.inits, self.value = rng, [], [], {"x": x}
        self.count = 0

    def name(self, stem):
        self.count += 1
        return f"{stem}{self.count}"

    def qdq(self, t):
        v = self.value[t]
        lo, hi = min(float(v.min()), 0.0), max(float(v.max()), 1e-3)
        scale = np.float32((hi - lo) / 255)
        zp = np.uint8(np.clip(round(-lo / float(scale)), 0, 255))
        s, z, q, d = (self.name(k) for k in ("s", "z", "q", "d"))
        self.inits += [om.init(s, scale), om.init(z, zp)]
        self.nodes += [helper.make_node("QuantizeLinear", [t, s, z], [q], name=q),
                       helper.make_node("DequantizeLinear", [q, s, z], [d], name=d)]
        self.value[d] = om._dequantize(om._quantize(v, scale, zp), scale, zp)
        return d

    def conv(self, t, cin, cout, k, stride=1, group=1, relu6=True):
        w = self.rng.normal(0, 1.0 / np.sqrt(k * k * cin / group), (cout, cin // group, k, k))
        w_scale = (np.abs(w).reshape(cout, -1).max(axis=1) / 127).astype(np.float32)
        w_int = np.clip(np.round(w / w_scale[:, None, None, None]), -127, 127).astype(np.int8)
        wn, ws, wz, wd = (self.name(k) for k in ("w", "ws", "wz", "wd"))
        self.inits += [om.init(wn, w_int), om.init(ws, w_scale), om.init(wz, np.zeros(cout, np.int8))]
        self.nodes.append(helper.make_node("DequantizeLinear", [wn, ws, wz], [wd], axis=0, name=wd))
        weights = om._dequantize(w_int, w_scale, np.zeros(cout, np.int8), axis=0)
        bias = self.rng.normal(0, 0.1, cout).astype(np.float32)
        bn = self.name("b")
        self.inits.append(om.init(bn, bias))
        y = self.name("conv")
        pad = k // 2
        self.nodes.append(helper.make_node("Conv", [t, wd, bn], [y], kernel_shape=[k, k],
                                           strides=[stride, stride], pads=[pad] * 4, group=group,
                                           name=y))
        self.value[y] = om.conv2d(self.value[t], weights, (pad,) * 4, (stride, stride),
                                  group) + bias.reshape(1, -1, 1, 1)
        if relu6:
            lo, hi, r = self.name("lo"), self.name("hi"), self.name("relu6")
            self.inits += [om.init(lo, np.float32(0)), om.init(hi, np.float32(6))]
            self.nodes.append(helper.make_node("Clip", [y, lo, hi], [r], name=r))
            self.value[r] = np.clip(self.value[y], 0, 6)
            y = r
        return self.qdq(y)

    def add(self, a, b, op="Add"):
        y = self.name(op.lower())
        self.nodes.append(helper.make_node(op, [a, b], [y], name=y))
        self.value[y] = self.value[a] + self.value[b] if op == "Add" else self.value[a] * self.value[b]
        return self.qdq(y)

    def unary(self, t, op, **attrs):
        y = self.name(op.lower())
        self.nodes.append(helper.make_node(op, [t], [y], name=y, **attrs))
        if op == "GlobalAveragePool":
            self.value[y] = self.value[t].mean(axis=(2, 3), keepdims=True)
        else:
            self.value[y] = om._activation(op, self.value[t], attrs)
        return self.qdq(y)


def mobilenet_v2_qdq(seed=0):
    """Stem, two inverted residual blocks (the first with its residual Add,
    the second strided), global average pooling and a fully-connected head."""
    rng = np.random.default_rng(seed)
    calibration = rng.uniform(-1, 1, (8, 3, 16, 16))
    b = QdqBuilder(rng, calibration)
    x = b.qdq("x")
    x = b.conv(x, 3, 8, 3, stride=2)                      # stem: 8 x 8 x 8
    h = b.conv(x, 8, 24, 1)                                # expand
    h = b.conv(h, 24, 24, 3, group=24)                     # depthwise
    h = b.conv(h, 24, 8, 1, relu6=False)                   # project (linear)
    x = b.add(x, h)                                        # residual
    h = b.conv(x, 8, 32, 1)
    h = b.conv(h, 32, 32, 3, stride=2, group=32)           # 4 x 4
    x = b.conv(h, 32, 16, 1, relu6=False)
    g = b.name("gap")
    b.nodes.append(helper.make_node("GlobalAveragePool", [x], [g], name=g))
    b.value[g] = b.value[x].mean(axis=(2, 3), keepdims=True)
    g = b.qdq(g)
    f = b.name("flat")
    b.nodes.append(helper.make_node("Flatten", [g], [f], name=f))
    b.value[f] = b.value[g].reshape(b.value[g].shape[0], -1)
    w = rng.normal(0, 0.25, (10, 16))
    w_scale = np.float32(np.abs(w).max() / 127)
    b.inits += [om.init("fc_w", np.clip(np.round(w / w_scale), -127, 127).astype(np.int8)),
                om.init("fc_ws", w_scale), om.init("fc_wz", np.int8(0)),
                om.init("fc_b", rng.normal(0, 0.1, 10).astype(np.float32))]
    b.nodes += [helper.make_node("DequantizeLinear", ["fc_w", "fc_ws", "fc_wz"], ["fc_wd"],
                                 name="fc_wd"),
                helper.make_node("Gemm", [f, "fc_wd", "fc_b"], ["logits"], transB=1, name="fc")]
    weights = om._dequantize(np.clip(np.round(w / w_scale), -127, 127), w_scale, 0)
    b.value["logits"] = b.value[f] @ weights.T
    y = b.qdq("logits")
    b.nodes.append(helper.make_node("Identity", [y], ["y"], name="out"))
    m = om.model(b.nodes, [om.tensor("x", [1, 3, 16, 16])], [om.tensor("y", [1, 10])], b.inits)
    from onnx import numpy_helper
    out_scale = float(numpy_helper.to_array(b.inits[-2]))
    return m, out_scale


def mobilenet_v3_block():
    """A MobileNetV3 block: expand, depthwise, squeeze-and-excitation (global
    pooling, two 1x1 convolutions, HardSigmoid, a broadcast Mul gating the
    features), HardSwish, project, residual."""
    rng = np.random.default_rng(5)
    b = QdqBuilder(rng, rng.uniform(-1, 1, (8, 8, 8, 8)))
    x = b.qdq("x")
    h = b.unary(b.conv(x, 8, 16, 1, relu6=False), "HardSwish")
    h = b.conv(h, 16, 16, 3, group=16, relu6=False)
    s = b.unary(h, "GlobalAveragePool")
    s = b.conv(s, 16, 4, 1)
    s = b.unary(b.conv(s, 4, 16, 1, relu6=False), "HardSigmoid", alpha=1 / 6, beta=0.5)
    h = b.unary(b.add(h, s, "Mul"), "HardSwish")
    h = b.conv(h, 16, 8, 1, relu6=False)
    y = b.add(x, h)
    b.nodes.append(helper.make_node("Identity", [y], ["y"], name="out"))
    m = om.model(b.nodes, [om.tensor("x", [1, 8, 8, 8])], [om.tensor("y", [1, 8, 8, 8])], b.inits,
                 opset=14)
    from onnx import numpy_helper
    return m, float(numpy_helper.to_array(b.inits[-2]))


def qoperator_all_ops():
    """QLinearConv, QLinearAdd, QLinearMul (a gate), QLinearSigmoid,
    QLinearLeakyRelu, QLinearConcat, QLinearAveragePool,
    QLinearGlobalAveragePool and QGemm, as onnxruntime's quantizer writes them."""
    rng = np.random.default_rng(3)
    w = rng.integers(-100, 100, (8, 4, 3, 3)).astype(np.int8)
    c = dict(sx=0.02, zx=128, sw=0.003, zw=0, sc=0.03, zc=100, ss=1 / 256, zs=0, sm=0.02, zm=90,
             sa=0.03, za=110, sl=0.025, zl=80, scat=0.035, zcat=100, sp=0.03, zp=100,
             sg=0.02, zg=100, sy=0.05, zy=128)
    inits = [om.init(k, np.float32(v)) if k.startswith("s") else
             om.init(k, np.int8(v) if k == "zw" else np.uint8(v)) for k, v in c.items()]
    inits += [om.init("w", w), om.init("cb", rng.integers(-2000, 2000, 8).astype(np.int32)),
              om.init("fw", rng.integers(-100, 100, (6, 16)).astype(np.int8)),
              om.init("fb", rng.integers(-500, 500, 6).astype(np.int32))]
    n = helper.make_node
    nodes = [
        n("QuantizeLinear", ["x", "sx", "zx"], ["xq"], name="xq"),
        n("QLinearConv", ["xq", "sx", "zx", "w", "sw", "zw", "sc", "zc", "cb"], ["c"],
          kernel_shape=[3, 3], pads=[1, 1, 1, 1], name="conv"),
        n("QLinearSigmoid", ["c", "sc", "zc", "ss", "zs"], ["s"], domain=MS, name="sigmoid"),
        n("QLinearMul", ["c", "sc", "zc", "s", "ss", "zs", "sm", "zm"], ["m"], domain=MS,
          name="gate"),
        n("QLinearAdd", ["m", "sm", "zm", "c", "sc", "zc", "sa", "za"], ["a"], domain=MS,
          name="add"),
        n("QLinearLeakyRelu", ["a", "sa", "za", "sl", "zl"], ["l"], domain=MS, alpha=0.1,
          name="leaky"),
        n("QLinearConcat", ["scat", "zcat", "l", "sl", "zl", "a", "sa", "za"], ["cat"],
          domain=MS, axis=1, name="concat"),
        n("QLinearAveragePool", ["cat", "scat", "zcat", "sp", "zp"], ["p"], domain=MS,
          kernel_shape=[2, 2], strides=[2, 2], name="pool"),
        n("QLinearGlobalAveragePool", ["p", "sp", "zp", "sg", "zg"], ["g"], domain=MS,
          channels_last=0, name="gap"),
        n("Flatten", ["g"], ["f"], name="flatten"),
        n("QGemm", ["f", "sg", "zg", "fw", "sw", "zw", "fb", "sy", "zy"], ["y"], domain=MS,
          transB=1, name="qgemm"),
    ]
    m = om.model(nodes, [om.tensor("x", [1, 4, 8, 8])], [om.tensor("y", [1, 6], TensorProto.UINT8)],
                 inits, extra_opsets=[MS])
    return m


class ModelShapesTest(unittest.TestCase):
    def compare(self, m, inputs, step, integer_ops):
        text = pike_opt(onnx_import.import_model(m), "--pike-quantize-pipeline")
        for op in integer_ops:
            self.assertTrue(op in text, f"{op} missing from the integer form")
        exact = total = 0
        for x in inputs:
            (got,) = run_onnx(m, [x], ["--pike-quantize-pipeline"])
            (expected,) = om.evaluate(m, {"x": x})
            steps = np.abs(got.astype(np.float64) - expected.astype(np.float64)) / step
            self.assertLessEqual(float(steps.max()), 1.0 + 1e-6)
            exact += int(np.sum(steps < 1e-3))  # float32 output vs float64
            total += steps.size
        return exact / total

    def as_is_is_exact(self, m, inputs, step):
        """The as-is run (the model's real arithmetic, `pike run --as-is`)
        reproduces the reference on every output."""
        for x in inputs:
            (got,) = run_onnx(m, [x])
            (expected,) = om.evaluate(m, {"x": x})
            steps = np.abs(got.astype(np.float64) - expected.astype(np.float64)) / step
            self.assertLess(float(steps.max()), 1e-3)

    def test_mobilenet_v2_qdq(self):
        m, out_scale = mobilenet_v2_qdq()
        rng = np.random.default_rng(11)
        inputs = [rng.uniform(-1, 1, (1, 3, 16, 16)).astype(np.float32) for _ in range(8)]
        exact = self.compare(m, inputs, out_scale,
                             ["pike.quant_norm", "pike.add", "pike.requantize", "pike.fully_connected"])
        self.assertGreater(exact, 0.9)
        self.as_is_is_exact(m, inputs[:3], out_scale)

    def test_mobilenet_v3_block_stays_integer(self):
        m, out_scale = mobilenet_v3_block()
        rng = np.random.default_rng(13)
        inputs = [rng.uniform(-1, 1, (1, 8, 8, 8)).astype(np.float32) for _ in range(4)]
        exact = self.compare(m, inputs, out_scale, ["pike.table", "pike.mul", "pike.add"])
        self.assertGreater(exact, 0.9)
        self.as_is_is_exact(m, inputs[:2], out_scale)

    def test_every_qoperator_op(self):
        m = qoperator_all_ops()
        rng = np.random.default_rng(12)
        inputs = [rng.uniform(-1, 1.5, (1, 4, 8, 8)).astype(np.float32) for _ in range(8)]
        exact = self.compare(m, inputs, 1.0, ["pike.table", "pike.mul", "pike.add"])
        self.assertGreater(exact, 0.9)
        self.as_is_is_exact(m, inputs[:3], 1.0)


if __name__ == "__main__":
    unittest.main()
