"""pike.torch: a trained layer's fake-quantized forward is Pike's integer
result, step for step; the export imports with no edits and carries what the
model was trained for."""

import os
import tempfile
import unittest

import numpy as np
import torch
import torch.nn.functional as F

from pike import onnx_import, tools
from pike.torch import (QuantConv2d, QuantGlobalAvgPool, QuantLinear, Quantizer, configure,
                        export)


class SeparableNet(torch.nn.Module):
    """8-bit input and stem, a 4-bit depthwise (pow2) / pointwise (uniform)
    pair, integer average pooling, an 8-bit classifier with a bias."""

    def __init__(self):
        super().__init__()
        self.source = Quantizer(8, alpha=1.0, learn=False)
        stem, depthwise, pointwise = Quantizer(4, alpha=2.0), Quantizer(4), Quantizer(4)
        self.stem = QuantConv2d(1, 8, 3, padding=1, input=self.source, output=stem,
                                weight_bits=8)
        self.depthwise = QuantConv2d(8, 8, 3, stride=2, padding=1, groups=8, input=stem,
                                     output=depthwise, weight_scheme="pow2")
        self.pointwise = QuantConv2d(8, 16, 1, input=depthwise, output=pointwise)
        self.pool = QuantGlobalAvgPool(input=pointwise)
        self.head = QuantLinear(16, 10, input=self.pool, output=Quantizer(8, signed=True, alpha=8.0))

    def forward(self, x):
        x = self.stem(self.source(x))
        return self.head(self.pool(self.pointwise(self.depthwise(x))))


def trained(seed, **config):
    """A SeparableNet after a few steps on random data, with one negative
    batch-norm gamma (the sign the compiler folds into the weights)."""
    torch.manual_seed(seed)
    model = configure(SeparableNet(), **config)
    with torch.no_grad():
        model.pointwise.norm.weight[3] = -0.7
    optimizer = torch.optim.Adam(model.parameters(), 1e-2)
    x, y = torch.rand(64, 1, 8, 8), torch.randint(0, 10, (64,))
    for _ in range(15):
        loss = F.cross_entropy(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return model.eval()


def compile_and_run(model, x, tmp, *pipeline):
    """Exports, imports, takes the model to integer form and runs it."""
    path = os.path.join(tmp, "model.onnx")
    export(model, x[:1], path)
    text = onnx_import.import_file(path, batch=x.shape[0])
    mlir = os.path.join(tmp, "model.mlir")
    with open(mlir, "w") as f:
        f.write(text)
    integer = os.path.join(tmp, "model.int.mlir")
    tools.run("pike-opt", mlir, "--pike-quantize-pipeline" + "".join(pipeline), "-o", integer)
    np.save(os.path.join(tmp, "x.npy"), x.numpy())
    out = os.path.join(tmp, "y.npy")
    tools.run("pike-run", integer, f"--input={os.path.join(tmp, 'x.npy')}", f"--output={out}")
    with open(integer) as f:
        return text, f.read(), np.load(out)


class StepForStepTest(unittest.TestCase):
    """The float64 forward of the trained model against Pike's integer form
    of its export: every output identical."""

    def check(self, seed, **config):
        model = trained(seed, **config)
        x = torch.rand(300, 1, 8, 8)
        with torch.no_grad():
            expected = model.double()(x.double()).numpy().astype(np.float32)
        with tempfile.TemporaryDirectory() as tmp:
            text, integer, got = compile_and_run(model.float(), x, tmp)
        np.testing.assert_array_equal(got, expected)
        # The outputs are not all saturated or zero: the check has teeth.
        self.assertGreaterEqual(len(np.unique(got)), 10)
        return text, integer

    def test_quantnorm_with_double_quantization(self):
        text, integer = self.check(0, double_quantize_bits=4, multiplier_bits=8)
        self.assertIn("pike.double_quantize_bits = 4 : i64", text)
        # Double-quantized multipliers: 4-bit values (lifted by at most two bits).
        self.assertIn("pike.quant_norm", integer)
        self.assertRegex(integer, r"fixed_point<bits = [2-7],")

    def test_quantnorm_8bit_multipliers(self):
        text, integer = self.check(1, multiplier_bits=8)
        self.assertIn("pike.quantnorm_multiplier_bits = 8 : i64", text)
        self.assertNotIn("pike.double_quantize_bits", text)
        self.assertIn("fixed_point<bits = 8,", integer)

    def test_quantnorm_default_multipliers(self):
        _, integer = self.check(2)
        self.assertIn("fixed_point<bits = 32,", integer)

    def test_three_bit_double_quantization(self):
        self.check(3, double_quantize_bits=3, multiplier_bits=8)

    def test_the_compiler_settings_matter(self):
        """Compiled without the Double Quantization it was trained for, the
        same model gives other outputs: the step-for-step check sees them."""
        model = trained(0, double_quantize_bits=3, multiplier_bits=8)
        x = torch.rand(300, 1, 8, 8)
        with torch.no_grad():
            expected = model.double()(x.double()).numpy().astype(np.float32)
        with tempfile.TemporaryDirectory() as tmp:
            _, _, got = compile_and_run(model.float(), x, tmp, "=double-quantize=false")
        self.assertLess(np.mean(got == expected), 0.9)


class ExportTest(unittest.TestCase):
    def test_four_bit_edges_are_qonnx_quant_and_metadata_says_what_was_trained(self):
        import onnx

        model = trained(0, double_quantize_bits=4, multiplier_bits=8)
        with tempfile.TemporaryDirectory() as tmp:
            path = export(model, torch.rand(1, 1, 8, 8), os.path.join(tmp, "m.onnx"))
            proto = onnx.load(path)
        quants = [n for n in proto.graph.node if n.op_type == "Quant"]
        self.assertTrue(all(n.domain == "qonnx.custom_op.general" for n in quants))
        self.assertEqual(len(quants), 10)  # 4 weights, 6 activations
        props = {p.key: p.value for p in proto.metadata_props}
        self.assertEqual(props, {"pike.double_quantize_bits": "4",
                                 "pike.quantnorm_multiplier_bits": "8"})
        self.assertIn("BatchNormalization", {n.op_type for n in proto.graph.node})

    def test_plain_qat_has_no_metadata(self):
        model = configure(SeparableNet(), quantnorm=False)
        with tempfile.TemporaryDirectory() as tmp:
            path = export(model, torch.rand(1, 1, 8, 8), os.path.join(tmp, "m.onnx"))
            text = onnx_import.import_file(path, batch=1)
        self.assertNotIn("pike.double_quantize_bits", text)
        self.assertNotIn("pike.quantnorm_multiplier_bits", text)

    def test_export_keeps_training_mode(self):
        model = configure(SeparableNet(), double_quantize_bits=4).train()
        with tempfile.TemporaryDirectory() as tmp:
            export(model, torch.rand(1, 1, 8, 8), os.path.join(tmp, "m.onnx"))
        self.assertTrue(model.training)


class TrainingTest(unittest.TestCase):
    def test_every_parameter_learns(self):
        """Straight-through rounding passes gradients to weights, batch-norm
        and every learned clip (PACT)."""
        torch.manual_seed(0)
        model = configure(SeparableNet(), double_quantize_bits=4, multiplier_bits=8)
        loss = F.cross_entropy(model(torch.rand(32, 1, 8, 8)), torch.randint(0, 10, (32,)))
        loss.backward()
        for name, parameter in model.named_parameters():
            self.assertIsNotNone(parameter.grad, name)
            self.assertGreater(float(parameter.grad.abs().sum()), 0.0, name)

    def test_bad_settings_are_refused(self):
        with self.assertRaisesRegex(ValueError, "double_quantize_bits must be in"):
            configure(SeparableNet(), double_quantize_bits=0)
        with self.assertRaisesRegex(ValueError, "multiplier_bits must be in"):
            configure(SeparableNet(), multiplier_bits=40)
        with self.assertRaisesRegex(ValueError, "weight bits must be in"):
            QuantConv2d(1, 1, 1, input=Quantizer(8), output=Quantizer(8), weight_bits=1)
        with self.assertRaisesRegex(ValueError, "weight scheme must be"):
            QuantConv2d(1, 1, 1, input=Quantizer(8), output=Quantizer(8),
                        weight_scheme="log")(torch.zeros(1, 1, 2, 2))


if __name__ == "__main__":
    unittest.main()
