"""The NumPy reference (python/pike/reference.py, written from
docs/Numerics.md) against the C++ numerics library (the one definition, called
through libPikeCAPI's pike-c/Numerics.h) on generated vectors: every rounding
mode on random values, exact ties and extreme shifts and multipliers; quantize
with zero points at the range ends, ties, NaN and infinities; the rounded
division of average pooling. Neither copy can drift without this failing."""

import ctypes
import os
import unittest

import numpy as np

from pike import reference, rounding

# name -> the C API's number (the dialect's order, test_rounding_modes);
# float32 is checked on its own below.
MODES = {name: number for number, name in enumerate(rounding.MODES) if name != "float32"}


def load_numerics():
    path = os.environ.get("PIKE_CAPI_LIB")
    if not path:
        build = os.environ.get("PIKE_BUILD_DIR", os.path.join(
            os.path.dirname(__file__), "..", "..", "build"))
        path = os.path.join(build, "lib", "CAPI", "libPikeCAPI.so")
    lib = ctypes.CDLL(path)
    lib.pikeRoundingShift.restype = ctypes.c_int64
    lib.pikeRoundingShift.argtypes = [ctypes.c_int64, ctypes.c_uint, ctypes.c_int]
    lib.pikeApplyScale.restype = ctypes.c_bool
    lib.pikeApplyScale.argtypes = [ctypes.c_int64, ctypes.c_int64, ctypes.c_int64,
                                   ctypes.c_uint, ctypes.c_int, ctypes.POINTER(ctypes.c_int64)]
    lib.pikeQuantize.restype = ctypes.c_int64
    lib.pikeQuantize.argtypes = [ctypes.c_double, ctypes.c_double, ctypes.c_int64,
                                 ctypes.c_uint, ctypes.c_bool]
    lib.pikeDivideRoundHalfUp.restype = ctypes.c_int64
    lib.pikeDivideRoundHalfUp.argtypes = [ctypes.c_int64, ctypes.c_int64]
    lib.pikeDivideRoundHalfEven.restype = ctypes.c_int64
    lib.pikeDivideRoundHalfEven.argtypes = [ctypes.c_int64, ctypes.c_int64]
    return lib


def shift_vectors(rng, shift, count=200):
    """Values whose rounding sum stays within int64, as the verifiers require:
    random, exact ties (odd multiples of 2^(s-1)) of both quotient parities,
    and the extremes of that range."""
    limit = (1 << 63) - 1 - (1 << (shift - 1)) - (1 << 30)
    values = list(rng.integers(-limit, limit, size=count, dtype=np.int64))
    top = limit >> shift
    for k in rng.integers(-top, top, size=count // 2):
        values.append((int(k) << shift) + (1 << (shift - 1)))
    values += [0, 1, -1, limit, -limit, (1 << (shift - 1)), -(1 << (shift - 1)),
               3 << (shift - 1), -(3 << (shift - 1))]
    return [int(v) for v in values if -limit <= int(v) <= limit]


class RoundingShiftTest(unittest.TestCase):
    def test_every_mode_and_shift(self):
        lib = load_numerics()
        rng = np.random.default_rng(7)
        checked = 0
        for mode, code in MODES.items():
            for shift in range(1, 63):
                values = shift_vectors(rng, shift, 60)
                ref = reference.round_shift(np.array(values, np.int64), shift, mode)
                for value, expected in zip(values, ref):
                    got = lib.pikeRoundingShift(value, shift, code)
                    self.assertEqual(got, int(expected), f"{mode} {value} >> {shift}")
                    checked += 1
        self.assertGreater(checked, 15000)


class ApplyScaleTest(unittest.TestCase):
    def test_products_with_extreme_multipliers(self):
        lib = load_numerics()
        rng = np.random.default_rng(11)
        multipliers = [1, 2, (1 << 30), (1 << 31) - 1, 1518500250, 24576, 97, 15]
        for mode, code in MODES.items():
            for multiplier in multipliers:
                for shift in (1, 2, 15, 31, 32, 38, 50, 62):
                    accs = rng.integers(-(1 << 31), 1 << 31, size=40)
                    addends = rng.integers(-(1 << 20), 1 << 20, size=40)
                    for acc, addend in zip(accs, addends):
                        total = int(acc) * multiplier + int(addend)
                        expected = reference.round_shift(np.int64(total), shift, mode)
                        out = ctypes.c_int64(0)
                        self.assertTrue(lib.pikeApplyScale(int(acc), multiplier, int(addend),
                                                           shift, code, ctypes.byref(out)))
                        self.assertEqual(out.value, int(expected),
                                         f"{mode} ({acc} * {multiplier} + {addend}) >> {shift}")

    def test_a_value_no_mode_names_is_refused(self):
        lib = load_numerics()
        out = ctypes.c_int64(99)
        self.assertFalse(lib.pikeApplyScale(5, 3, 0, 1, len(rounding.MODES), ctypes.byref(out)))
        self.assertEqual(out.value, 99)

    def test_overflow_is_refused(self):
        lib = load_numerics()
        out = ctypes.c_int64(99)
        self.assertFalse(lib.pikeApplyScale(1 << 62, 4, 0, 4, 0, ctypes.byref(out)))
        self.assertFalse(lib.pikeApplyScale(5, 1, 0, 0, 0, ctypes.byref(out)))
        self.assertFalse(lib.pikeApplyScale(5, 1, 0, 63, 0, ctypes.byref(out)))
        self.assertEqual(out.value, 99)


class Float32ApplyScaleTest(unittest.TestCase):
    """float32 rounding: the C++ integer emulation against NumPy's own
    float32 arithmetic (reference.float32_scale), on accumulators beyond
    2^24, integer biases, float32 significands as multipliers and values
    placed within float32 error of a tie."""

    def test_against_numpy_float32(self):
        lib = load_numerics()
        rng = np.random.default_rng(13)
        checked = ties = 0
        for _ in range(400):
            multiplier = int(rng.integers(1 << 23, 1 << 24))
            shift = int(rng.integers(24, 50))
            accs = list(rng.integers(-(1 << 31), 1 << 31, size=40))
            # Accumulators whose real product lies within 2^-20 of a half step.
            for k in rng.integers(-300, 300, size=20):
                target = (int(k) + 0.5) * 2.0 ** shift / multiplier
                accs += [int(np.floor(target)) + d for d in (-1, 0, 1, 2)]
            biases = rng.integers(-(1 << 20), 1 << 20, size=len(accs))
            biases[: len(biases) // 2] = 0
            for acc, bias in zip(accs, biases):
                acc, bias = int(acc), int(bias)
                expected = int(reference.float32_scale(acc, multiplier, shift, bias))
                out = ctypes.c_int64(0)
                self.assertTrue(lib.pikeApplyScale(acc, multiplier, bias, shift, 6,
                                                   ctypes.byref(out)))
                self.assertEqual(out.value, expected,
                                 f"float32 ({acc} + {bias}) * {multiplier} >> {shift}")
                exact = (acc + bias) * multiplier / 2.0 ** shift
                ties += abs(exact - np.floor(exact) - 0.5) < 2.0 ** -20
                checked += 1
        self.assertGreater(checked, 40000)
        self.assertGreater(ties, 1000)

    def test_differs_from_half_even_near_ties(self):
        # The two rules part where float32's rounding of the product crosses
        # a half: accumulators next to a tie, over many float32 scales.
        lib = load_numerics()
        rng = np.random.default_rng(17)
        differ = 0
        for multiplier in rng.integers(1 << 23, 1 << 24, size=300):
            multiplier, shift = int(multiplier), 30
            for k in range(-100, 100):
                base = int(np.floor((k + 0.5) * 2.0 ** shift / multiplier))
                for acc in (base, base + 1):
                    a, b = ctypes.c_int64(0), ctypes.c_int64(0)
                    lib.pikeApplyScale(acc, multiplier, 0, shift, 6, ctypes.byref(a))
                    lib.pikeApplyScale(acc, multiplier, 0, shift, 2, ctypes.byref(b))
                    differ += a.value != b.value
        self.assertGreater(differ, 10)


def tvm_fixed_point_multiply(x, fixed_point_multiplier, shift, rounding):
    """TVM's QNN requantize core, transcribed from FixedPointMultiply in
    tvm/src/relay/qnn/utils.cc (Python integers stand for its int64 tensors)."""
    left_shift = shift if shift > 0 else 0
    right_shift = 0 if shift > 0 else -shift
    tensor = x
    if left_shift != 0:
        tensor = tensor << left_shift
    tensor = tensor * fixed_point_multiplier
    total_right_shift = right_shift + 31
    pos_rounding_value = 1 << (total_right_shift - 1)
    if rounding == "UPWARD":
        round_scalar = pos_rounding_value
    else:  # "TONEAREST"
        neg_rounding_value = (1 << (total_right_shift - 1)) - 1
        round_scalar = pos_rounding_value if tensor >= 0 else neg_rounding_value
    return (tensor + round_scalar) >> total_right_shift


class TvmTest(unittest.TestCase):
    def test_requantize_matches_tvm(self):
        # Pike's multiplier and shift s are TVM's fixed_point_multiplier and
        # 31 - shift (docs/Numerics.md).
        lib = load_numerics()
        rng = np.random.default_rng(13)
        checked = 0
        for mode, rounding in (("tvm_upward", "UPWARD"), ("tvm_tonearest", "TONEAREST")):
            for shift in range(-31, 20):
                for _ in range(120):
                    multiplier = int(rng.integers(1 << 30, 1 << 31))
                    bound = (1 << (31 - max(shift, 0))) - 1
                    x = int(rng.integers(-bound, bound + 1))
                    if rng.integers(4) == 0:  # an exact tie
                        multiplier = 1 << 30
                        x = int(rng.integers(-bound, bound + 1)) | 1
                    expected = tvm_fixed_point_multiply(x, multiplier, shift, rounding)
                    out = ctypes.c_int64(0)
                    self.assertTrue(lib.pikeApplyScale(x, multiplier, 0, 31 - shift,
                                                       MODES[mode], ctypes.byref(out)))
                    self.assertEqual(out.value, expected, f"{mode} {x} * {multiplier}, {shift}")
                    self.assertEqual(int(reference.round_shift(np.int64(x * multiplier),
                                                               31 - shift, mode)), expected)
                    checked += 1
        self.assertGreater(checked, 12000)


class QuantizeTest(unittest.TestCase):
    def test_random_ties_and_non_finite(self):
        lib = load_numerics()
        rng = np.random.default_rng(3)
        for bits in (1, 2, 4, 8, 16):
            for unsigned in (False, True):
                lo, hi = reference.int_range(bits, unsigned)
                for zero_point in sorted({lo, hi, (lo + hi) // 2}):
                    scale = float(rng.uniform(1e-3, 2.0))
                    xs = list(rng.uniform(-3 * scale * (1 << bits), 3 * scale * (1 << bits), 50))
                    xs += [(k + 0.5) * scale for k in range(-5, 5)]  # ties
                    xs += [float("nan"), float("inf"), -float("inf"), 0.0, -0.0]
                    xs = np.array(xs, np.float64)
                    ref = reference.quantize(xs, scale, zero_point, bits, unsigned)
                    for x, expected in zip(xs, ref):
                        got = lib.pikeQuantize(float(x), scale, zero_point, bits, not unsigned)
                        self.assertEqual(got, int(expected),
                                         f"quantize({x}, {scale}, zp {zero_point}, "
                                         f"{'u' if unsigned else 's'}{bits})")


class DivideTest(unittest.TestCase):
    def test_rounded_division(self):
        lib = load_numerics()
        rng = np.random.default_rng(5)
        for count in [1, 2, 3, 7, 49, 98, 1000, 12544]:
            totals = list(rng.integers(-(1 << 40), 1 << 40, size=100))
            totals += [count // 2, -(count // 2), (count * 3) // 2, -((count * 3) // 2), 0]
            ref = reference.divide_round_half_up(np.array(totals, np.int64), count)
            for total, expected in zip(totals, ref):
                self.assertEqual(lib.pikeDivideRoundHalfUp(int(total), count), int(expected),
                                 f"round({total} / {count})")

    def test_rounded_division_half_even(self):
        lib = load_numerics()
        rng = np.random.default_rng(6)
        for count in [1, 2, 3, 4, 7, 49, 98, 1000, 12544]:
            totals = list(rng.integers(-(1 << 40), 1 << 40, size=100))
            # Ties on both sides of zero, with even and odd quotients.
            totals += [k * count + count // 2 for k in range(-4, 4)] + [0, -1, 1]
            ref = reference.divide_round_half_even(np.array(totals, np.int64), count)
            for total, expected in zip(totals, ref):
                self.assertEqual(lib.pikeDivideRoundHalfEven(int(total), count), int(expected),
                                 f"round_half_even({total} / {count})")
            small = np.array([t for t in totals if abs(t) < (1 << 20)], np.int64)
            np.testing.assert_array_equal(  # exact float quotients: np.round is half to even
                reference.divide_round_half_even(small, count), np.round(small / count))


if __name__ == "__main__":
    unittest.main()
