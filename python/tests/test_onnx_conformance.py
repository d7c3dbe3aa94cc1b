"""ONNX's own backend node tests (onnx/backend/test/data/node, as the onnx
of python/requirements.txt writes them) for every operator Pike imports:
each model at its own opset, data inputs kept as inputs and the rest made
initializers, imported and run with pike-run. Integer outputs must equal the
expected ones exactly, real ones to ONNX's default tolerance; quantization
operators also run through the integer pipeline with TOSA's and with ONNX's
tie rounding.

A case outside the importer's documented scope must be refused with the
error of the one rule below that names it; a rule naming no refused case, or
a refused case no rule names, fails the test. The counts are printed and
recorded in docs/Frontends.md."""

import re
import sys
import unittest

import numpy as np
import onnx

from pike import onnx_import
from tests import onnx_conformance as oc
from tests.tools import run_onnx

NO_REAL_MAC = "Pike has no real-valued convolution or matmul"
SPATIAL_MEAN = "only a mean over the spatial axes [2, 3] of a 4-D activation"
# (case names, a regular expression matched in full; the refusal's text, or
# alternatives).
REFUSED = [
    (r"test_(basic_conv_.*|conv_with_.*|gemm_default_.*|gemm_transposeB|matmul_.*)", NO_REAL_MAC),
    (r"test_gemm_(all_attributes|alpha|beta|transposeA)",
     "alpha, beta and transA other than 1, 1, 0 are not supported"),
    (r"test_batchnorm_.*_training_mode", "training-mode outputs are not supported"),
    (r"test_(add|mul)_u?int(8|16|32|64)", "expected a real (floating-point or dequantized) input"),
    (r"test_(sub|div)(_.*)?",
     "one operand must be a constant and the other a tensor"),
    (r"test_(average|max)pool_[13]d_default", "pooling needs a 4-D activation"),
    (r"test_(average|max)pool_.*dilations.*", "dilated pooling is not supported"),
    (r"test_(average|max)pool_2d_(precomputed_)?same_upper", "auto_pad 'SAME_UPPER' is not supported"),
    (r"test_(average|max)pool_2d_same_lower", "auto_pad 'SAME_LOWER' is not supported"),
    (r"test_maxpool_2d_uint8", "expected a real (floating-point or dequantized) input, got uint8"),
    (r"test_maxpool_with_argmax_.*", "the Indices output is not supported"),
    (r"test_(edge|reflect|wrap)_pad", "is not supported (constant padding only)"),
    (r"test_reduce_mean_.*", SPATIAL_MEAN),
    (r"test_reshape_allowzero_reordered", "needs a static shape"),
    (r"test_clip_min_greater_than_max", "the clip range [2.000000e+00, 1.000000e+00] is empty"),
    (r"test_gelu_tanh_.*", "approximate = 'tanh' is not supported"),
    (r"test_identity_(opt|sequence)", "has unsupported element type not a tensor"),
    (r"test_constantofshape_.*", "must be a constant (an initializer or Constant node)"),
    (r"test_slice_start_out_of_bounds", "is empty (Pike has no empty tensors)"),
    (r"test_slice_neg_steps", "is not supported (only positive steps)"),
    # Quantizers of other widths and formats than 8-bit integers.
    (r"test_(quantize|dequantize)linear_u?int16", "is not supported (uint8 or int8)"),
    (r"test_(quantize|dequantize)linear_(u?int2|e4m3fn.*|e5m2|float4e2m1)",
     "has unsupported element type"),
    (r"test_(quantizelinear_blocked_asymmetric|dequantizelinear_blocked)",
     "is supported on constant initializers only"),
    (r"test_quantizelinear_blocked_symmetric", "output_dtype 5 is not supported"),
    # Cast is folded on constants only; Pike has no float8, float4, int2 or
    # bfloat16 values.
    (r"test_cast_(DOUBLE|FLOAT|FLOAT16)_to_(DOUBLE|FLOAT|FLOAT16)", "is supported on constants only"),
    (r"test_cast_(.*_to_(FLOAT4E2M1|FLOAT8.*|U?INT[24]|BFLOAT16)|e8m0_FLOAT16?_to_FLOAT8E8M0)",
     "names an element type Pike does not support"),
    (r"test_cast_(e8m0_)?(BFLOAT16|FLOAT4E2M1|FLOAT8.*|U?INT2)_to_.*", "has unsupported element type"),
    (r"test_cast_U?INT4_to_.*", "is supported on constants only"),
    (r"test_castlike_.*_expanded", ("has unsupported element type", "is supported on constants only",
                                    "names an element type Pike does not support")),
    # The transformer operators (docs/Frontends.md, "Transformers").
    (r"test_causal_conv_with_state_.*_expanded", NO_REAL_MAC),
    (r"test_mvn_expanded(_ver18)?", SPATIAL_MEAN),
    # Its mean over the last axis is squared, not subtracted: no LayerNorm.
    (r"test_group_normalization_.*_expanded", "is a mean over the last axis, which Pike takes "
                                              "only as the first step of a layer normalization"),
    (r"test_gather_(0|1|negative_indices)", "constant indices must be a scalar or consecutive"),
    (r"test_gather_2d_indices", "constant indices of rank 2 are not supported"),
    (r"test_layer_normalization_.*", "the Mean and InvStdDev outputs are not supported"),
    (r"test_softmax_axis_[01]", "only the last axis is supported"),
    (r"test_(neg|pow|sqrt)(_.*)?", "is supported between constants only here"),
    (r"test_split_zero_size_splits_opset1[38]", "needs a static shape"),
    # Masks of attention (MaskNodes.cpp): Equal of a mask and one value, a
    # Where filling scores with one constant before a Softmax.
    (r"test_equal(_bcast|_u?int(8|16|32|64))?", "Equal needs one constant value to compare with"),
    (r"test_equal_string(_broadcast)?", "has unsupported element type STRING"),
    (r"test_where_(long_)?example", "Pike takes a Where of one tensor and one constant"),
    (r"test_rotary_embedding(_.*)?_expanded",
     ("split sizes must be in", "one operand must be a constant and the other a tensor",
      "constant indices of rank 2 are not supported")),
]
QUANTIZATION_OPS = {"QuantizeLinear", "DequantizeLinear", "QLinearConv", "QLinearMatMul",
                    "ConvInteger", "MatMulInteger"}
# Cases every supported quantization operator must pass.
REQUIRED = ["test_quantizelinear", "test_quantizelinear_axis", "test_dequantizelinear",
            "test_dequantizelinear_axis", "test_qlinearconv",
            *[f"test_qlinearmatmul_{rank}_{t}_{scale}" for rank in ("2D", "3D")
              for t in ("uint8", "int8") for scale in ("float32", "float16")],
            "test_convinteger_without_padding", "test_convinteger_with_padding", "test_matmulinteger"]


def same(got, expected):
    if got.shape != expected.shape:
        return False
    if expected.dtype.kind in "iu":
        bits = 8 * expected.dtype.itemsize
        if expected.dtype.kind == "u":
            got = got.astype(np.int64) & ((1 << bits) - 1)
        return np.array_equal(got.astype(np.int64), expected.astype(np.int64))
    return np.allclose(got, expected, rtol=1e-3, atol=1e-7)


def refusal_rule(name):
    matches = [i for i, (pattern, _) in enumerate(REFUSED) if re.fullmatch(pattern, name)]
    assert len(matches) <= 1, f"{name} matches several rules: {matches}"
    return matches[0] if matches else None


class ConformanceTest(unittest.TestCase):
    def test_node_cases(self):
        passed, refused, used_rules = [], [], set()
        cases = oc.cases()
        for name, model, data_sets in cases:
            rule = refusal_rule(name)
            with self.subTest(case=name):
                if rule is not None:
                    used_rules.add(rule)
                    built, _ = oc.with_initializers(model, data_sets[0][0])
                    with self.assertRaises(onnx_import.OnnxImportError) as ctx:
                        onnx_import.import_model(built)
                    reasons = REFUSED[rule][1]
                    reasons = (reasons,) if isinstance(reasons, str) else reasons
                    self.assertTrue(any(r in str(ctx.exception) for r in reasons),
                                    f"{name}: {ctx.exception}")
                    refused.append(name)
                    continue
                op_types = {n.op_type for n in model.graph.node}
                modes = [[]]
                if op_types & QUANTIZATION_OPS:
                    modes += [["--pike-quantize-pipeline"],
                              ["--pike-quantize-pipeline=rounding=half_even"]]
                for inputs, outputs in data_sets:
                    built, data = oc.with_initializers(model, inputs)
                    expected = oc.expected_outputs(outputs)
                    for passes in modes:
                        got = run_onnx(built, data, passes)
                        self.assertEqual(len(got), len(expected))
                        for g, e in zip(got, expected):
                            self.assertTrue(same(g, e),
                                            f"{name} {passes}: {g.ravel()[:8]} vs {e.ravel()[:8]}")
                passed.append(name)
        print(f"\nonnx {onnx.__version__} node tests of Pike's operators: {len(cases)} cases, "
              f"{len(passed)} pass, {len(refused)} refused as documented", file=sys.stderr)
        for case in REQUIRED:
            self.assertIn(case, passed)
        stale = [REFUSED[i][0] for i in range(len(REFUSED)) if i not in used_rules]
        self.assertEqual(stale, [], "rules that name no refused case")
        self.assertEqual(len(passed) + len(refused), len(cases))
        self.assertGreaterEqual(len(passed), 110)


if __name__ == "__main__":
    unittest.main()
