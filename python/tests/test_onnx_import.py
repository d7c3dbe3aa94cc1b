"""ONNX models built here -> `pike import` -> integer pipeline -> pike-run,
compared with the same model evaluated in float with the same fake
quantization (onnx_models.evaluate). Tolerance: one step of the output
quantizer (integer requantization may round the other way only where the
real value lies within 2^-31 relative of a rounding boundary, docs/Transforms.md)."""

import os
import subprocess
import sys
import tempfile
import unittest

import numpy as np
import onnx
from onnx import TensorProto, helper

from pike import onnx_import
from tests import onnx_models as om
from pike.reference import Interpreter
from tests.tools import pike_opt, run_onnx

PYTHON = sys.executable
SRC = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def run_pike(m, inputs):
    """Imports `m` and runs its integer form with pike-run."""
    return run_onnx(m, inputs, ["--pike-quantize-pipeline"])


def qdq(name, scale, zp, out):
    return [helper.make_node("QuantizeLinear", [name, scale, zp], [out + "_q"]),
            helper.make_node("DequantizeLinear", [out + "_q", scale, zp], [out])]


class QdqTest(unittest.TestCase):
    def check(self, m, shape, out_scale, seed=0, trials=5):
        rng = np.random.default_rng(seed)
        exact = total = 0
        # `pike reference` runs the module `pike import` writes, as written.
        imported = Interpreter.from_text(pike_opt(onnx_import.import_model(m)))
        for _ in range(trials):
            x = rng.uniform(-1, 2, size=shape).astype(np.float32)
            expected = om.evaluate(m, {"x": x})[0]
            got = run_pike(m, [x])[0]
            self.assertEqual(got.shape, expected.shape)
            as_imported = imported.run("main", [x])[0]
            self.assertLessEqual(np.abs(as_imported - expected).max(), out_scale * 1.0001)
            diff = np.abs(got - expected)
            self.assertLessEqual(diff.max(), out_scale * 1.0001)
            exact += int(np.sum(diff < out_scale * 1e-3))
            total += diff.size
        self.assertGreater(exact / total, 0.99)

    def conv_bn_relu(self, rng, c, f, group=1, k=3):
        w = rng.integers(-7, 8, size=(f, c // group, k, k)).astype(np.int8)
        inits = [om.init("xs", np.float32(0.02)), om.init("xz", np.uint8(100)),
                 om.init("w", w), om.init("ws", rng.uniform(0.01, 0.03, f).astype(np.float32)),
                 om.init("wz", np.zeros(f, np.int8)),
                 om.init("g", rng.uniform(0.5, 1.5, f).astype(np.float32)),
                 om.init("b", rng.normal(0, 0.1, f).astype(np.float32)),
                 om.init("m", rng.normal(0, 0.1, f).astype(np.float32)),
                 om.init("v", rng.uniform(0.5, 1.5, f).astype(np.float32)),
                 om.init("ys", np.float32(0.02)), om.init("yz", np.uint8(0))]
        nodes = qdq("x", "xs", "xz", "xd") + [
            helper.make_node("DequantizeLinear", ["w", "ws", "wz"], ["wd"], axis=0),
            helper.make_node("Conv", ["xd", "wd"], ["c"], pads=[k // 2] * 4, group=group, name="conv"),
            helper.make_node("BatchNormalization", ["c", "g", "b", "m", "v"], ["bn"]),
            helper.make_node("Relu", ["bn"], ["r"])] + qdq("r", "ys", "yz", "y")
        return nodes, inits

    def test_conv_bn_relu(self):
        rng = np.random.default_rng(1)
        nodes, inits = self.conv_bn_relu(rng, 3, 8)
        m = om.model(nodes, [om.tensor("x", [1, 3, 6, 6])], [om.tensor("y", [1, 8, 6, 6])], inits)
        onnx.checker.check_model(m)
        self.check(m, (1, 3, 6, 6), 0.02)

    def test_depthwise_separable(self):
        rng = np.random.default_rng(2)
        c = 4
        dw, inits = self.conv_bn_relu(rng, c, c, group=c)
        pw_w = rng.integers(-7, 8, size=(6, c, 1, 1)).astype(np.int8)
        inits += [om.init("pw", pw_w), om.init("pws", rng.uniform(0.01, 0.03, 6).astype(np.float32)),
                  om.init("pwz", np.zeros(6, np.int8)), om.init("zs", np.float32(0.05)),
                  om.init("zz", np.uint8(10))]
        nodes = dw + [helper.make_node("DequantizeLinear", ["pw", "pws", "pwz"], ["pwd"], axis=0),
                      helper.make_node("Conv", ["y", "pwd"], ["p"], name="pointwise"),
                      helper.make_node("Relu", ["p"], ["pr"])] + qdq("pr", "zs", "zz", "z")
        m = om.model(nodes, [om.tensor("x", [1, c, 6, 6])], [om.tensor("z", [1, 6, 6, 6])], inits)
        onnx.checker.check_model(m)
        self.check(m, (1, c, 6, 6), 0.05)

    def test_residual_block(self):
        rng = np.random.default_rng(3)
        nodes, inits = self.conv_bn_relu(rng, 4, 4)
        inits += [om.init("ts", np.float32(0.03)), om.init("tz", np.uint8(0))]
        nodes += [helper.make_node("Add", ["y", "xd"], ["s"], name="residual"),
                  helper.make_node("Relu", ["s"], ["sr"])] + qdq("sr", "ts", "tz", "t")
        m = om.model(nodes, [om.tensor("x", [1, 4, 5, 5])], [om.tensor("t", [1, 4, 5, 5])], inits)
        onnx.checker.check_model(m)
        self.check(m, (1, 4, 5, 5), 0.03)

    def test_classifier_head(self):
        # Quantize, global pool between identical quantizers (integer pooling
        # after the fixed-point pass), flatten, fully-connected with bias.
        rng = np.random.default_rng(4)
        w = rng.integers(-127, 128, size=(5, 4)).astype(np.int8)
        inits = [om.init("xs", np.float32(0.02)), om.init("xz", np.uint8(0)),
                 om.init("w", w), om.init("ws", np.float32(0.01)), om.init("wz", np.int8(0)),
                 om.init("bias", rng.normal(0, 0.1, 5).astype(np.float32)),
                 om.init("ys", np.float32(0.05)), om.init("yz", np.int8(0))]
        nodes = qdq("x", "xs", "xz", "xd") + [
            helper.make_node("GlobalAveragePool", ["xd"], ["g"])] + qdq("g", "xs", "xz", "gd") + [
            helper.make_node("Flatten", ["gd"], ["f"]),
            helper.make_node("DequantizeLinear", ["w", "ws", "wz"], ["wd"]),
            helper.make_node("Gemm", ["f", "wd", "bias"], ["l"], transB=1, name="fc")] + qdq("l", "ys", "yz", "y")
        m = om.model(nodes, [om.tensor("x", [1, 4, 3, 3])], [om.tensor("y", [1, 5])], inits)
        onnx.checker.check_model(m)
        text = onnx_import.import_model(m)
        self.assertIn("pike.avg_pool2d", text)
        self.assertIn("pike.fully_connected", text)
        # Pike's integer average rounds ties up where the float model rounds
        # the mean half to even: one input step (0.02) apart at most, which
        # the 0.05 output step can turn into one output step.
        self.check(m, (1, 4, 3, 3), 0.05)

    def test_qonnx_4bit(self):
        rng = np.random.default_rng(6)
        w = rng.normal(0, 0.5, size=(4, 3, 3, 3)).astype(np.float32)
        inits = [om.init("s_in", np.float32(0.1)), om.init("z0", np.float32(0)),
                 om.init("b4", np.float32(4)), om.init("w", w),
                 om.init("s_w", np.full((4, 1, 1, 1), 0.125, np.float32)),
                 om.init("s_out", np.float32(0.2))]
        q = "qonnx.custom_op.general"
        nodes = [helper.make_node("Quant", ["x", "s_in", "z0", "b4"], ["xq"], domain=q, signed=0),
                 helper.make_node("Quant", ["w", "s_w", "z0", "b4"], ["wq"], domain=q, signed=1, narrow=1),
                 helper.make_node("Conv", ["xq", "wq"], ["c"], pads=[1, 1, 1, 1], name="conv4"),
                 helper.make_node("Relu", ["c"], ["r"]),
                 helper.make_node("Quant", ["r", "s_out", "z0", "b4"], ["y"], domain=q, signed=0)]
        m = om.model(nodes, [om.tensor("x", [1, 3, 5, 5])], [om.tensor("y", [1, 4, 5, 5])], inits,
                     extra_opsets=[q])
        text = onnx_import.import_model(m)
        self.assertIn("#pike.quantizer<u4", text)
        self.assertIn("tensor<4x3x3x3xi4>", text)  # 4-bit narrow-range weights
        self.check(m, (1, 3, 5, 5), 0.2)


class IntegerFormsTest(unittest.TestCase):
    def test_broadcast_add_and_concat(self):
        # A residual add that broadcasts [1, 4, 1, 1] over [1, 4, 5, 5], and a
        # Concat of two branches with different quantizers (0.04 and 0.03) into
        # a third (0.05, zero point 10): both become integer (requantize,
        # integer add, tensor.concat of requantized integers).
        inits = [om.init("sx", np.float32(0.02)), om.init("zx", np.uint8(100)),
                 om.init("sz", np.float32(0.01)), om.init("zz", np.uint8(0)),
                 om.init("sa", np.float32(0.03)), om.init("za", np.uint8(0)),
                 om.init("sc", np.float32(0.04)), om.init("zc", np.uint8(0)),
                 om.init("sy", np.float32(0.05)), om.init("zy", np.uint8(10))]
        nodes = (qdq("x", "sx", "zx", "xd") + qdq("z", "sz", "zz", "zd") +
                 [helper.make_node("Relu", ["xd"], ["r"])] + qdq("r", "sa", "za", "a") +
                 [helper.make_node("Add", ["a", "zd"], ["s"], name="broadcast_add")] +
                 qdq("s", "sc", "zc", "c") +
                 [helper.make_node("Concat", ["c", "a"], ["cat"], axis=1, name="concat")] +
                 qdq("cat", "sy", "zy", "y"))
        m = om.model(nodes, [om.tensor("x", [1, 4, 5, 5]), om.tensor("z", [1, 4, 1, 1])],
                     [om.tensor("y", [1, 8, 5, 5])], inits)
        integer = pike_opt(onnx_import.import_model(m), "--pike-quantize-pipeline")
        self.assertIn("tensor.concat", integer)
        self.assertIn("linalg.broadcast", integer)
        self.assertNotIn("f32>) -> tensor<1x5x5x8xf32>", integer)  # no real concat left
        rng = np.random.default_rng(4)
        exact = total = 0
        for _ in range(4):
            x = rng.uniform(-1, 2, size=(1, 4, 5, 5)).astype(np.float32)
            z = rng.uniform(0, 1, size=(1, 4, 1, 1)).astype(np.float32)
            expected = om.evaluate(m, {"x": x, "z": z})[0]
            got = run_pike(m, [x, z])[0]
            diff = np.abs(got - expected)
            self.assertLessEqual(diff.max(), 0.05 * 1.0001)
            exact += int(np.sum(diff < 1e-6))
            total += diff.size
        self.assertGreater(exact / total, 0.97)


class ChannelShuffleTest(unittest.TestCase):
    def test_reshape_transpose_reshape_stays_integer(self):
        # ShuffleNet's channel shuffle between quantizers: Reshape to 5-D,
        # Transpose, Reshape back, then a 1x1 Conv. The rearrangements move
        # the integers, so the integer form has no real arithmetic.
        rng = np.random.default_rng(5)
        w = rng.integers(-8, 8, size=(4, 4, 1, 1)).astype(np.int8)
        inits = [om.init("s", np.float32(0.05)), om.init("z", np.uint8(20)),
                 om.init("w", w), om.init("ws", np.float32(0.1)), om.init("wz", np.int8(0)),
                 om.init("ys", np.float32(0.2)), om.init("yz", np.uint8(128)),
                 om.init("split", np.array([1, 2, 2, 3, 3], np.int64)),
                 om.init("merged", np.array([1, 4, 3, 3], np.int64))]
        nodes = (qdq("x", "s", "z", "xd") +
                 [helper.make_node("Reshape", ["xd", "split"], ["r5"]),
                  helper.make_node("Transpose", ["r5"], ["t5"], perm=[0, 2, 1, 3, 4]),
                  helper.make_node("Reshape", ["t5", "merged"], ["shuffled"])] +
                 qdq("shuffled", "s", "z", "sd") +
                 [helper.make_node("DequantizeLinear", ["w", "ws", "wz"], ["wd"]),
                  helper.make_node("Conv", ["sd", "wd"], ["c"])] + qdq("c", "ys", "yz", "y"))
        m = om.model(nodes, [om.tensor("x", [1, 4, 3, 3])], [om.tensor("y", [1, 4, 3, 3])], inits)
        for _ in range(3):
            x = rng.uniform(-1, 2, size=(1, 4, 3, 3)).astype(np.float32)
            expected = om.evaluate(m, {"x": x})[0]
            got = run_pike(m, [x])[0]
            self.assertLessEqual(np.abs(got - expected).max(), 0.2 * 1.0001)
        integer = pike_opt(onnx_import.import_model(m), "--pike-quantize-pipeline")
        self.assertIn("tensor.reshape", integer)
        self.assertNotIn("xf32>) -> tensor<1x2x2x3x3xf32>", integer)


class MalformedTest(unittest.TestCase):
    def test_rank_mismatch_is_an_error_not_a_crash(self):
        # A 2-D input into a Conv: ONNX's own shape inference (onnx 1.12)
        # crashes the process on this model, so the serializer never runs it.
        nodes, inits = QdqTest.conv_bn_relu(None, np.random.default_rng(0), 4, 4)
        m = om.model(nodes, [om.tensor("x", [1, 4])], [om.tensor("y", [1, 4, 6, 6])], inits)
        with self.assertRaises(onnx_import.OnnxImportError) as ctx:
            onnx_import.import_model(m)
        self.assertEqual(str(ctx.exception),
                         "node 'conv' (Conv): only 2-D convolutions (4-D tensors) are supported")


class RoundingTest(unittest.TestCase):
    def test_imported_model_keeps_onnx_rounding(self):
        # ONNX rounds ties to even; the rule travels in the module, and the
        # integer passes follow it with no CLI option.
        m = om.model(qdq("x", "s", "z", "xq") +
                     [helper.make_node("QuantizeLinear", ["xq", "s2", "z"], ["y"])],
                     [om.tensor("x", [1, 4])], [om.tensor("y", [1, 4], TensorProto.INT8)],
                     [om.init("s", np.float32(0.5)), om.init("s2", np.float32(0.3)),
                      om.init("z", np.int8(0))])
        text = onnx_import.import_model(m)
        self.assertIn("module attributes {pike.rounding = #pike<rounding half_even>}", text)
        integer = pike_opt(text, "--pike-quantize-pipeline")
        self.assertIn("rounding = half_even", integer)


class DeclaredTypeTest(unittest.TestCase):
    def test_uint8_output_stays_uint8(self):
        # 80 / 0.5 = 160: written as uint8 160, not int8 -96.
        m = om.model([helper.make_node("QuantizeLinear", ["x", "s", "z"], ["y"], name="q"),
                      helper.make_node("QuantizeLinear", ["x", "s", "zs"], ["w"], name="qs")],
                     [om.tensor("x", [1, 3])],
                     [om.tensor("y", [1, 3], TensorProto.UINT8),
                      om.tensor("w", [1, 3], TensorProto.INT8)],
                     [om.init("s", np.float32(0.5)), om.init("z", np.uint8(0)),
                      om.init("zs", np.int8(0))])
        text = onnx_import.import_model(m)
        self.assertIn('tensor<1x3xi8> {pike.name = "y", pike.unsigned}', text)
        self.assertIn('tensor<1x3xi8> {pike.name = "w"}', text)
        y, w = run_onnx(m, [np.array([[80.0, 127.5, 1.0]], np.float32)])
        self.assertEqual(y.dtype, np.uint8)
        self.assertEqual(y.tolist(), [[160, 255, 2]])
        self.assertEqual(w.dtype, np.int8)
        self.assertEqual(w.tolist(), [[127, 127, 2]])
        # `pike reference` writes the declared type too.
        with tempfile.TemporaryDirectory() as tmp:
            model, x, out = (os.path.join(tmp, n) for n in ("m.mlir", "x.npy", "y.npy"))
            with open(model, "w") as f:
                f.write(text)
            np.save(x, np.array([[80.0, 127.5, 1.0]], np.float32))
            env = dict(os.environ, PYTHONPATH=os.path.join(SRC, "python"))
            subprocess.run([PYTHON, "-m", "pike", "reference", model, "--input", x,
                            "--output", out, "--output", out + ".w.npy"], env=env, check=True)
            self.assertEqual(np.load(out).dtype, np.uint8)
            self.assertEqual(np.load(out).tolist(), [[160, 255, 2]])


class ErrorTest(unittest.TestCase):
    def import_error(self, m):
        with self.assertRaises(onnx_import.OnnxImportError) as ctx:
            onnx_import.import_model(m)
        return str(ctx.exception)

    def test_unsupported_op_names_node(self):
        m = om.model([helper.make_node("Hardmax", ["x"], ["y"], name="choice")],
                     [om.tensor("x", [1, 4])], [om.tensor("y", [1, 4])], [])
        self.assertEqual(self.import_error(m),
                         "node 'choice' (Hardmax): operator is not supported by Pike's importer")

    def test_real_convolution(self):
        w = np.ones((2, 3, 1, 1), np.float32)
        m = om.model([helper.make_node("Conv", ["x", "w"], ["y"], name="c")],
                     [om.tensor("x", [1, 3, 4, 4])], [om.tensor("y", [1, 2, 4, 4])],
                     [om.init("w", w)])
        self.assertIn("node 'c' (Conv): the input must be quantized", self.import_error(m))

    def test_bad_scale(self):
        m = om.model([helper.make_node("QuantizeLinear", ["x", "s", "z"], ["y"], name="q")],
                     [om.tensor("x", [4])], [om.tensor("y", [4], TensorProto.UINT8)],
                     [om.init("s", np.float32(-1)), om.init("z", np.uint8(0))])
        self.assertIn("node 'q' (QuantizeLinear): scales must be positive", self.import_error(m))

    def test_symbolic_batch(self):
        x = helper.make_tensor_value_info("x", TensorProto.FLOAT, ["batch", 4])
        m = om.model([helper.make_node("Relu", ["x"], ["y"], name="r")], [x],
                     [om.tensor("y", [1, 4])], [])
        self.assertIn("give --batch N for a symbolic batch dimension", self.import_error(m))
        self.assertIn("tensor<2x4xf32>", onnx_import.import_model(m, batch=2))

    def test_graph_without_outputs(self):
        m = om.model([helper.make_node("Relu", ["x"], ["y"], name="r")],
                     [om.tensor("x", [1, 4])], [], [])
        self.assertEqual(self.import_error(m),
                         "model: the graph has no outputs, so there is nothing to compute")

    def test_empty_file(self):
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "empty.onnx")
            open(path, "wb").close()
            out = os.path.join(tmp, "out.mlir")
            env = dict(os.environ, PYTHONPATH=os.path.join(SRC, "python"))
            result = subprocess.run([PYTHON, "-m", "pike", "import", path, "-o", out],
                                    capture_output=True, text=True, env=env)
            self.assertEqual(result.returncode, 2)
            self.assertEqual(result.stderr.strip(), "pike import: error: model: no graph "
                             "(an empty file or not an ONNX model)")
            self.assertFalse(os.path.exists(out))

    def test_cli_reports_error(self):
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "bad.onnx")
            m = om.model([helper.make_node("Hardmax", ["x"], ["y"], name="sm")],
                         [om.tensor("x", [1, 4])], [om.tensor("y", [1, 4])], [])
            onnx.save(m, path)
            env = dict(os.environ, PYTHONPATH=os.path.join(SRC, "python"))
            result = subprocess.run([PYTHON, "-m", "pike", "import", path], capture_output=True,
                                    text=True, env=env)
            self.assertEqual(result.returncode, 2)
            self.assertIn("pike import: error: node 'sm' (Hardmax)", result.stderr)


if __name__ == "__main__":
    unittest.main()
