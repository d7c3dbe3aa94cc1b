"""AArch64: the target table's `aarch64` row (the portable vector kernels,
NEON) cross-compiled with Debian's aarch64-linux-gnu toolchain and run under
qemu-user, bit for bit as pike-run runs the same integer form on this x86-64
host: the bundled 4-bit MobileNet and the zoo's ResNet-tiny at w8a8, through
the Python API and through `pike compile` and `pike run --inputs`."""

import os
import subprocess
import tempfile
import unittest

import numpy as np

from pike import aot, targets, tools
from pike.cli import main as pike_main

SRC = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TINY = os.path.join(SRC, "examples", "mobilenet_tiny.mlir")


def jit(model, x):
    with tempfile.TemporaryDirectory() as tmp:
        integer, xin, yout = (os.path.join(tmp, n) for n in ("i.mlir", "x.npy", "y.npy"))
        tools.run("pike-opt", model, "--pike-quantize-pipeline", "-o", integer)
        np.save(xin, x)
        tools.run("pike-run", integer, f"--input={xin}", f"--output={yout}")
        return np.load(yout)


class AArch64Test(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()

    def tearDown(self):
        self.tmp.cleanup()

    def test_the_row_is_a_cross_target(self):
        row = targets.describe("aarch64")
        self.assertEqual(row["triple"], "aarch64-linux-gnu")
        self.assertTrue(targets.is_cross("aarch64"))
        # This x86-64 host does not run it: never picked for `host`.
        self.assertIn("arch aarch64", row["missing_here"])
        self.assertNotEqual(targets.host(), "aarch64")

    def check_models(self, model, shape, runs=2):
        runner = aot.CrossRunner(model, "aarch64", workdir=self.tmp.name)
        rng = np.random.default_rng(3)
        for _ in range(runs):
            x = rng.uniform(0, 1, shape).astype(np.float32)
            (got,) = runner.run([x])
            np.testing.assert_array_equal(got, jit(model, x))

    def test_bundled_w4a4_mobilenet(self):
        self.check_models(TINY, (1, 32, 32, 3))

    def test_resnet_tiny_w8a8(self):
        model = os.path.join(self.tmp.name, "resnet.mlir")
        self.assertEqual(pike_main(["zoo", "resnet-tiny", "--weight-bits", "8",
                                    "--act-bits", "8", "-o", model]), 0)
        self.check_models(model, (1, 32, 32, 3))

    def test_compile_and_run_commands(self):
        so = os.path.join(self.tmp.name, "tiny.so")
        self.assertEqual(pike_main(["compile", TINY, "--emit", "shared", "--target", "aarch64",
                                    "-o", so]), 0)
        with open(so, "rb") as f:
            header = f.read(20)
        self.assertEqual(header[:4], b"\x7fELF")
        self.assertEqual(int.from_bytes(header[18:20], "little"), 183)  # EM_AARCH64
        with open(os.path.join(self.tmp.name, "tiny.h")) as f:
            self.assertIn("target aarch64", f.read())
        inputs = os.path.join(self.tmp.name, "in")
        os.makedirs(inputs)
        x = np.load(os.path.join(SRC, "examples", "mobilenet_tiny_input.npy"))
        np.save(os.path.join(inputs, "image.npy"), x)
        out = os.path.join(self.tmp.name, "out")
        self.assertEqual(pike_main(["run", TINY, "--target", "aarch64", "--inputs", inputs,
                                    "--output-dir", out]), 0)
        np.testing.assert_array_equal(np.load(os.path.join(out, "image.npy")), jit(TINY, x))

    def test_library_checks_neon_through_the_auxiliary_vector(self):
        obj = os.path.join(self.tmp.name, "tiny.o")
        aot.compile_library(TINY, obj, "object", "aarch64")
        wrapper = tools.run("pike-translate", "--pike-c-wrapper", "--target=aarch64",
                            stdin="module attributes {pike.c_prefix = \"m\"} {\n"
                                  "  llvm.func @m__f() attributes {pike.c_interface = "
                                  "{symbol = \"m_f\", inputs = [], outputs = []}} {\n"
                                  "    llvm.return\n  }\n  llvm.func @_mlir_ciface_m__f()\n}\n")
        self.assertIn("#include <sys/auxv.h>", wrapper)
        self.assertIn("getauxval(AT_HWCAP) & (1UL << 1)", wrapper)
        self.assertNotIn("__builtin_cpu", wrapper)


if __name__ == "__main__":
    unittest.main()
