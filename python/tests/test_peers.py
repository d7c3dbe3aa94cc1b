"""bench/peers.py, bounded: MobileNetV1 w8a8 on 2 threads through PyTorch
int8, onnxruntime, OpenVINO, Pike (JIT, compiled library, and with onnxruntime's
rounding) and IREE in one run, and its convolutions
one by one on 1 thread. Times are recorded,
not judged; what is judged is that every peer ran the same network: Pike
within a few output steps of onnxruntime on the file onnxruntime quantized,
and IREE's run of Pike's integer form bit-identical to Pike's."""

import json
import os
import subprocess
import sys
import tempfile
import unittest

SRC = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PEERS = ("PyTorch int8 (oneDNN)", "onnxruntime", "OpenVINO", "Pike", "Pike (compiled library)",
         "Pike (onnxruntime's rounding)", "IREE (Pike's linalg)")


class PeersTest(unittest.TestCase):
    def test_every_peer_runs_the_same_network(self):
        with tempfile.TemporaryDirectory() as tmp:
            out, chart = os.path.join(tmp, "peers.json"), os.path.join(tmp, "peers.png")
            env = dict(os.environ, PYTHONPATH=os.pathsep.join(
                [os.path.join(SRC, "python"), os.path.join(SRC, "bench")]))
            result = subprocess.run(
                [sys.executable, os.path.join(SRC, "bench", "peers.py"), "mobilenet_v1",
                 "--threads", "2", "--repeat", "2", "--no-w4a4", "--json", out,
                 "--chart", chart, "--layers", "mobilenet_v1"],
                capture_output=True, text=True, env=env)
            self.assertEqual(result.returncode, 0, result.stderr[-3000:])
            with open(out) as f:
                recorded = json.load(f)
            rows = {r["peer"]: r for r in recorded["rows"]}
            self.assertGreater(os.path.getsize(chart), 10000)
        self.assertEqual(set(rows), set(PEERS), result.stdout)
        for peer, row in rows.items():
            self.assertGreater(row["median_ms"], 0, peer)
            self.assertGreaterEqual(row["median_ms"], row["best_ms"], peer)
            self.assertNotIn("failed", row["kernels"], peer)
        # The fastest peer has ratio 1; Pike is not a peer of itself.
        self.assertAlmostEqual(min(r["ratio_to_fastest_peer"] for p, r in rows.items()
                                   if not p.startswith("Pike")), 1.0)
        # Rounding rules differ (Pike's half-even against MLAS's float32
        # requantization): a few steps of the output quantizer at most,
        # where a different network would be off by hundreds.
        self.assertLessEqual(rows["Pike"]["steps_from_onnxruntime"], 8)
        # With onnxruntime's own requantization rounding (float32) every
        # convolution's integers are onnxruntime's: the logits too.
        self.assertEqual(rows["Pike (onnxruntime's rounding)"]["steps_from_onnxruntime"], 0)
        self.assertTrue(rows["IREE (Pike's linalg)"]["same_output_as_pike"])
        # The compiled library is the same integer program as the JIT's.
        self.assertTrue(rows["Pike (compiled library)"]["same_output_as_pike"])
        self.assertIn("one workspace", rows["Pike (compiled library)"]["kernels"])
        self.assertIn("x", rows["OpenVINO"]["kernels"])  # "<primitive> xN"
        # Layer by layer: each of MobileNetV1's 27 convolutions found in
        # Pike's profile and in each runtime's own, by its ONNX node name.
        layers = recorded["layers"]
        self.assertEqual(len(layers), 27)
        self.assertEqual(sum(l["kind"] == "depthwise" for l in layers), 13)
        for layer in layers:
            self.assertGreater(layer["pike_us"], 0, layer)
            self.assertGreater(layer["pike_float32_us"], 0, layer)
            self.assertGreater(layer.get("onnxruntime_us", 0), 0, layer)
            self.assertGreater(layer.get("openvino_us", 0), 0, layer)


if __name__ == "__main__":
    unittest.main()
