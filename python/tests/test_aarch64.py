"""AArch64: every row of the target table for aarch64-linux-gnu (`aarch64`,
the portable kernels in NEON; `aarch64-dotprod`, sdot; `aarch64-i8mm`,
usmmla/smmla matrix tiles) cross-compiled with Debian's toolchain and run
under qemu-user, bit for bit as pike-run runs the same integer form on this
x86-64 host: the bundled 4-bit MobileNet, the zoo's ResNet-tiny at w8a8 and
MobileNetV1 at w8a8 and w4a4, through the Python API and through
`pike compile` and `pike run --inputs` with the triple spellings."""

import functools
import os
import shutil
import tempfile
import unittest

import numpy as np

from pike import aot, targets, tools
from pike.cli import main as pike_main

SRC = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TINY = os.path.join(SRC, "examples", "mobilenet_tiny.mlir")
MODELS = os.path.join(tempfile.gettempdir(), f"pike-aarch64-models-{os.getpid()}")
AARCH64 = [name for name in targets.names()[1:]
           if targets.describe(name)["triple"].startswith("aarch64")
           and targets.describe(name)["name"] == name]


def jit(model, x):
    with tempfile.TemporaryDirectory() as tmp:
        integer, xin, yout = (os.path.join(tmp, n) for n in ("i.mlir", "x.npy", "y.npy"))
        tools.run("pike-opt", model, "--pike-quantize-pipeline", "-o", integer)
        np.save(xin, x)
        tools.run("pike-run", integer, f"--input={xin}", f"--output={yout}")
        return np.load(yout)


@functools.lru_cache(maxsize=None)
def zoo(name, weight_bits, act_bits):
    os.makedirs(MODELS, exist_ok=True)
    path = os.path.join(MODELS, f"{name}-w{weight_bits}a{act_bits}.mlir")
    assert pike_main(["zoo", name, "--weight-bits", str(weight_bits), "--act-bits",
                      str(act_bits), "-o", path]) == 0
    return path


class AArch64Test(unittest.TestCase):
    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(MODELS, ignore_errors=True)

    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()

    def tearDown(self):
        self.tmp.cleanup()

    def test_the_rows_are_cross_targets(self):
        self.assertEqual(AARCH64, ["aarch64", "aarch64-dotprod", "aarch64-i8mm"])
        kinds = [targets.describe(t)["dot_product"] for t in AARCH64]
        self.assertEqual(kinds, ["portable", "arm-dot", "arm-i8mm"])
        for target in AARCH64:
            row = targets.describe(target)
            self.assertEqual(row["triple"], "aarch64-linux-gnu")
            self.assertTrue(targets.is_cross(target))
            # This x86-64 host does not run it: never picked for `host`.
            self.assertIn("arch aarch64", row["missing_here"])
            self.assertNotEqual(targets.host(), target)
            spelling = "aarch64-linux-gnu" + target[len("aarch64"):]
            self.assertEqual(row["triple_spelling"], spelling)
            self.assertEqual(targets.describe(spelling)["name"], target)

    def check_model(self, model, shape, runs=1):
        rng = np.random.default_rng(3)
        inputs = [rng.uniform(0, 1, shape).astype(np.float32) for _ in range(runs)]
        expected = [jit(model, x) for x in inputs]
        for target in AARCH64:
            with self.subTest(target=target):
                runner = aot.CrossRunner(model, target, workdir=self.tmp.name)
                for x, want in zip(inputs, expected):
                    (got,) = runner.run([x])
                    np.testing.assert_array_equal(got, want)

    def test_bundled_w4a4_mobilenet(self):
        self.check_model(TINY, (1, 32, 32, 3), runs=2)

    def test_resnet_tiny_w8a8(self):
        self.check_model(zoo("resnet-tiny", 8, 8), (1, 32, 32, 3))

    def test_mobilenetv1_w8a8(self):
        self.check_model(zoo("mobilenetv1", 8, 8), (1, 224, 224, 3))

    def test_mobilenetv1_w4a4(self):
        self.check_model(zoo("mobilenetv1", 4, 4), (1, 224, 224, 3))

    def test_compile_and_run_commands(self):
        x = np.load(os.path.join(SRC, "examples", "mobilenet_tiny_input.npy"))
        want = jit(TINY, x)
        inputs = os.path.join(self.tmp.name, "in")
        os.makedirs(inputs)
        np.save(os.path.join(inputs, "image.npy"), x)
        for target in AARCH64:
            spelling = targets.describe(target)["triple_spelling"]
            with self.subTest(target=spelling):
                so = os.path.join(self.tmp.name, f"{target}.so")
                self.assertEqual(pike_main(["compile", TINY, "--emit", "shared", "--target",
                                            spelling, "-o", so]), 0)
                with open(so, "rb") as f:
                    header = f.read(20)
                self.assertEqual(header[:4], b"\x7fELF")
                self.assertEqual(int.from_bytes(header[18:20], "little"), 183)  # EM_AARCH64
                with open(os.path.join(self.tmp.name, f"{target}.h")) as f:
                    self.assertIn(f"target {target}", f.read())
                out = os.path.join(self.tmp.name, f"out-{target}")
                self.assertEqual(pike_main(["run", TINY, "--target", spelling, "--inputs",
                                            inputs, "--output-dir", out]), 0)
                np.testing.assert_array_equal(np.load(os.path.join(out, "image.npy")), want)

    def test_library_checks_features_through_the_auxiliary_vector(self):
        checks = {"aarch64": ["getauxval(AT_HWCAP) & (1UL << 1)"],
                  "aarch64-dotprod": ["getauxval(AT_HWCAP) & (1UL << 20)"],
                  "aarch64-i8mm": ["getauxval(AT_HWCAP) & (1UL << 20)",
                                   "getauxval(AT_HWCAP2) & (1UL << 13)"]}
        for target in AARCH64:
            wrapper = tools.run("pike-translate", "--pike-c-wrapper", f"--target={target}",
                                stdin="module attributes {pike.c_prefix = \"m\"} {\n"
                                      "  llvm.func @m__f() attributes {pike.c_interface = "
                                      "{symbol = \"m_f\", inputs = [], outputs = []}} {\n"
                                      "    llvm.return\n  }\n  llvm.func @_mlir_ciface_m__f()\n}\n")
            self.assertIn("#include <sys/auxv.h>", wrapper)
            for check in checks[target]:
                self.assertIn(check, wrapper)
            self.assertNotIn("__builtin_cpu", wrapper)

    def test_a_cpu_without_the_instructions_is_refused(self):
        # Cortex-A76 has the dot product but not i8mm, Cortex-A53 neither.
        for target, cpu, lacking in (("aarch64-i8mm", "cortex-a76", "i8mm"),
                                     ("aarch64-dotprod", "cortex-a53", "dotprod")):
            with self.subTest(target=target, cpu=cpu):
                runner = aot.CrossRunner(TINY, target, workdir=self.tmp.name, cpu=cpu)
                with self.assertRaisesRegex(aot.AotError, f"qemu emulates lacks .*{lacking}"):
                    runner.run([np.zeros((1, 32, 32, 3), np.float32)])
        runner = aot.CrossRunner(TINY, "aarch64-dotprod", workdir=self.tmp.name,
                                 cpu="cortex-a76")
        (got,) = runner.run([np.zeros((1, 32, 32, 3), np.float32)])
        np.testing.assert_array_equal(got, jit(TINY, np.zeros((1, 32, 32, 3), np.float32)))


if __name__ == "__main__":
    unittest.main()
