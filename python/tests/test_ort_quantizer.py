"""The bounded CI run of bench/ort-quantizer.sh: torchvision's float models
quantized by onnxruntime's quantize_static import into Pike as written, and
their integer form with float32 rounding (onnxruntime's requantization) runs
layer by layer, fed onnxruntime's integers of its inputs: every layer within
one step, and only layers onnxruntime computed with a float kernel differ at
all; a file whose every layer matches is bit-identical to onnxruntime's own
run at the logits. Every model once, every
configuration (QDQ / QOperator, per tensor / per channel, U8S8 / S8S8) at
least once; the long run over all 7 x 8 records its table in
docs/Frontends.md."""

import unittest

from pike.torch import ort_quantizer

# Where onnxruntime computes a layer with a float kernel (a float
# DequantizeLinear -> Conv/Add -> QuantizeLinear it did not fuse; which
# layers depends on the CPU: without VNNI it runs int8 activations as uint8
# and leaves tensors with two readers in float), a one-step difference on a
# rare element there grows through the random-weight network to the logits:
# measured 8 steps (MobileNetV2, AMD Zen 3) and 3 steps with the argmax of a
# near tie moved (ResNet-18, Intel Emerald Rapids). No integer rule
# reproduces a float32 sum in MLAS's order, so such a file is judged layer
# by layer; a file whose every layer matches must match at the logits, bit
# for bit.

# model -> the configurations it is checked in (format, per_channel, types).
PLAN = {
    "resnet18": [("QDQ", True, "U8S8"), ("QDQ", True, "S8S8")],
    "mobilenet_v2": [("QDQ", True, "S8S8")],
    "mobilenet_v3_small": [("QDQ", False, "S8S8")],
    "efficientnet_b0": [("QOperator", True, "U8S8")],
    "shufflenet_v2_x1_0": [("QOperator", False, "S8S8")],
    # The smallest model takes the second QOperator configuration.
    "squeezenet1_1": [("QOperator", True, "S8S8"), ("QOperator", False, "U8S8")],
    # Per tensor: the grouped convolutions' requantization in float32.
    "regnet_x_400mf": [("QDQ", False, "U8S8")],
}


class OrtQuantizerTest(unittest.TestCase):
    def test_plan_covers_every_model_and_configuration(self):
        self.assertEqual(set(PLAN), set(ort_quantizer.MODELS))
        self.assertEqual({c for configs in PLAN.values() for c in configs},
                         set(ort_quantizer.CONFIGS))

    def check(self, name):
        rows = ort_quantizer.evaluate(name, PLAN[name], rounding="float32")
        for config, row in zip(PLAN[name], rows):
            with self.subTest(config=row["config"]):
                # The file is in the configuration asked for.
                fmt, per_channel, types = config
                self.assertEqual("QLinearConv" in row["ops"], fmt == "QOperator", row)
                self.assertEqual(row["per_channel_weights"], per_channel, row)
                self.assertEqual(row["activations"], "uint8" if types == "U8S8" else "int8")
                self.assertEqual(row["status"], "runs", row)
                self.assertGreaterEqual(row["outputs"], 1000, row)
                # Layer by layer: integer kernels exactly, float ones within a step.
                self.assertGreaterEqual(row["layers"], 10, row)
                self.assertLessEqual(row["layer_max_steps"], 1, row)
                self.assertLessEqual(set(row["layers_differing"]), set(row["ort_float_layers"]),
                                     row)
                if not row["layers_differing"]:
                    self.assertEqual(row["differing"], 0.0, row)
                    self.assertTrue(row["same_argmax"], row)
                # RegNet's files run on onnxruntime's integer kernels only: the
                # bit-identical case is never skipped.
                if name == "regnet_x_400mf":
                    self.assertEqual(row["ort_float_macs"], 0, row)


for _name in PLAN:
    setattr(OrtQuantizerTest, f"test_{_name}",
            lambda self, name=_name: self.check(name))


if __name__ == "__main__":
    unittest.main()
