"""A torchvision architecture with trained weights, quantized by PyTorch and
run by Pike, agrees with PyTorch's int8 model at the output: the same class
on at least 99 % of the test images and logits within 2 output steps.

The network is torchvision's quantizable ResNet with one BasicBlock per
stage, trained here for three epochs on sklearn's handwritten digits
upsampled to 32 x 32 RGB; PyTorch's eager post-training quantization (oneDNN
qconfig), exported with pike.torch's export of converted models. Agreement
of untrained deep networks is not a meaningful target (docs/Frontends.md);
trained weights are what users deploy."""

import os
import tempfile
import unittest
import warnings

import numpy as np
import onnx
import torch
import torch.ao.quantization as tq
from sklearn.datasets import load_digits
from torch import nn
from torchvision.models.quantization.resnet import QuantizableBasicBlock, QuantizableResNet

from pike import onnx_import
from pike.torch import vision

RESOLUTION = 32


def digits():
    data = load_digits()
    x = torch.tensor(data.images, dtype=torch.float32)[:, None] / 16.0
    x = nn.functional.interpolate(x, size=(RESOLUTION, RESOLUTION), mode="bilinear",
                                  align_corners=False).repeat(1, 3, 1, 1)
    return (x - 0.3) / 0.4, torch.tensor(data.target)


def trained_resnet(x, y, epochs=3):
    torch.manual_seed(0)
    model = QuantizableResNet(QuantizableBasicBlock, [1, 1, 1, 1], num_classes=10)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9, weight_decay=1e-4)
    for _ in range(epochs):
        model.train()
        for batch in torch.randperm(len(y)).split(32):
            optimizer.zero_grad()
            nn.functional.cross_entropy(model(x[batch]), y[batch]).backward()
            optimizer.step()
    return model.eval()


class TrainedResNetTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        warnings.simplefilter("ignore")
        x, y = digits()
        order = torch.randperm(len(y), generator=torch.Generator().manual_seed(0))
        train, test = order[:1437], order[1437:]
        cls.labels = y[test].numpy()
        float_model = trained_resnet(x[train], y[train])
        float_model.fuse_model()
        float_model.qconfig = vision.qconfig(vision.needs_reduce_range())
        torch.backends.quantized.engine = "onednn"
        tq.prepare(float_model, inplace=True)
        with torch.no_grad():
            float_model(x[train[:256]])
        int8 = tq.convert(float_model)
        cls.x = x[test]
        with torch.no_grad():
            cls.torch_out = int8(cls.x).numpy()
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "resnet.onnx")
            vision.export(int8, cls.x, path)
            proto = onnx.load(path)
            cls.scale = vision.output_scale(proto)
            mlir = os.path.join(tmp, "resnet.mlir")
            with open(mlir, "w") as f:
                f.write(onnx_import.import_model(proto, "resnet.mlir"))
            cls.pike_out, _ = vision.pike_run(mlir, cls.x.numpy(), tmp)

    def test_trained(self):
        # The network learned the task, so agreement is about real decisions.
        accuracy = np.mean(np.argmax(self.torch_out, 1) == self.labels)
        self.assertGreater(accuracy, 0.85)

    def test_same_class(self):
        same = np.mean(np.argmax(self.pike_out, 1) == np.argmax(self.torch_out, 1))
        self.assertGreaterEqual(same, 0.99)

    def test_logits_within_two_steps(self):
        steps = np.abs(self.pike_out - self.torch_out) / self.scale
        self.assertLessEqual(float(np.max(steps)), 2 + 1e-3)


if __name__ == "__main__":
    unittest.main()
