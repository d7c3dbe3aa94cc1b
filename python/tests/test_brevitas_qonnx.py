"""Brevitas networks read through QONNX, judged by qonnx's own executor.

Small Brevitas networks (QuantIdentity, QuantConv2d with per-channel Int4 and
Int2 weights and an Int16 quantized bias, QuantReLU at 4 and 2 bits, a
QuantLinear head, an Int8 output quantizer; random weights from a fixed seed)
are exported in the test with Brevitas' QONNX and QCDQ exporters, cleaned up
with qonnx (its constant folding turns the exported Shape/Gather arithmetic of
the flatten into a constant), and run by qonnx.core.onnx_exec.execute_onnx
and by Pike, as imported and in integer form (--pike-quantize-pipeline).

Both outputs are reals on the output quantizer's grid, so they are compared
as integers: y / scale of that quantizer (the last Quant or
DequantizeLinear), rounded, must be identical in every element. The rounding
modes Brevitas writes (ROUND, FLOOR, CEIL, ROUND_TO_ZERO) are covered on
weights (rounded at import) and activations; qonnx has no ROUND_TO_ZERO, and
is given the same model with its name for that rounding, DOWN (np.fix).
QONNX Trunc, which Brevitas writes for truncating average pooling, is built
with onnx.helper and compared the same way.

Brevitas, qonnx and torch come with the project's virtual environment; without
them this test fails rather than skips."""

import contextlib
import io
import os
import tempfile
import unittest
import warnings

import numpy as np
import onnx
from onnx import TensorProto, helper

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    import torch
    import brevitas.nn as qnn
    from brevitas.export import export_onnx_qcdq, export_qonnx
    from brevitas.quant import Int8WeightPerChannelFloat, Int16Bias
    from brevitas.quant.binary import (SignedBinaryActPerTensorConst,
                                       SignedBinaryWeightPerTensorConst)
    from qonnx.core.modelwrapper import ModelWrapper
    from qonnx.core.onnx_exec import execute_onnx
    from qonnx.util.cleanup import cleanup_model

from pike import onnx_import
from tests.tools import pike_opt, run_onnx

MODES = ([], ["--pike-quantize-pipeline"])
QONNX_DOMAIN = "qonnx.custom_op.general"


class Net(torch.nn.Module):
    """Two convolutions and a linear head at 4 and 2 bits."""

    def __init__(self, in_round="ROUND", w_round="ROUND", out_round="ROUND"):
        super().__init__()
        self.inp = qnn.QuantIdentity(bit_width=4, float_to_int_impl_type=in_round,
                                     return_quant_tensor=True)
        self.conv1 = qnn.QuantConv2d(3, 6, 3, padding=1, weight_quant=Int8WeightPerChannelFloat,
                                     weight_bit_width=4, weight_float_to_int_impl_type=w_round,
                                     bias=True, bias_quant=Int16Bias, return_quant_tensor=True)
        self.relu1 = qnn.QuantReLU(bit_width=4, return_quant_tensor=True)
        self.conv2 = qnn.QuantConv2d(6, 4, 3, stride=2, weight_quant=Int8WeightPerChannelFloat,
                                     weight_bit_width=2, bias=False, return_quant_tensor=True)
        self.relu2 = qnn.QuantReLU(bit_width=2, return_quant_tensor=True)
        self.fc = qnn.QuantLinear(4 * 3 * 3, 16, weight_bit_width=4, bias=True,
                                  bias_quant=Int16Bias, return_quant_tensor=True)
        self.out = qnn.QuantIdentity(bit_width=8, float_to_int_impl_type=out_round,
                                     return_quant_tensor=False)

    def forward(self, x):
        x = self.relu2(self.conv2(self.relu1(self.conv1(self.inp(x)))))
        return self.out(self.fc(x.reshape(x.shape[0], -1)))


class BinaryNet(torch.nn.Module):
    """A binarized network: +-1 activations (BipolarQuant) against +-1
    weights in a padded, strided 3x3 convolution and a linear layer, 8-bit between
    them."""

    def __init__(self):
        super().__init__()
        self.sign1 = qnn.QuantIdentity(act_quant=SignedBinaryActPerTensorConst,
                                       return_quant_tensor=True)
        self.conv = qnn.QuantConv2d(70, 96, 3, stride=2, padding=1,
                                    weight_quant=SignedBinaryWeightPerTensorConst,
                                    bias=False, return_quant_tensor=True)
        self.act = qnn.QuantIdentity(bit_width=8, return_quant_tensor=False)
        self.sign2 = qnn.QuantIdentity(act_quant=SignedBinaryActPerTensorConst,
                                       return_quant_tensor=True)
        self.fc = qnn.QuantLinear(96 * 3 * 3, 40, weight_quant=SignedBinaryWeightPerTensorConst,
                                  bias=False, return_quant_tensor=True)
        self.out = qnn.QuantIdentity(bit_width=8, return_quant_tensor=False)

    def forward(self, x):
        y = self.sign2(self.act(self.conv(self.sign1(x))))
        return self.out(self.fc(y.reshape(y.shape[0], -1)))


class BinaryBatchNormNet(torch.nn.Module):
    """FINN's CNV pattern: 8-bit image, binarized convolutions each followed
    by a batch norm and BipolarQuant, an 8-bit output."""

    def __init__(self):
        super().__init__()
        self.inp = qnn.QuantIdentity(bit_width=8, return_quant_tensor=True)
        layers = []
        for cin, cout in ((3, 64), (64, 64), (64, 128)):
            layers += [qnn.QuantConv2d(cin, cout, 3, bias=False,
                                       weight_quant=SignedBinaryWeightPerTensorConst),
                       torch.nn.BatchNorm2d(cout)]
        self.layers = torch.nn.ModuleList(layers)
        self.signs = torch.nn.ModuleList(
            qnn.QuantIdentity(act_quant=SignedBinaryActPerTensorConst, return_quant_tensor=True)
            for _ in range(2))
        self.out = qnn.QuantIdentity(bit_width=8, return_quant_tensor=False)

    def forward(self, x):
        x = self.inp(x)
        for i in range(3):
            x = self.layers[2 * i + 1](self.layers[2 * i](x))
            x = self.signs[i](x) if i < 2 else self.out(x)
        return x


def raw_export(net, x, exporter):
    """The model as Brevitas' `exporter` writes it."""
    with tempfile.TemporaryDirectory() as tmp, warnings.catch_warnings(), \
            contextlib.redirect_stdout(io.StringIO()):
        warnings.simplefilter("ignore")
        path = os.path.join(tmp, "model.onnx")
        exporter(net, x, path)
        return onnx.load(path)


def export(net, x, exporter):
    """The exported model, cleaned up by qonnx (shapes folded)."""
    return cleanup_model(ModelWrapper(raw_export(net, x, exporter))).model


def qonnx_run(model, x):
    wrapper = cleanup_model(ModelWrapper(onnx.ModelProto.FromString(model.SerializeToString())))
    out = execute_onnx(wrapper, {wrapper.graph.input[0].name: x})
    return out[wrapper.graph.output[0].name]


def output_scale(model):
    """The scale of the quantizer that writes the graph's output."""
    producer = {o: n for n in model.graph.node for o in n.output}[model.graph.output[0].name]
    inits = {i.name: onnx.numpy_helper.to_array(i) for i in model.graph.initializer}
    assert producer.op_type in ("Quant", "DequantizeLinear"), producer.op_type
    return np.float64(inits[producer.input[1]])


def on_grid(y, scale):
    """Integers of y on the grid `scale`; y must lie on it."""
    steps = np.asarray(y, dtype=np.float64) / scale
    ints = np.round(steps)
    assert np.abs(steps - ints).max() < 1e-3, "output is not on its quantizer's grid"
    return ints.astype(np.int64)


def rename_rounding(model, old, new):
    """A copy with rounding_mode `old` renamed `new` (qonnx's DOWN)."""
    copy = onnx.ModelProto.FromString(model.SerializeToString())
    for node in copy.graph.node:
        for attr in node.attribute:
            if attr.name == "rounding_mode" and attr.s.decode().upper() == old:
                attr.s = new.encode()
    return copy


class BrevitasQonnxTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        torch.manual_seed(0)
        cls.rng = np.random.default_rng(0)
        cls.x = (2 * cls.rng.standard_normal((8, 3, 8, 8))).astype(np.float32)

    def compare(self, model, judge_model=None, label=""):
        want = qonnx_run(judge_model or model, self.x)
        scale = output_scale(model)
        want_ints = on_grid(want, scale)
        # Not a degenerate network: its outputs take many values.
        self.assertGreater(len(np.unique(want_ints)), 8, label)
        for passes in MODES:
            (got,) = run_onnx(model, [self.x], passes)
            got_ints = on_grid(got, scale)
            differ = int((got_ints != want_ints).sum())
            self.assertEqual(differ, 0, f"{label} {passes}: {differ} of {want_ints.size} "
                                        f"outputs differ from qonnx's")
        return want_ints

    def network(self, exporter, **rounding):
        torch.manual_seed(0)
        net = Net(**rounding).eval()
        return export(net, torch.from_numpy(self.x), exporter)

    def test_qonnx_export(self):
        model = self.network(export_qonnx)
        ops = [n.op_type for n in model.graph.node]
        self.assertIn("Quant", ops)
        bits = {int(onnx.numpy_helper.to_array(i)) for i in model.graph.initializer
                if i.dims == [] and i.data_type == TensorProto.FLOAT
                and any(n.op_type == "Quant" and n.input[3] == i.name for n in model.graph.node)}
        self.assertTrue({2, 4, 8, 16} <= bits, bits)
        self.compare(model, label="QONNX")

    def test_qcdq_export(self):
        model = self.network(export_onnx_qcdq)
        self.assertIn("Clip", [n.op_type for n in model.graph.node])
        self.compare(model, label="QCDQ")

    def test_rounding_modes(self):
        """FLOOR, CEIL and ROUND_TO_ZERO on the input quantizer (a
        pike.quantize at run time) and on the weights (rounded at import).
        After a product, a directed rounding of a value that lies on the
        grid depends on the float error of each side's sum, so the output
        quantizer rounds to nearest (docs/Frontends.md has the measurement)."""
        for mode in ("FLOOR", "CEIL", "ROUND_TO_ZERO"):
            with self.subTest(mode=mode):
                model = self.network(export_qonnx, in_round=mode, w_round=mode)
                modes = {a.s.decode() for n in model.graph.node for a in n.attribute
                         if a.name == "rounding_mode"}
                self.assertIn(mode, modes)
                judge = rename_rounding(model, "ROUND_TO_ZERO", "DOWN")
                self.compare(model, judge, label=mode)

    def test_trunc(self):
        """Quant to 8 bits, then Trunc to 4 bits 2^3 coarser, for each
        rounding mode and signedness: v2 as TruncAvgPool2d writes it (on
        output_scale's grid, clamped), and v1 (5 inputs: on the input's grid,
        not clamped)."""
        x = (40 * self.rng.standard_normal((2, 3, 5, 5))).astype(np.float32)
        for version in (2, 1):
            for mode in ("FLOOR", "CEIL", "ROUND", "ROUND_TO_ZERO"):
                for signed in (1, 0):
                    with self.subTest(version=version, mode=mode, signed=signed):
                        self.check_trunc(x, version, mode, signed)

    def check_trunc(self, x, version, mode, signed):
        consts = {"s": 0.5, "z": 0.0, "b8": 8.0, "so": 4.0, "b4": 4.0}
        inits = [helper.make_tensor(k, TensorProto.FLOAT, [], [v]) for k, v in consts.items()]
        quant = helper.make_node("Quant", ["x", "s", "z", "b8"], ["q"], domain=QONNX_DOMAIN,
                                 signed=signed, narrow=0, rounding_mode="ROUND")
        if version == 2:
            trunc = helper.make_node("Trunc", ["q", "s", "z", "b8", "so", "b4"], ["y"],
                                     domain=QONNX_DOMAIN, rounding_mode=mode,
                                     signed=signed, narrow=0)
            grid = 4.0
        else:
            trunc = helper.make_node("Trunc", ["q", "s", "z", "b8", "b4"], ["y"],
                                     domain=QONNX_DOMAIN, rounding_mode=mode)
            grid = 0.5
        graph = helper.make_graph(
            [quant, trunc], "trunc",
            [helper.make_tensor_value_info("x", TensorProto.FLOAT, list(x.shape))],
            [helper.make_tensor_value_info("y", TensorProto.FLOAT, list(x.shape))], inits)
        model = helper.make_model(graph, opset_imports=[
            helper.make_opsetid("", 13), helper.make_opsetid(QONNX_DOMAIN, version)])
        judge = rename_rounding(model, "ROUND_TO_ZERO", "DOWN")
        want = on_grid(qonnx_run(judge, x), grid)
        self.assertGreater(len(np.unique(want)), 8)
        if mode == "ROUND_TO_ZERO" and signed:
            # Negative and positive halves both occur, away from the grid.
            self.assertTrue(((want < 0) & (want > -8)).any() and (want > 0).any())
        for passes in MODES:
            (got,) = run_onnx(model, [x], passes)
            np.testing.assert_array_equal(on_grid(got, grid), want,
                                          f"v{version} {mode} signed={signed} {passes}")

    def test_trunc_edges(self):
        """A 16-bit Quant; Trunc of a raw input past input_bit_width (qonnx
        does not clamp it); output_scale / scale = 2^1.5 in float32, where
        qonnx's float32 log2 rounds half to even (k = 2, not 1)."""
        def model(nodes, consts, version):
            graph = helper.make_graph(
                nodes, "g", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 4])],
                [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 4])],
                [helper.make_tensor(k, TensorProto.FLOAT, [], [v]) for k, v in consts.items()])
            return helper.make_model(graph, opset_imports=[
                helper.make_opsetid("", 13), helper.make_opsetid(QONNX_DOMAIN, version)])

        quant = helper.make_node("Quant", ["x", "s", "z", "b"], ["y"], domain=QONNX_DOMAIN,
                                 signed=1, narrow=0, rounding_mode="ROUND")
        cases = [
            ("16-bit Quant", model([quant], {"s": 1.0, "z": 0.0, "b": 16.0}, 1),
             [[300, -1000, 127, -32768]], 1.0),
            ("Trunc v1 of a raw input", model(
                [helper.make_node("Trunc", ["x", "s", "z", "bi", "bo"], ["y"],
                                  domain=QONNX_DOMAIN, rounding_mode="FLOOR")],
                {"s": 1.0, "z": 0.0, "bi": 4.0, "bo": 2.0}, 1), [[100, -100, 7, 20]], 1.0),
            ("Trunc v2, k from a float32 log2 of 1.5", model(
                [helper.make_node("Quant", ["x", "s", "z", "b8"], ["q"], domain=QONNX_DOMAIN,
                                  signed=1, narrow=0, rounding_mode="ROUND"),
                 helper.make_node("Trunc", ["q", "s", "z", "b8", "so", "b4"], ["y"],
                                  domain=QONNX_DOMAIN, rounding_mode="FLOOR", signed=1,
                                  narrow=0)],
                {"s": 0.5, "z": 0.0, "b8": 8.0, "b4": 4.0, "so": float(np.float32(1.4142135))},
                2), [[10, -10, 3, 6]], float(np.float32(1.4142135))),
        ]
        for label, m, x, grid in cases:
            with self.subTest(label):
                x = np.array(x, np.float32)
                want = on_grid(qonnx_run(m, x), grid)
                for passes in MODES:
                    (got,) = run_onnx(m, [x], passes)
                    np.testing.assert_array_equal(on_grid(got, grid), want, f"{label} {passes}")

    def test_trunc_avg_pool(self):
        """Brevitas' TruncAvgPool2d as its QONNX exporter writes it: Quant,
        Pad, AveragePool, then Trunc on the grid of the average (the input
        scale / kernel area), which must read the average as the real it
        is, not rounded to its input's grid first."""
        from brevitas.quant.scaled_int import RoundTo8bit, TruncTo8bit

        class Pool(torch.nn.Module):
            def __init__(self, kernel, stride, bits, trunc_quant):
                super().__init__()
                self.quant = qnn.QuantIdentity(bit_width=8, return_quant_tensor=True)
                self.pool = qnn.TruncAvgPool2d(kernel, stride, bit_width=bits,
                                               trunc_quant=trunc_quant,
                                               return_quant_tensor=False)

            def forward(self, x):
                return self.pool(self.quant(x))

        x = torch.from_numpy((2 * self.rng.standard_normal((2, 3, 9, 9))).astype(np.float32))
        for kernel, stride, bits, trunc_quant in ((2, 2, 4, RoundTo8bit), (3, 1, 6, RoundTo8bit),
                                                 (2, 1, 5, TruncTo8bit), (3, 2, 6, TruncTo8bit)):
            label = f"kernel {kernel} stride {stride} {bits} bits {trunc_quant.__name__}"
            with self.subTest(label):
                torch.manual_seed(0)
                model = raw_export(Pool(kernel, stride, bits, trunc_quant).eval(), x,
                                   export_qonnx)
                trunc = [n for n in model.graph.node if n.op_type == "Trunc"]
                self.assertEqual(len(trunc), 1, label)
                inits = {i.name: onnx.numpy_helper.to_array(i) for i in model.graph.initializer}
                scale = np.float64(inits[trunc[0].input[4]])
                want = on_grid(qonnx_run(model, x.numpy()), scale)
                self.assertGreater(len(np.unique(want)), 8, label)
                for passes in MODES:
                    (got,) = run_onnx(model, [x.numpy()], passes)
                    np.testing.assert_array_equal(on_grid(got, scale), want, f"{label} {passes}")

    def run_binary(self, model, x, distinct):
        """Checks `model` bit for bit against qonnx, as imported and in integer
        form, on outputs of more than `distinct` values; returns its CPU
        kernels' module (generic form) and its functions, one a piece."""
        want = on_grid(qonnx_run(model, x), output_scale(model))
        self.assertGreater(len(np.unique(want)), distinct)
        for passes in MODES:
            (got,) = run_onnx(model, [x], passes)
            np.testing.assert_array_equal(on_grid(got, output_scale(model)), want, str(passes))
        kernels = pike_opt(onnx_import.import_model(model, "model.mlir"),
                           "--pike-quantize-pipeline", "--convert-pike-to-cpu-kernels")
        return kernels, kernels.split('"func.func"()')[1:]

    def test_binary_network(self):
        """Brevitas' binarized layers run on the XOR-popcount kernels, bit for
        bit as qonnx executes them; each kernel reads the tensor the +-1
        values were requantized from (the sign requantizes are gone)."""
        torch.manual_seed(0)
        x = self.rng.standard_normal((2, 70, 6, 6)).astype(np.float32)
        model = export(BinaryNet().eval(), torch.from_numpy(x), export_qonnx)
        self.assertEqual([n.op_type for n in model.graph.node].count("BipolarQuant"), 4)
        kernels, functions = self.run_binary(model, x, distinct=8)
        kernel_bodies = [f for f in functions if 'sym_visibility = "private"' in f]
        self.assertEqual(len(kernel_bodies), 2)
        for body in kernel_bodies:
            self.assertIn('"math.ctpop"', body)
        self.assertNotIn('"pike.requantize"', kernels)

    def test_binary_network_with_batch_norm(self):
        """Batch norms before BipolarQuant become one integer threshold per
        channel, so the whole network is integer and its binary layers run
        on the XOR-popcount kernels, bit for bit as qonnx executes it. About
        half the batch norms' scales are negative (a trained network has
        some): pike-fold-batch-norm negates those channels' weights."""
        torch.manual_seed(0)
        net = BinaryBatchNormNet()
        with torch.no_grad():
            for norm in net.layers[1::2]:
                norm.running_mean.uniform_(-5, 5)
                norm.running_var.uniform_(1, 20)
                norm.weight.uniform_(-2, 2)
                norm.bias.uniform_(-1, 1)
        x = (2 * self.rng.standard_normal((2, 3, 16, 16))).astype(np.float32)
        model = export(net.eval(), torch.from_numpy(x), export_qonnx)
        self.assertEqual([n.op_type for n in model.graph.node].count("BatchNormalization"), 3)
        kernels, functions = self.run_binary(model, x, distinct=100)
        self.assertNotIn('"pike.scale"', kernels)
        self.assertEqual(sum('"math.ctpop"' in f for f in functions), 2)

    def test_bipolar_activations(self):
        """BipolarQuant and a signed 1-bit Quant (bipolar in QONNX) of an
        activation, zeros and negative zeros included."""
        x = self.rng.standard_normal((2, 3, 4, 4)).astype(np.float32)
        x.flat[::5] = 0.0
        x.flat[1::5] = -0.0
        inits = [helper.make_tensor("s", TensorProto.FLOAT, [], [0.75]),
                 helper.make_tensor("z", TensorProto.FLOAT, [], [0.0]),
                 helper.make_tensor("b1", TensorProto.FLOAT, [], [1.0])]
        for node in (helper.make_node("BipolarQuant", ["x", "s"], ["y"], domain=QONNX_DOMAIN),
                     helper.make_node("Quant", ["x", "s", "z", "b1"], ["y"], domain=QONNX_DOMAIN,
                                      signed=1, narrow=0, rounding_mode="ROUND")):
            with self.subTest(op=node.op_type):
                graph = helper.make_graph(
                    [node], "bipolar",
                    [helper.make_tensor_value_info("x", TensorProto.FLOAT, list(x.shape))],
                    [helper.make_tensor_value_info("y", TensorProto.FLOAT, list(x.shape))],
                    inits)
                model = helper.make_model(graph, opset_imports=[
                    helper.make_opsetid("", 13), helper.make_opsetid(QONNX_DOMAIN, 1)])
                want = on_grid(qonnx_run(model, x), 0.75)
                self.assertEqual(set(np.unique(want)), {-1, 1})
                for passes in MODES:
                    (got,) = run_onnx(model, [x], passes)
                    np.testing.assert_array_equal(on_grid(got, 0.75), want,
                                                  f"{node.op_type} {passes}")


if __name__ == "__main__":
    unittest.main()
