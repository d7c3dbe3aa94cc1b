"""PikeLPN quantization-aware training in PyTorch (docs/Tutorial.md).

Layers whose fake-quantized forward is Pike's integer arithmetic (QuantNorm,
Double Quantization, DHQ weight quantizers, PACT activations), and an ONNX
export that `pike import` reads with no edits.
"""

from .export import export, metadata
from .layers import (QuantConv2d, QuantGlobalAvgPool, QuantLinear, Quantizer, configure)

__all__ = ["Quantizer", "QuantConv2d", "QuantLinear", "QuantGlobalAvgPool", "configure",
           "export", "metadata"]
