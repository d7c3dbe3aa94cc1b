"""ONNX's backend node test cases for every operator the importer lists,
imported (data inputs stay inputs, the rest become initializers) and run with
pike-run; their expected outputs are required exactly for integer outputs
and to ONNX's default tolerance for real ones. Quantization operators also
run through the integer pipeline, with TOSA's and with ONNX's tie rounding.

Cases outside the importer's documented scope must be rejected with an error
naming the node and the reason, never run with a wrong result; they are
listed below with that reason."""

import unittest

import numpy as np

from pike import onnx_import
from tests import onnx_conformance as oc
from tests.tools import run_onnx

REJECTED = {
    "test_basic_conv_with_padding": "Pike has no real-valued convolution or matmul",
    "test_basic_conv_without_padding": "Pike has no real-valued convolution or matmul",
    "test_conv_with_autopad_same": "Pike has no real-valued convolution or matmul",
    "test_conv_with_strides_padding": "Pike has no real-valued convolution or matmul",
    "test_conv_with_strides_no_padding": "Pike has no real-valued convolution or matmul",
    "test_conv_with_strides_and_asymmetric_padding": "Pike has no real-valued convolution or matmul",
    "test_batchnorm_example_training_mode": "training-mode outputs are not supported",
    "test_batchnorm_epsilon_training_mode": "training-mode outputs are not supported",
    "test_add_uint8": "expected a real (floating-point or dequantized) input",
    "test_averagepool_1d_default": "pooling needs a 4-D activation",
    "test_averagepool_3d_default": "pooling needs a 4-D activation",
    "test_averagepool_2d_precomputed_same_upper": "auto_pad 'SAME_UPPER' is not supported",
    "test_averagepool_2d_same_lower": "auto_pad 'SAME_LOWER' is not supported",
    "test_averagepool_2d_same_upper": "auto_pad 'SAME_UPPER' is not supported",
    "test_maxpool_1d_default": "pooling needs a 4-D activation",
    "test_maxpool_3d_default": "pooling needs a 4-D activation",
    "test_maxpool_2d_dilations": "dilated pooling is not supported",
    "test_maxpool_2d_precomputed_same_upper": "auto_pad 'SAME_UPPER' is not supported",
    "test_maxpool_2d_same_lower": "auto_pad 'SAME_LOWER' is not supported",
    "test_maxpool_2d_same_upper": "auto_pad 'SAME_UPPER' is not supported",
    "test_maxpool_2d_uint8": "expected a real (floating-point or dequantized) input, got uint8",
    "test_maxpool_with_argmax_2d_precomputed_pads": "the Indices output is not supported",
    "test_maxpool_with_argmax_2d_precomputed_strides": "the Indices output is not supported",
    "test_edge_pad": "mode 'edge' is not supported (constant padding only)",
    "test_reflect_pad": "mode 'reflect' is not supported (constant padding only)",
    **{f"test_reduce_mean_{case}": "only a mean over the spatial axes [2, 3] of a 4-D activation"
       for case in ("default_axes_keepdims_example", "default_axes_keepdims_random",
                    "do_not_keepdims_example", "do_not_keepdims_random", "keepdims_example",
                    "keepdims_random", "negative_axes_keepdims_example",
                    "negative_axes_keepdims_random")},
    "test_gemm_all_attributes": "alpha, beta and transA other than 1, 1, 0 are not supported",
    "test_gemm_alpha": "alpha, beta and transA other than 1, 1, 0 are not supported",
    "test_gemm_beta": "alpha, beta and transA other than 1, 1, 0 are not supported",
    "test_gemm_transposeA": "alpha, beta and transA other than 1, 1, 0 are not supported",
    "test_gemm_default_matrix_bias": "Pike has no real-valued convolution or matmul",
    "test_gemm_default_no_bias": "Pike has no real-valued convolution or matmul",
    "test_gemm_default_scalar_bias": "Pike has no real-valued convolution or matmul",
    "test_gemm_default_single_elem_vector_bias": "Pike has no real-valued convolution or matmul",
    "test_gemm_default_vector_bias": "Pike has no real-valued convolution or matmul",
    "test_gemm_default_zero_bias": "Pike has no real-valued convolution or matmul",
    "test_gemm_transposeB": "Pike has no real-valued convolution or matmul",
    "test_matmul_2d": "Pike has no real-valued convolution or matmul",
    "test_matmul_3d": "Pike has no real-valued convolution or matmul",
    "test_matmul_4d": "Pike has no real-valued convolution or matmul",
    "test_reshape_allowzero_reordered": "needs a static shape",
}
QUANTIZATION_OPS = {"QuantizeLinear", "DequantizeLinear", "QLinearConv", "QLinearMatMul",
                    "ConvInteger", "MatMulInteger"}


def same(got, expected):
    if got.shape != expected.shape:
        return False
    if expected.dtype.kind in "iu":
        bits = 8 * expected.dtype.itemsize
        if expected.dtype.kind == "u":
            got = got.astype(np.int64) & ((1 << bits) - 1)
        return np.array_equal(got.astype(np.int64), expected.astype(np.int64))
    return np.allclose(got, expected, rtol=1e-3, atol=1e-7)


class ConformanceTest(unittest.TestCase):
    def test_node_cases(self):
        passed, rejected = [], []
        for module in oc.MODULES:
            for name, node, inputs, outputs in oc.collect(module):
                with self.subTest(case=name):
                    model, data, expected = oc.to_model(node, inputs, outputs)
                    if name in REJECTED:
                        with self.assertRaises(onnx_import.OnnxImportError) as ctx:
                            onnx_import.import_model(model)
                        self.assertIn(REJECTED[name], str(ctx.exception))
                        rejected.append(name)
                        continue
                    modes = [[]]
                    if node.op_type in QUANTIZATION_OPS:
                        modes.append(["--pike-quantize-pipeline"])
                        modes.append(["--pike-quantize-pipeline=rounding=half_even"])
                    for passes in modes:
                        got = run_onnx(model, data, passes)
                        for g, e in zip(got, expected):
                            self.assertTrue(same(g, e), f"{name} {passes}: {g.ravel()[:8]} vs {e.ravel()[:8]}")
                    passed.append(name)
        # Every quantization operator case runs; nothing listed is missing.
        for case in ("test_quantizelinear", "test_quantizelinear_axis", "test_dequantizelinear",
                     "test_dequantizelinear_axis", "test_qlinearconv", "test_qlinearmatmul_2D",
                     "test_qlinearmatmul_3D", "test_convinteger_with_padding", "test_convinteger_without_padding",
                     "test_matmulinteger"):
            self.assertIn(case, passed)
        self.assertEqual(len(passed) + len(rejected), len(passed) + len(REJECTED))
        self.assertGreaterEqual(len(passed), 30)


if __name__ == "__main__":
    unittest.main()
