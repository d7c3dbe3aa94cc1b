"""Train to deploy (docs/Tutorial.md): examples/digits/run.sh trains the
PikeLPN digits network with fixed seeds on one thread, and the compiled
integer model keeps the fake-quantized PyTorch model's accuracy."""

import json
import os
import subprocess
import tempfile
import unittest

SRC = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def build_dir():
    """The build tree whose tools ctest gives us (PIKE_OPT), else build/."""
    opt = os.environ.get("PIKE_OPT")
    return os.path.dirname(os.path.dirname(opt)) if opt else os.path.join(SRC, "build")


class DigitsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        env = dict(os.environ, PIKE_NO_BUILD="1", PIKE_BUILD_DIR=build_dir(),
                   PIKE_DIGITS_DIR=cls.tmp.name, PIKE_CACHE_DIR=cls.tmp.name)
        cls.log = subprocess.run(["bash", os.path.join(SRC, "examples", "digits", "run.sh")],
                                 env=env, capture_output=True, text=True)
        cls.out = cls.tmp.name

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def setUp(self):
        self.assertEqual(self.log.returncode, 0, self.log.stdout + self.log.stderr)

    def test_accuracy_is_kept_through_the_integer_pipeline(self):
        with open(os.path.join(self.out, "evaluation.json")) as f:
            result = json.load(f)
        self.assertEqual(result["images"], 360)
        # Stated tolerance: half a percentage point of test accuracy (here the
        # compiled logits are bit-identical, so the difference is zero).
        self.assertGreater(result["fake_quant_accuracy"], 0.95)
        self.assertLessEqual(abs(result["compiled_accuracy"] - result["fake_quant_accuracy"]),
                             0.005)
        self.assertGreaterEqual(result["prediction_agreement"], 0.99)
        self.assertEqual(result["logits_identical_to_exact"], 1.0)

    def test_the_model_asked_for_quantnorm_and_double_quantization(self):
        self.assertIn("pike.double_quantize_bits = 4 : i64", self.log.stdout)
        self.assertIn("pike.quantnorm_multiplier_bits = 8 : i64", self.log.stdout)

    def test_acev2_against_real_batch_norm_and_scales(self):
        with open(os.path.join(self.out, "digits.cost.json")) as f:
            reports = json.load(f)
        given, integer = reports["as given"]["total"], reports["integer form"]["total"]
        self.assertEqual(given["macs"], integer["macs"])
        self.assertGreater(given["elementwise_share"], 0.8)
        self.assertLess(integer["elementwise_share"], 0.6)
        self.assertLess(integer["acev2"], 0.25 * given["acev2"])
        with open(os.path.join(self.out, "digits.cost.png"), "rb") as f:
            self.assertEqual(f.read(8), b"\x89PNG\r\n\x1a\n")


if __name__ == "__main__":
    unittest.main()
