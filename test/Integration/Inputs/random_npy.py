"""Writes a seeded random .npy: random_npy.py OUT SEED DTYPE LO HI DIM..."""

import sys

import numpy as np

out, seed, dtype, lo, hi, *dims = sys.argv[1:]
rng = np.random.default_rng(int(seed))
shape = tuple(int(d) for d in dims)
if dtype.startswith("float"):
    array = rng.uniform(float(lo), float(hi), size=shape).astype(dtype)
else:
    array = rng.integers(int(lo), int(hi) + 1, size=shape).astype(dtype)
np.save(out, array)
