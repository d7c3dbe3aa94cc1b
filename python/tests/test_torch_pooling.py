"""Pooling as torchvision's quantized models write it, exported by
torch.onnx.export (opset 13) from PyTorch's eager post-training quantization
(onednn engine): max pooling with ceil_mode (googlenet), average pooling
with zero padding that counts (inception_v3: a Pad before an unpadded
AveragePool) or does not (AveragePool pads), with ceil_mode, and x.mean([2, 3])
(ReduceMean, mnasnet under FX). The pooling is fed PyTorch's own convolution
output and Pike's output integers are compared with PyTorch's int8 model's
(int_repr): equal for max pooling, where the arithmetic is exact. Averages
round half to even in both (the importer marks them `rounding = half_even`);
they are within one step and at least 99 % identical (with ties rounded up
instead, 5-15 % of them differ).

Pure ONNX models check the ceil_mode and count_include_pad edge cases
against a direct NumPy reading of the ONNX operator definitions."""

import os
import tempfile
import unittest
import warnings

import numpy as np
import onnx
import torch
import torch.nn.functional as F
import torch.ao.quantization as tq
from onnx import TensorProto, helper, numpy_helper
from torch import nn

from pike import onnx_import
from tests.test_torch_exports import ENGINE, eager_ptq
from tests.tools import run_onnx


class PoolNet(nn.Module):
    """quant -> conv -> `pool` -> dequant; `pool` acts on the quantized tensor."""

    def __init__(self, pool):
        super().__init__()
        self.pool = pool
        self.quant, self.dequant = tq.QuantStub(), tq.DeQuantStub()
        self.conv = nn.Conv2d(3, 4, 3, padding=1)

    def forward(self, x):
        return self.dequant(self.pool(self.conv(self.quant(x))))


def quantized(pool):
    torch.manual_seed(0)
    torch.backends.quantized.engine = ENGINE
    return eager_ptq(PoolNet(pool).eval(), (4, 3, 12, 12))


def export(model):
    import onnx
    with tempfile.TemporaryDirectory() as tmp, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        path = os.path.join(tmp, "model.onnx")
        torch.onnx.export(model, torch.zeros(1, 3, 12, 12), path, opset_version=13)
        return onnx.load(path)


def torch_integers(net, x):
    """The int8 tensor PyTorch's converted model dequantizes last, and its
    quantizer."""
    seen = {}
    hook = net.dequant.register_forward_hook(lambda m, inputs, out: seen.update(q=inputs[0]))
    with torch.no_grad():
        net(torch.from_numpy(x))
    hook.remove()
    q = seen["q"]
    return q.int_repr().numpy().astype(np.int64), q.q_scale(), q.q_zero_point()


def conv_output(net, x):
    """PyTorch's int8 convolution output, the pooling's input, dequantized."""
    seen = {}
    hook = net.pool.register_forward_hook(lambda m, inputs, out: seen.update(q=inputs[0]))
    with torch.no_grad():
        net(torch.from_numpy(x))
    hook.remove()
    return seen["q"].dequantize().numpy()


def from_convolution_output(model):
    """The exported model from its convolution's output on, fed by a graph
    input: the pooling is compared on its own, integers in and out. PyTorch's
    convolution (onednn's kernel) differs from the ONNX graph's reading by a
    step on a rare element on some CPUs, which would move the pooled values
    built on it."""
    m = onnx.ModelProto()
    m.CopyFrom(model)
    conv = next(n for n in m.graph.node if n.op_type == "Conv")
    needed, kept = {o.name for o in m.graph.output}, []
    for node in reversed([n for n in m.graph.node if n is not conv]):
        if needed & set(node.output):
            kept.append(node)
            needed |= set(node.input)
    del m.graph.node[:]
    m.graph.node.extend(reversed(kept))
    del m.graph.input[:]
    m.graph.input.append(helper.make_tensor_value_info(conv.output[0], TensorProto.FLOAT,
                                                       [1, 4, 12, 12]))
    return m


class TorchPoolingTest(unittest.TestCase):
    def check(self, pool, op_types, exact, shape):
        net = quantized(pool)
        model = export(net)
        written = [n.op_type for n in model.graph.node]
        for op in op_types:
            self.assertIn(op, written)  # as PyTorch wrote it
        pooling = from_convolution_output(model)
        rng = np.random.default_rng(1)
        for _ in range(3):
            x = rng.normal(size=(1, 3, 12, 12)).astype(np.float32)
            expected, scale, zp = torch_integers(net, x)
            self.assertEqual(expected.shape, shape)
            (got,) = run_onnx(pooling, [conv_output(net, x)], ["--pike-quantize-pipeline"])
            ints = np.round(got / scale).astype(np.int64) + zp
            self.assertEqual(ints.shape, expected.shape)
            if exact:
                np.testing.assert_array_equal(ints, expected)
            else:
                self.assertLessEqual(np.abs(ints - expected).max(), 1)
                self.assertGreaterEqual(np.mean(ints == expected), 0.99)
        return model

    def test_max_pool_ceil_mode(self):
        # 12 -> ceil(9 / 2) + 1 = 6 (floor: 5); 6 padded by 1 -> ceil(5 / 2) + 1 = 4 (floor: 3).
        pool = nn.Sequential(nn.MaxPool2d(3, 2, ceil_mode=True),
                             nn.MaxPool2d(3, 2, padding=1, ceil_mode=True))
        self.check(pool, ["MaxPool"], exact=True, shape=(1, 4, 4, 4))

    def test_avg_pool_ties(self):
        # 2x2 windows: a quarter of the sums are ties, rounded to even as PyTorch does.
        self.check(nn.AvgPool2d(2, 2), ["AveragePool"], exact=False, shape=(1, 4, 6, 6))

    def test_avg_pool_counting_padding(self):
        model = self.check(nn.AvgPool2d(3, 1, 1), ["Pad", "AveragePool"], exact=False,
                           shape=(1, 4, 12, 12))
        text = onnx_import.import_model(model)
        self.assertIn("count_include_pad", text)
        self.assertIn("rounding = #pike<average_rounding half_even>", text)
        self.assertNotIn("tensor.pad", text)

    def test_avg_pool_excluding_padding(self):
        model = self.check(nn.AvgPool2d(3, 1, 1, count_include_pad=False), ["AveragePool"],
                           exact=False, shape=(1, 4, 12, 12))
        self.assertNotIn("Pad", [n.op_type for n in model.graph.node])

    def test_avg_pool_ceil_mode_counting_padding(self):
        # 12 padded by 1 -> ceil(11 / 2) + 1 = 7 windows; the last runs one
        # position past the padding, which never counts.
        self.check(nn.AvgPool2d(3, 2, 1, ceil_mode=True), ["Pad", "AveragePool"], exact=False,
                   shape=(1, 4, 7, 7))

    def test_mean_keepdim(self):
        class Mean(nn.Module):
            def __init__(self, keepdim):
                super().__init__()
                self.keepdim = keepdim

            def forward(self, x):
                return x.mean([2, 3], keepdim=self.keepdim)

        self.check(Mean(True), ["ReduceMean"], exact=False, shape=(1, 4, 1, 1))
        self.check(Mean(False), ["ReduceMean"], exact=False, shape=(1, 4))


def pool_reference(x, op, kernel, strides, pads, ceil_mode, count_include_pad):
    """ONNX MaxPool / AveragePool over NCHW `x`, window by window: the
    output size floor or ceil of (padded - kernel) / stride + 1, less a last
    window that would start in the end padding; an average divides by the
    window's positions inside the input, or with count_include_pad inside
    the padded input (never the positions past it)."""
    n, c, h, w = x.shape
    top, left, bottom, right = pads
    sizes = []
    for size, k, s, before, after in ((h, kernel[0], strides[0], top, bottom),
                                      (w, kernel[1], strides[1], left, right)):
        span = size + before + after - k
        out = (-(-span // s) if ceil_mode else span // s) + 1
        if ceil_mode and (out - 1) * s >= size + before:
            out -= 1
        sizes.append(out)
    y = np.zeros((n, c, sizes[0], sizes[1]), np.float64)
    for i in range(sizes[0]):
        for j in range(sizes[1]):
            r0, c0 = i * strides[0] - top, j * strides[1] - left
            r1, c1 = r0 + kernel[0], c0 + kernel[1]
            window = x[:, :, max(r0, 0):min(r1, h), max(c0, 0):min(c1, w)]
            if op == "MaxPool":
                y[:, :, i, j] = window.max(axis=(2, 3))
            else:
                if count_include_pad:
                    count = ((min(r1, h + bottom) - max(r0, -top)) *
                             (min(c1, w + right) - max(c0, -left)))
                else:
                    count = window.shape[2] * window.shape[3]
                y[:, :, i, j] = window.sum(axis=(2, 3)) / count
    return y.astype(np.float32)


class OnnxCeilModeTest(unittest.TestCase):
    CASES = [
        # (op, input H, W, kernel, strides, pads [t, l, b, r], ceil_mode, count_include_pad)
        ("MaxPool", 5, 6, (3, 2), (2, 2), (0, 0, 0, 0), 1, 0),
        ("MaxPool", 5, 5, (2, 2), (2, 2), (1, 1, 1, 1), 1, 0),  # last window dropped
        ("MaxPool", 7, 4, (3, 3), (3, 2), (1, 0, 1, 2), 1, 0),
        ("AveragePool", 5, 6, (3, 2), (2, 2), (0, 0, 0, 0), 1, 0),
        ("AveragePool", 6, 6, (3, 3), (2, 2), (1, 1, 1, 1), 1, 1),
        ("AveragePool", 7, 5, (3, 3), (3, 2), (2, 0, 1, 1), 1, 1),
        ("AveragePool", 7, 5, (3, 3), (3, 2), (2, 0, 1, 1), 1, 0),
        ("AveragePool", 6, 6, (3, 3), (1, 1), (1, 2, 0, 1), 0, 0),
    ]

    def test_against_numpy(self):
        rng = np.random.default_rng(4)
        for op, h, w, kernel, strides, pads, ceil_mode, include in self.CASES:
            with self.subTest(op=op, h=h, w=w, kernel=kernel, pads=pads, ceil=ceil_mode,
                              count_include_pad=include):
                x = rng.normal(size=(1, 2, h, w)).astype(np.float32)
                expected = pool_reference(x.astype(np.float64), op, kernel, strides, pads,
                                          ceil_mode, include)
                attrs = dict(kernel_shape=kernel, strides=strides, pads=pads,
                             ceil_mode=ceil_mode)
                if op == "AveragePool":
                    attrs["count_include_pad"] = include
                node = helper.make_node(op, ["x"], ["y"], **attrs)
                graph = helper.make_graph(
                    [node], "pool", [helper.make_tensor_value_info("x", TensorProto.FLOAT, x.shape)],
                    [helper.make_tensor_value_info("y", TensorProto.FLOAT, expected.shape)])
                model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
                (got,) = run_onnx(model, [x])
                self.assertEqual(got.shape, expected.shape)
                np.testing.assert_allclose(got, expected, rtol=1e-6, atol=1e-6)

    def test_zero_pad_then_average_counts_the_zeros(self):
        x = np.arange(1, 17, dtype=np.float32).reshape(1, 1, 4, 4)
        pads = numpy_helper.from_array(np.array([0, 0, 1, 1, 0, 0, 1, 1], np.int64), "pads")
        nodes = [helper.make_node("Pad", ["x", "pads"], ["p"]),
                 helper.make_node("AveragePool", ["p"], ["y"], kernel_shape=[3, 3])]
        graph = helper.make_graph(
            nodes, "pad", [helper.make_tensor_value_info("x", TensorProto.FLOAT, x.shape)],
            [helper.make_tensor_value_info("y", TensorProto.FLOAT, x.shape)], [pads])
        model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
        (got,) = run_onnx(model, [x])
        # Corner: (1 + 2 + 5 + 6) / 9; the zeros count.
        self.assertAlmostEqual(float(got[0, 0, 0, 0]), 14 / 9, places=5)
        expected = pool_reference(x.astype(np.float64), "AveragePool", (3, 3), (1, 1),
                                  (1, 1, 1, 1), 0, 1)
        np.testing.assert_allclose(got, expected, rtol=1e-6)


if __name__ == "__main__":
    unittest.main()
