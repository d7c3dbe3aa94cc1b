"""pike.torch.export_quantized and `pike compare --reference` on an eager
post-training-quantized CNN (conv-BN-ReLU, depthwise, residual add, pooling,
linear: test_torch_exports.EagerNet) against PyTorch 1.13's own int8 model:
the biases each rule writes, every layer's difference in steps when it is fed
PyTorch's own input integers, and a perturbed layer found as itself."""

import os
import subprocess
import sys
import tempfile
import unittest

import numpy as np
import onnx
import torch
import torch.ao.quantization as tq
from onnx import numpy_helper
from torch import nn
from torch.ao.quantization import quantize_fx

from pike import compare, onnx_import
from pike.torch import quantized
from tests.test_torch_exports import (EagerNet, FUSIONS, FxNet, constant_value, eager_ptq,
                                      ptq_qconfig, seeded)
from tests.tools import run_onnx

SRC = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MACS = {"conv": "/conv/Conv", "dw": "/dw/Conv", "pw": "/pw/Conv", "fc": "/fc/Gemm"}


def producers(proto):
    return {out: node for node in proto.graph.node for out in node.output}


def bias_source(proto, mac_name):
    """The value a Conv/Gemm reads as its bias, through DequantizeLinear
    and Casts: (the constant's name, its values, whether it was dequantized)."""
    made_by = producers(proto)
    mac = next(node for node in proto.graph.node if node.name == mac_name)
    name, dequantized = mac.input[2], False
    while name in made_by and made_by[name].op_type in ("DequantizeLinear", "Cast"):
        dequantized |= made_by[name].op_type == "DequantizeLinear"
        name = made_by[name].input[0]
    return name, constant_value(proto, name), dequantized


def mlir_of(path, tmp):
    out = os.path.join(tmp, os.path.basename(path) + ".mlir")
    with open(out, "w") as f:
        f.write(onnx_import.import_file(path))
    return out


class FaithfulExportTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        torch.manual_seed(0)  # the weights, whatever ran before
        net = seeded(EagerNet()).eval()
        tq.fuse_modules(net, FUSIONS, inplace=True)
        generator = torch.Generator().manual_seed(5)
        cls.net = eager_ptq(net, (4, 3, 12, 12), generator=generator)
        cls.x = torch.randn(4, 3, 12, 12, generator=generator)
        # Each layer's input scale, as PyTorch's kernel sees it.
        cls.input_scale, handles = {}, []
        for name in MACS:
            def record(module, args, _name=name):
                cls.input_scale[_name] = args[0].q_scale()
            handles.append(getattr(net, name).register_forward_pre_hook(record))
        with torch.no_grad():
            cls.expected = net(cls.x).numpy()
        for handle in handles:
            handle.remove()
        cls.tmp = tempfile.TemporaryDirectory()
        cls.paths = {}
        for rule in quantized.BIAS_RULES:
            cls.paths[rule] = os.path.join(cls.tmp.name, f"{rule}.onnx")
            quantized.export_quantized(net, cls.x, cls.paths[rule], bias=rule)
        cls.reference, cls.unmatched = quantized.reference_integers(net, cls.x,
                                                                    cls.paths["float"])

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def layers(self, path, reference=None, teacher_forcing=True):
        proto = onnx.load(path)
        return compare.compare_reference(mlir_of(path, self.tmp.name), [self.x.numpy()],
                                         reference or self.reference,
                                         aliases=compare.onnx_aliases(proto),
                                         teacher_forcing=teacher_forcing)

    def test_biases(self):
        exporter = onnx.load(self.paths["exporter"])
        rounded = onnx.load(self.paths["rounded"])
        real = onnx.load(self.paths["float"])
        self.assertNotIn("Round", {node.op_type for node in rounded.graph.node})  # folded
        rounding_mattered = False
        for name, mac in MACS.items():
            module = getattr(self.net, name)
            weight = module.weight()
            w_scale = (weight.q_per_channel_scales().numpy()
                       if weight.qscheme() == torch.per_channel_affine
                       else np.array([weight.q_scale()]))
            bias = module.bias().detach().numpy().astype(np.float32)
            # bias / (s_x * s_w) in float32, as the exporter's folded Div.
            exact = bias / (w_scale.astype(np.float32) * np.float32(self.input_scale[name]))
            _, truncated, dequantized = bias_source(exporter, mac)
            self.assertTrue(dequantized)
            np.testing.assert_array_equal(truncated.astype(np.int64), np.trunc(exact))
            _, half_even, dequantized = bias_source(rounded, mac)
            self.assertTrue(dequantized)
            np.testing.assert_array_equal(half_even.astype(np.int64), np.round(exact))
            rounding_mattered |= bool(np.any(np.trunc(exact) != np.round(exact)))
            _, kept, dequantized = bias_source(real, mac)
            self.assertFalse(dequantized)
            np.testing.assert_array_equal(kept, bias)
        self.assertTrue(rounding_mattered)

    def test_each_layer_within_one_step_of_pytorch(self):
        self.assertEqual(self.unmatched, [])
        expected = {"/quant/QuantizeLinear", "/conv/QuantizeLinear", "/dw/QuantizeLinear",
                    "/pw/QuantizeLinear", "/add/QuantizeLinear", "/out_relu/QuantizeLinear",
                    "/pool/QuantizeLinear", "/fc/QuantizeLinear"}
        layers, unmatched = quantized.compare_layers(self.net, self.x)  # the engine's rule
        self.assertEqual(unmatched, [])
        self.assertTrue(expected <= {layer.name for layer in layers}, layers)
        self.assertTrue(all(layer.max_steps <= 1 for layer in layers), layers)
        # A flip is a float32 rounding of PyTorch's kernel, rare: at most one layer has one.
        self.assertGreaterEqual(sum(layer.max_steps == 0 for layer in layers), len(layers) - 1,
                                layers)
        flips = {}
        for rule in quantized.BIAS_RULES:
            layers = self.layers(self.paths[rule])
            self.assertTrue(all(layer.max_steps <= 1 for layer in layers), (rule, layers))
            flips[rule] = sum(layer.differing * np.prod(layer.shape) for layer in layers)
        # The exporter's truncated biases flip outputs the kernel's rule does not.
        self.assertGreater(flips["exporter"], flips[quantized.kernel_bias_rule()], flips)

    def test_whole_output_within_one_step(self):
        model = onnx.load(self.paths[quantized.kernel_bias_rule()])
        last = [n for n in model.graph.node if n.op_type == "DequantizeLinear"][-1]
        step = float(constant_value(model, last.input[1]).reshape(-1)[0])
        (got,) = run_onnx(model, [self.x.numpy()], ["--pike-quantize-pipeline"])
        self.assertLessEqual(float(np.abs(got - self.expected).max()), step * 1.0001)

    def test_perturbed_reference_is_named_by_the_cli(self):
        layers = self.layers(self.paths["float"])
        exact = [layer.name for layer in layers[1:-1] if layer.max_steps == 0]
        self.assertTrue(exact, layers)
        target = exact[len(exact) // 2]
        reference = dict(self.reference)
        reference[target] = np.minimum(reference[target].astype(np.int64) + 3,
                                       np.iinfo(reference[target].dtype).max) \
            .astype(reference[target].dtype)
        npz = os.path.join(self.tmp.name, "perturbed.npz")
        np.savez(npz, **reference)
        x = os.path.join(self.tmp.name, "x.npy")
        np.save(x, self.x.numpy())
        result = subprocess.run(
            [sys.executable, "-m", "pike", "compare", self.paths["float"], "--input", x,
             "--reference", npz, "--steps", "1", "--fail"],
            capture_output=True, text=True, env={**os.environ, "PYTHONPATH": SRC})
        self.assertEqual(result.returncode, 3, result.stderr)
        lines = result.stdout.strip().splitlines()
        self.assertEqual(lines[-1], f"first layer beyond 1 step(s): {target} (3 steps)")
        row = next(line for line in lines if line.startswith(target))
        self.assertIn(" 3 steps", row)
        self.assertIn("layers identical to the reference", lines[-2])

    def test_a_wrong_layer_does_not_blame_the_next(self):
        # The float export with one layer's bias moved by 3 of its output
        # steps: Pike computes that layer 3 steps high (lower where ReLU
        # clips), and, fed PyTorch's integers, every later layer as before.
        layers = {layer.name: layer for layer in self.layers(self.paths["float"])}
        proto = onnx.load(self.paths["float"])
        name, bias, _ = bias_source(proto, MACS["dw"])
        constant = producers(proto)[name]
        constant.attribute[0].t.CopyFrom(numpy_helper.from_array(
            (bias.astype(np.float64) + 3 * self.net.dw.scale).astype(np.float32), name))
        path = os.path.join(self.tmp.name, "wrong_dw.onnx")
        onnx.save(proto, path)
        forced = self.layers(path)
        names = [layer.name for layer in forced]
        wrong = names.index("/dw/QuantizeLinear")
        self.assertEqual(forced[wrong].max_steps, 3, forced)
        for layer in forced[:wrong] + forced[wrong + 1:]:
            self.assertEqual(layer, layers[layer.name])
        # Running on its own values, the integer form carries the error on.
        free = self.layers(path, teacher_forcing=False)
        self.assertGreater(max(layer.max_steps for layer in free[wrong + 1:]), 1, free)


class Block(nn.Module):
    """A module called twice (its second call's nodes land in the caller's
    scope) and a QFunctional add, inside a Sequential."""

    def __init__(self):
        super().__init__()
        self.conv, self.relu = nn.Conv2d(4, 4, 1), nn.ReLU()
        self.add = nn.quantized.FloatFunctional()

    def forward(self, x):
        return self.add.add(x, self.relu(self.relu(self.conv(x))))


class Nested(nn.Module):
    def __init__(self):
        super().__init__()
        self.quant, self.dequant = tq.QuantStub(), tq.DeQuantStub()
        self.blocks = nn.Sequential(Block(), Block())
        self.cat = nn.quantized.FloatFunctional()

    def forward(self, x):
        y = self.blocks(self.quant(x))
        # A keyword argument, as torchvision's ShuffleNetV2 writes its cat.
        return self.dequant(torch.flatten(self.cat.cat([y, y], dim=1), 1))


class ReferenceNamesTest(unittest.TestCase):
    """PyTorch's integers land on the export's names: nested modules, a
    second call, top-level functions, and an FX graph's functions."""

    def setUp(self):
        torch.manual_seed(0)

    def check_names(self, net, example):
        """Every QuantizeLinear of the export has PyTorch's integers, and
        each layer is within one step of them; returns those names."""
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "net.onnx")
            layers, unmatched = quantized.compare_layers(net, example, path)
            names = {n.name for n in onnx.load(path).graph.node if n.op_type == "QuantizeLinear"}
        self.assertEqual(unmatched, [])
        self.assertEqual({layer.name for layer in layers}, names)
        self.assertTrue(all(layer.max_steps <= 1 for layer in layers), layers)
        return names

    def test_nested_eager_modules(self):
        net = eager_ptq(seeded(Nested()).eval(), (2, 4, 5, 5), batches=4)
        names = self.check_names(net, torch.randn(1, 4, 5, 5))
        self.assertIn("/blocks/1/QuantizeLinear", names)  # the second ReLU of blocks.1

    def test_fx_graph(self):
        net = seeded(FxNet()).eval()
        # In place, as torchvision writes it: the unfused conv before it must
        # keep its own integers, not the clamped ones.
        net.relu6.inplace = True
        prepared = quantize_fx.prepare_fx(net,
                                          tq.QConfigMapping().set_global(ptq_qconfig()),
                                          (torch.zeros(1, 3, 12, 12),))
        with torch.no_grad():
            for _ in range(4):
                prepared(torch.randn(4, 3, 12, 12))
        # Every quantizer of the export, functions' too (quantize_per_tensor, add_relu, pooling).
        self.check_names(quantize_fx.convert_fx(prepared), torch.randn(2, 3, 12, 12))


if __name__ == "__main__":
    unittest.main()
