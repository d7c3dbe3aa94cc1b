"""Pike inside IREE: the integer form lowered to upstream dialects only
(linalg, arith, tensor) is compiled by iree-compile (llvm-cpu, this CPU) and
run by IREE's runtime, bit for bit as pike-run runs it with Pike's own CPU
kernels: the zoo's 8-bit and 4-bit models and a model PyTorch quantized and
exported."""

import os
import tempfile
import unittest

import numpy as np

from pike import iree, onnx_import, tools

SRC = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def pike_run(model, inputs):
    with tempfile.TemporaryDirectory() as tmp:
        integer = os.path.join(tmp, "integer.mlir")
        tools.run("pike-opt", model, "--pike-quantize-pipeline", "-o", integer)
        args = [integer]
        for i, x in enumerate(inputs):
            np.save(os.path.join(tmp, f"x{i}.npy"), x)
            args.append(f"--input={os.path.join(tmp, f'x{i}.npy')}")
        tools.run("pike-run", *args, f"--output={os.path.join(tmp, 'y.npy')}")
        return np.load(os.path.join(tmp, "y.npy"))


class IreeTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()

    def tearDown(self):
        self.tmp.cleanup()

    def zoo_model(self, *args):
        path = os.path.join(self.tmp.name, "model.mlir")
        from pike.cli import main
        self.assertEqual(main(["zoo", *args, "-o", path]), 0)
        return path

    def check_bit_identical(self, model, shape, runs=2):
        text = iree.upstream_form(model)
        self.assertNotIn("pike", text)
        self.assertIn("linalg.", text)
        rng = np.random.default_rng(0)
        vmfb = os.path.join(self.tmp.name, "model.vmfb")
        iree.compile_module(text, vmfb)
        module = iree.Module(vmfb)
        for _ in range(runs):
            x = rng.uniform(-1, 1, shape).astype(np.float32)
            (got,) = module.run([x])
            expected = pike_run(model, [x])
            self.assertEqual(got.dtype, expected.dtype)
            np.testing.assert_array_equal(got, expected)

    def check_zoo(self, net, bits):
        if net == "resnet-tiny":
            model, shape = self.zoo_model(net, "--weight-bits", bits, "--act-bits", bits), 32
        else:
            model, shape = self.zoo_model(net, "--weight-bits", bits, "--act-bits", bits,
                                          "--width", "0.25", "--resolution", "64",
                                          "--classes", "10"), 64
        self.check_bit_identical(model, (1, shape, shape, 3))

    def test_resnet_tiny_w8a8(self):
        self.check_zoo("resnet-tiny", "8")

    def test_mobilenetv1_w8a8(self):
        self.check_zoo("mobilenetv1", "8")

    def test_pytorch_export(self):
        from tests.test_torch_exports import FUSIONS, EagerNet, eager_ptq, export, seeded
        import torch.ao.quantization as tq
        net = seeded(EagerNet()).eval()
        tq.fuse_modules(net, FUSIONS, inplace=True)
        eager_ptq(net, (4, 3, 12, 12))
        path = os.path.join(self.tmp.name, "torch.mlir")
        with open(path, "w") as f:
            f.write(onnx_import.import_model(export(net)))
        self.check_bit_identical(path, (1, 3, 12, 12))

    def test_four_bit_models(self):
        # The bundled example: w4a4 with 8-bit edges, 4-bit activations
        # stored in bytes by --pike-widen-sub-byte.
        self.check_bit_identical(os.path.join(SRC, "examples", "mobilenet_tiny.mlir"),
                                 (1, 32, 32, 3))
        self.check_zoo("resnet-tiny", "4")

    def test_mobilenetv1_w4a4(self):
        self.check_zoo("mobilenetv1", "4")


if __name__ == "__main__":
    unittest.main()
