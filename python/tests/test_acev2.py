"""ACEv2 totals checked against an independent computation from the rules of
docs/ACEv2.md and the model geometry, and the collapse of the elementwise
share that PikeLPN's transforms bring."""

import json
import os
import subprocess
import sys
import tempfile
import unittest

from pike import cost, zoo

PYTHON = sys.executable
SRC = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def mobilenet_v1_expected(act_bits=4, weight_bits=4, edge_bits=8, res=224, classes=1000):
    """MACs, ACE and ACEv2 of the zoo MobileNetV1 in quantized-graph form,
    counted here from the geometry and the per-op rules."""
    f = 32  # f32 operands
    # Per element of a conv output: scale (mul), batch-norm (3 adds, 2 muls,
    # square root), PACT clamp (2 others), quantize (mul, add, 5 others:
    # round, clamp, and the NaN test and select).
    per_conv_element = f * f + (3 * f + 2 * f * f + f) + 2 * f + (f * f + f + 5 * f)
    macs = ace = elementwise = 0
    h = res
    c = 3
    layers = [("conv", 32, 2, edge_bits, edge_bits)]  # (kind, out, stride, a bits, w bits)
    for out, stride in zoo.MOBILENET_V1_BLOCKS:
        layers += [("dw", None, stride, act_bits, weight_bits), ("pw", out, 1, act_bits, weight_bits)]
    for kind, out, stride, a_bits, w_bits in layers:
        h = -(-h // stride)
        if kind == "dw":
            out, k = c, 9
        else:
            k = (9 if kind == "conv" else 1) * c
        n_out = h * h * out
        macs += n_out * k
        ace += n_out * k * a_bits * w_bits
        elementwise += n_out * per_conv_element
        c = out
    # Image quantize: divide, round, + zero point, clamp, NaN test and select.
    elementwise += res * res * 3 * (f * f + f + 5 * f)
    # Global average pool of u4 (sum in i32, then rounded division, clamp):
    # per window element an add at 32; per output 2*sum (32 x 3 bits),
    # + 49 (35 bits), / 98 (36 x 8 bits), 2 clamps at 44 bits.
    elementwise += c * (49 * 32) + c * (32 * 3 + 35 + 36 * 8 + 2 * 44)
    # Classifier: u4 x s8 MACs; scale with bias; logits quantize, dequantize.
    macs += c * classes
    ace += c * classes * act_bits * edge_bits
    elementwise += classes * ((f * f + f) + (f * f + f + 5 * f) + f * f)
    return macs, ace, ace + elementwise


class MobileNetV1Test(unittest.TestCase):
    def test_totals_match_independent_count(self):
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "mobilenetv1.mlir")
            with open(path, "w") as f:
                f.write(zoo.mobilenet_v1(splat_weights=True))
            total = cost.analyze(path)["total"]
        macs, ace, acev2 = mobilenet_v1_expected()
        self.assertEqual(macs, 568_740_352)  # FACTS.md
        self.assertEqual(total["macs"], macs)
        self.assertEqual(total["ace"], ace)
        self.assertEqual(total["acev2"], acev2)


class CollapseTest(unittest.TestCase):
    """The bundled model: real batch-norm and scales against the PikeLPN
    integer form (Double Quantization to 4 bits, 8-bit QuantNorm)."""

    def test_elementwise_share_collapses(self):
        model = os.path.join(SRC, "examples", "mobilenet_tiny.mlir")
        baseline = cost.analyze(model)["total"]
        integer = cost.analyze(model, [cost.pipeline_option(True, 4, 8)])["total"]
        self.assertEqual(baseline["ace"], integer["ace"])  # the same MACs
        self.assertGreater(baseline["elementwise_share"], 0.9)
        self.assertLess(integer["elementwise_share"], 0.6)
        self.assertLess(integer["acev2"], 0.25 * baseline["acev2"])
        self.assertLess(integer["energy_pj"], 0.25 * baseline["energy_pj"])

    def test_cli_table_json_and_chart(self):
        model = os.path.join(SRC, "examples", "mobilenet_tiny.mlir")
        with tempfile.TemporaryDirectory() as tmp:
            report, chart = os.path.join(tmp, "r.json"), os.path.join(tmp, "c.png")
            env = dict(os.environ, PYTHONPATH=os.path.join(SRC, "python"))
            out = subprocess.run(
                [PYTHON, "-m", "pike", "cost", model, "--compare", "--double-quantize",
                 "--multiplier-bits", "8", "--json", report, "--plot", chart],
                capture_output=True, text=True, env=env, check=True).stdout
            self.assertIn("block1/dw", out)
            self.assertIn("elementwise share 91.9% -> ", out)
            with open(report) as f:
                data = json.load(f)
            self.assertEqual(set(data), {"as given", "integer form"})
            self.assertEqual(data["as given"]["total"]["macs"], 270464)
            with open(chart, "rb") as f:
                self.assertEqual(f.read(8), b"\x89PNG\r\n\x1a\n")


class ReportTest(unittest.TestCase):
    def test_every_bar_is_labelled(self):
        # Unnamed, long (PyTorch-exported) and plain layer names.
        ops = [{"loc": loc, "op": "pike.conv2d", "macs": 1, "ace": 64.0, "elementwise": 8.0,
                "acev2": 72.0} for loc in
               ["", "/features/features.13/features.13.3/conv/Conv", "conv1"]]
        report = {"ops": ops, "total": {"acev2": 216.0, "elementwise_share": 0.1}}
        with tempfile.TemporaryDirectory() as tmp:
            labels = cost.plot([("as given", report)], os.path.join(tmp, "c.png"))[0]
        self.assertEqual(labels, ["#0", "...atures.13.3/conv/Conv", "conv1"])
        self.assertTrue(all(0 < len(label) <= 24 for label in labels))

    def test_a_pytorch_module_is_one_bar(self):
        """The batch-norm and quantizer after "/stem/Conv" are the stem's."""
        def op(loc, macs):
            return {"loc": loc, "op": "x", "macs": macs, "ace": 64.0 * macs,
                    "elementwise": 8.0, "acev2": 64.0 * macs + 8.0}
        ops = [op("/source/Quant", 0), op("/stem/Conv", 1), op("/stem/norm/BatchNormalization", 0),
               op("/stem/output/Quant", 0), op("/pool/GlobalAveragePool", 0)]
        names, mac, elementwise = cost._layers({"ops": ops})
        self.assertEqual(names, ["/source", "/stem/Conv", "/pool"])
        self.assertEqual(elementwise, [8.0, 24.0, 8.0])
        self.assertEqual(mac, [0.0, 64.0, 0.0])

    def test_compare_prints_nothing_when_a_run_fails(self):
        with tempfile.TemporaryDirectory() as tmp:
            bad = os.path.join(tmp, "bad.mlir")
            with open(bad, "w") as f:  # fine as given, fails the integer pipeline
                f.write('''func.func @main(%x: tensor<4xi8>) -> tensor<4xf32> {
  %d = pike.dequantize %x {quantizer = #pike.quantizer<s8, scales = [1.0e30]>} : tensor<4xi8> -> tensor<4xf32>
  %q = pike.quantize %d {quantizer = #pike.quantizer<s8, scales = [1.0e-30]>} : tensor<4xf32> -> tensor<4xi8>
  %r = pike.dequantize %q {quantizer = #pike.quantizer<s8, scales = [1.0e-30]>} : tensor<4xi8> -> tensor<4xf32>
  return %r : tensor<4xf32>
}
''')
            env = dict(os.environ, PYTHONPATH=os.path.join(SRC, "python"))
            result = subprocess.run([PYTHON, "-m", "pike", "cost", bad, "--compare"],
                                    capture_output=True, text=True, env=env)
        self.assertEqual(result.returncode, 2, result.stderr)
        self.assertEqual(result.stdout, "")
        self.assertIn("error", result.stderr)


if __name__ == "__main__":
    unittest.main()
