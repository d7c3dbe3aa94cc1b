"""PyTorch 1.13's own post-training quantization, exported as it is: a small
CNN (conv-BN-ReLU, a depthwise-separable residual block with a standalone
quantized ReLU, global average pooling, linear) prepared, calibrated and
converted with torch.ao.quantization (eager mode) and written by
torch.onnx.export (opset 13) imports with no edits and runs in integer form
to within one output step of PyTorch's own int8 model, with the same
predictions.

What the export contains that needed handling: a no-op Cast(to=UINT8) after
every QuantizeLinear, bias zero points built by ConstantOfShape, and a
DequantizeLinear -> Relu -> QuantizeLinear chain."""

import os
import tempfile
import unittest

import numpy as np
import torch
import torch.ao.quantization as tq
from torch import nn

from pike import onnx_import
from tests.tools import run_onnx


class SmallNet(nn.Module):
    def __init__(self):
        super().__init__()
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
        x = self.out_relu(self.add.add(x, y))
        return self.dequant(self.fc(self.pool(x).flatten(1)))


def quantized_net():
    torch.manual_seed(0)
    net = SmallNet().eval()
    for bn in (net.bn, net.dwbn, net.pwbn):  # trained-looking statistics
        with torch.no_grad():
            bn.running_mean.uniform_(-0.3, 0.3)
            bn.running_var.uniform_(0.5, 2.0)
            bn.weight.uniform_(0.5, 1.5)
            bn.bias.uniform_(-0.2, 0.2)
    engine = "onednn" if "onednn" in torch.backends.quantized.supported_engines else "fbgemm"
    torch.backends.quantized.engine = engine
    net.qconfig = tq.get_default_qconfig(engine)
    tq.fuse_modules(net, [["conv", "bn", "relu"], ["dw", "dwbn", "dwrelu"], ["pw", "pwbn"]],
                    inplace=True)
    tq.prepare(net, inplace=True)
    with torch.no_grad():
        for _ in range(8):
            net(torch.randn(4, 3, 12, 12))
    tq.convert(net, inplace=True)
    return net


class EagerPtqTest(unittest.TestCase):
    def test_export_imports_and_matches_pytorch_int8(self):
        import onnx
        net = quantized_net()
        x = torch.randn(1, 3, 12, 12, generator=torch.Generator().manual_seed(1))
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "ptq.onnx")
            torch.onnx.export(net, x, path, opset_version=13)
            model = onnx.load(path)
        op_types = {n.op_type for n in model.graph.node}
        # The export as PyTorch writes it, not a cleaned-up one.
        self.assertTrue({"Cast", "ConstantOfShape", "Relu"} <= op_types, op_types)
        self.assertIn("pike.conv2d", onnx_import.import_model(model))
        rng = np.random.default_rng(2)
        step = net.fc.scale
        for _ in range(3):
            x = rng.normal(size=(1, 3, 12, 12)).astype(np.float32)
            expected = net(torch.from_numpy(x)).detach().numpy()
            (got,) = run_onnx(model, [x], ["--pike-quantize-pipeline"])
            self.assertEqual(got.shape, expected.shape)
            self.assertLessEqual(np.abs(got - expected).max(), step * 1.0001)
            self.assertEqual(int(np.argmax(got)), int(np.argmax(expected)))


if __name__ == "__main__":
    unittest.main()
