"""compare_raw.py RAW NPY...: the raw float32 file equals every .npy bit for
bit; prints "identical to N reference(s)"."""
import sys

import numpy as np

raw = np.fromfile(sys.argv[1], np.float32)
for path in sys.argv[2:]:
    ref = np.load(path).astype(np.float32).ravel()
    if raw.shape != ref.shape or not np.array_equal(raw, ref):
        sys.exit(f"{sys.argv[1]} differs from {path}:\n{raw}\n{ref}")
print(f"identical to {len(sys.argv) - 2} reference(s)")
