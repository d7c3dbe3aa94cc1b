"""compare_npy.py A B [--atol X]: exits 1 unless A and B have the same dtype
and shape and equal values (bit-identical by default)."""

import sys

import numpy as np

a, b = np.load(sys.argv[1]), np.load(sys.argv[2])
atol = float(sys.argv[4]) if len(sys.argv) > 4 and sys.argv[3] == "--atol" else None
if a.dtype != b.dtype or a.shape != b.shape:
    sys.exit(f"mismatch: {a.dtype}{a.shape} vs {b.dtype}{b.shape}")
if atol is None:
    same = a.tobytes() == b.tobytes()
    diff = np.count_nonzero(a != b)
else:
    same = np.allclose(a, b, rtol=0, atol=atol)
    diff = np.count_nonzero(np.abs(a.astype(np.float64) - b) > atol)
if not same:
    sys.exit(f"{diff} of {a.size} elements differ; first values {a.ravel()[:8]} vs {b.ravel()[:8]}")
print(f"match: {a.size} elements" + (" (bit-identical)" if atol is None else f" (atol {atol})"))
