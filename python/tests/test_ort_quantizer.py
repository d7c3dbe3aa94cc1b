"""The bounded CI run of bench/ort-quantizer.sh: torchvision's float models
quantized by onnxruntime's quantize_static import into Pike as written, and
their integer form with float32 rounding (onnxruntime's requantization) runs
within one output step of onnxruntime's own run of the same quantized file,
with the same argmax; bit-identical where onnxruntime computes every
convolution and matrix product with its integer kernels. Layer by layer, fed
onnxruntime's integers of its inputs, every layer is within one step, and
only layers onnxruntime computed with a float kernel differ at all. Every model once, every
configuration (QDQ / QOperator, per tensor / per channel, U8S8 / S8S8) at
least once; the long run over all 7 x 8 records its table in
docs/Frontends.md."""

import unittest

from pike.torch import ort_quantizer

# Files whose logits onnxruntime computes partly in float (on CPUs without
# VNNI it leaves convolutions and adds whose int8 output has two readers as
# float DequantizeLinear -> Conv/Add -> QuantizeLinear), where a one-step
# difference in one layer grows through the random-weight network: their
# layers are checked one by one, their logits for the argmax only.
# Measured: 8 steps at the logits from 1 step on 0.02 % of one layer.
AMPLIFIED = {("mobilenet_v2", ("QDQ", True, "S8S8"))}

# model -> the configurations it is checked in (format, per_channel, types).
PLAN = {
    "resnet18": [("QDQ", False, "U8S8"), ("QDQ", True, "S8S8")],
    "mobilenet_v2": [("QDQ", False, "S8S8"), ("QDQ", True, "S8S8")],
    "mobilenet_v3_small": [("QDQ", False, "S8S8")],
    "efficientnet_b0": [("QOperator", True, "U8S8")],
    "shufflenet_v2_x1_0": [("QOperator", False, "S8S8")],
    "squeezenet1_1": [("QOperator", True, "S8S8")],
    "regnet_x_400mf": [("QDQ", True, "U8S8"), ("QDQ", False, "U8S8"),
                       ("QOperator", False, "U8S8")],
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
                self.assertTrue(row["same_argmax"], row)
                # Layer by layer: integer kernels exactly, float ones within a step.
                self.assertGreaterEqual(row["layers"], 10, row)
                self.assertLessEqual(row["layer_max_steps"], 1, row)
                self.assertLessEqual(set(row["layers_differing"]), set(row["ort_float_layers"]),
                                     row)
                if not row["ort_float_layers"]:
                    self.assertEqual(row["differing"], 0.0, row)
                elif (name, config) not in AMPLIFIED:
                    self.assertLessEqual(row["max_steps"], 1, row)
                # RegNet's files run on onnxruntime's integer kernels only: the
                # bit-identical case is never skipped.
                if name == "regnet_x_400mf":
                    self.assertEqual(row["ort_float_macs"], 0, row)


for _name in PLAN:
    setattr(OrtQuantizerTest, f"test_{_name}",
            lambda self, name=_name: self.check(name))


if __name__ == "__main__":
    unittest.main()
