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

from pike import measure

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
