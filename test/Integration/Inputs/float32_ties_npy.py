"""float32_ties_npy.py OUT: accumulators of Inputs/float32_ties.mlir next to
an exact half step of each channel's scale (up to 2^31, past float32's 24
exact bits), where float32 arithmetic and exact rounding can part."""

import sys

import numpy as np

MULTIPLIERS = [11443297, 8388608, 16777215, 9000001, 12345679, 15000001, 8400001, 13000003]
SHIFTS = [30, 30, 31, 33, 36, 40, 44, 30]

rng = np.random.default_rng(1)
x = np.zeros((256, len(SHIFTS)), np.int64)
for c, (m, s) in enumerate(zip(MULTIPLIERS, SHIFTS)):
    for i in range(x.shape[0]):
        k = int(rng.integers(-3000, 3000))
        x[i, c] = int(np.floor((k + 0.5) * 2.0 ** s / m)) + int(rng.integers(-1, 3))
np.save(sys.argv[1], np.clip(x, -2**31, 2**31 - 1).astype(np.int32))
