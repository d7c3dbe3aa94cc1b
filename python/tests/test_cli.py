"""The command line: zoo, compile, run, reference and their errors."""

import os
import subprocess
import sys
import tempfile
import unittest

import numpy as np

SRC = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
MODEL = os.path.join(SRC, "examples", "mobilenet_tiny.mlir")
IMAGE = os.path.join(SRC, "examples", "mobilenet_tiny_input.npy")


def pike(*args, check=True):
    env = dict(os.environ, PYTHONPATH=os.path.join(SRC, "python"))
    return subprocess.run([sys.executable, "-m", "pike", *args], capture_output=True,
                          text=True, env=env, check=check)


class CliTest(unittest.TestCase):
    def test_a_crashed_tool_is_reported_as_a_crash(self):
        # A tool killed by a signal is a bug, not a rejected model: its own
        # status (70) and message, never exit 2 with the crash's text.
        with tempfile.TemporaryDirectory() as tmp:
            fake = os.path.join(tmp, "pike-opt")
            with open(fake, "w") as f:
                f.write("#!/bin/sh\necho 'Stack dump:' >&2\nkill -SEGV $$\n")
            os.chmod(fake, 0o755)
            env = dict(os.environ, PYTHONPATH=os.path.join(SRC, "python"), PIKE_OPT=fake)
            result = subprocess.run([sys.executable, "-m", "pike", "cost", MODEL],
                                    capture_output=True, text=True, env=env)
        self.assertEqual(result.returncode, 70, result.stderr)
        self.assertIn("pike cost: error: pike-opt crashed (SIGSEGV): a bug in Pike",
                      result.stderr)

    def test_version_and_a_copy_without_the_repository(self):
        with open(os.path.join(SRC, "VERSION")) as f:
            self.assertEqual(pike("--version").stdout.strip(), "pike " + f.read().strip())
        # python/pike copied alone: `pike reference` still runs, and says
        # where the version would have come from.
        import shutil
        with tempfile.TemporaryDirectory() as tmp:
            shutil.copytree(os.path.join(SRC, "python", "pike"), os.path.join(tmp, "pike"))
            env = dict(os.environ, PYTHONPATH=tmp)
            # From the copy's folder: `-m` puts the working folder first.
            version = subprocess.run([sys.executable, "-m", "pike", "--version"],
                                     capture_output=True, text=True, env=env, cwd=tmp)
            self.assertEqual(version.returncode, 0, version.stderr)
            self.assertIn("no VERSION file", version.stdout)
            out = os.path.join(tmp, "y.npy")
            run = subprocess.run([sys.executable, "-m", "pike", "reference", MODEL,
                                  "--input", IMAGE, "--output", out],
                                 capture_output=True, text=True, env=env, cwd=tmp)
            self.assertEqual(run.returncode, 0, run.stderr)
            self.assertTrue(os.path.exists(out))

    def test_help_lists_commands(self):
        out = pike("--help").stdout
        for command in ("zoo", "import", "compile", "run", "cost", "reference"):
            self.assertIn(command, out)

    def test_compile_emits_each_form(self):
        with tempfile.TemporaryDirectory() as tmp:
            for emit, marker in (("pike-integer", "pike.quant_norm"),
                                 ("linalg", "linalg.depthwise_conv_2d_nhwc_hwc"),
                                 ("affine", "affine.for"), ("llvm", "llvm.func")):
                out = os.path.join(tmp, f"{emit}.mlir")
                pike("compile", MODEL, "--emit", emit, "-o", out)
                with open(out) as f:
                    self.assertIn(marker, f.read(), emit)

    def test_compile_and_run_show_the_passes_warnings(self):
        # Rows of 12 take onnxruntime's scalar path, which the float32
        # rounding does not reproduce: the layer keeps Pike's integer form,
        # and the user is told.
        model = (
            "func.func @main(%x: tensor<2x12xi8>) -> tensor<2x12xi8> {\n"
            "  %d = pike.dequantize %x {quantizer = #pike.quantizer<s8, scales = [0.1]>} : "
            "tensor<2x12xi8> -> tensor<2x12xf32>\n"
            "  %n = pike.layer_norm %d {scale = array<f64: 1.0>, bias = array<f64: 0.0>, "
            "epsilon = 1.0e-05 : f64} : tensor<2x12xf32>\n"
            "  %q = pike.quantize %n {quantizer = #pike.quantizer<s8, scales = [0.025]>} : "
            "tensor<2x12xf32> -> tensor<2x12xi8>\n"
            "  return %q : tensor<2x12xi8>\n}\n")
        with tempfile.TemporaryDirectory() as tmp:
            path, x = os.path.join(tmp, "norm.mlir"), os.path.join(tmp, "x.npy")
            with open(path, "w") as f:
                f.write(model)
            np.save(x, np.arange(-12, 12, dtype=np.int8).reshape(2, 12))
            for command in (["compile", path, "-o", os.path.join(tmp, "out.mlir")],
                            ["run", path, "--input", x]):
                result = pike(*command, "--rounding", "float32")
                self.assertIn("keeps Pike's integer form, not onnxruntime's float32 kernel (its "
                              "rows are not a multiple of 8 values)", result.stderr, command)
                self.assertNotIn("keeps Pike's integer form", pike(*command).stderr, command)

    def test_compile_and_pike_opt_build_the_same_model(self):
        # The CLI passes only what the user gave, so its defaults are the
        # pipeline's own (defined once in C++).
        from pike import tools
        cases = [([], ""),
                 (["--double-quantize"], "double-quantize=true"),
                 (["--double-quantize", "--dq-bits", "4", "--multiplier-bits", "8",
                   "--rounding", "double"],
                  "double-quantize=true dq-bits=4 multiplier-bits=8 rounding=double")]
        with tempfile.TemporaryDirectory() as tmp:
            for cli_args, pipeline in cases:
                ours = os.path.join(tmp, "cli.mlir")
                pike("compile", MODEL, *cli_args, "-o", ours)
                flag = "--pike-quantize-pipeline" + (f"={pipeline}" if pipeline else "")
                theirs = tools.run("pike-opt", MODEL, flag)
                with open(ours) as f:
                    self.assertEqual(f.read(), theirs, cli_args)
            # The default double-quantized model uses 8-bit scales, as documented.
            pike("compile", MODEL, "--double-quantize", "-o", ours)
            with open(ours) as f:
                text = f.read()
            reference = tools.run("pike-opt", MODEL,
                                  "--pike-quantize-pipeline=double-quantize=true dq-bits=8")
            self.assertEqual(text, reference)

    def test_run_passes_repeat_and_prints_timing(self):
        result = pike("run", MODEL, "--input", IMAGE, "--repeat", "2")
        self.assertRegex(result.stderr, r"^time: [0-9.]+ ms mean, [0-9.]+ ms best, [0-9.]+ ms median per call "
                                        r"of @main \(2 calls.*, 1 thread\(s\)\)")

    def test_run_passes_threads_and_target(self):
        result = pike("run", MODEL, "--input", IMAGE, "--repeat", "1", "--threads", "2",
                      "--target", "vector")
        self.assertIn("target vector, 2 thread(s))", result.stderr)
        bad = pike("run", MODEL, "--input", IMAGE, "--threads", "-1", check=False)
        self.assertEqual(bad.returncode, 2)
        self.assertIn("--threads must be at least 0", bad.stderr)

    def test_one_error_format_and_exit_status(self):
        # A rejected input: the tool's own one-line message, no second prefix, status 2.
        with tempfile.TemporaryDirectory() as tmp:
            bad = os.path.join(tmp, "bad.npy")
            np.save(bad, np.zeros((2, 2), np.float32))
            result = pike("run", MODEL, "--input", bad, check=False)
        self.assertEqual(result.returncode, 2)
        lines = result.stderr.strip().splitlines()
        self.assertEqual(len(lines), 1, result.stderr)
        self.assertTrue(lines[0].startswith("pike-run: error: input #0"), lines[0])
        self.assertIn("has shape (2, 2)", lines[0])
        # Command-line misuse: status 1, as the C++ tools' option parser.
        self.assertEqual(pike("run", "--no-such-option", check=False).returncode, 1)
        self.assertEqual(pike("compile", check=False).returncode, 1)

    def test_progress_on_a_terminal_only(self):
        import pty
        env = dict(os.environ, PYTHONPATH=os.path.join(SRC, "python"), PIKE_PROGRESS_AFTER="0")
        with tempfile.TemporaryDirectory() as tmp:
            out = os.path.join(tmp, "int.mlir")
            # Not a terminal: nothing on stderr.
            quiet = subprocess.run([sys.executable, "-m", "pike", "compile", MODEL, "-o", out],
                                   capture_output=True, text=True, env=env, check=True)
            self.assertEqual(quiet.stderr, "")
            # A terminal: the progress line, cleared at the end.
            primary, secondary = pty.openpty()
            proc = subprocess.Popen([sys.executable, "-m", "pike", "compile", MODEL, "-o", out],
                                    stdout=subprocess.DEVNULL, stderr=secondary, env=env)
            proc.wait(timeout=120)
            os.close(secondary)
            shown = b""
            while True:
                try:
                    chunk = os.read(primary, 4096)
                except OSError:
                    break
                if not chunk:
                    break
                shown += chunk
            os.close(primary)
        self.assertEqual(proc.returncode, 0)
        self.assertIn(b"compiling " + MODEL.encode() + b" ... ", shown)
        self.assertTrue(shown.endswith(b"\r\x1b[K"), shown[-20:])

    def test_run_matches_reference_of_integer_form(self):
        with tempfile.TemporaryDirectory() as tmp:
            y = os.path.join(tmp, "y.npy")
            pike("run", MODEL, "--input", IMAGE, "--output", y)
            integer = os.path.join(tmp, "int.mlir")
            pike("compile", MODEL, "-o", integer)
            ref = os.path.join(tmp, "ref.npy")
            pike("reference", integer, "--input", IMAGE, "--output", ref)
            self.assertEqual(np.load(y).tobytes(), np.load(ref).tobytes())
            for target in ("scalar", "vector"):
                pike("run", MODEL, "--input", IMAGE, "--output", y, "--target", target)
                self.assertEqual(np.load(y).tobytes(), np.load(ref).tobytes(), target)
            pike("run", MODEL, "--input", IMAGE, "--output", y, "--threads", "2")
            self.assertEqual(np.load(y).tobytes(), np.load(ref).tobytes(), "2 threads")

    def test_run_and_compile_an_onnx_file(self):
        """An .onnx model is imported as `pike import` does, then run or compiled."""
        from onnx import TensorProto, helper, numpy_helper

        graph = helper.make_graph(
            [helper.make_node("QuantizeLinear", ["x", "s", "z"], ["q"]),
             helper.make_node("DequantizeLinear", ["q", "s", "z"], ["y"])], "g",
            [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 4])],
            [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 4])],
            [numpy_helper.from_array(np.array(0.5, np.float32), "s"),
             numpy_helper.from_array(np.array(0, np.int8), "z")])
        model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "model.onnx")
            with open(path, "wb") as f:
                f.write(model.SerializeToString())
            x, y = os.path.join(tmp, "x.npy"), os.path.join(tmp, "y.npy")
            np.save(x, np.array([[0.3, -1.2, 70, -80]], np.float32))
            pike("run", path, "--input", x, "--output", y)
            self.assertEqual(np.load(y).tolist(), [[0.5, -1, 63.5, -64]])
            integer = os.path.join(tmp, "int.mlir")
            pike("compile", path, "-o", integer)
            with open(integer) as f:
                self.assertIn("pike.quantize", f.read())
            with open(path, "wb") as f:
                f.write(b"\x08\x07not a model")
            result = pike("run", path, "--input", x, check=False)
            self.assertEqual(result.returncode, 2)
            self.assertIn(path, result.stderr)

    def test_zoo_rejects_bad_bits(self):
        result = pike("zoo", "mobilenetv1", "--weight-bits", "1", check=False)
        self.assertEqual(result.returncode, 2)
        self.assertIn("weight bit-width 1 is outside [2, 16]", result.stderr)

    def test_run_reports_bad_input(self):
        with tempfile.TemporaryDirectory() as tmp:
            bad = os.path.join(tmp, "bad.npy")
            np.save(bad, np.zeros((1, 3, 32, 32), np.float32))
            result = pike("run", MODEL, "--input", bad, check=False)
            self.assertEqual(result.returncode, 2)
            self.assertIn("has shape (1, 3, 32, 32), but tensor<1x32x32x3xf32> needs", result.stderr)


if __name__ == "__main__":
    unittest.main()
