"""INT4 in ONNX itself, judged by onnxruntime 1.32's CPU provider.

INT4/UINT4 tensors (packed two per byte, ONNX's IR) and QuantizeLinear /
DequantizeLinear at opset 21: per tensor, per axis and blocked (`block_size`),
run in onnxruntime and in Pike, as imported and in integer form
(--pike-quantize-pipeline), and required to give the same bits. onnxruntime's
Python API cannot return INT4 arrays, so a quantize is read through a
DequantizeLinear with the same quantizer: equal float32 bits there are equal
integers. Pike supports blocked quantization on constant initializers
(computed at import, as weight-only int4 quantizers write their weights);
a blocked activation is refused, which is checked too.

A model in the pattern of weight-only int4 quantizers, int4 weights with
per-block scales dequantized into a MatMul and a Conv (between 8-bit QDQ
activations), must give the same bits when the block scales of an output
channel are a power of two apart: Pike then holds the weights exactly on one
8-bit grid per channel.

Malformed 4-bit data (raw_data shorter or longer than the element count
needs) is an error naming the tensor, with exit status 2 from `pike import`.
"""

import os
import subprocess
import sys
import tempfile
import unittest

import numpy as np
from onnx import TensorProto, helper, numpy_helper

from tests.arbiter import ort

from pike import onnx_import

from tests.tools import run_onnx

MODES = ([], ["--pike-quantize-pipeline"])
RANGE = {TensorProto.INT4: (-8, 7), TensorProto.UINT4: (0, 15)}


def model_of(nodes, inputs, outputs, inits, opset=21):
    graph = helper.make_graph(nodes, "g", inputs, outputs, inits)
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)])


def ort_run(model, feeds):
    session = ort.InferenceSession(model.SerializeToString(),
                                   providers=["CPUExecutionProvider"])
    return session.run(None, feeds)


def float_info(name, shape):
    return helper.make_tensor_value_info(name, TensorProto.FLOAT, list(shape))


def same_bits(test, model, feeds, label):
    """Pike's outputs, as imported and in integer form, equal onnxruntime's
    float32 outputs bit for bit."""
    want = ort_run(model, feeds)
    for passes in MODES:
        got = run_onnx(model, list(feeds.values()), passes)
        for g, w in zip(got, want):
            g = np.asarray(g, dtype=np.float32)
            differ = int((g.view(np.uint32) != w.view(np.uint32)).sum())
            test.assertEqual(differ, 0, f"{label} {passes}: {differ} of {w.size} differ; "
                                        f"largest {np.abs(g - w).max()}")
    return want[0] if len(want) == 1 else want


def ties_and_extremes(rng, scale, shape):
    """Values k/2 steps apart (exact ties), some far out (saturation)."""
    halves = rng.integers(-40, 41, shape).astype(np.float32) * 0.5
    x = (halves * np.float32(scale)).astype(np.float32)
    x.flat[:: 7] = rng.choice(np.float32([1e6, -1e6, 3e38, -3e38]), x.flat[:: 7].shape)
    return x


class Int4QdqTest(unittest.TestCase):
    def setUp(self):
        self.rng = np.random.default_rng(4)

    def test_quantize_dequantize_per_tensor_and_axis(self):
        shape = (2, 3, 5)
        for elem, (lo, hi) in RANGE.items():
            for zp in (lo, hi, (lo + hi) // 2, 0 if lo < 0 else 3):
                with self.subTest(elem=elem, zp=zp, per="tensor"):
                    x = ties_and_extremes(self.rng, 0.25, shape)
                    inits = [helper.make_tensor("s", TensorProto.FLOAT, [], [0.25]),
                             helper.make_tensor("z", elem, [], [zp])]
                    nodes = [helper.make_node("QuantizeLinear", ["x", "s", "z"], ["q"]),
                             helper.make_node("DequantizeLinear", ["q", "s", "z"], ["y"])]
                    model = model_of(nodes, [float_info("x", shape)], [float_info("y", shape)],
                                     inits)
                    y = same_bits(self, model, {"x": x}, f"{elem} zp {zp}")
                    # Both ends of the range are reached.
                    self.assertEqual({y.min(), y.max()}, {(lo - zp) * 0.25, (hi - zp) * 0.25})
            with self.subTest(elem=elem, per="axis"):
                x = ties_and_extremes(self.rng, 0.5, shape)
                scales = [0.5, 0.125, 2.0]
                zps = [lo, hi, (lo + hi) // 2]
                inits = [helper.make_tensor("s", TensorProto.FLOAT, [3], scales),
                         helper.make_tensor("z", elem, [3], zps)]
                nodes = [helper.make_node("QuantizeLinear", ["x", "s", "z"], ["q"], axis=1),
                         helper.make_node("DequantizeLinear", ["q", "s", "z"], ["y"], axis=1)]
                model = model_of(nodes, [float_info("x", shape)], [float_info("y", shape)],
                                 inits)
                same_bits(self, model, {"x": x}, f"{elem} per axis")

    def test_output_dtype_without_zero_point(self):
        # opset 21: the quantized type from `output_dtype` when there is no zero point.
        x = ties_and_extremes(self.rng, 0.5, (4, 6))
        inits = [helper.make_tensor("s", TensorProto.FLOAT, [], [0.5])]
        nodes = [helper.make_node("QuantizeLinear", ["x", "s"], ["q"],
                                  output_dtype=TensorProto.INT4),
                 helper.make_node("DequantizeLinear", ["q", "s"], ["y"])]
        model = model_of(nodes, [float_info("x", x.shape)], [float_info("y", x.shape)], inits)
        y = same_bits(self, model, {"x": x}, "output_dtype INT4")
        self.assertEqual((y.min(), y.max()), (-4.0, 3.5))

    def test_dequantize_initializers(self):
        """int4 and uint4 weights (odd element counts: a padded last byte),
        per tensor, per axis and blocked on either axis, block sizes that do
        and do not divide the axis."""
        shape = (6, 5)
        cases = [(None, None), (0, None), (1, None), (0, 2), (0, 4), (1, 2), (1, 5), (1, 3)]
        for elem, (lo, hi) in RANGE.items():
            q = self.rng.integers(lo, hi + 1, shape)
            q.flat[:2] = (lo, hi)
            for axis, block in cases:
                with self.subTest(elem=elem, axis=axis, block=block):
                    if axis is None:
                        sshape = []
                    elif block is None:
                        sshape = [shape[axis]]
                    else:
                        sshape = list(shape)
                        sshape[axis] = -(-shape[axis] // block)
                    count = int(np.prod(sshape))
                    scales = self.rng.choice([0.5, 0.25, 0.1, 3.0], count).astype(np.float32)
                    zps = self.rng.integers(lo, hi + 1, count)
                    inits = [helper.make_tensor("w", elem, list(shape), q.flatten().tolist()),
                             helper.make_tensor("s", TensorProto.FLOAT, sshape, scales.tolist()),
                             helper.make_tensor("z", elem, sshape, zps.tolist())]
                    attrs = {} if axis is None else {"axis": axis}
                    if block:
                        attrs["block_size"] = block
                    nodes = [helper.make_node("DequantizeLinear", ["w", "s", "z"], ["y"], **attrs)]
                    model = model_of(nodes, [], [float_info("y", shape)], inits)
                    same_bits(self, model, {}, f"{elem} axis {axis} block {block}")

    def test_blocked_quantize_of_constant(self):
        shape = (4, 6)
        for elem, (lo, hi) in RANGE.items():
            with self.subTest(elem=elem):
                x = ties_and_extremes(self.rng, 0.25, shape)
                scales = np.float32([0.25, 0.5, 0.125, 1.0, 0.25, 0.5, 2.0, 0.25]).reshape(4, 2)
                zps = self.rng.integers(lo, hi + 1, (4, 2))
                inits = [numpy_helper.from_array(x, "x"),
                         helper.make_tensor("s", TensorProto.FLOAT, [4, 2], scales.flatten()),
                         helper.make_tensor("z", elem, [4, 2], zps.flatten().tolist())]
                nodes = [helper.make_node("QuantizeLinear", ["x", "s", "z"], ["q"], axis=1,
                                          block_size=3),
                         helper.make_node("DequantizeLinear", ["q", "s", "z"], ["y"], axis=1,
                                          block_size=3)]
                model = model_of(nodes, [], [float_info("y", shape)], inits)
                same_bits(self, model, {}, f"{elem} blocked quantize")


def weight_only_model(kind, rng, block, scale_choices):
    """x -> QDQ uint8 -> MatMul/Conv with DequantizeLinear(int4 blocked
    weights along the reduction axis) -> QDQ uint8."""
    if kind == "MatMul":
        xshape, wshape, axis, yshape = (4, 16), (16, 8), 0, (4, 8)
    else:
        xshape, wshape, axis, yshape = (1, 8, 5, 5), (6, 8, 3, 3), 1, (1, 6, 3, 3)
    sshape = list(wshape)
    sshape[axis] //= block
    w = rng.integers(-8, 8, wshape)
    scales = rng.choice(scale_choices, sshape).astype(np.float32)
    inits = [helper.make_tensor("w", TensorProto.INT4, list(wshape), w.flatten().tolist()),
             helper.make_tensor("ws", TensorProto.FLOAT, sshape, scales.flatten()),
             helper.make_tensor("xs", TensorProto.FLOAT, [], [1 / 16]),
             helper.make_tensor("xz", TensorProto.UINT8, [], [128]),
             helper.make_tensor("ys", TensorProto.FLOAT, [], [0.25]),
             helper.make_tensor("yz", TensorProto.UINT8, [], [120])]
    nodes = [helper.make_node("QuantizeLinear", ["x", "xs", "xz"], ["xq"]),
             helper.make_node("DequantizeLinear", ["xq", "xs", "xz"], ["xd"]),
             helper.make_node("DequantizeLinear", ["w", "ws"], ["wd"], axis=axis,
                              block_size=block),
             helper.make_node(kind, ["xd", "wd"], ["m"]),
             helper.make_node("QuantizeLinear", ["m", "ys", "yz"], ["yq"]),
             helper.make_node("DequantizeLinear", ["yq", "ys", "yz"], ["y"])]
    model = model_of(nodes, [float_info("x", xshape)], [float_info("y", yshape)], inits)
    x = (rng.standard_normal(xshape) * 3).astype(np.float32)
    return model, x


class WeightOnlyInt4Test(unittest.TestCase):
    def test_blocked_int4_weights(self):
        rng = np.random.default_rng(21)
        for kind in ("MatMul", "Conv"):
            with self.subTest(kind=kind):
                model, x = weight_only_model(kind, rng, 4, [0.125, 0.0625, 0.25])
                y = same_bits(self, model, {"x": x}, kind)
                self.assertGreater(len(np.unique(y)), 10)


class MalformedInt4Test(unittest.TestCase):
    def model_with(self, tensor):
        nodes = [helper.make_node("DequantizeLinear", ["w", "s"], ["y"])]
        inits = [tensor, helper.make_tensor("s", TensorProto.FLOAT, [], [0.5])]
        return model_of(nodes, [], [float_info("y", tensor.dims)], inits)

    def test_byte_counts_are_checked(self):
        for raw in (b"\x12", b"\x12\x34\x56"):   # 3 elements need 2 bytes
            with self.subTest(size=len(raw)):
                tensor = helper.make_tensor("weights", TensorProto.INT4, [3], [0, 0, 0])
                tensor.ClearField("int32_data")
                tensor.raw_data = raw
                model = self.model_with(tensor)
                with self.assertRaisesRegex(ValueError, r"initializer 'weights': raw_data has "
                                            rf"{len(raw)} bytes, but 3 packed 4-bit elements "
                                            r"need 2"):
                    onnx_import.import_model(model, "bad.onnx")
                with tempfile.TemporaryDirectory() as tmp:
                    path = os.path.join(tmp, "bad.onnx")
                    with open(path, "wb") as f:
                        f.write(model.SerializeToString())
                    result = subprocess.run([sys.executable, "-m", "pike", "import", path, "-o",
                                             os.path.join(tmp, "out.mlir")],
                                            capture_output=True, text=True)
                self.assertEqual(result.returncode, 2, result.stderr)
                self.assertIn("'weights'", result.stderr)

    def test_blocked_activation_is_refused(self):
        inits = [helper.make_tensor("s", TensorProto.FLOAT, [2, 2], [0.5] * 4),
                 helper.make_tensor("z", TensorProto.INT4, [2, 2], [0] * 4)]
        nodes = [helper.make_node("QuantizeLinear", ["x", "s", "z"], ["y"], name="qblock",
                                  axis=1, block_size=2)]
        model = model_of(nodes, [float_info("x", (2, 4))],
                         [helper.make_tensor_value_info("y", TensorProto.INT4, [2, 4])], inits)
        with self.assertRaisesRegex(Exception, r"node 'qblock' \(QuantizeLinear\): blocked "
                                               r"quantization \(block_size 2\) is supported on "
                                               r"constant initializers only"):
            run_onnx(model, [np.zeros((2, 4), np.float32)])


if __name__ == "__main__":
    unittest.main()
