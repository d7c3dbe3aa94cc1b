"""bfloat16 for pike-run, which reads and writes it as float32.

bfloat16_npy.py input OUT SEED: 4x16 float32 values that bfloat16 holds,
with NaN, infinities and exact ties among them.
bfloat16_npy.py expect IN Q.npy D.npy: @brain's results for IN, computed
here in float32 and rounded to bfloat16 (the quotient of two bfloat16
values rounded to float32 and then to bfloat16 is the correctly rounded
bfloat16 quotient: 24 >= 2 * 8 + 2 bits)."""

import sys

import numpy as np

SCALES = [0.1015625, 0.3125, 2.5, 0.0068359375]  # each exact in bfloat16
ZEROS = [3, -7, 0, 100]


def to_bfloat16(x):
    """float32 -> nearest bfloat16 (ties to even), as float32; NaN stays NaN."""
    bits = np.asarray(x, dtype=np.float32).view(np.uint32).astype(np.uint64)
    rounded = ((bits + 0x7FFF + ((bits >> 16) & 1)) >> 16) << 16
    out = rounded.astype(np.uint32).view(np.float32)
    return np.where(np.isnan(x), np.float32(np.nan), out).astype(np.float32)


def make_input(out, seed):
    rng = np.random.default_rng(int(seed))
    x = to_bfloat16(rng.uniform(-40, 40, (4, 16)).astype(np.float32) *
                    np.array([[1], [3], [30], [0.1]], dtype=np.float32))
    x[:, 0] = [np.nan, np.inf, -np.inf, 0.0]
    # Quotients that are exact ties: 2.5 and -3.5 steps, and 0.5 of one.
    x[:, 1] = [2.5 * SCALES[0], -3.5 * SCALES[1], 0.5 * SCALES[2], 1.5 * SCALES[3]]
    x[:, 2] = [1e30, -1e30, 3e38, -0.0]
    np.save(out, to_bfloat16(x))


def expect(inp, q_out, d_out):
    x = np.load(inp).astype(np.float32)
    scale = np.array(SCALES, dtype=np.float32)[:, None]
    zero = np.array(ZEROS, dtype=np.float32)[:, None]
    with np.errstate(invalid="ignore", over="ignore"):
        quotient = to_bfloat16(x / scale)
        shifted = np.rint(quotient) + zero
        q = np.where(np.isnan(x), zero, np.clip(shifted, -128, 127)).astype(np.int8)
    d = to_bfloat16((q.astype(np.float32) - zero) * scale)
    np.save(q_out, q)
    np.save(d_out, d)


if __name__ == "__main__":
    {"input": make_input, "expect": expect}[sys.argv[1]](*sys.argv[2:])
