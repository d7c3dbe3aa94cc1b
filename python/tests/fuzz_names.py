"""Fuzzing the name path: random function and tensor names, written as a
model's names would be, through compile (pike-name-entry-points, the header
and wrapper, cc) to a call of every entry point. A failure is a name that
breaks the build, two entry points that collide, a name that is not given
back exactly, or code from a name that runs.

`python3 -m tests.fuzz_names --seconds 60` (scripts/fuzz.sh); the unit test
test_security.py runs a few seeded rounds.
"""

import argparse
import json
import os
import random
import sys
import tempfile
import time

import numpy as np

from pike import aot, onnx_serialize
from pike.escape import json_text

# Pieces that are syntax somewhere: C comments, strings, trigraphs,
# preprocessor lines, MLIR and JSON quoting, and names Pike gives itself.
PIECES = ["*/", "/*", "//", "\n", "\r", "\"", "\\", "??/", "#define", "'", "{", "}", "(", ")",
          ";", ".", "$", "@", "-", " ", "\t", "\0", "é", "\u2028", "\udcff", "check_cpu", "int",
          "main", "MAIN", "_", "__", "0", "1f", "x", "y", "%", "}>", "]", "[", "\x7f", ","]


def _marker_payload(marker):
    return (f'*/ __attribute__((constructor)) static void p(void) {{ '
            f'extern void *fopen(const char *, const char *); fopen("{marker}", "w"); }} /*')


def random_name(rng, marker):
    if rng.random() < 0.1:
        return _marker_payload(marker)
    if rng.random() < 0.05:
        return ""
    return "".join(rng.choice(PIECES) for _ in range(rng.randint(1, 6)))


def _mlir_name(text):
    return onnx_serialize._string(text.encode("utf-8", "surrogateescape"))


def one_round(rng, tmp, marker):
    """Compiles and calls a module of 1 to 4 functions with random names;
    returns a list of problems (empty when all is well)."""
    functions = []
    while len(functions) < rng.randint(1, 4):
        name = random_name(rng, marker) or "f"
        if name not in [f[0] for f in functions]:
            functions.append((name, random_name(rng, marker), random_name(rng, marker)))
    lines = []
    for name, arg, result in functions:
        lines.append(f"func.func @{_mlir_name(name)}(%x: tensor<4xi32> "
                     f"{{pike.name = {_mlir_name(arg)}}}) -> (tensor<4xi32> "
                     f"{{pike.name = {_mlir_name(result)}}}) {{")
        lines.append("  %e = tensor.empty() : tensor<4xi32>")
        lines.append("  %y = linalg.add ins(%x, %x : tensor<4xi32>, tensor<4xi32>) "
                     "outs(%e : tensor<4xi32>) -> tensor<4xi32>")
        lines.append("  return %y : tensor<4xi32>")
        lines.append("}")
    model = os.path.join(tmp, "model.mlir")
    with open(model, "w") as f:
        f.write("\n".join(lines) + "\n")
    so = os.path.join(tmp, "names.so")
    aot.compile_library(model, so, "shared", target="scalar", integer_passes=())
    problems = []
    library = aot.Library(so)
    with open(os.path.join(tmp, "names.json")) as f:
        manifest = json.load(f)
    symbols = [f["symbol"] for f in manifest["functions"]]
    if len(set(s.lower() for s in symbols)) != len(symbols):
        problems.append(f"colliding symbols {symbols}")
    x = np.arange(4, dtype=np.int32)
    for name, arg, result in functions:
        expected = json_text(name)
        # Names that read alike once undecodable bytes are U+FFFD are
        # called by their symbols.
        specs = [f for f in manifest["functions"] if f["name"] == expected]
        if not specs:
            problems.append(f"function {name!r} is not in the manifest")
            continue
        for spec in specs:
            (y,) = library.run([x], entry=spec["symbol"] if len(specs) > 1 else expected)
            if not np.array_equal(y, 2 * x):
                problems.append(f"function {name!r} computed {y}")
        if not any(spec["inputs"][0]["name"] == (json_text(arg) or "input0") for spec in specs):
            problems.append(f"input name {arg!r} came back as {specs[0]['inputs'][0]['name']!r}")
    if os.path.exists(marker):
        problems.append("code from a name ran")
    return problems


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--rounds", type=int, default=0, help="stop after this many (0: time only)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    rng = random.Random(args.seed or None)
    deadline = time.monotonic() + args.seconds
    rounds = 0
    with tempfile.TemporaryDirectory() as tmp:
        marker = os.path.join(tmp, "MARKER")
        while time.monotonic() < deadline and (not args.rounds or rounds < args.rounds):
            work = os.path.join(tmp, f"r{rounds}")
            os.makedirs(work)
            problems = one_round(rng, work, marker)
            rounds += 1
            if problems:
                print(f"fuzz_names: round {rounds} (seed {args.seed}): {problems}")
                return 1
    print(f"fuzz_names: {rounds} rounds clean")
    return 0


if __name__ == "__main__":
    sys.exit(main())
