"""The requantization rounding modes, spelled and ordered as the pike
dialect's RoundingMode (include/pike/Dialect/Pike/IR/PikeAttrs.td; the
number of each is its index, as in pike-c/Numerics.h). What each matches is
in docs/Numerics.md and `pike-opt --help`. tests/test_rounding_modes.py
fails if this list, the dialect's, the C API's or the docs' table part."""

MODES = ("single", "double", "half_even", "tflite", "tvm_upward", "tvm_tonearest", "float32")

# Neither an option nor the model (its pike.rounding) says: kDefaultRounding.
DEFAULT = "single"
