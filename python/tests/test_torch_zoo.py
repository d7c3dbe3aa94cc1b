"""The bounded CI run of bench/torch-zoo.sh: two of torchvision's
quantizable models, quantized with PyTorch's own recipes at a small input
size, import into Pike as exported and run, and every layer is within one
step of PyTorch's own int8 model when fed PyTorch's input integers, almost
all of them identical. googlenet needs MaxPool's ceil_mode; fx_mnasnet0_5
(FX) needs ReduceMean over H and W. The long run over all twelve models
records its table in docs/Frontends.md."""

import unittest

from pike.torch import vision

MODELS = ("googlenet", "fx_mnasnet0_5")
RESOLUTION = 64


class TorchZooTest(unittest.TestCase):
    def check(self, name):
        row = vision.evaluate(name, RESOLUTION)
        self.assertEqual(row["status"], "runs", row)
        # Every layer has PyTorch's integers to compare with.
        self.assertEqual(row["unmatched"], [], row)
        self.assertGreater(row["layers"], 20, row)
        self.assertLessEqual(row["layer_max_steps"], 1, row)
        self.assertGreaterEqual(row["layers_identical"], 0.9 * row["layers"], row)

    def test_googlenet(self):
        self.check("googlenet")

    def test_fx_mnasnet0_5(self):
        self.check("fx_mnasnet0_5")


if __name__ == "__main__":
    unittest.main()
