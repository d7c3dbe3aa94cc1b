"""pike.avg_pool2d's `rounding`: an integer average sum / n with ties half up
(the default) or half to even (ONNX's QuantizeLinear reading, onnxruntime's
QLinearAveragePool, PyTorch's quantized avg_pool2d). The compiled code
(pike-run) and the NumPy reference are both checked against np.round of the
exact quotient (sums this small divide exactly enough as floats, and
np.round is half to even), with negative sums, a zero point, and padded and
ceil-mode windows whose divisors differ."""

import os
import tempfile
import unittest

import numpy as np

from pike import tools
from pike.reference import Interpreter
from tests.tools import pike_opt


def pool_text(shape, out_shape, attrs):
    t = "x".join(map(str, shape)) + "xi8"
    o = "x".join(map(str, out_shape)) + "xi8"
    return f"""
      func.func @main(%x: tensor<{t}>) -> tensor<{o}> {{
        %g = pike.avg_pool2d %x {{{attrs}}} : tensor<{t}> -> tensor<{o}>
        return %g : tensor<{o}>
      }}"""


def pike_run(text, x):
    with tempfile.TemporaryDirectory() as tmp:
        path, inp, out = (os.path.join(tmp, n) for n in ("f.mlir", "x.npy", "y.npy"))
        with open(path, "w") as f:
            f.write(text)
        np.save(inp, x)
        tools.run("pike-run", path, f"--input={inp}", f"--output={out}")
        return np.load(out).astype(np.int64)


def numpy_average(x, kernel, stride, pads, ceil_mode, count_pad, input_zp, output_zp, rule):
    """Window by window over NHWC `x` centered by `input_zp`: the sum over
    the input positions, divided by the positions inside the input (or the
    padded input), rounded by `rule` on the float quotient."""
    _, h, w, c = x.shape
    top, bottom, left, right = pads
    sizes = []
    for size, before, after in ((h, top, bottom), (w, left, right)):
        span = size + before + after - kernel
        out = (-(-span // stride) if ceil_mode else span // stride) + 1
        if ceil_mode and (out - 1) * stride >= size + before:
            out -= 1
        sizes.append(out)
    y = np.zeros((1, sizes[0], sizes[1], c), np.int64)
    ties = 0
    for i in range(sizes[0]):
        for j in range(sizes[1]):
            r0, c0 = i * stride - top, j * stride - left
            window = x[0, max(r0, 0):min(r0 + kernel, h), max(c0, 0):min(c0 + kernel, w)]
            total = (window.astype(np.int64) - input_zp).sum(axis=(0, 1))
            if count_pad:
                count = ((min(r0 + kernel, h + bottom) - max(r0, -top)) *
                         (min(c0 + kernel, w + right) - max(c0, -left)))
            else:
                count = window.shape[0] * window.shape[1]
            mean = total / count
            ties += int(np.sum(mean - np.floor(mean) == 0.5))
            rounded = np.round(mean) if rule == "half_even" else np.floor(mean + 0.5)
            y[0, i, j] = rounded.astype(np.int64) + output_zp
    return np.clip(y, -128, 127), ties


class AverageRoundingTest(unittest.TestCase):
    CASES = [
        # (H, W, kernel, stride, pads [t, b, l, r], ceil_mode, count_include_pad, input_zp, output_zp)
        (4, 4, 2, 2, (0, 0, 0, 0), False, False, 0, 0),
        (7, 7, 2, 1, (0, 0, 0, 0), False, False, -3, 5),
        (5, 5, 2, 2, (0, 0, 0, 0), True, False, 0, 0),  # divisors 4, 2, 1
        (6, 5, 3, 2, (1, 1, 1, 0), True, False, 2, -1),  # padding that does not count
        (6, 6, 3, 2, (1, 1, 1, 1), True, True, 1, 0),  # counted padding, ceil's extra never
    ]

    def check(self, rule):
        rng = np.random.default_rng(7)
        all_ties = 0
        for h, w, k, s, pads, ceil, counted, izp, ozp in self.CASES:
            x = rng.integers(-6, 6, size=(1, h, w, 8)).astype(np.int8)
            expected, ties = numpy_average(x, k, s, pads, ceil, counted, izp, ozp, rule)
            all_ties += ties
            attrs = [f"kernel = array<i64: {k}, {k}>", f"strides = array<i64: {s}, {s}>",
                     f"padding = array<i64: {', '.join(map(str, pads))}>",
                     f"input_zp = {izp}", f"output_zp = {ozp}"]
            attrs += ["ceil_mode"] * ceil + ["count_include_pad"] * counted
            if rule != "default":
                attrs.append(f"rounding = #pike<average_rounding {rule}>")
            text = pool_text(x.shape, expected.shape, ", ".join(attrs))
            with self.subTest(case=(h, w, k, s, pads, ceil, counted), rule=rule):
                ref, = Interpreter.from_text(pike_opt(text)).run("main", [x])
                np.testing.assert_array_equal(np.asarray(ref, np.int64), expected)
                np.testing.assert_array_equal(pike_run(text, x), expected)
        self.assertGreater(all_ties, 100)  # the cases exercise the rule

    def test_half_even(self):
        self.check("half_even")

    def test_half_up(self):
        self.check("half_up")

    def test_default_is_half_up(self):
        # numpy_average's "default" is floor(mean + 0.5), half up.
        self.check("default")


if __name__ == "__main__":
    unittest.main()
