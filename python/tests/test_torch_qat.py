"""The PyTorch path: a fake-quantized (QAT-style) torch.nn.Module exported
with torch.onnx.export becomes QDQ ONNX, which Pike imports and runs in
integer form; the result matches the module's own output to within one step
of its output quantizer."""

import os
import tempfile
import unittest

import numpy as np
import torch
import torch.nn.functional as F

from pike import onnx_import, tools


class QATBlock(torch.nn.Module):
    """u8 input fake-quant, per-channel int8 weight fake-quant, conv,
    batch-norm, ReLU, u8 output fake-quant: what QAT leaves before export."""

    def __init__(self):
        super().__init__()
        torch.manual_seed(0)
        self.conv = torch.nn.Conv2d(3, 8, 3, padding=1, bias=False)
        self.bn = torch.nn.BatchNorm2d(8)
        with torch.no_grad():
            self.bn.running_mean.uniform_(-0.2, 0.2)
            self.bn.running_var.uniform_(0.5, 1.5)
            self.bn.weight.uniform_(0.5, 1.5)
            self.bn.bias.uniform_(-0.1, 0.3)
        w = self.conv.weight.detach()
        self.register_buffer("w_scale", w.abs().amax(dim=(1, 2, 3)) / 127)
        self.register_buffer("w_zero", torch.zeros(8, dtype=torch.int32))

    def forward(self, x):
        x = torch.fake_quantize_per_tensor_affine(x, 0.02, 128, 0, 255)
        w = torch.fake_quantize_per_channel_affine(self.conv.weight, self.w_scale, self.w_zero,
                                                   0, -128, 127)
        y = F.relu(self.bn(F.conv2d(x, w, padding=1)))
        return torch.fake_quantize_per_tensor_affine(y, 0.05, 0, 0, 255)


class TorchQATTest(unittest.TestCase):
    def test_round_trip(self):
        module = QATBlock().eval()
        x = torch.rand(1, 3, 8, 8) * 2 - 0.5
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "block.onnx")
            torch.onnx.export(module, x, path, opset_version=13, input_names=["x"],
                              output_names=["y"], do_constant_folding=False)
            text = onnx_import.import_file(path)
            self.assertIn("pike.conv2d", text)
            self.assertIn("pike.batch_norm", text)
            mlir = os.path.join(tmp, "block.mlir")
            with open(mlir, "w") as f:
                f.write(text)
            integer = os.path.join(tmp, "block.int.mlir")
            tools.run("pike-opt", mlir, "--pike-quantize-pipeline", "-o", integer)
            np.save(os.path.join(tmp, "x.npy"), x.numpy())
            tools.run("pike-run", integer, f"--input={os.path.join(tmp, 'x.npy')}",
                      f"--output={os.path.join(tmp, 'y.npy')}")
            got = np.load(os.path.join(tmp, "y.npy"))
        with torch.no_grad():
            expected = module(x).numpy()
        diff = np.abs(got - expected)
        self.assertEqual(got.shape, expected.shape)
        self.assertLessEqual(diff.max(), 0.05 * 1.0001)
        self.assertGreater(np.mean(diff < 1e-6), 0.99)


if __name__ == "__main__":
    unittest.main()
