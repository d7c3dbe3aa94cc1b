"""Unit tests of the NumPy reference against hand-computed values."""

import unittest

import numpy as np

from pike import reference
from pike.reference import Interpreter
from tests.tools import pike_opt


class RoundingTest(unittest.TestCase):
    def test_round_shift_single_ties_up(self):
        v = np.array([3, -3, 5, -5, -6, 6])
        s = np.array([1, 1, 2, 2, 2, 2])
        self.assertEqual(reference.round_shift(v, s, "single").tolist(), [2, -1, 1, -1, -1, 2])

    def test_round_shift_half_even(self):
        v = np.array([3, 5, -3, -5, 7, 6, 10, -6])
        s = np.array([1, 1, 1, 1, 2, 2, 2, 2])
        # 1.5, 2.5, -1.5, -2.5, 1.75, 1.5, 2.5, -1.5
        self.assertEqual(reference.round_shift(v, s, "half_even").tolist(), [2, 2, -2, -2, 2, 2, 2, -2])

    def test_round_shift_double(self):
        half = 1 << 31
        v = np.array([half - (1 << 30), -half])
        self.assertEqual(reference.round_shift(v, 32, "single").tolist(), [0, 0])
        self.assertEqual(reference.round_shift(v, 32, "double").tolist(), [1, -1])

    def test_bits(self):
        self.assertEqual(reference.to_bits([15, 16, -9], 4).tolist(), [-1, 0, 7])
        self.assertEqual(reference.read_int([-1, 7], 4, True).tolist(), [15, 7])


class OpsTest(unittest.TestCase):
    def run_fn(self, text, *inputs):
        return Interpreter.from_text(pike_opt(text)).run("f", list(inputs))

    def test_quantize_half_even_and_saturate(self):
        out, = self.run_fn("""
          func.func @f(%x: tensor<5xf32>) -> tensor<5xi4> {
            %q = pike.quantize %x {quantizer = #pike.quantizer<u4, scales = [0.5], zero_points = [1]>} : tensor<5xf32> -> tensor<5xi4>
            return %q : tensor<5xi4>
          }""", np.array([0.25, 0.75, -3.0, 100.0, 1.25]))
        # 0.5 -> 0, 1.5 -> 2, saturate low, saturate high (15 is -1 in i4), 2.5 -> 2.
        self.assertEqual(out.tolist(), [1, 3, 0, -1, 3])

    def test_conv_depthwise_padding(self):
        x = np.arange(1 * 3 * 3 * 2).reshape(1, 3, 3, 2) % 7
        w = np.ones((2, 3, 3, 1), dtype=np.int64)
        out, = self.run_fn("""
          func.func @f(%x: tensor<1x3x3x2xi8>, %w: tensor<2x3x3x1xi8>) -> tensor<1x3x3x2xi32> {
            %a = pike.conv2d %x, %w {strides = array<i64: 1, 1>, padding = array<i64: 1, 1, 1, 1>, groups = 2, input_zp = 1} : (tensor<1x3x3x2xi8>, tensor<2x3x3x1xi8>) -> tensor<1x3x3x2xi32>
            return %a : tensor<1x3x3x2xi32>
          }""", x, w)
        # Naive loops: padded positions contribute nothing.
        expected = np.zeros((1, 3, 3, 2), dtype=np.int64)
        for y in range(3):
            for xx in range(3):
                for c in range(2):
                    for i in range(3):
                        for j in range(3):
                            yy, xj = y + i - 1, xx + j - 1
                            if 0 <= yy < 3 and 0 <= xj < 3:
                                expected[0, y, xx, c] += x[0, yy, xj, c] - 1
        self.assertEqual(out.tolist(), expected.tolist())

    def test_quant_norm(self):
        out, = self.run_fn("""
          func.func @f(%a: tensor<1x2xi32>) -> tensor<1x2xi4> {
            %q = pike.quant_norm %a {multiplier = #pike.fixed_point<bits = 8, multipliers = [64, 96], shifts = [7]>, bias = array<i64: 64, -64>, max = 9, output_unsigned} : tensor<1x2xi32> -> tensor<1x2xi4>
            return %q : tensor<1x2xi4>
          }""", np.array([[5, 7]]))
        # (5*64 + 64 + 64) >> 7 = 3; (7*96 - 64 + 64) >> 7 = 5 (5.25 -> 5).
        self.assertEqual(out.tolist(), [[3, 5]])

    def test_avg_pool_rounds_half_up(self):
        out, = self.run_fn("""
          func.func @f(%x: tensor<1x2x2x1xi8>) -> tensor<1x1x1x1xi8> {
            %g = pike.avg_pool2d %x {kernel = array<i64: 2, 2>} : tensor<1x2x2x1xi8> -> tensor<1x1x1x1xi8>
            return %g : tensor<1x1x1x1xi8>
          }""", np.array([1, 2, 3, 4]).reshape(1, 2, 2, 1))
        self.assertEqual(out.item(), 3)  # 10 / 4 = 2.5 -> 3

    def test_avg_pool_padding_and_ceil_mode(self):
        x = (np.arange(16) * 5 % 11).reshape(1, 4, 4, 1)
        for attrs, out_size in (("padding = array<i64: 1, 1, 1, 1>, count_include_pad", 4),
                                ("padding = array<i64: 1, 1, 1, 1>", 4),
                                ("strides = array<i64: 2, 2>, ceil_mode", 2),
                                ("strides = array<i64: 2, 2>, padding = array<i64: 1, 1, 1, 1>, "
                                 "count_include_pad, ceil_mode", 3)):
            with self.subTest(attrs=attrs):
                shape = f"1x{out_size}x{out_size}x1"
                out, = self.run_fn(f"""
                  func.func @f(%x: tensor<1x4x4x1xi8>) -> tensor<{shape}xi8> {{
                    %g = pike.avg_pool2d %x {{kernel = array<i64: 3, 3>, {attrs}, input_zp = 2, output_zp = 2}} : tensor<1x4x4x1xi8> -> tensor<{shape}xi8>
                    return %g : tensor<{shape}xi8>
                  }}""", x)
                # Naive windows: padded positions add zero (input_zp); the
                # divisor counts the input, or with count_include_pad the
                # padded input, never what ceil_mode adds past it.
                pad = 1 if "padding" in attrs else 0
                stride = 2 if "strides" in attrs else 1
                counted = (-pad, 4 + pad) if "count_include_pad" in attrs else (0, 4)
                expected = np.zeros((1, out_size, out_size, 1), dtype=np.int64)
                for i in range(out_size):
                    for j in range(out_size):
                        total, count = 0, 0
                        for r in range(i * stride - pad, i * stride - pad + 3):
                            for c in range(j * stride - pad, j * stride - pad + 3):
                                if 0 <= r < 4 and 0 <= c < 4:
                                    total += x[0, r, c, 0] - 2
                                if counted[0] <= r < counted[1] and counted[0] <= c < counted[1]:
                                    count += 1
                        expected[0, i, j, 0] = (2 * total + count) // (2 * count) + 2
                self.assertEqual(out.tolist(), expected.tolist())

    def test_tensor_pad(self):
        out, = self.run_fn("""
          func.func @f(%x: tensor<1x2x2x1xi8>) -> tensor<1x3x4x1xi8> {
            %c = arith.constant 7 : i8
            %p = tensor.pad %x low[0, 1, 2, 0] high[0, 0, 0, 0] {
            ^bb0(%a: index, %b: index, %d: index, %e: index):
              tensor.yield %c : i8
            } : tensor<1x2x2x1xi8> to tensor<1x3x4x1xi8>
            return %p : tensor<1x3x4x1xi8>
          }""", np.array([1, 2, 3, 4]).reshape(1, 2, 2, 1))
        self.assertEqual(out[0, :, :, 0].tolist(), [[7, 7, 7, 7], [7, 7, 1, 2], [7, 7, 3, 4]])

    def test_an_input_of_another_shape_is_refused(self):
        # Not broadcast into a comparison that finds nothing to differ.
        text = """
          func.func @f(%x: tensor<2x3xi8>) -> tensor<2x3xi8> {
            return %x : tensor<2x3xi8>
          }"""
        self.assertEqual(self.run_fn(text, np.zeros((2, 3)))[0].shape, (2, 3))
        for shape in ((3, 3), (2, 3, 1), ()):
            with self.assertRaisesRegex(ValueError, "input #0 of @f has shape .*tensor<2x3xi8>"):
                self.run_fn(text, np.zeros(shape))

    def test_tensor_reshape_row_major(self):
        # A channel shuffle's reshape (ShuffleNet): row-major, as tensor.reshape.
        out, = self.run_fn("""
          func.func @f(%x: tensor<2x3xi8>) -> tensor<3x2xi8> {
            %s = arith.constant dense<[3, 2]> : tensor<2xindex>
            %r = tensor.reshape %x(%s) : (tensor<2x3xi8>, tensor<2xindex>) -> tensor<3x2xi8>
            return %r : tensor<3x2xi8>
          }""", np.arange(6).reshape(2, 3))
        self.assertEqual(out.tolist(), [[0, 1], [2, 3], [4, 5]])


if __name__ == "__main__":
    unittest.main()


class Float32AddTest(unittest.TestCase):
    """pike.add with float32 scales (onnxruntime's QLinearAdd): the NumPy
    reference, which computes each fma exactly, against the compiled
    lowering (float32 math.fma) on random ops of 1- to 16-bit types, zero
    points and scales, tiny to huge ratios included."""

    def test_random_ops_match_pike_run(self):
        import os
        import tempfile

        from pike import tools
        rng = np.random.default_rng(7)
        n = 257
        for case in range(30):
            bits = [int(rng.choice([1, 2, 4, 8, 16])) for _ in range(3)]
            unsigned = [bool(rng.integers(0, 2)) for _ in range(3)]
            ranges = [(0, (1 << b) - 1) if u else (-(1 << (b - 1)), (1 << (b - 1)) - 1)
                      for b, u in zip(bits, unsigned)]
            zps = [int(rng.integers(lo, hi + 1)) for lo, hi in ranges]
            # Every other case has ratios near 1, where roundings decide.
            shifts = [int(rng.integers(2, 63) if case % 2 else rng.integers(20, 30))
                      for _ in range(2)]
            multipliers = [int(rng.integers(1, 1 << 24)) for _ in range(2)]
            flags = "".join(f", {name}" for name, u in
                            zip(("lhs_unsigned", "rhs_unsigned", "output_unsigned"), unsigned)
                            if u)
            scale = "#pike.fixed_point<bits = 25, multipliers = [{}], shifts = [{}], " \
                    "rounding = float32>"
            types = [f"tensor<{n}xi{b}>" for b in bits]
            text = (f"func.func @main(%a: {types[0]}, %b: {types[1]}) -> {types[2]} {{\n"
                    f"  %s = pike.add %a, %b {{lhs_scale = "
                    f"{scale.format(multipliers[0], shifts[0])}, rhs_scale = "
                    f"{scale.format(multipliers[1], shifts[1])}, lhs_zp = {zps[0]} : i64, "
                    f"rhs_zp = {zps[1]} : i64, output_zp = {zps[2]} : i64{flags}}} : "
                    f"({types[0]}, {types[1]}) -> {types[2]}\n"
                    f"  return %s : {types[2]}\n}}\n")
            inputs = []
            for (lo, hi), b in zip(ranges[:2], bits[:2]):
                v = rng.integers(lo, hi + 1, n)
                signed = np.where(v >= (1 << (b - 1)), v - (1 << b), v)  # the bits, signed
                inputs.append(signed.astype(np.int16 if b > 8 else np.int8))
            with tempfile.TemporaryDirectory() as tmp:
                path = os.path.join(tmp, "add.mlir")
                with open(path, "w") as f:
                    f.write(text)
                args = [path, f"--output={tmp}/y.npy"]
                for i, x in enumerate(inputs):
                    np.save(f"{tmp}/x{i}.npy", x)
                    args.append(f"--input={tmp}/x{i}.npy")
                tools.run("pike-run", *args)
                got = np.load(f"{tmp}/y.npy").astype(np.int64)
            want = np.asarray(Interpreter.from_text(pike_opt(text)).run("main", inputs)[0])
            mask = (1 << bits[2]) - 1
            np.testing.assert_array_equal(got & mask, want.astype(np.int64) & mask,
                                          err_msg=text)
