"""Inputs for bf16_conversions.mlir and their bfloat16 values, rounded once
from the exact value with Python's integers and fractions (no float
arithmetic), against which pike-run's results are compared.

bf16_exact.py inputs DIR: writes DIR/<function>.in<k>.npy and
DIR/<function>.expected.npy (bfloat16 as float32, as pike-run writes it).
bf16_exact.py compare GOT EXPECTED: exits 1 unless the bits match (any NaN
matches any NaN)."""

import math
import os
import sys
from fractions import Fraction

import numpy as np


def bf16_bits(x):
    """The bfloat16 nearest to the exact value x (ties to even), as its 16 bits."""
    if x != x:
        return 0x7FC0
    if isinstance(x, float) and x in (float("inf"), float("-inf")):
        return 0x7F80 if x > 0 else 0xFF80
    sign = 0x8000 if (math.copysign(1.0, x) < 0 if isinstance(x, float) else x < 0) else 0
    x = abs(Fraction(x))
    if x == 0:
        return sign
    exponent = x.numerator.bit_length() - x.denominator.bit_length()
    if Fraction(2) ** exponent > x:
        exponent -= 1
    exponent = max(exponent, -126)            # subnormals share the smallest step
    step = Fraction(2) ** (exponent - 7)
    q, r = divmod(x, step)
    q = int(q)
    if r > step / 2 or (r == step / 2 and q % 2 == 1):
        q += 1
    value = q * step
    if value >= Fraction(2) ** 128:
        return sign | 0x7F80
    # Encode: value = m * 2^(e - 7) with m in [128, 256) for normals.
    bits = np.array([float(value)], dtype=np.float32).view(np.uint32)[0]
    assert bits & 0xFFFF == 0, value
    return sign | int(bits >> 16)


def as_float32(bits):
    return (np.asarray(bits, dtype=np.uint32) << 16).view(np.float32)


def exact_inputs(rng):
    i32 = [0, 1, -1, 255, 256, 257, 258, 259, 383, 385, 2**24 + 2**16, 2**24 + 2**16 + 1,
           16842753, 16973823, -16842753, 1077936129, 2**31 - 1, -2**31, -2**31 + 1]
    i32 += list(rng.integers(-2**31, 2**31, 64 - len(i32)))
    u32 = [2**32 - 1, 2**31, 2**31 + 2**23, 2**31 + 2**23 + 1, 2**32 - 2**23, 3 * 2**23, 1]
    u32 += list(rng.integers(0, 2**32, 64 - len(u32)))
    # Values just past a bfloat16 tie that float64 would round onto it.
    i64 = [2**62 + 2**54 + 1, -(2**62 + 2**54 + 1), 2**62 + 2**54, 2**63 - 1, -2**63,
           -2**63 + 1, 2**53 + 1, 2**40 + 2**32 + 1, 2**40 + 2**32, 3 * 2**60 + 2**52 + 1, 0]
    i64 += [int(v) for v in rng.integers(-2**63, 2**63 - 1, 64 - len(i64), dtype=np.int64)]
    u64 = [2**64 - 1, 2**63, 2**63 + 2**55 + 1, 2**63 + 2**55, 2**64 - 2**55 - 1, 1]
    u64 += [int(v) * 2 + 1 for v in rng.integers(0, 2**63 - 1, 64 - len(u64), dtype=np.int64)]
    f64 = [1 + 2**-8 + 2**-40, 1 + 2**-8, 1 + 2**-8 - 2**-40, -(1 + 2**-8 + 2**-40),
           3 * 2**-8 + 2**-60, 1e300, -1e300, 3.3961e38, 3.3962e38, 3.4e38, 1e-40, 1e-45,
           2**-133, 2**-134, 2**-134 + 2**-160, 2**-150, 0.0, -0.0, float("inf"),
           float("-inf"), float("nan"), 2**-126 + 2**-134 + 2**-170, 0.1, -0.3]
    f64 += list(rng.standard_normal(64 - len(f64)) * 10.0 ** rng.integers(-40, 40, 64 - len(f64)))
    return i32, u32, i64, u64, f64


def bf16_operands(rng):
    """fma operands: bfloat16 values, with sums just past ties."""
    a = as_float32(np.array([bf16_bits(v) for v in rng.standard_normal(64) * 8]))
    b = as_float32(np.array([bf16_bits(v) for v in rng.standard_normal(64) * 8]))
    c = as_float32(np.array([bf16_bits(v) for v in rng.standard_normal(64) * 64]))
    # a * b = 1 + 2^-8 (a tie in bfloat16) plus a tiny c: rounds up.
    a[:4] = as_float32([bf16_bits(1 + 2**-8)] * 4)
    b[:4] = 1.0
    c[:4] = as_float32([bf16_bits(v) for v in (2**-40, -(2**-40), 2**-120, 0.0)])
    return a, b, c


def make(folder):
    rng = np.random.default_rng(17)
    i32, u32, i64, u64, f64 = exact_inputs(rng)
    cases = {
        "from_i32": ([np.array(i32, dtype=np.int32)], [Fraction(int(v)) for v in i32]),
        "from_u32": ([np.array(u32, dtype=np.uint64).astype(np.uint32).view(np.int32)],
                     [Fraction(int(v)) for v in u32]),
        "from_i64": ([np.array(i64, dtype=np.int64)], [Fraction(v) for v in i64]),
        "from_u64": ([np.array(u64, dtype=np.uint64).view(np.int64)], [Fraction(v) for v in u64]),
        "from_f64": ([np.array(f64, dtype=np.float64)], [float(v) for v in f64]),
    }
    a, b, c = bf16_operands(rng)
    exact = [Fraction(float(x)) * Fraction(float(y)) + Fraction(float(z))
             for x, y, z in zip(a, b, c)]
    cases["fma"] = ([a, b, c], exact)
    for name, (inputs, values) in cases.items():
        for k, array in enumerate(inputs):
            np.save(os.path.join(folder, f"{name}.in{k}.npy"), array)
        expected = as_float32([bf16_bits(v) for v in values])
        np.save(os.path.join(folder, f"{name}.expected.npy"), expected)


def compare(got_path, expected_path):
    got, expected = np.load(got_path), np.load(expected_path)
    g, e = got.view(np.uint32), expected.view(np.uint32)
    same = (g == e) | (np.isnan(got) & np.isnan(expected))
    if got.dtype != np.float32 or not same.all():
        bad = np.flatnonzero(~same)
        sys.exit(f"{bad.size} of {got.size} differ; first at {bad[0]}: "
                 f"{got[bad[0]]!r} vs {expected[bad[0]]!r}")
    print(f"match: {got.size} bfloat16 values")


if __name__ == "__main__":
    {"inputs": make, "compare": compare}[sys.argv[1]](*sys.argv[2:])
