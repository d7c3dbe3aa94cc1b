"""Writes a seeded int8 .npy whose rows alternate all -128, all 127 and random:
extreme_npy.py OUT SEED DIM..."""

import sys

import numpy as np

out, seed, *dims = sys.argv[1:]
shape = tuple(int(d) for d in dims)
rng = np.random.default_rng(int(seed))
array = rng.integers(-128, 128, size=shape).astype(np.int8)
flat = array.reshape(shape[0] * (shape[1] if len(shape) > 2 else 1), -1) if len(shape) > 2 else array
flat[0::3] = -128
flat[1::3] = 127
np.save(out, array)
