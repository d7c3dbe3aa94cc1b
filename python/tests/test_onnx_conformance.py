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
    # Cases the onnx of python/requirements.txt adds (opsets 19 to 25).
    **{f"test_{op}_{t}": f"zero point type {t} is not supported (uint8 or int8)"
       for op in ("quantizelinear", "dequantizelinear") for t in ("int16", "uint16")},
    **{f"test_{op}_{t}": f"has unsupported element type {t.upper()}"
       for op in ("quantizelinear", "dequantizelinear") for t in ("int4", "uint4", "int2", "uint2")},
    "test_quantizelinear_e4m3fn": "has unsupported element type FLOAT8E4M3FN",
    "test_quantizelinear_e5m2": "has unsupported element type FLOAT8E5M2",
    "test_quantizelinear_float4e2m1": "has unsupported element type FLOAT4E2M1",
    "test_dequantizelinear_e4m3fn": "has unsupported element type FLOAT8E4M3FN",
    "test_dequantizelinear_e4m3fn_float16": "has unsupported element type FLOAT8E4M3FN",
    "test_dequantizelinear_e4m3fn_zero_point": "has unsupported element type FLOAT8E4M3FN",
    "test_dequantizelinear_e5m2": "has unsupported element type FLOAT8E5M2",
    "test_dequantizelinear_float4e2m1": "has unsupported element type FLOAT4E2M1",
    # Blocked quantization (block_size): one scale per block is not one per channel.
    "test_quantizelinear_blocked_asymmetric": "there are 6 scales, which is not the size of the quantized axis",
    "test_quantizelinear_blocked_symmetric": "there are 6 scales, which is not the size of the quantized axis",
    "test_dequantizelinear_blocked": "there are 12 scales, which is not the size of the quantized axis",
    # Now with one weight zero point per output channel.
    "test_convinteger_with_padding": "(ConvInteger): per-channel zero points are not supported here",
    "test_clip_min_greater_than_max": "the clip range [2.000000e+00, 1.000000e+00] is empty",
    **{f"test_add_{t}": f"expected a real (floating-point or dequantized) input, got {t}"
       for t in ("int8", "int16", "uint16", "uint32", "uint64")},
    **{f"test_{case}": "dilated pooling is not supported"
       for case in ("averagepool_2d_dilations", "averagepool_3d_dilations_small",
                    "averagepool_3d_dilations_large_count_include_pad_is_0_ceil_mode_is_True",
                    "averagepool_3d_dilations_large_count_include_pad_is_0_ceil_mode_is_False",
                    "averagepool_3d_dilations_large_count_include_pad_is_1_ceil_mode_is_True",
                    "averagepool_3d_dilations_large_count_include_pad_is_1_ceil_mode_is_False",
                    "maxpool_3d_dilations", "maxpool_3d_dilations_use_ref_impl",
                    "maxpool_3d_dilations_use_ref_impl_large")},
    "test_wrap_pad": "mode 'wrap' is not supported (constant padding only)",
    "test_slice_start_out_of_bounds": "is empty (Pike has no empty tensors)",
    "test_slice_neg_steps": "is not supported (only positive steps)",
    **{f"test_matmul_{case}": "Pike has no real-valued convolution or matmul"
       for case in ("bcast", "1d_3d", "4d_1d", "1d_1d")},
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
                     "test_dequantizelinear_axis", "test_qlinearconv",
                     *[f"test_qlinearmatmul_{rank}_{t}_{scale}" for rank in ("2D", "3D")
                       for t in ("uint8", "int8") for scale in ("float32", "float16")],
                     "test_convinteger_without_padding", "test_matmulinteger"):
            self.assertIn(case, passed)
        self.assertEqual(len(passed) + len(rejected), len(passed) + len(REJECTED))
        self.assertGreaterEqual(len(passed), 30)


if __name__ == "__main__":
    unittest.main()
