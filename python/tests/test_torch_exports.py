"""Models quantized with PyTorch 1.13's own tooling, exported by
torch.onnx.export (opset 13) as they are, import with no edits and run in
integer form to within one output step of PyTorch's converted int8 model
(onednn engine), with the same predictions.

- eager post-training quantization: the converted model is exported (a no-op
  Cast after every uint8 QuantizeLinear, bias zero points built by
  ConstantOfShape, a standalone quantized ReLU);
- eager and FX quantization-aware training: the fake-quantized model is
  exported (ConvBn modules become Conv -> Div -> Add -> BatchNormalization,
  weights a QuantizeLinear/DequantizeLinear pair on real constants, pooling
  without a quantizer after it); add, add_relu, ReLU and ReLU6 (Clip).
PyTorch's default QAT qconfig (version=1, a fused observer) does not export
at all; version=0 does (docs/Frontends.md)."""

import os
import tempfile
import unittest
import warnings

import numpy as np
import torch
import torch.nn.functional as F
import torch.ao.quantization as tq
from torch import nn
from torch.ao.quantization import quantize_fx

from pike import aot, onnx_import
from tests.tools import run_onnx

ENGINE = "onednn" if "onednn" in torch.backends.quantized.supported_engines else "fbgemm"


# Without VNNI, PyTorch's x86 int8 kernels add pairs of u8 x s8 products in
# saturating 16-bit arithmetic (vpmaddubsw), so its own int8 model is not
# exact with 8-bit activations; 7-bit activations (reduce_range, fbgemm's
# default) keep every pair in range, and the comparison stays meaningful.
REDUCE_RANGE = not aot.cpu_flags() & {"avx512_vnni", "avx_vnni"}


def ptq_qconfig():
    qconfig = tq.get_default_qconfig(ENGINE)
    if not REDUCE_RANGE:
        return qconfig
    return tq.QConfig(activation=qconfig.activation.with_args(reduce_range=True),
                      weight=qconfig.weight)


def qat_qconfig():
    qconfig = tq.get_default_qat_qconfig(ENGINE, version=0)
    if not REDUCE_RANGE:
        return qconfig
    return tq.QConfig(activation=qconfig.activation.with_args(quant_max=127),
                      weight=qconfig.weight)
FUSIONS = [["conv", "bn", "relu"], ["dw", "dwbn", "dwrelu"], ["pw", "pwbn"]]


class EagerNet(nn.Module):
    """conv-BN-ReLU, a depthwise-separable residual block, global average
    pooling, linear; `add_relu` fuses the residual's ReLU."""

    def __init__(self, add_relu=False):
        super().__init__()
        self.add_relu = add_relu
        self.quant, self.dequant = tq.QuantStub(), tq.DeQuantStub()
        self.conv, self.bn, self.relu = nn.Conv2d(3, 8, 3, padding=1), nn.BatchNorm2d(8), nn.ReLU()
        self.dw = nn.Conv2d(8, 8, 3, padding=1, groups=8)
        self.dwbn, self.dwrelu = nn.BatchNorm2d(8), nn.ReLU()
        self.pw, self.pwbn = nn.Conv2d(8, 8, 1), nn.BatchNorm2d(8)
        self.add = nn.quantized.FloatFunctional()
        self.out_relu = nn.ReLU()
        self.pool, self.fc = nn.AdaptiveAvgPool2d(1), nn.Linear(8, 10)

    def forward(self, x):
        x = self.relu(self.bn(self.conv(self.quant(x))))
        y = self.pwbn(self.pw(self.dwrelu(self.dwbn(self.dw(x)))))
        x = self.add.add_relu(x, y) if self.add_relu else self.out_relu(self.add.add(x, y))
        return self.dequant(self.fc(self.pool(x).flatten(1)))


class FxNet(nn.Module):
    """The same block written plainly for FX: torch.relu, ReLU6, `x + y`."""

    def __init__(self):
        super().__init__()
        self.conv, self.bn = nn.Conv2d(3, 8, 3, padding=1), nn.BatchNorm2d(8)
        self.dw, self.dwbn = nn.Conv2d(8, 8, 3, padding=1, groups=8), nn.BatchNorm2d(8)
        self.pw, self.pwbn = nn.Conv2d(8, 8, 1), nn.BatchNorm2d(8)
        self.relu6, self.fc = nn.ReLU6(), nn.Linear(8, 10)

    def forward(self, x):
        x = torch.relu(self.bn(self.conv(x)))
        y = self.pwbn(self.pw(self.relu6(self.dwbn(self.dw(x)))))
        x = torch.relu(x + y)
        return self.fc(torch.nn.functional.adaptive_avg_pool2d(x, 1).flatten(1))


def eager_ptq(net, shape, batches=8, generator=None):
    """PyTorch's eager post-training quantization of `net` (already fused):
    the PTQ qconfig, calibrated on `batches` normal batches of `shape`."""
    net.qconfig = ptq_qconfig()
    tq.prepare(net, inplace=True)
    with torch.no_grad():
        for _ in range(batches):
            net(torch.randn(*shape, generator=generator))
    return tq.convert(net, inplace=True)


def seeded(net):
    torch.manual_seed(0)
    for module in net.modules():
        if isinstance(module, nn.BatchNorm2d):  # trained-looking statistics
            with torch.no_grad():
                module.running_mean.uniform_(-0.3, 0.3)
                module.running_var.uniform_(0.5, 2.0)
                module.weight.uniform_(0.5, 1.5)
                module.bias.uniform_(-0.2, 0.2)
    torch.backends.quantized.engine = ENGINE
    return net


def train_a_little(model):
    """A few QAT steps, so scales and batch-norm statistics move."""
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
    generator = torch.Generator().manual_seed(3)
    for _ in range(4):
        loss = model(torch.randn(8, 3, 12, 12, generator=generator)).pow(2).mean()
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    model.eval()
    model.apply(tq.disable_observer)


def constant_value(model, name):
    """The value of `name`: an initializer, or the output of a Constant node
    (PyTorch's eager export writes the output scale that way)."""
    from onnx import numpy_helper
    for init in model.graph.initializer:
        if init.name == name:
            return numpy_helper.to_array(init)
    for node in model.graph.node:
        if node.op_type == "Constant" and list(node.output) == [name]:
            return numpy_helper.to_array(node.attribute[0].t)
    raise AssertionError(f"{name} is neither an initializer nor a Constant's output")


def export(model):
    import onnx
    with tempfile.TemporaryDirectory() as tmp, warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the tracer's notes on quantized modules
        path = os.path.join(tmp, "model.onnx")
        torch.onnx.export(model, torch.zeros(1, 3, 12, 12), path, opset_version=13)
        return onnx.load(path)


class ExportTest(unittest.TestCase):
    def check(self, model, int8_model, expected_ops):
        """`model` exported and run by Pike against PyTorch's `int8_model`."""
        op_types = {n.op_type for n in model.graph.node}
        self.assertTrue(expected_ops <= op_types, op_types)  # as PyTorch wrote it
        self.assertIn("pike.conv2d", onnx_import.import_model(model))
        last = [n for n in model.graph.node if n.op_type == "DequantizeLinear"][-1]
        step = float(constant_value(model, last.input[1]).reshape(-1)[0])
        rng = np.random.default_rng(2)
        for _ in range(3):
            x = rng.normal(size=(1, 3, 12, 12)).astype(np.float32)
            with torch.no_grad():
                expected = int8_model(torch.from_numpy(x)).numpy()
            (got,) = run_onnx(model, [x], ["--pike-quantize-pipeline"])
            self.assertEqual(got.shape, expected.shape)
            self.assertLessEqual(np.abs(got - expected).max(), step * 1.0001)
            self.assertEqual(int(np.argmax(got)), int(np.argmax(expected)))

    def test_eager_ptq(self):
        net = seeded(EagerNet()).eval()
        tq.fuse_modules(net, FUSIONS, inplace=True)
        eager_ptq(net, (4, 3, 12, 12))
        self.check(export(net), net, {"Cast", "ConstantOfShape", "Relu"})

    def test_eager_qat_add_relu(self):
        net = seeded(EagerNet(add_relu=True)).train()
        net.qconfig = qat_qconfig()
        tq.fuse_modules_qat(net, FUSIONS, inplace=True)
        tq.prepare_qat(net, inplace=True)
        train_a_little(net)
        model = export(net)
        self.check(model, tq.convert(net, inplace=False), {"Div", "BatchNormalization", "Add"})

    def test_fx_qat_relu6_and_add(self):
        prepared = quantize_fx.prepare_qat_fx(
            seeded(FxNet()).train(),
            tq.QConfigMapping().set_global(qat_qconfig()),
            (torch.zeros(1, 3, 12, 12),))
        train_a_little(prepared)
        model = export(prepared)
        self.check(model, quantize_fx.convert_fx(prepared), {"Clip", "Div", "Add"})

    def test_default_qat_qconfig_does_not_export(self):
        # What docs/Frontends.md tells users: PyTorch itself cannot export it.
        net = seeded(EagerNet()).train()
        net.qconfig = tq.get_default_qat_qconfig(ENGINE)
        tq.fuse_modules_qat(net, FUSIONS, inplace=True)
        tq.prepare_qat(net, inplace=True)
        net.eval()
        with self.assertRaises(Exception) as ctx:
            export(net)
        self.assertIn("fused_moving_avg_obs_fake_quant", str(ctx.exception))


class SqueezeExcite(nn.Module):
    """A MobileNetV3 block as eager QAT writes it: Hardswish (exported at
    opset 13 as Mul(x, HardSigmoid(x))) and a squeeze-and-excitation gate
    (HardSigmoid, FloatFunctional.mul broadcasting over the pixels)."""

    def __init__(self):
        super().__init__()
        self.quant, self.dequant = tq.QuantStub(), tq.DeQuantStub()
        self.conv, self.act = nn.Conv2d(8, 8, 3, padding=1), nn.Hardswish()
        self.fc1, self.relu, self.fc2 = nn.Conv2d(8, 4, 1), nn.ReLU(), nn.Conv2d(4, 8, 1)
        self.gate, self.mul = nn.Hardsigmoid(), torch.ao.nn.quantized.FloatFunctional()

    def forward(self, x):
        x = self.act(self.conv(self.quant(x)))
        s = self.gate(self.fc2(self.relu(self.fc1(F.adaptive_avg_pool2d(x, 1)))))
        return self.dequant(self.mul.mul(x, s))


class SqueezeExciteTest(unittest.TestCase):
    def test_hardswish_and_gate_stay_integer_and_match_fake_quant(self):
        import onnx
        net = seeded(SqueezeExcite()).train()
        net.qconfig = qat_qconfig()
        tq.prepare_qat(net, inplace=True)
        for _ in range(5):
            net(torch.randn(4, 8, 8, 8))
        net.eval().apply(tq.disable_observer)
        x = torch.randn(1, 8, 8, 8)
        with tempfile.TemporaryDirectory() as tmp, warnings.catch_warnings():
            warnings.simplefilter("ignore")
            path = os.path.join(tmp, "se.onnx")
            torch.onnx.export(net, x, path, opset_version=13)
            model = onnx.load(path)
        self.assertTrue({"HardSigmoid", "Mul"} <= {n.op_type for n in model.graph.node})
        (got,) = run_onnx(model, [x.numpy()], ["--pike-quantize-pipeline"])
        with torch.no_grad():
            expected = net(x).numpy()
        step = float(net.mul.activation_post_process.scale)
        self.assertLessEqual(float(np.abs(got - expected).max()), step * 1.0001)
        self.assertGreater(float(np.mean(np.abs(got - expected) < 1e-6)), 0.95)


if __name__ == "__main__":
    unittest.main()
