"""Writes a malformed .npy file: malformed_npy.py KIND OUT (KIND: see below)."""

import sys

HEADERS = {
    "huge-dim": "{'descr': '<i1', 'fortran_order': False, 'shape': (99999999999999999999, 4), }",
    "huge-itemsize": "{'descr': '<i99999999999', 'fortran_order': False, 'shape': (4,), }",
    "int128": "{'descr': '<i16', 'fortran_order': False, 'shape': (4,), }",
    "zero-itemsize": "{'descr': '<i0', 'fortran_order': False, 'shape': (4,), }",
    "negative-dim": "{'descr': '<i1', 'fortran_order': False, 'shape': (-2, 4), }",
    "count-overflow": "{'descr': '<i1', 'fortran_order': False, 'shape': (4611686018427387904, 4), }",
}

kind, out = sys.argv[1:]
header = HEADERS[kind]
header += " " * ((64 - (10 + len(header) + 1) % 64) % 64) + "\n"
payload = bytes(64)  # whatever the header claims, a little data follows
with open(out, "wb") as f:
    f.write(b"\x93NUMPY\x01\x00" + len(header).to_bytes(2, "little") + header.encode() + payload)
