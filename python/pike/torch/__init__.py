"""PikeLPN quantization-aware training in PyTorch (docs/Tutorial.md).

Layers whose fake-quantized forward is Pike's integer arithmetic (QuantNorm,
Double Quantization, DHQ weight quantizers, PACT activations), and an ONNX
export that `pike import` reads with no edits. For PyTorch's own converted
int8 models: an export with the biases its kernels use, and its integers
layer by layer for `pike compare --reference` (quantized.py).
"""

from .export import export, metadata
from .layers import (QuantConv2d, QuantGlobalAvgPool, QuantLinear, Quantizer, configure)
from .quantized import (compare_layers, export_quantized, kernel_bias_rule, reference_integers,
                        save_reference)

__all__ = ["Quantizer", "QuantConv2d", "QuantLinear", "QuantGlobalAvgPool", "configure",
           "export", "metadata", "export_quantized", "kernel_bias_rule", "reference_integers",
           "save_reference", "compare_layers"]
