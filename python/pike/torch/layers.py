"""Quantization-aware layers in the PikeLPN style (docs/Tutorial.md).

A network is a chain of quantizers and quantized layers. Between layers a
tensor holds real values on its quantizer's grid, `q * s`; each layer knows
the quantizer of its input (`input=`), so that it computes on the integers
`q` exactly as Pike's integer form will:

  Quantizer        PACT: learned clip alpha, s = alpha / (2^b - 1) (or
                   alpha / (2^(b-1) - 1) signed), y = s * clamp(round(x / s))
  QuantConv2d      integer conv of the input's q and per-channel weights
  QuantLinear      (DHQ: `pow2` scales for depthwise, `uniform` for the
                   rest), then QuantNorm: batch-norm (or bias) and scales
                   folded into integer multipliers, Double-Quantized when the
                   model says so, rounded once into the output quantizer
  QuantAvgPool     integer global average, rounded half to even as the import reads it

In float64 (`model.double().eval()`) every layer returns exactly what Pike
computes; in float32 it trains with straight-through rounding.
"""

import torch
import torch.nn.functional as F

from . import arithmetic as ar
from .export import QuantOp, exporting


class Quantizer(torch.nn.Module):
    """An activation quantizer with a learned clip (PACT): unsigned clips to
    [0, alpha], signed to [-alpha, alpha]. `learn=False` fixes alpha (an
    input quantizer)."""

    def __init__(self, bits, signed=False, alpha=4.0, learn=True):
        super().__init__()
        if not 2 <= bits <= 16:
            raise ValueError(f"activation bits must be in [2, 16], got {bits}")
        self.bits, self.signed = bits, signed
        alpha = torch.tensor(float(alpha))
        if learn:
            self.alpha = torch.nn.Parameter(alpha)
        else:
            self.register_buffer("alpha", alpha)

    @property
    def top(self):
        return 2 ** (self.bits - 1) - 1 if self.signed else 2 ** self.bits - 1

    @property
    def scale(self):
        """The step, a float32 value as the exported model stores it."""
        step = self.alpha.abs().clamp_min(1e-8) / self.top
        return step.to(torch.float32)

    def integers(self, x):
        return ar.quantize_activation(x, self.scale, self.bits, self.signed)

    def forward(self, x):
        if exporting():
            return QuantOp.apply(x, self.scale.detach(), self.bits, self.signed, False)
        return self.integers(x) * self.scale.to(x.dtype)


class _QuantMac(torch.nn.Module):
    """What conv and linear share: the weight quantizer, the batch-norm
    statistics, and QuantNorm into the output quantizer."""

    def __init__(self, out_channels, input, output, weight_bits, weight_scheme, norm, bias):
        super().__init__()
        if not 2 <= weight_bits <= 8:
            raise ValueError(f"weight bits must be in [2, 8], got {weight_bits}")
        # Not registered: the input quantizer belongs to the layer before.
        self.__dict__["input"] = input
        self.output = output
        self.weight_bits, self.weight_scheme = weight_bits, weight_scheme
        self.norm = torch.nn.BatchNorm2d(out_channels) if norm else None
        self.bias = torch.nn.Parameter(torch.zeros(out_channels)) if bias and not norm else None
        # Set by configure(): what the compiler will do with the scales.
        self.quantnorm = True
        self.double_quantize_bits = None
        self.multiplier_bits = 32

    def weight_scale(self):
        return ar.weight_scale(self.weight, self.weight_bits, self.weight_scheme)

    def _mac(self, x, weight):
        raise NotImplementedError

    def _real_out(self, y):
        """The float graph the export writes: batch-norm or bias on the real
        MAC result, then the output quantizer."""
        if self.norm is not None:
            y = self.norm(y)
        elif self.bias is not None:
            y = y + self.bias.view((1, -1) + (1,) * (y.dim() - 2))
        return self.output(y)

    def forward(self, x):
        w_scale = self.weight_scale()
        if exporting():
            weight = QuantOp.apply(self.weight, w_scale.view((-1,) + (1,) * (self.weight.dim() - 1)),
                                   self.weight_bits, True, True)
            return self._real_out(self._mac(x, weight))
        in_scale = self.input.scale
        q_in = ar.round_ste(x / in_scale.to(x.dtype))
        w_int = ar.quantize_weight(self.weight, w_scale, self.weight_bits).to(x.dtype)
        acc = self._mac(q_in, w_int)
        # The real per-channel scale and bias after folding (pike-fold-batchnorm).
        scale = in_scale.to(x.dtype) * w_scale.to(x.dtype)
        bias = self.bias if self.bias is not None else torch.zeros_like(scale)
        if self.norm is not None:
            mean, var = self._statistics(acc * scale.view((1, -1) + (1,) * (acc.dim() - 2)))
            epsilon = float(torch.tensor(self.norm.eps, dtype=torch.float32))
            k = self.norm.weight / torch.sqrt(var + epsilon)
            scale = scale * k
            bias = (0.0 - mean) * k + self.norm.bias
        out_scale = self.output.scale.to(x.dtype)
        if not self.quantnorm:
            # Plain QAT: real scale and bias, one rounding into the output.
            view = (1, -1) + (1,) * (acc.dim() - 2)
            real = acc * scale.view(view) + bias.view(view)
            return self.output(real)
        steps = ar.quant_norm(acc, scale, bias.to(x.dtype), out_scale, self.output.bits,
                              self.output.signed, self.double_quantize_bits,
                              self.multiplier_bits)
        return steps * out_scale

    def _statistics(self, y):
        """Batch statistics while training (updating the running ones), the
        running statistics otherwise."""
        norm = self.norm
        if not self.training:
            return norm.running_mean.to(y.dtype), norm.running_var.to(y.dtype)
        dims = [d for d in range(y.dim()) if d != 1]
        mean = y.mean(dim=dims)
        var = y.var(dim=dims, unbiased=False)
        with torch.no_grad():
            count = y.numel() / y.shape[1]
            unbiased = var * count / max(count - 1, 1)
            norm.running_mean.mul_(1 - norm.momentum).add_(norm.momentum * mean)
            norm.running_var.mul_(1 - norm.momentum).add_(norm.momentum * unbiased)
            norm.num_batches_tracked += 1
        return mean, var


class QuantConv2d(_QuantMac):
    """Conv2d on quantized input, per-channel `weight_bits` weights, QuantNorm
    (with `norm`, a batch-norm) into `output`. `weight_scheme` is DHQ's:
    `pow2` for depthwise layers, `uniform` for the others."""

    def __init__(self, in_channels, out_channels, kernel_size, *, input, output, stride=1,
                 padding=0, groups=1, weight_bits=4, weight_scheme="uniform", norm=True,
                 bias=False):
        super().__init__(out_channels, input, output, weight_bits, weight_scheme, norm, bias)
        self.stride, self.padding, self.groups = stride, padding, groups
        self.weight = torch.nn.Parameter(torch.empty(out_channels, in_channels // groups,
                                                     kernel_size, kernel_size))
        torch.nn.init.kaiming_uniform_(self.weight, a=5 ** 0.5)

    def _mac(self, x, weight):
        return F.conv2d(x, weight, stride=self.stride, padding=self.padding, groups=self.groups)


class QuantLinear(_QuantMac):
    """Linear on quantized input with per-channel weights and a bias (or a
    batch-norm), requantized into `output` (QuantNorm without the norm)."""

    def __init__(self, in_features, out_features, *, input, output, weight_bits=8,
                 weight_scheme="uniform", bias=True):
        super().__init__(out_features, input, output, weight_bits, weight_scheme, False, bias)
        self.weight = torch.nn.Parameter(torch.empty(out_features, in_features))
        torch.nn.init.kaiming_uniform_(self.weight, a=5 ** 0.5)

    def _mac(self, x, weight):
        return F.linear(x, weight)


class QuantGlobalAvgPool(torch.nn.Module):
    """Global average pooling that keeps its input's quantizer, flattened to
    (N, C): Pike's integer pooling of the export, sum / count rounded half to
    even (GlobalAveragePool then Quant's ROUND, as the importer reads it)."""

    def __init__(self, *, input):
        super().__init__()
        self.__dict__["input"] = input

    @property
    def scale(self):
        return self.input.scale

    @property
    def bits(self):
        return self.input.bits

    @property
    def signed(self):
        return self.input.signed

    def forward(self, x):
        if exporting():
            y = F.adaptive_avg_pool2d(x, 1)
            y = QuantOp.apply(y, self.input.scale.detach(), self.input.bits, self.input.signed,
                              False)
            return torch.flatten(y, 1)
        scale = self.input.scale.to(x.dtype)
        total = ar.round_ste(x / scale).sum(dim=(2, 3))
        return ar.divide_round_half_even_ste(total, x.shape[2] * x.shape[3]) * scale


def configure(model, quantnorm=True, double_quantize_bits=None, multiplier_bits=32):
    """What the compiler will do with every layer's scales, so that training
    sees it: QuantNorm (integer batch-norm and scales) with `multiplier_bits`
    multipliers, Double Quantization at `double_quantize_bits` (None: off).
    `quantnorm=False` trains plain QAT (real scales and batch-norm). The
    export writes the same settings into the model's metadata."""
    if double_quantize_bits is not None and not 1 <= double_quantize_bits <= 16:
        raise ValueError(f"double_quantize_bits must be in [1, 16], got {double_quantize_bits}")
    if not 2 <= multiplier_bits <= 32:
        raise ValueError(f"multiplier_bits must be in [2, 32], got {multiplier_bits}")
    for layer in model.modules():
        if isinstance(layer, _QuantMac):
            layer.quantnorm = quantnorm
            layer.double_quantize_bits = double_quantize_bits if quantnorm else None
            layer.multiplier_bits = multiplier_bits
    model.pike_trained_for = {"quantnorm": quantnorm,
                              "double_quantize_bits": double_quantize_bits if quantnorm else None,
                              "multiplier_bits": multiplier_bits}
    return model
