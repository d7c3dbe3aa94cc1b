"""ACEv2 against the clock: `pike cost --measure` times every layer of the
compiled model, `pike cost --model cpu` predicts it with the calibrated CPU
cost model, and bench/acev2_clock.py (bounded here) relates the two."""

import json
import os
import subprocess
import sys
import tempfile
import unittest

import numpy as np

from pike import measure, tools

PYTHON = sys.executable
SRC = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

# One shallow convolution (3x3 over 2 channels: 18 MACs per output) and one
# deep fully-connected layer (256 MACs per output) with its requantization.
TWO_LAYERS = """
func.func @main(%x: tensor<1x4x4x2xi4>, %w: tensor<3x3x3x2xi4>, %v: tensor<4x256xi8>,
                %m: tensor<64x256xi8>, %b: tensor<64xi32>) -> (tensor<1x4x4x3xi32>, tensor<4x64xi8>) {
  %a = pike.conv2d %x, %w {strides = array<i64: 1, 1>, padding = array<i64: 1, 1, 1, 1>, input_unsigned} : (tensor<1x4x4x2xi4>, tensor<3x3x3x2xi4>) -> tensor<1x4x4x3xi32>
  %f = pike.fully_connected %v, %m, %b : (tensor<4x256xi8>, tensor<64x256xi8>, tensor<64xi32>) -> tensor<4x64xi32>
  %q = pike.quant_norm %f {multiplier = #pike.fixed_point<bits = 8, multipliers = [97], shifts = [14]>} : tensor<4x64xi32> -> tensor<4x64xi8>
  return %a, %q : tensor<1x4x4x3xi32>, tensor<4x64xi8>
}
"""

# A block and its downsampling branch written as an exporter orders them:
# both convolutions, then both requantizations, then the residual add. The
# CPU pipeline runs the 3x3 convolution, its requantization and the add as
# one kernel, timed where the add was.
BRANCHES = """
func.func @main(%x: tensor<1x16x16x32xi8>) -> tensor<1x16x16x32xi8> {
  %wa = arith.constant dense<1> : tensor<32x3x3x32xi8>
  %wb = arith.constant dense<2> : tensor<32x1x1x32xi8>
  %a = pike.conv2d %x, %wa {input_unsigned, padding = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>} : (tensor<1x16x16x32xi8>, tensor<32x3x3x32xi8>) -> tensor<1x16x16x32xi32>
  %b = pike.conv2d %x, %wb {input_unsigned, padding = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x16x16x32xi8>, tensor<32x1x1x32xi8>) -> tensor<1x16x16x32xi32>
  %ra = pike.requantize %a {multiplier = #pike.fixed_point<bits = 32, multipliers = [1073741824], shifts = [42]>, output_unsigned} : tensor<1x16x16x32xi32> -> tensor<1x16x16x32xi8>
  %rb = pike.requantize %b {multiplier = #pike.fixed_point<bits = 32, multipliers = [1073741824], shifts = [40]>, output_unsigned} : tensor<1x16x16x32xi32> -> tensor<1x16x16x32xi8>
  %s = pike.add %ra, %rb {lhs_scale = #pike.fixed_point<bits = 32, multipliers = [1073741824], shifts = [31]>, output_unsigned, rhs_scale = #pike.fixed_point<bits = 32, multipliers = [1073741824], shifts = [31]>, lhs_unsigned, rhs_unsigned} : (tensor<1x16x16x32xi8>, tensor<1x16x16x32xi8>) -> tensor<1x16x16x32xi8>
  return %s : tensor<1x16x16x32xi8>
}
"""


def pike(*args):
    return subprocess.run([PYTHON, "-m", "pike", *args], capture_output=True, text=True)


class CpuCostModelTest(unittest.TestCase):
    def test_prediction_is_the_calibrated_sum_over_each_layer(self):
        with tempfile.TemporaryDirectory() as tmp:
            model, out = os.path.join(tmp, "two.mlir"), os.path.join(tmp, "r.json")
            with open(model, "w") as f:
                f.write(TWO_LAYERS)
            result = pike("cost", model, "--model", "cpu", "--target", "vector", "--json", out)
            self.assertEqual(result.returncode, 0, result.stderr)
            with open(out) as f:
                report = json.load(f)
        c = measure.load_cpu_model("vector")["coefficients"]
        conv, fc, qn = report["ops"]
        elementwise = lambda op: op["muls"] + op["adds"] + op["others"]
        # Counted here from the shapes: 16 outputs x 3 channels x 18 MACs, a
        # shallow reduction; 4 x 64 outputs x 256 MACs of 8-bit operands.
        conv_bytes = 32 + 54 + 48 * 4  # x, w (3x3x3x2, i4 in a byte each), acc
        expected_conv = (c["shallow_macs"] * 864 + c["tensor_bytes"] * conv_bytes
                         + c["elementwise_ops"] * elementwise(conv) + c["ops"])
        fc_bytes = 4 * 256 + 64 * 256 + 64 * 4 + 256 * 4
        qn_bytes = 256 * 4 + 256
        expected_fc = (c["deep_macs_8bit"] * 4 * 64 * 256
                       + c["tensor_bytes"] * (fc_bytes + qn_bytes)
                       + c["elementwise_ops"] * (elementwise(fc) + elementwise(qn)) + 2 * c["ops"])
        self.assertEqual([l["ops"] for l in report["layers"]], [1, 2])
        self.assertAlmostEqual(report["layers"][0]["predicted_us"], expected_conv, places=6)
        self.assertAlmostEqual(report["layers"][1]["predicted_us"], expected_fc, places=6)
        self.assertIn("cpu us", result.stdout)

    def test_an_uncalibrated_target_is_refused(self):
        result = pike("cost", os.path.join(SRC, "examples", "mobilenet_tiny.mlir"),
                      "--model", "cpu", "--target", "scalar")
        self.assertEqual(result.returncode, 2)
        self.assertIn("no CPU cost model calibrated for target scalar", result.stderr)

    def test_a_row_with_the_same_byte_kernels_shares_a_calibration(self):
        # avx512-vnni-popcnt builds avx512-vnni's byte kernels (what the
        # model's features time); host resolves to it on CPUs with vpopcntq.
        shared = measure.load_cpu_model("avx512-vnni-popcnt")
        own = measure.load_cpu_model("avx512-vnni")
        self.assertEqual(shared["coefficients"], own["coefficients"])
        self.assertIn("calibrated as avx512-vnni", shared["cpu"])
        with self.assertRaises(tools.ToolError):
            measure.load_cpu_model("aarch64-dotprod")

    def test_fit_recovers_planted_costs(self):
        rng = np.random.default_rng(3)
        planted = dict(zip(measure.FEATURES, [0.0, 2e-5, 9e-5, 0.0, 1e-4, 3e-5, 0.5]))
        layers = []
        for _ in range(60):
            features = {k: float(rng.integers(0, 10 ** 6)) for k in measure.FEATURES}
            features["ops"] = float(rng.integers(1, 4))
            layers.append({"features": features,
                           "measured_us": measure.predict_us(features, planted)})
        fitted = measure.fit_cpu_model(layers)
        for key, value in planted.items():
            self.assertAlmostEqual(fitted[key], value, delta=1e-9 + 1e-6 * value)

    def test_spearman_matches_scipy(self):
        from scipy.stats import spearmanr

        rng = np.random.default_rng(5)
        a = rng.integers(0, 6, 40)  # ties
        b = a + rng.normal(0, 2, 40)
        self.assertAlmostEqual(measure.spearman(a, b), spearmanr(a, b).correlation, places=12)


class MeasureTest(unittest.TestCase):
    def test_every_layer_is_timed_inside_the_network(self):
        with tempfile.TemporaryDirectory() as tmp:
            out = os.path.join(tmp, "r.json")
            result = pike("cost", os.path.join(SRC, "examples", "mobilenet_tiny.mlir"),
                          "--integer", "--measure", "--repeat", "3", "--json", out)
            self.assertEqual(result.returncode, 0, result.stderr)
            with open(out) as f:
                report = json.load(f)
        self.assertIn("measured us", result.stdout)
        self.assertIn("the whole network takes", result.stdout)
        mac_ops = [op for op in report["ops"] if op["macs"]]
        layers = report["layers"]
        # A layer per MAC op, plus the quantizer of the image before the first.
        self.assertEqual(len(layers), len(mac_ops) + 1)
        self.assertEqual([l["name"] for l in layers[1:]], [op["loc"] for op in mac_ops])
        self.assertTrue(all(l["measured_us"] > 0 for l in layers[1:]),
                        [l["measured_us"] for l in layers])
        self.assertGreater(report["measured"]["network_ms"], 0)
        self.assertAlmostEqual(sum(l["measured_us"] for l in layers),
                               sum(op["measured_us"] for op in report["ops"]), places=6)

    def test_a_layer_keeps_its_ops_when_another_layers_come_between(self):
        with tempfile.TemporaryDirectory() as tmp:
            model, out = os.path.join(tmp, "branches.mlir"), os.path.join(tmp, "r.json")
            with open(model, "w") as f:
                f.write(BRANCHES)
            result = pike("cost", model, "--measure", "--repeat", "3", "--json", out)
            self.assertEqual(result.returncode, 0, result.stderr)
            with open(out) as f:
                report = json.load(f)
        ops = report["ops"]
        self.assertEqual([op["inputs"] for op in ops], [[-1, -1], [-1, -1], [0], [1], [2, 3]])
        self.assertEqual([op["uses"] for op in ops], [1, 1, 1, 1, 1])
        three_by_three, one_by_one = report["layers"]
        # The 3x3 layer has its requantization and the add (its kernel's time,
        # 9x the 1x1's MACs); in the function's order it had neither.
        self.assertEqual((three_by_three["ops"], one_by_one["ops"]), (3, 2))
        self.assertGreater(three_by_three["measured_us"], one_by_one["measured_us"])
        self.assertGreater(one_by_one["measured_us"], 0)

    def test_grouping_follows_the_rows_read(self):
        def op(name, inputs, macs=0, uses=1, us=0.0):
            return {"op": name, "loc": f"{name}@{len(ops)}", "inputs": inputs, "uses": uses,
                    "macs": macs, "muls": 0, "adds": 0, "others": 0, "ace": 0.0, "acev2": 0.0,
                    "elementwise": 0.0, "result_elements": 0, "tensor_bytes": 0,
                    "measured_us": us}
        ops = []
        for row in (("pike.quantize", [-1]), ("pike.conv2d", [0, -1], 9),
                    ("pike.conv2d", [0, -1], 1), ("pike.quant_norm", [1], 0, 1, 10.0),
                    ("pike.quant_norm", [2], 0, 1, 0.0), ("pike.conv2d", [3, -1], 9),
                    ("pike.quant_norm", [5], 0, 1, 30.0), ("pike.add", [6, 4], 0, 1, 20.0),
                    ("pike.max_pool2d", [7])):
            ops.append(op(*row))
        layers = measure.timed_layers({"ops": ops})
        self.assertEqual([(l["name"], l["ops"], l["measured_us"]) for l in layers],
                         [("pike.quantize@0", 1, 0.0), ("pike.conv2d@1", 2, 10.0),
                          # The add runs in the first kernel whose requantized
                          # result it alone reads: the branch's, first in order;
                          # the pooling reads the add.
                          ("pike.conv2d@2", 4, 20.0), ("pike.conv2d@5", 2, 30.0)])
        # Without the rows' inputs: the function's order.
        for o in ops:
            del o["inputs"]
        self.assertEqual([l["ops"] for l in measure.timed_layers({"ops": ops})], [1, 1, 3, 4])


class StudyTest(unittest.TestCase):
    def test_bounded_study(self):
        with tempfile.TemporaryDirectory() as tmp:
            out = os.path.join(tmp, "study.json")
            env = dict(os.environ, PYTHONPATH=os.path.join(SRC, "python"))
            result = subprocess.run(
                [PYTHON, os.path.join(SRC, "bench", "acev2_clock.py"), "--small", "--repeat",
                 "2", "--targets", "vector", "--json", out],
                capture_output=True, text=True, env=env)
            self.assertEqual(result.returncode, 0, result.stderr[-3000:])
            with open(out) as f:
                study = json.load(f)
        data = study["targets"]["vector"]
        # Both zoo networks, both variants, both widths, as given and integer.
        self.assertEqual(len(data["models"]), 16)
        self.assertEqual(data["train_models"] + data["test_models"], 16)
        self.assertEqual(set(data["evaluation"]), {"macs", "ace", "acev2", "cpu"})
        for row in data["evaluation"].values():
            self.assertLessEqual(abs(row["layer_spearman_pooled"]), 1.0)
            self.assertGreaterEqual(row["layer_rel_error_median"], 0.0)
        self.assertIn("| acev2 |", result.stdout)


if __name__ == "__main__":
    unittest.main()
