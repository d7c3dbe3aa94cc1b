"""Ahead-of-time libraries (`pike compile --emit shared|object`): bit for bit
the JIT's and the NumPy reference's outputs, from Python (ctypes) and from a
C program linking the library or the object; nothing but libc at run time,
no allocation per call, reentrant, a CPU check instead of SIGILL, and
`pike run --inputs` compiling once for many inputs."""

import gc
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import unittest
import weakref

import numpy as np

from pike import aot, tools
from pike.reference import Interpreter

SRC = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
MODEL = os.path.join(SRC, "examples", "mobilenet_tiny.mlir")
CC = shutil.which("cc")

C_PROGRAM = r"""
#include <stdio.h>
#include <stdlib.h>
#include "tiny.h"
/* Reads raw float32 input, runs @main, writes raw float32 logits. */
int main(int argc, char **argv) {
  static float x[1 * 32 * 32 * 3], y[1 * 10];
  FILE *in = fopen(argv[1], "rb");
  if (!in || fread(x, sizeof x, 1, in) != 1) return 10;
  fclose(in);
  const char *why = tiny_check_cpu();
  if (why) { fprintf(stderr, "%s\n", why); return 11; }
  size_t bytes = (TINY_MAIN_WORKSPACE_BYTES + 63) / 64 * 64;
  void *workspace = aligned_alloc(64, bytes);
  int status = tiny_main(x, y, workspace, bytes);
  free(workspace);
  if (status) return 20 + status;
  FILE *out = fopen(argv[2], "wb");
  fwrite(y, sizeof y, 1, out);
  fclose(out);
  return 0;
}
"""


ERRORS_PROGRAM = r"""
#include <stdio.h>
#include <stdlib.h>
#include "tiny.h"
/* Each misuse of the entry point, and its status. */
int main(void) {
  static float x[1 * 32 * 32 * 3], y[1 * 10];
  size_t need = TINY_MAIN_WORKSPACE_BYTES;
  unsigned char *ws = aligned_alloc(64, (need + 64 + 63) / 64 * 64);
  printf("null-input=%d\n", tiny_main(NULL, y, ws, need));
  printf("null-output=%d\n", tiny_main(x, NULL, ws, need));
  printf("null-workspace=%d\n", tiny_main(x, y, NULL, need));
  printf("short=%d\n", tiny_main(x, y, ws, need - 1));
  printf("misaligned=%d\n", tiny_main(x, y, ws + 1, need));
  printf("exact=%d\n", tiny_main(x, y, ws, need));
  free(ws);
  return 0;
}
"""


def _undefined_symbols(path):
    """Undefined dynamic symbols of a library, without their versions."""
    lines = subprocess.run(["nm", "-D", "--undefined-only", path], capture_output=True,
                           text=True, check=True).stdout.split()
    return {s.split("@")[0] for s in lines if s not in ("w", "U") and not s.startswith("_ITM")}


def jit(model, x, target="host"):
    with tempfile.TemporaryDirectory() as tmp:
        integer, xin, yout = (os.path.join(tmp, n) for n in ("i.mlir", "x.npy", "y.npy"))
        tools.run("pike-opt", model, "--pike-quantize-pipeline", "-o", integer)
        np.save(xin, x)
        tools.run("pike-run", integer, f"--input={xin}", f"--output={yout}", f"--target={target}")
        return np.load(yout)


class AotTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.so = os.path.join(cls.tmp.name, "tiny.so")
        cls.manifest = aot.compile_library(MODEL, cls.so, "shared")
        rng = np.random.default_rng(0)
        cls.inputs = [rng.uniform(0, 1, (1, 32, 32, 3)).astype(np.float32) for _ in range(3)]
        cls.expected = [jit(MODEL, x) for x in cls.inputs]

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def test_matches_jit_and_reference(self):
        library = aot.Library(self.so)
        integer = tools.run("pike-opt", MODEL, "--pike-quantize-pipeline", "--mlir-print-op-generic")
        reference = Interpreter.from_text(integer)
        for x, expected in zip(self.inputs, self.expected):
            (got,) = library.run([x])
            self.assertTrue(np.array_equal(got, expected), (got, expected))
            self.assertTrue(np.array_equal(got, reference.run("main", [x])[0].astype(np.float32)))
        self.assertGreater(self.manifest["functions"][0]["workspace_bytes"], 0)
        with open(os.path.join(self.tmp.name, "tiny.h")) as f:
            header = f.read()
        self.assertIn("int tiny_main(const float *in0, float *out0, void *workspace, "
                      "size_t workspace_bytes);", header)
        self.assertIn(f"#define TINY_MAIN_WORKSPACE_BYTES "
                      f"{self.manifest['functions'][0]['workspace_bytes']}", header)

    def test_a_prepared_call_holds_its_buffers(self):
        library = aot.Library(self.so)
        x = self.inputs[0].copy()
        call, outputs = library.prepared([x])
        # Neither the caller's input nor the outputs it was handed need to
        # outlive the call: the pointers it passes stay valid.
        watched = [weakref.ref(x), weakref.ref(outputs[0])]
        del outputs, x
        gc.collect()
        self.assertTrue(all(ref() is not None for ref in watched))
        for _ in range(2):
            (got,) = call()
            self.assertTrue(np.array_equal(got, self.expected[0]))

    def test_entry_points_by_name_or_symbol(self):
        library = aot.Library(self.so)
        (by_symbol,) = library.run([self.inputs[0]], entry="tiny_main")
        self.assertTrue(np.array_equal(by_symbol, self.expected[0]))
        with self.assertRaises(aot.AotError) as ctx:
            library.run([self.inputs[0]], entry="nope")
        self.assertIn("no function 'nope'", str(ctx.exception))
        # Two functions whose names read alike in the manifest: neither by name.
        library.manifest["functions"].append(
            dict(library.manifest["functions"][0], symbol="tiny_other"))
        with self.assertRaises(aot.AotError) as ctx:
            library.run([self.inputs[0]], entry="main")
        self.assertIn("2 functions are named 'main'", str(ctx.exception))

    def test_runtime_needs_only_libc_and_allocates_nothing(self):
        undefined = _undefined_symbols(self.so)
        for banned in ("malloc", "free", "aligned_alloc", "memrefCopy"):
            self.assertNotIn(banned, undefined)
        # The same check sees a library that does allocate (nm prints
        # versioned names, malloc@GLIBC_2.2.5, which it must read).
        with tempfile.TemporaryDirectory() as d:
            with open(os.path.join(d, "a.c"), "w") as f:
                f.write("#include <stdlib.h>\nvoid *grab(void) { return malloc(8); }\n")
            subprocess.run([CC, "-shared", "-fPIC", "-o", os.path.join(d, "a.so"),
                            os.path.join(d, "a.c")], check=True)
            self.assertIn("malloc", _undefined_symbols(os.path.join(d, "a.so")))
        self.assertFalse([s for s in undefined if "mlir" in s.lower() or "llvm" in s.lower()],
                         undefined)
        needed = subprocess.run(["readelf", "-d", self.so], capture_output=True, text=True,
                                check=True).stdout
        libraries = {line.split("[")[1].split("]")[0] for line in needed.splitlines()
                     if "(NEEDED)" in line}
        self.assertTrue(libraries <= {"libc.so.6", "libm.so.6"}, libraries)

    def test_c_program_links_library_and_object(self):
        d = self.tmp.name
        obj = os.path.join(d, "objdir")
        os.makedirs(obj, exist_ok=True)
        aot.compile_library(MODEL, os.path.join(obj, "tiny.o"), "object")
        with open(os.path.join(d, "main.c"), "w") as f:
            f.write(C_PROGRAM)
        builds = {
            "shared": [CC, "-O2", "-I", d, os.path.join(d, "main.c"), self.so,
                       f"-Wl,-rpath,{d}", "-o", os.path.join(d, "with_so")],
            "object": [CC, "-O2", "-I", obj, os.path.join(d, "main.c"),
                       os.path.join(obj, "tiny.o"), "-lm", "-o", os.path.join(d, "with_o")],
        }
        for kind, command in builds.items():
            subprocess.run(command, check=True, capture_output=True)
            binary = command[-1]
            for i, (x, expected) in enumerate(zip(self.inputs, self.expected)):
                xin, yout = os.path.join(d, f"x{i}.bin"), os.path.join(d, f"y{i}.bin")
                x.tofile(xin)
                run = subprocess.run([binary, xin, yout], capture_output=True, text=True)
                self.assertEqual(run.returncode, 0, (kind, run.stderr))
                got = np.fromfile(yout, np.float32).reshape(expected.shape)
                self.assertTrue(np.array_equal(got, expected), (kind, got, expected))

    def test_threads_and_concurrent_calls(self):
        so = os.path.join(self.tmp.name, "tiny_omp.so")
        manifest = aot.compile_library(MODEL, so, "shared", parallel=True)
        self.assertEqual(manifest["runtime"], ["libc", "libm", "libomp"])
        results = {}

        def worker(index):
            library = aot.Library(so)  # one workspace per thread
            results[index] = [library.run([x])[0] for x in self.inputs * 3]

        threads = [threading.Thread(target=worker, args=(i,)) for i in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        for index in range(2):
            for got, expected in zip(results[index], self.expected * 3):
                self.assertTrue(np.array_equal(got, expected))

    def test_cpu_check_refuses_a_missing_instruction_set(self):
        flags = aot.cpu_flags()
        # (builtin name, /proc/cpuinfo flag): one this CPU lacks.
        candidates = [("avx512vp2intersect", "avx512_vp2intersect"), ("avx512fp16", "avx512_fp16"),
                      ("avx512vnni", "avx512_vnni")]
        missing = next((name for name, flag in candidates if flag not in flags), None)
        self.assertIsNotNone(missing, "every candidate instruction set is present")
        so = os.path.join(self.tmp.name, "needs_more.so")
        aot.compile_library(MODEL, so, "shared", target="scalar", extra_cpu_checks=[missing])
        with self.assertRaises(aot.AotError) as ctx:
            aot.Library(so)
        self.assertIn(f"this CPU lacks {missing}", str(ctx.exception))
        # The entry point itself refuses to run, with its status code.
        import ctypes
        entry = ctypes.CDLL(so).needs_more_main
        entry.argtypes = [ctypes.c_void_p] * 3 + [ctypes.c_size_t]
        x, y = np.zeros((1, 32, 32, 3), np.float32), np.zeros((1, 10), np.float32)
        self.assertEqual(entry(x.ctypes.data, y.ctypes.data, None, 0), aot.ERROR_CPU)

    def test_entry_point_refuses_null_pointers_and_short_workspaces(self):
        d = self.tmp.name
        program = os.path.join(d, "errors.c")
        with open(program, "w") as f:
            f.write(ERRORS_PROGRAM)
        binary = os.path.join(d, "errors")
        subprocess.run([CC, "-O1", "-I", d, program, self.so, f"-Wl,-rpath,{d}", "-o", binary],
                       check=True, capture_output=True)
        run = subprocess.run([binary], capture_output=True, text=True)
        self.assertEqual(run.returncode, 0, run.stdout + run.stderr)
        self.assertEqual(run.stdout.split(), [
            f"null-input={aot.ERROR_NULL}", f"null-output={aot.ERROR_NULL}",
            f"null-workspace={aot.ERROR_WORKSPACE}", f"short={aot.ERROR_WORKSPACE}",
            f"misaligned={aot.ERROR_WORKSPACE}", "exact=0"])

    def test_cli_compiles_once_for_many_inputs(self):
        d = os.path.join(self.tmp.name, "batch")
        os.makedirs(os.path.join(d, "in"))
        rng = np.random.default_rng(1)
        for i in range(100):
            np.save(os.path.join(d, "in", f"x{i:03d}.npy"),
                    rng.uniform(0, 1, (1, 32, 32, 3)).astype(np.float32))
        env = dict(os.environ, PYTHONPATH=os.path.join(SRC, "python"),
                   PIKE_CACHE_DIR=os.path.join(d, "cache"))
        command = [sys.executable, "-m", "pike", "run", MODEL, "--inputs", os.path.join(d, "in"),
                   "--output-dir", os.path.join(d, "out")]
        first = subprocess.run(command, capture_output=True, text=True, env=env)
        self.assertEqual(first.returncode, 0, first.stderr)
        self.assertIn("ran 100 input(s)", first.stdout)
        self.assertIn("(compiled now)", first.stdout)
        second = subprocess.run(command, capture_output=True, text=True, env=env)
        self.assertIn("(cached)", second.stdout)
        self.assertEqual(len(os.listdir(os.path.join(d, "cache", "aot"))), 1)
        self.assertEqual(len(os.listdir(os.path.join(d, "out"))), 100)
        x = np.load(os.path.join(d, "in", "x007.npy"))
        got = np.load(os.path.join(d, "out", "x007.npy"))
        self.assertTrue(np.array_equal(got, jit(MODEL, x)))

    def test_compile_cli_errors(self):
        env = dict(os.environ, PYTHONPATH=os.path.join(SRC, "python"))
        result = subprocess.run([sys.executable, "-m", "pike", "compile", MODEL, "--emit",
                                 "shared"], capture_output=True, text=True, env=env)
        self.assertEqual(result.returncode, 2)
        self.assertIn("--emit shared needs -o", result.stderr)


DEPTHWISE_S8_20 = os.path.join(SRC, "test", "Integration", "Inputs", "depthwise_s8_20.mlir")

# llc that never finishes a module defining a convolution kernel.
LOOPING_LLC = """#!/bin/sh
for a in "$@"; do case "$a" in *.bc) module="$a";; esac; done
if {bin}/llvm-nm --defined-only --just-symbol-name "$module" | grep -q conv2d; then
  exec sleep 60
fi
exec {bin}/llc "$@"
"""


class CodegenTest(unittest.TestCase):
    def test_partial_signed_depthwise_block_compiles(self):
        # Once a v64i8 shuffle LLVM 22's X86 backend loops on
        # (llvm/llvm-project#224266): now it compiles, bit-exact.
        x = np.random.default_rng(3).integers(-128, 128, (1, 9, 9, 20)).astype(np.int8)
        with tempfile.TemporaryDirectory() as tmp:
            so = os.path.join(tmp, "dw.so")
            aot.compile_library(DEPTHWISE_S8_20, so, "shared", codegen_timeout=120)
            (got,) = aot.Library(so).run([x])
        self.assertTrue(np.array_equal(got, jit(DEPTHWISE_S8_20, x)))

    def test_a_looping_code_generator_names_its_kernel(self):
        with tempfile.TemporaryDirectory() as tmp:
            fake = os.path.join(tmp, "bin")
            os.mkdir(fake)
            for tool in os.listdir(aot.LLVM_BIN):
                os.symlink(os.path.join(aot.LLVM_BIN, tool), os.path.join(fake, tool))
            os.unlink(os.path.join(fake, "llc"))
            with open(os.path.join(fake, "llc"), "w") as f:
                f.write(LOOPING_LLC.format(bin=aot.LLVM_BIN))
            os.chmod(os.path.join(fake, "llc"), 0o755)
            real, aot.LLVM_BIN = aot.LLVM_BIN, fake
            try:
                with self.assertRaises(aot.AotError) as raised:
                    aot.compile_library(DEPTHWISE_S8_20, os.path.join(tmp, "dw.so"), "shared",
                                        codegen_timeout=2)
            finally:
                aot.LLVM_BIN = real
        self.assertIn("llc did not finish in 2 s", str(raised.exception))
        # The kernel's symbol: the library's prefix, the layer's function, its op.
        self.assertIn("compiled alone, @dw__main_conv2d also takes more than 2 s",
                      str(raised.exception))


INTEGER_INPUTS = """
func.func @bytes(%x: tensor<2x8xi8>) -> tensor<2x3xi32> {
  %w = arith.constant dense<[[1, -2, 3, -4, 5, -6, 7, -8], [2, 2, 2, 2, 2, 2, 2, 2],
                             [-1, 0, 1, 0, -1, 0, 1, 0]]> : tensor<3x8xi8>
  %a = pike.fully_connected %x, %w {input_unsigned} : (tensor<2x8xi8>, tensor<3x8xi8>) -> tensor<2x3xi32>
  return %a : tensor<2x3xi32>
}
func.func @nibbles(%x: tensor<2x8xi4>) -> tensor<2x3xi32> {
  %w = arith.constant dense<[[1, -2, 3, -4, 5, -6, 7, -8], [2, 2, 2, 2, 2, 2, 2, 2],
                             [-1, 0, 1, 0, -1, 0, 1, 0]]> : tensor<3x8xi8>
  %a = pike.fully_connected %x, %w : (tensor<2x8xi4>, tensor<3x8xi8>) -> tensor<2x3xi32>
  return %a : tensor<2x3xi32>
}
func.func @words(%x: tensor<4xi16>) -> tensor<4xi32> {
  %e = tensor.empty() : tensor<4xi32>
  %r = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>],
                       iterator_types = ["parallel"]} ins(%x : tensor<4xi16>) outs(%e : tensor<4xi32>) {
  ^bb0(%a: i16, %o: i32):
    %w = arith.extsi %a : i16 to i32
    linalg.yield %w : i32
  } -> tensor<4xi32>
  return %r : tensor<4xi32>
}
"""
WEIGHTS = np.array([[1, -2, 3, -4, 5, -6, 7, -8], [2] * 8, [-1, 0, 1, 0] * 2], dtype=np.int64)


class IntegerInputTest(unittest.TestCase):
    """An integer input takes either reading of its bits, as pike-run does."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        model = os.path.join(cls.tmp.name, "ints.mlir")
        with open(model, "w") as f:
            f.write(INTEGER_INPUTS)
        so = os.path.join(cls.tmp.name, "ints.so")
        aot.compile_library(model, so, "shared")
        cls.library = aot.Library(so)

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def test_unsigned_bytes_for_an_input_read_unsigned(self):
        x = np.random.default_rng(5).integers(0, 256, (2, 8)).astype(np.uint8)
        expected = x.astype(np.int64) @ WEIGHTS.T
        (got,) = self.library.run([x], "bytes")
        self.assertTrue(np.array_equal(got, expected), (got, expected))
        (again,) = self.library.run([x.view(np.int8)], "bytes")
        self.assertTrue(np.array_equal(again, expected))

    def test_either_reading_of_a_nibble(self):
        signed = np.random.default_rng(6).integers(-8, 8, (2, 8)).astype(np.int8)
        expected = signed.astype(np.int64) @ WEIGHTS.T
        for x in (signed, (signed.astype(np.int64) & 15).astype(np.uint8)):
            (got,) = self.library.run([x], "nibbles")
            self.assertTrue(np.array_equal(got, expected), (x, got, expected))

    def test_big_endian_values(self):
        (got,) = self.library.run([np.array([1, 2, -3, 300], ">i2")], "words")
        self.assertEqual(got.tolist(), [1, 2, -3, 300])
        (got,) = self.library.run([np.array([65535, 1, 32768, 7], ">u2")], "words")
        self.assertEqual(got.tolist(), [-1, 1, -32768, 7])

    def test_refuses_what_does_not_fit(self):
        x = np.zeros((2, 8), dtype=np.int8)
        x[1, 2] = 16
        with self.assertRaises(aot.AotError) as raised:
            self.library.run([x], "nibbles")
        self.assertIn("element 10 = 16 does not fit i4", str(raised.exception))
        with self.assertRaises(aot.AotError) as raised:
            self.library.run([x.astype(np.int16)], "bytes")
        self.assertIn("has dtype int16, but @bytes needs int8", str(raised.exception))
        with self.assertRaises(aot.AotError):
            self.library.run([x.astype(np.float32)], "bytes")


NARROW_FLOATS = os.path.join(SRC, "test", "Integration", "Inputs", "narrow_float_args.mlir")


def _bfloat16_npy():
    """test/Integration/Inputs/bfloat16_npy.py: float32 arithmetic rounded
    to bfloat16, written apart from the compiler."""
    import importlib.util
    path = os.path.join(SRC, "test", "Integration", "Inputs", "bfloat16_npy.py")
    spec = importlib.util.spec_from_file_location("bfloat16_npy", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class NarrowFloatTest(unittest.TestCase):
    """float16 and bfloat16 inputs and outputs of a compiled library."""

    def test_against_independent_references(self):
        bf = _bfloat16_npy()
        with tempfile.TemporaryDirectory() as tmp:
            so = os.path.join(tmp, "narrow.so")
            manifest = aot.compile_library(NARROW_FLOATS, so, "shared")
            brain = aot.find_function(manifest, "brain", so)
            self.assertEqual([t["element"] for t in brain["inputs"]], ["bf16"])
            with open(os.path.join(tmp, "narrow.h")) as f:
                self.assertIn("input 0: bfloat16 (its bits) [4, 16]", f.read())
            library = aot.Library(so)
            paths = [os.path.join(tmp, n) for n in ("b.npy", "q.npy", "d.npy")]
            bf.make_input(paths[0], 7)
            bf.expect(*paths)
            x = np.load(paths[0])
            q, d = library.run([x], "brain")
            self.assertTrue(np.array_equal(q, np.load(paths[1])))
            self.assertEqual(d.dtype, np.float32)
            self.assertEqual(d.tobytes(), np.load(paths[2]).tobytes())
            # Its bits are taken as they are; an inexact float32 is refused.
            (q_bits, _) = library.run([(x.view(np.uint32) >> 16).astype(np.uint16)], "brain")
            self.assertTrue(np.array_equal(q_bits, q))
            with self.assertRaises(aot.AotError) as raised:
                library.run([np.full((4, 16), 0.1, np.float32)], "brain")
            self.assertIn("element 0 = 0.1", str(raised.exception))

            h = np.random.default_rng(5).uniform(-300, 300, (4, 16)).astype(np.float16)
            integer = tools.run("pike-opt", NARROW_FLOATS, "--mlir-print-op-generic")
            expected = Interpreter.from_text(integer).run("half", [h])
            got = library.run([h], "half")
            self.assertEqual([g.dtype for g in got], [np.int8, np.float16])
            for g, e in zip(got, expected):
                self.assertEqual(g.tobytes(), np.asarray(e).astype(g.dtype).tobytes())


class CompileCliTest(unittest.TestCase):
    def pike(self, *args, **kwargs):
        env = dict(os.environ, PYTHONPATH=os.path.join(SRC, "python"), **kwargs)
        return subprocess.run([sys.executable, "-m", "pike", *args], capture_output=True,
                              text=True, env=env)

    def test_codegen_timeout_is_checked(self):
        for bad in ("0", "-1", "nan", "inf", "1e10", "soon"):
            result = self.pike("compile", MODEL, "--emit", "shared", "-o", "x.so",
                               "--codegen-timeout", bad)
            self.assertEqual(result.returncode, 1, bad)
            self.assertIn("--codegen-timeout", result.stderr)
        result = self.pike("compile", MODEL, "--emit", "linalg", "--codegen-timeout", "5")
        self.assertEqual(result.returncode, 2)
        self.assertIn("--emit object or shared only", result.stderr)

    def test_sigterm_stops_the_tools_and_cleans_up(self):
        with tempfile.TemporaryDirectory() as tmp:
            env = dict(os.environ, PYTHONPATH=os.path.join(SRC, "python"), TMPDIR=tmp)
            compile_ = subprocess.Popen(
                [sys.executable, "-m", "pike", "compile", MODEL, "--emit", "shared", "-o",
                 os.path.join(tmp, "tiny.so")], env=env, stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL)
            # Into the build: pike-opt, opt or llc runs with a folder under tmp.
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline and not [
                    d for d in os.listdir(tmp) if d.startswith("tmp")]:
                time.sleep(0.05)
            time.sleep(0.3)
            compile_.send_signal(signal.SIGTERM)
            self.assertEqual(compile_.wait(60), 128 + signal.SIGTERM)
            time.sleep(0.5)
            left = subprocess.run(["pgrep", "-f", tmp], capture_output=True, text=True).stdout
            self.assertEqual(left, "", "a tool outlived pike compile")
            self.assertEqual([d for d in os.listdir(tmp) if d.startswith("tmp")], [])


if __name__ == "__main__":
    unittest.main()
