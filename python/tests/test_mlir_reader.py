"""The reference's reader of MLIR attributes: floats as MLIR prints them,
decimals or the hex of their bits when no short decimal reads back."""

import unittest

import numpy as np

from pike import mlir_reader


class FloatLiteralTest(unittest.TestCase):
    def test_hex_floats_by_width(self):
        # 0x4E5C1DF8 is a float32's bits; read as float64 bits it is tiny.
        self.assertEqual(mlir_reader.parse_value("0x4E5C1DF8 : f32"),
                         float(np.frombuffer(bytes.fromhex("4E5C1DF8")[::-1], "<f4")[0]))
        self.assertEqual(mlir_reader.parse_value("0x3FF0000000000000 : f64"), 1.0)

    def test_hex_items_of_a_float32_array(self):
        values = mlir_reader.parse_value("array<f32: 1.500000e+00, 0x4E5C1DF8, -2.0>")
        self.assertEqual(values[0], 1.5)
        self.assertEqual(values[1], 923237888.0)  # 0x4E5C1DF8 as float32
        self.assertEqual(values[2], -2.0)


if __name__ == "__main__":
    unittest.main()
