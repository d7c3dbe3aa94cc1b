"""The integer form after --pike-quantize-pipeline agrees with the
quantized-graph form, evaluated exactly (float64) by the reference, within
the bound of docs/Transforms.md: an output may differ from the real-valued
result only where the real value lies within delta of a rounding boundary,
delta = (|v| + |bias|) * 2^-(bits-1) + 2^-31 output steps, and then by one
step."""

import unittest

import numpy as np

from pike import emit
from pike.reference import Interpreter, read_int, to_bits
from tests.tools import pike_opt

H = W = 6
C, F = 4, 8


def block_module(rng, negative_gamma):
    """conv3x3 + scale + batch-norm + PACT clip + u4 quantize as @block, and
    @real returning the batch-norm output of the same computation."""
    w = rng.integers(-7, 8, size=(F, 3, 3, C))  # symmetric narrow range
    s_in = 0.1
    scales = s_in * rng.uniform(0.01, 0.05, size=F)
    gamma = rng.uniform(0.5, 1.5, size=F)
    if negative_gamma:
        gamma[::3] *= -1
    beta = rng.normal(0.5, 0.5, size=F)
    mean = rng.normal(0.0, 0.5, size=F)
    var = rng.uniform(0.2, 2.0, size=F)
    alpha = float(rng.uniform(2.0, 4.0))
    s_out = alpha / 15
    vec = emit.tensor_type((F,), "f32")
    xt = emit.tensor_type((1, H, W, C), "i4")
    acc_t = emit.tensor_type((1, H, W, F), "i32")
    real_t = emit.tensor_type((1, H, W, F), "f32")
    out_t = emit.tensor_type((1, H, W, F), "i4")
    # f32 constants: the real form is evaluated with the f32-rounded values.
    params = [np.asarray(p, dtype=np.float32) for p in (gamma, beta, mean, var)]
    consts = "\n".join(
        f"    %{n} = arith.constant {emit.dense_f32(p)} : {vec}"
        for n, p in zip(("g", "b", "m", "v"), params))
    body = f"""
    %w = arith.constant {emit.dense_int(w, 4)} : {emit.tensor_type(w.shape, 'i4')}
{consts}
    %acc = pike.conv2d %x, %w {{strides = array<i64: 1, 1>, padding = array<i64: 1, 1, 1, 1>, input_unsigned}} : ({xt}, {emit.tensor_type(w.shape, 'i4')}) -> {acc_t}
    %y = pike.scale %acc {{scale = {emit.f64_array(scales)}}} : {acc_t} -> {real_t}
    %n = pike.batch_norm %y, %g, %b, %m, %v {{epsilon = 1.0e-03 : f64}} : ({real_t}, {vec}, {vec}, {vec}, {vec}) -> {real_t}"""
    block = f"""
func.func @block(%x: {xt}) -> {out_t} {{{body}
  %c = pike.clamp %n {{min = 0.0 : f64, max = {alpha!r} : f64}} : {real_t}
  %q = pike.quantize %c {{quantizer = #pike.quantizer<u4, scales = [{s_out!r}]>}} : {real_t} -> {out_t}
  return %q : {out_t}
}}"""
    real = f"""
func.func @real(%x: {xt}) -> {real_t} {{{body}
  return %n : {real_t}
}}"""
    k = params[0].astype(np.float64) / np.sqrt(params[3].astype(np.float64) + 1e-3)
    return block, real, s_out, np.abs(params[1] - params[2] * k) / s_out


class QuantizeEquivalenceTest(unittest.TestCase):
    def check(self, multiplier_bits, negative_gamma, seed):
        rng = np.random.default_rng(seed)
        block, real_text, s_out, bias_steps = block_module(rng, negative_gamma)
        real = Interpreter.from_text(pike_opt(real_text))
        integer_text = pike_opt(
            block, f"--pike-quantize-pipeline=multiplier-bits={multiplier_bits} dhq=false")
        self.assertIn("pike.quant_norm", integer_text)
        self.assertNotIn("pike.batch_norm", integer_text)
        integer = Interpreter.from_text(integer_text)
        exact = total = 0
        for _ in range(100):
            x = to_bits(rng.integers(0, 16, size=(1, H, W, C)), 4)
            got = read_int(integer.run("block", [x])[0], 4, True)
            v = real.run("real", [x])[0] / s_out  # output steps, before clipping
            expected = np.clip(np.round(v), 0, 15)
            delta = (np.abs(v) + bias_steps) * 2.0 ** -(multiplier_bits - 1) + 2.0 ** -31
            near_tie = np.abs(np.abs(v - np.floor(v)) - 0.5) <= delta
            off = np.abs(got - expected)
            self.assertTrue(np.all(off <= 1), f"an output is off by {off.max()} steps")
            self.assertTrue(np.all((off == 0) | near_tie),
                            "an output differs away from a rounding boundary")
            exact += int(np.sum(off == 0))
            total += off.size
        return exact / total

    def test_32_bit_multipliers(self):
        for seed in range(3):
            self.assertGreater(self.check(32, False, seed), 0.999)

    def test_negative_gamma_folded_into_weights(self):
        self.assertGreater(self.check(32, True, 7), 0.999)

    def test_8_bit_multipliers(self):
        # Wider bound, still within one step everywhere.
        self.assertGreater(self.check(8, False, 11), 0.9)


if __name__ == "__main__":
    unittest.main()
