"""vector_dots_check.py TARGET: pike.vector_dot4 (both signednesses),
pike.vector_dot2, pike.vector_dot2_bytes (pairs that saturate among them)
and pike.vector_mmla (both) on random operands, lowered by
pike-lower-vector-dots for TARGET, compiled to LLVM by upstream mlir-opt and run by
mlir-runner on this host; each result printed and checked against the ops' definitions in
NumPy. Prints one line per op."""

import os
import re
import subprocess
import sys
import tempfile

import numpy as np

TARGET = sys.argv[1]
LLVM = os.environ.get("LLVM_TOOLS_DIR", "/usr/lib/llvm-22/bin")
rng = np.random.default_rng(11)


def vec(values, element):
    return (f"dense<[{', '.join(str(int(v)) for v in values)}]> : "
            f"vector<{len(values)}x{element}>")


def dot(acc, lhs, rhs, ways, lhs_unsigned):
    a = (lhs.astype(np.uint8) if lhs_unsigned else lhs).astype(np.int64)
    products = (a * rhs.astype(np.int64)).reshape(-1, ways).sum(axis=1)
    return ((acc.astype(np.int64) + products + 2**31) % 2**32 - 2**31).astype(np.int64)


def mmla(acc, lhs, rhs, lhs_unsigned):
    a = (lhs.astype(np.uint8) if lhs_unsigned else lhs).astype(np.int64).reshape(-1, 2, 8)
    b = rhs.astype(np.int64).reshape(-1, 2, 8)
    tiles = np.einsum("tik,tjk->tij", a, b).reshape(-1)
    return ((acc.astype(np.int64) + tiles + 2**31) % 2**32 - 2**31).astype(np.int64)


def byte_pairs(acc, lhs, rhs):
    products = (lhs.astype(np.uint8).astype(np.int64) * rhs.astype(np.int64)).reshape(-1, 2)
    pairs = products.sum(axis=1).clip(-2**15, 2**15 - 1)
    return ((acc.astype(np.int64) + pairs + 2**15) % 2**16 - 2**15).astype(np.int64)


CASES = []
for lanes in (4, 8):
    acc = rng.integers(-2**31, 2**31, lanes)
    lhs = rng.integers(-128, 128, 4 * lanes)
    rhs = rng.integers(-128, 128, 4 * lanes)
    for signed in (False, True):
        flag = " lhs_signed" if signed else ""
        CASES.append((f"vector_dot4{flag} x{lanes}", "vector_dot4", flag, acc, lhs, rhs, "i8",
                      dot(acc, lhs, rhs, 4, not signed)))
        CASES.append((f"vector_mmla{flag} x{lanes}", "vector_mmla", flag, acc, lhs, rhs, "i8",
                      mmla(acc, lhs, rhs, not signed)))
    lhs16 = rng.integers(-2**15, 2**15, 2 * lanes)
    rhs16 = rng.integers(-2**15, 2**15, 2 * lanes)
    CASES.append((f"vector_dot2 x{lanes}", "vector_dot2", "", acc, lhs16, rhs16, "i16",
                  dot(acc, lhs16, rhs16, 2, False)))
    # Pairs of 255 x 127 and 255 x -128 pass i16 and saturate; the sum wraps.
    acc16 = rng.integers(-2**15, 2**15, 2 * lanes)
    lhs8 = rng.integers(-128, 128, 4 * lanes)
    rhs8 = rng.integers(-128, 128, 4 * lanes)
    lhs8[:4], rhs8[:4] = [-1, -1, -1, -1], [127, 127, -128, -128]
    acc16[:2] = [32767, -32768]
    CASES.append((f"vector_dot2_bytes x{2 * lanes}", "vector_dot2_bytes", "", acc16, lhs8, rhs8,
                  "i8", byte_pairs(acc16, lhs8, rhs8)))

body = []
for i, (name, op, flag, acc, lhs, rhs, element, _) in enumerate(CASES):
    lanes, width = len(acc), len(lhs)
    wide = "i16" if op == "vector_dot2_bytes" else "i32"
    body += [f"  %acc{i} = arith.constant {vec(acc, wide)}",
             f"  %lhs{i} = arith.constant {vec(lhs, element)}",
             f"  %rhs{i} = arith.constant {vec(rhs, element)}",
             # Through memory, so that nothing folds the op away.
             f"  %m{i} = memref.alloca() : memref<{lanes}x{wide}>",
             f"  %c0_{i} = arith.constant 0 : index",
             f"  vector.store %acc{i}, %m{i}[%c0_{i}] : memref<{lanes}x{wide}>, "
             f"vector<{lanes}x{wide}>",
             f"  %a{i} = vector.load %m{i}[%c0_{i}] : memref<{lanes}x{wide}>, "
             f"vector<{lanes}x{wide}>",
             f"  %r{i} = pike.{op} %a{i}, %lhs{i}, %rhs{i}{flag} : vector<{lanes}x{wide}>, "
             f"vector<{width}x{element}>",
             f"  vector.print %r{i} : vector<{lanes}x{wide}>"]
module = "func.func @main() {\n" + "\n".join(body) + "\n  return\n}\n"

with tempfile.TemporaryDirectory() as tmp:
    source, dots, lowered = (os.path.join(tmp, n) for n in ("in.mlir", "dots.mlir", "llvm.mlir"))
    with open(source, "w") as f:
        f.write(module)
    subprocess.run(["pike-opt", source, f"--pike-lower-vector-dots=target={TARGET}", "-o", dots],
                   check=True)
    subprocess.run([f"{LLVM}/mlir-opt", dots, "--convert-vector-to-scf", "--convert-scf-to-cf",
                    "--convert-vector-to-llvm", "--convert-cf-to-llvm", "--finalize-memref-to-llvm",
                    "--convert-arith-to-llvm", "--convert-func-to-llvm",
                    "--reconcile-unrealized-casts", "-o", lowered], check=True)
    out = subprocess.run([f"{LLVM}/mlir-runner", lowered, "-e", "main",
                          "-entry-point-result=void",
                          f"-shared-libs={LLVM}/../lib/libmlir_c_runner_utils.so"],
                         capture_output=True, text=True, check=True).stdout
printed = [[int(v) for v in re.findall(r"-?\d+", line)] for line in out.splitlines()
           if line.startswith("(")]
failures = 0
for (name, *_, want), got in zip(CASES, printed):
    same = list(want) == got
    failures += not same
    print(f"{name}: {'as defined' if same else f'DIFFERS: {got} != {list(want)}'}")
print(f"{TARGET}: {len(CASES) - failures} of {len(CASES)} ops as defined")
sys.exit(1 if failures or len(printed) != len(CASES) else 0)
