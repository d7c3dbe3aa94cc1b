"""Hostile models and files (docs/Security.md). Each test builds its file
the way an attacker would and fails on a Pike that trusts it: names that
are C or MLIR code, external data that points outside the model's folder,
files that crashed the tools, and a damaged compile cache."""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

from pike import aot, onnx_import, tools
from pike.escape import c_string, mlir_unescape
from tests import fuzz_names

SRC = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ENV = dict(os.environ, PYTHONPATH=os.path.join(SRC, "python"))


def qdq_model(input_name="x", output_name="y", scale=0.5, external=None):
    """y = dequantize(quantize(x)) with scale `scale`; the scale initializer
    is stored as external data at `external` (a dict of its entries)."""
    scale_tensor = numpy_helper.from_array(np.array(scale, np.float32), "scale")
    if external is not None:
        scale_tensor.ClearField("raw_data")
        scale_tensor.data_location = TensorProto.EXTERNAL
        for key, value in external.items():
            entry = scale_tensor.external_data.add()
            entry.key, entry.value = key, str(value)
    graph = helper.make_graph(
        [helper.make_node("QuantizeLinear", [input_name, "scale", "zp"], ["q"], name="quant"),
         helper.make_node("DequantizeLinear", ["q", "scale", "zp"], [output_name], name="dequant")],
        "g", [helper.make_tensor_value_info(input_name, TensorProto.FLOAT, [1, 4])],
        [helper.make_tensor_value_info(output_name, TensorProto.FLOAT, [1, 4])],
        [scale_tensor, numpy_helper.from_array(np.array(0, np.int8), "zp")])
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])


def save(model, path):
    with open(path, "wb") as f:
        f.write(model.SerializeToString())


class NamesTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.dir = self.tmp.name
        self.marker = os.path.join(self.dir, "MARKER")

    def tearDown(self):
        self.tmp.cleanup()

    def payload(self):
        return (f'*/ __attribute__((constructor)) static void p(void) {{ extern void *fopen('
                f'const char *, const char *); fopen("{self.marker}", "w"); }} /*')

    def test_model_names_never_become_code(self):
        names = (self.payload(), 'out"put\n#define x */')
        model = qdq_model(*names)
        path = os.path.join(self.dir, "model.mlir")
        with open(path, "w") as f:
            f.write(onnx_import.import_model(model))
        inputs = os.path.join(self.dir, "in")
        os.makedirs(inputs)
        np.save(os.path.join(inputs, "a.npy"), np.array([[0.5, -1, 2, 7]], np.float32))
        run = subprocess.run([sys.executable, "-m", "pike", "run", path, "--inputs", inputs,
                              "--output-dir", os.path.join(self.dir, "out")],
                             capture_output=True, text=True,
                             env=dict(ENV, PIKE_CACHE_DIR=os.path.join(self.dir, "cache")))
        self.assertEqual(run.returncode, 0, run.stderr)
        self.assertFalse(os.path.exists(self.marker), "a name from the model ran as code")
        self.assertEqual(np.load(os.path.join(self.dir, "out", "a.npy")).tolist(),
                         [[0.5, -1, 2, 7]])
        # The names come back as the model wrote them, in the header as
        # string literals and in the manifest as JSON strings.
        manifest = aot.compile_library(path, os.path.join(self.dir, "lib.so"))
        spec = manifest["functions"][0]
        self.assertEqual((spec["inputs"][0]["name"], spec["outputs"][0]["name"]), names)
        with open(os.path.join(self.dir, "lib.h")) as f:
            header = f.read()
        self.assertIn(f"#define LIB_MAIN_IN0_NAME {c_string(names[0])}", header)
        self.assertIn(f"#define LIB_MAIN_OUT0_NAME {c_string(names[1])}", header)
        self.assertNotIn("*/ __attribute__", header.replace(c_string(names[0]), ""))

    def test_producer_name_adds_no_ir(self):
        model = qdq_model()
        model.producer_name = 'x\n}\nfunc.func @evil() {\n  return\n}\n// '
        text = onnx_import.import_model(model)
        generic = tools.run("pike-opt", "-", "--mlir-print-op-generic", stdin=text)
        self.assertNotIn('sym_name = "evil"', generic)
        self.assertEqual(text.splitlines()[0], "// Imported from ONNX by `pike import`.")

    def test_initializer_names_become_valid_resource_keys(self):
        """Every initializer name, PyTorch's numbered ones ("13") included,
        gives a well-formed resource key and the model its own values."""
        for name in ("13", "0", "1f", "é", "a::b", "}>", "\n"):
            with self.subTest(name=name):
                model = qdq_model()
                model.graph.initializer[0].name = name
                for node in model.graph.node:
                    node.input[1] = name
                path = os.path.join(self.dir, "names.mlir")
                with open(path, "w") as f:
                    f.write(onnx_import.import_model(model))
                x, y = os.path.join(self.dir, "x.npy"), os.path.join(self.dir, "y.npy")
                np.save(x, np.array([[0.5, -1, 2, 7.2]], np.float32))
                tools.run("pike-run", path, f"--input={x}", f"--output={y}")
                self.assertEqual(np.load(y).tolist(), [[0.5, -1, 2, 7]])
        # A name that is not UTF-8 (protobuf hands it over as bytes).
        model = qdq_model()
        model.graph.initializer[0].name = "INITNAME"
        for node in model.graph.node:
            node.input[1] = "INITNAME"
        data = model.SerializeToString().replace(b"INITNAME", b"INITN\xff\xc3(")
        text = onnx_import.import_model(onnx.ModelProto.FromString(data))
        self.assertIn("scales = [5.000000e-01]", text)

    def test_function_names_map_to_distinct_identifiers(self):
        names = ["main", "MAIN", "1f", "check_cpu", "int", "a.b", "a_b", "x*/y", "a_b_in0"]
        lines = []
        for name in names:
            lines += [f"func.func @{c_string(name)}(%x: tensor<2xi32>) -> tensor<2xi32> {{",
                      f"  %c = arith.constant dense<{len(lines)}> : tensor<2xi32>",
                      "  %e = tensor.empty() : tensor<2xi32>",
                      "  %y = linalg.add ins(%x, %c : tensor<2xi32>, tensor<2xi32>) "
                      "outs(%e : tensor<2xi32>) -> tensor<2xi32>",
                      "  return %y : tensor<2xi32>", "}"]
        path = os.path.join(self.dir, "names.mlir")
        with open(path, "w") as f:
            f.write("\n".join(lines) + "\n")
        manifest = aot.compile_library(path, os.path.join(self.dir, "lib.so"), target="scalar",
                                       integer_passes=())
        symbols = {f["name"]: f["symbol"] for f in manifest["functions"]}
        # The mapping of docs/Security.md, worked by hand: valid, unique
        # names stay; the rest get `_` spellings, `m_` and numbers.
        self.assertEqual(symbols, {
            "main": "lib_main", "MAIN": "lib_MAIN_2", "1f": "lib_m_1f",
            "check_cpu": "lib_m_check_cpu", "int": "lib_m_int", "a.b": "lib_a_b_2",
            "a_b": "lib_a_b", "x*/y": "lib_x__y", "a_b_in0": "lib_a_b_in0"})
        # Every macro of the header is spelled once: it compiles with -Werror
        # (function `a`'s input 0 and function `a_in0` once shared a name).
        with open(os.path.join(self.dir, "use.c"), "w") as f:
            f.write('#include "lib.h"\nconst char *n = LIB_A_B_FUNCTION_NAME;\n')
        subprocess.run(["cc", "-Werror", "-Wall", "-c", "-I", self.dir,
                        os.path.join(self.dir, "use.c"), "-o", os.path.join(self.dir, "use.o")],
                       check=True)
        library = aot.Library(os.path.join(self.dir, "lib.so"))
        x = np.array([1, 2], np.int32)
        for index, name in enumerate(names):
            (y,) = library.run([x], entry=name)
            self.assertEqual(y.tolist(), (x + 6 * index).tolist(), name)

    def test_a_model_cannot_declare_outside_code(self):
        path = os.path.join(self.dir, "declares.mlir")
        with open(path, "w") as f:
            f.write("func.func private @system(i64) -> i32\n"
                    "func.func @main(%x: tensor<2xi32>) -> tensor<2xi32> {\n"
                    "  return %x : tensor<2xi32>\n}\n")
        with self.assertRaises(tools.ToolError) as ctx:
            aot.compile_library(path, os.path.join(self.dir, "lib.so"), integer_passes=())
        self.assertIn("function 'system' has no body", str(ctx.exception))

    def test_names_in_errors_cannot_write_to_the_terminal(self):
        """A refused node's name, op type and string attributes reach the error
        escaped: no control character (a terminal escape, a line break that
        would hide the reason) leaves the tool."""
        hostile = "evil\x1b[31mRED\x07\nforged: error: ok '"
        nodes = [helper.make_node("Softmax" + "\x1b[2J", ["x"], ["y"], name=hostile),
                 helper.make_node("MaxPool", ["x"], ["y"], name=hostile, kernel_shape=[1, 1],
                                  auto_pad="\x1b]0;title\x07"),
                 # Refused before C++ sees it: an input nothing produces.
                 helper.make_node("Relu", ["\x1b[8m"], ["y"], name=hostile)]
        for node in nodes:
            with self.subTest(node.op_type.encode("unicode_escape")):
                graph = helper.make_graph(
                    [node], "g", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 1, 2, 2])],
                    [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 1, 2, 2])])
                path = os.path.join(self.dir, "m.onnx")
                save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)]), path)
                run = subprocess.run([sys.executable, "-m", "pike", "import", path, "-o",
                                      os.path.join(self.dir, "out.mlir")],
                                     capture_output=True, text=True, env=ENV, timeout=60)
                self.assertEqual(run.returncode, 2, run.stderr)
                self.assertIn("node 'evil\\1B[31mRED\\07\\0Aforged: error: ok \\27'", run.stderr)
                self.assertEqual(run.stderr.count("\n"), 1, run.stderr)
                self.assertFalse(any(ord(c) < 32 and c != "\n" for c in run.stderr), run.stderr)

    def test_fuzzed_names(self):
        self.assertEqual(fuzz_names.main(["--seconds", "120", "--rounds", "6", "--seed", "3"]), 0)


class ExternalDataTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.model_dir = os.path.join(self.tmp.name, "model")
        self.outside = os.path.join(self.tmp.name, "outside")
        os.makedirs(self.model_dir)
        os.makedirs(self.outside)
        # A file the model must not read: a float32 2.0 that would be its scale.
        self.secret = os.path.join(self.outside, "secret.bin")
        np.array(2.0, np.float32).tofile(self.secret)
        self.path = os.path.join(self.model_dir, "model.onnx")

    def tearDown(self):
        self.tmp.cleanup()

    def refused(self, location, reason, **entries):
        save(qdq_model(external=dict(location=location, **entries)), self.path)
        with self.assertRaises(onnx_import.OnnxImportError) as ctx:
            onnx_import.import_file(self.path)
        message = str(ctx.exception)
        self.assertIn("initializer 'scale'", message)
        self.assertIn(reason, message)
        self.assertEqual(len(message.splitlines()), 1, message)

    def test_inside_the_folder_is_read(self):
        np.array(0.25, np.float32).tofile(os.path.join(self.model_dir, "weights.bin"))
        save(qdq_model(external={"location": "weights.bin", "offset": 0, "length": 4}), self.path)
        text = onnx_import.import_file(self.path)
        self.assertIn("scales = [2.500000e-01]", tools.run("pike-opt", "-", stdin=text))

    def test_traversal_absolute_and_symlinks_are_refused(self):
        self.refused("sub/../../outside/secret.bin", "outside the model's folder")
        self.refused(self.secret, "not a relative path")
        os.symlink(self.secret, os.path.join(self.model_dir, "link.bin"))
        self.refused("link.bin", "outside the model's folder")
        os.symlink("/dev/zero", os.path.join(self.model_dir, "zero.bin"))
        self.refused("zero.bin", "outside the model's folder")

    def test_hard_links_are_refused(self):
        os.link(self.secret, os.path.join(self.model_dir, "hard.bin"))
        self.refused("hard.bin", "has other hard links")

    def test_fifo_and_directory_are_refused_without_waiting(self):
        os.mkfifo(os.path.join(self.model_dir, "pipe.bin"))
        self.refused("pipe.bin", "not a regular file")
        os.makedirs(os.path.join(self.model_dir, "dir.bin"))
        self.refused("dir.bin", "not a regular file")

    def test_offset_and_length_must_hold_the_tensor(self):
        np.zeros(3, np.float32).tofile(os.path.join(self.model_dir, "w.bin"))
        self.refused("w.bin", "does not hold the tensor's 4 bytes", offset=10, length=4)
        self.refused("w.bin", "does not hold the tensor's 4 bytes", offset=0, length=8)
        self.refused("w.bin", "does not hold the tensor's 4 bytes", offset=-4, length=4)

    def test_cli_exit_status(self):
        save(qdq_model(external={"location": "../outside/secret.bin"}), self.path)
        run = subprocess.run([sys.executable, "-m", "pike", "import", self.path, "-o",
                              os.path.join(self.tmp.name, "out.mlir")],
                             capture_output=True, text=True, env=ENV, timeout=60)
        self.assertEqual(run.returncode, 2, run.stderr)
        self.assertIn("initializer 'scale'", run.stderr)
        self.assertFalse(os.path.exists(os.path.join(self.tmp.name, "out.mlir")))


IDENTITY = ("func.func @main(%x: tensor<2xi32>) -> tensor<2xi32> {\n"
            "  %e = tensor.empty() : tensor<2xi32>\n"
            "  %y = linalg.add ins(%x, %x : tensor<2xi32>, tensor<2xi32>) "
            "outs(%e : tensor<2xi32>) -> tensor<2xi32>\n"
            "  return %y : tensor<2xi32>\n}\n")


class InputFilesTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.model = os.path.join(self.tmp.name, "m.mlir")
        with open(self.model, "w") as f:
            f.write(IDENTITY)

    def tearDown(self):
        self.tmp.cleanup()

    def pike_run(self, npy):
        return subprocess.run([tools.find("pike-run"), self.model, f"--input={npy}"],
                              capture_output=True, text=True, timeout=60)

    def test_long_npy_header(self):
        # NumPy's format allows a version-2 header of up to 4 GiB.
        header = b"{'descr': '<i4', 'fortran_order': False, 'shape': (2,), }"
        header += b" " * (1 << 20) + b"\n"
        header += b" " * (-(12 + len(header)) % 64)
        path = os.path.join(self.tmp.name, "long.npy")
        with open(path, "wb") as f:
            f.write(b"\x93NUMPY\x02\x00" + len(header).to_bytes(4, "little") + header)
            f.write(np.array([3, -4], "<i4").tobytes())
        self.assertEqual(np.load(path, max_header_size=1 << 21).tolist(), [3, -4])
        run = self.pike_run(path)
        self.assertEqual(run.returncode, 0, run.stderr)
        self.assertIn("[6, -8]", run.stdout)

    def test_fifo_input_is_refused(self):
        fifo = os.path.join(self.tmp.name, "x.npy")
        os.mkfifo(fifo)
        run = self.pike_run(fifo)
        self.assertEqual(run.returncode, 2)
        self.assertIn("is not a regular file", run.stderr)

    def test_nonfinite_attribute_is_a_located_error(self):
        node = helper.make_node("LeakyRelu", ["x"], ["y"], name="leaky", alpha=float("nan"))
        graph = helper.make_graph([node], "g",
                                  [helper.make_tensor_value_info("x", TensorProto.FLOAT, [4])],
                                  [helper.make_tensor_value_info("y", TensorProto.FLOAT, [4])])
        model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
        with self.assertRaises(onnx_import.OnnxImportError) as ctx:
            onnx_import.import_model(model)
        self.assertIn("'leaky'", str(ctx.exception))

    def test_duplicate_names_are_refused(self):
        model = qdq_model()
        model.graph.node[1].output[0] = "q"
        with self.assertRaises(onnx_import.OnnxImportError) as ctx:
            onnx_import.import_model(model)
        self.assertIn("output 'q' is already produced", str(ctx.exception))
        model = qdq_model()
        model.graph.input.append(model.graph.input[0])
        with self.assertRaises(onnx_import.OnnxImportError) as ctx:
            onnx_import.import_model(model)
        self.assertIn("graph input 'x' is listed twice", str(ctx.exception))


class CacheTest(unittest.TestCase):
    """pike run --inputs loads a cached library only after verifying it."""

    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        d = self.tmp.name
        self.cache = os.path.join(d, "cache")
        self.model = os.path.join(d, "m.mlir")
        with open(self.model, "w") as f:
            f.write(IDENTITY)
        self.other = os.path.join(d, "other.mlir")
        with open(self.other, "w") as f:
            f.write(IDENTITY.replace("linalg.add", "linalg.sub"))
        os.makedirs(os.path.join(d, "in"))
        np.save(os.path.join(d, "in", "a.npy"), np.array([5, -7], np.int32))

    def tearDown(self):
        self.tmp.cleanup()

    def run_cli(self, model):
        out = os.path.join(self.tmp.name, "out")
        shutil.rmtree(out, ignore_errors=True)
        run = subprocess.run([sys.executable, "-m", "pike", "run", model, "--inputs",
                              os.path.join(self.tmp.name, "in"), "--output-dir", out],
                             capture_output=True, text=True,
                             env=dict(ENV, PIKE_CACHE_DIR=self.cache), timeout=300)
        self.assertEqual(run.returncode, 0, run.stderr)
        return run.stdout, np.load(os.path.join(out, "a.npy")).tolist()

    def entry(self):
        root = os.path.join(self.cache, "aot")
        entries = [e for e in os.listdir(root)]
        self.assertEqual(len(entries), 1, entries)  # no staging folder left behind
        return os.path.join(root, entries[0])

    def test_damaged_entries_are_rebuilt(self):
        stdout, result = self.run_cli(self.model)
        self.assertIn("(compiled now)", stdout)
        self.assertEqual(result, [10, -14])
        entry = self.entry()
        library = os.path.join(entry, "model.so")
        size = os.path.getsize(library)
        damages = {
            "truncated": lambda: os.truncate(library, size // 2),
            "garbage code": lambda: open(library, "r+b").write(b"\xcc\x0f\x0b" * 4096),
            "damaged manifest": lambda: open(os.path.join(entry, "model.json"), "w").write("{"),
            "record removed": lambda: os.remove(os.path.join(entry, "entry.json")),
        }
        for what, damage in damages.items():
            damage()
            stdout, result = self.run_cli(self.model)
            self.assertIn("(compiled now)", stdout, what)
            self.assertEqual(result, [10, -14], what)
            stdout, _ = self.run_cli(self.model)
            self.assertIn("(cached)", stdout, what)

    def test_another_models_library_is_not_used(self):
        # The other model's whole entry, with its own record, under this key.
        self.run_cli(self.other)
        saved = os.path.join(self.tmp.name, "saved")
        os.rename(self.entry(), saved)
        self.run_cli(self.model)
        entry = self.entry()
        shutil.rmtree(entry)
        os.rename(saved, entry)
        stdout, result = self.run_cli(self.model)
        self.assertIn("(compiled now)", stdout)
        self.assertEqual(result, [10, -14])

    def test_failed_compile_leaves_nothing(self):
        bad = os.path.join(self.tmp.name, "bad.mlir")
        with open(bad, "w") as f:
            f.write("func.func private @system(i64) -> i32\n" + IDENTITY)
        run = subprocess.run([sys.executable, "-m", "pike", "run", bad, "--inputs",
                              os.path.join(self.tmp.name, "in"), "--output-dir",
                              os.path.join(self.tmp.name, "out")],
                             capture_output=True, text=True,
                             env=dict(ENV, PIKE_CACHE_DIR=self.cache), timeout=300)
        self.assertEqual(run.returncode, 2, run.stderr)
        self.assertIn("has no body", run.stderr)
        self.assertEqual(os.listdir(os.path.join(self.cache, "aot")), [])


class EscapeTest(unittest.TestCase):
    def test_c_string_round_trip_through_the_compiler(self):
        texts = ['*/ x /*', 'a"b\\c', "??/\n", "\0end", "é\u2028", "\x7f\x01"]
        with tempfile.TemporaryDirectory() as d:
            program = os.path.join(d, "p.c")
            with open(program, "w") as f:
                f.write("#include <stdio.h>\nint main(void) {\n")
                for text in texts:
                    f.write(f"  fwrite({c_string(text)}, 1, sizeof({c_string(text)}) - 1, stdout);"
                            " putchar(0);\n")
                f.write("  return 0;\n}\n")
            subprocess.run(["cc", "-trigraphs", "-o", os.path.join(d, "p"), program], check=True)
            out = subprocess.run([os.path.join(d, "p")], capture_output=True, check=True).stdout
        self.assertEqual(out, b"".join(t.encode() + b"\0" for t in texts))

    def test_mlir_unescape(self):
        self.assertEqual(mlir_unescape(r"in\22put\0A\\x\FF"), 'in"put\n\\x\udcff')


if __name__ == "__main__":
    unittest.main()
