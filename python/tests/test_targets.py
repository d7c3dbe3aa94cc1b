"""The CPU targets are defined once, by pike-run's table (lib/Target/CpuTarget.cpp);
what Python, the CLI and the AOT build use is bound to it here, and the
host detection it reports (LLVM's) is checked against the kernel's own
account of this CPU in /proc/cpuinfo."""

import unittest

from pike import aot, targets
from pike.cli import build_parser

# LLVM feature names as Linux's /proc/cpuinfo spells them, where they differ.
CPUINFO_NAME = {"sse3": "pni", "sse4.1": "sse4_1", "sse4.2": "sse4_2", "bmi": "bmi1",
                "lzcnt": "abm", "avx512vnni": "avx512_vnni", "avx512vpopcntdq": "avx512_vpopcntdq",
                "neon": "asimd"}


def cpuinfo_runs(target):
    flags = aot.cpu_flags()
    return all(CPUINFO_NAME.get(f, f) in flags for f in target["required_features"])


class TargetTableTest(unittest.TestCase):
    def test_host_detection_agrees_with_cpuinfo(self):
        table = targets._table()["targets"]
        self.assertTrue(aot.cpu_flags(), "no /proc/cpuinfo flags to compare with")
        for target in table:
            self.assertEqual(not target["missing_here"], cpuinfo_runs(target), target["name"])
        expected = [t["name"] for t in table if cpuinfo_runs(t)][-1]
        self.assertEqual(targets.host(), expected)
        self.assertEqual(targets.describe("host")["name"], expected)

    def test_levels_nest(self):
        # Each target needs everything the more portable ones of its
        # architecture need.
        table = targets._table()["targets"]
        for triple in {t["triple"] for t in table}:
            rows = [t for t in table if t["triple"] == triple]
            for before, after in zip(rows, rows[1:]):
                self.assertLessEqual(set(before["required_features"]),
                                     set(after["required_features"]), after["name"])

    def test_cli_offers_exactly_the_table(self):
        parser = build_parser()
        for command in ("run", "compile"):
            sub = parser._subparsers._group_actions[0].choices[command]
            action = next(a for a in sub._actions if a.dest == "target")
            self.assertEqual(action.choices, targets.names())

    def test_aot_flags_come_from_the_row(self):
        vnni = targets.describe("avx512-vnni")
        self.assertEqual(targets.llc_flags("avx512-vnni"),
                         [f"-mtriple={vnni['triple']}", f"-mcpu={vnni['cpu_level']}",
                          "-mattr=" + ",".join([f"+{f}" for f in vnni["extra_features"]]
                                               + [vnni["tuning"]])])
        self.assertEqual(targets.llc_flags("scalar"), ["-mtriple=x86_64-linux-gnu", "-mcpu=x86-64"])
        self.assertEqual(targets.llc_flags("aarch64"),
                         ["-mtriple=aarch64-linux-gnu", "-mcpu=generic", "-mattr=+neon"])

    def test_unknown_target_is_refused(self):
        with self.assertRaises(targets.TargetError) as ctx:
            targets.describe("avx2")
        self.assertIn("one of: host, scalar", str(ctx.exception))
        with self.assertRaises(aot.AotError):
            aot.compile_library("unused.mlir", "/tmp/unused.so", target="avx2")


if __name__ == "__main__":
    unittest.main()
