"""unsigned_i4_expected.py ACC U4 Q E: what unsigned_i4.mlir computes, written
without Pike: the requantization by 2^30 / 2^28 is an exact x4 (no rounding),
clamped to u4; the extui gives the u4 input back as int32."""

import sys

import numpy as np

acc, u4 = np.load(sys.argv[1]), np.load(sys.argv[2])
np.save(sys.argv[3], np.clip(acc.astype(np.int64) * 4, 0, 15).astype(np.uint8))
np.save(sys.argv[4], u4.astype(np.int32))
