"""The integer arithmetic of Pike's passes, written once in PyTorch so that a
layer trains against exactly what the compiler will compute.

Each function names the pass it mirrors. Rounding goes through a
straight-through estimator (STE): the forward value is rounded, the gradient
passes as if it were not. In float64 every formula here is exact, so a layer
evaluated in float64 reproduces Pike's integer result step for step
(python/tests/test_pike_torch.py); in float32 it is the training
approximation of the same formula.
"""

import math

import torch

# numerics::kMinShift / kMaxShift (include/pike/Numerics/FixedPoint.h).
MIN_SHIFT = 2
MAX_SHIFT = 62


def round_ste(x):
    """Round half to even (ONNX's and the imported model's rule), with the
    identity as gradient."""
    return x + (torch.round(x) - x).detach()


def divide_round_half_even_ste(total, count):
    """total / count rounded half to even, exactly (pike.avg_pool2d with
    rounding = half_even, numerics::divideRoundHalfEven) for integer-valued
    `total` and an integer `count`; the gradient is that of total / count.
    Float division would misplace ties once total outgrows the mantissa."""
    exact = total.detach().to(torch.int64)
    quotient = torch.div(exact, count, rounding_mode="floor")
    twice_rest = 2 * (exact - quotient * count)
    up = (twice_rest > count) | ((twice_rest == count) & (quotient % 2 == 1))
    rounded = (quotient + up.to(torch.int64)).to(total.dtype)
    return total / count + (rounded - total / count).detach()


def clamp_ste(x, lo, hi):
    """Clamp whose gradient is 1 inside and 0 outside, as PACT's clip."""
    return torch.clamp(x, lo, hi)


def to_fixed_point(ratio, bits):
    """numerics::toFixedPoint: (M, s) with M * 2^-s ~= ratio, M a `bits`-bit
    signed multiplier, round half to even on the mantissa."""
    if not (math.isfinite(ratio) and ratio > 0):
        raise ValueError(f"scale {ratio} is not a positive finite number")
    mantissa, exponent = math.frexp(ratio)
    top = 1 << (bits - 1)
    multiplier = round(math.ldexp(mantissa, bits - 1))  # Python rounds half to even
    if multiplier == top:
        multiplier //= 2
        exponent += 1
    shift = bits - 1 - exponent
    if shift < MIN_SHIFT:
        raise ValueError(f"scale {ratio} is too large for a {bits}-bit multiplier")
    if shift > MAX_SHIFT:
        raise ValueError(f"scale {ratio} needs a shift above {MAX_SHIFT}")
    return multiplier, shift


def shared_shift(max_scale, out_scale, top):
    """pike-double-quantize's shared scale s_out * 2^-k: the largest k with
    max_scale / (s_out * 2^-k) <= top."""
    k = math.floor(math.log2(top * out_scale / max_scale))
    while max_scale / math.ldexp(out_scale, -k) > top:
        k -= 1
    while max_scale / math.ldexp(out_scale, -(k + 1)) <= top:
        k += 1
    return k


def weight_scale(weight, bits, scheme):
    """Per-output-channel weight scale, symmetric and narrow range, as
    pike-dhq: `uniform` max|w| / (2^(b-1) - 1), `pow2` the next power of two
    up. Computed from the weights, so it is not trained."""
    top = 2 ** (bits - 1) - 1
    largest = weight.detach().abs().flatten(1).amax(dim=1).clamp_min(1e-12)
    scale = largest / top
    if scheme == "pow2":
        scale = torch.exp2(torch.ceil(torch.log2(scale)))
    elif scheme != "uniform":
        raise ValueError(f"weight scheme must be 'uniform' or 'pow2', got {scheme!r}")
    return scale.to(torch.float32)


def quantize_weight(weight, scale, bits):
    """Integer weights as the importer folds QONNX Quant: the division in
    float32, round half to even, narrow-range clamp."""
    top = 2 ** (bits - 1) - 1
    shape = (-1,) + (1,) * (weight.dim() - 1)
    scaled = weight.to(torch.float32) / scale.view(shape)
    return torch.clamp(round_ste(scaled), -top, top).to(weight.dtype)


def quantize_activation(x, scale, bits, signed):
    """pike.quantize at run time: x / s in float32, round half to even,
    saturate. `scale` may carry a gradient (PACT/LSQ)."""
    lo, hi = (-(2 ** (bits - 1)), 2 ** (bits - 1) - 1) if signed else (0, 2 ** bits - 1)
    scaled = x.to(torch.float32) / scale.to(torch.float32)
    return clamp_ste(round_ste(scaled), lo, hi).to(x.dtype)


def quant_norm(acc, scale, bias, out_scale, out_bits, out_signed, double_quantize_bits=None,
               multiplier_bits=32):
    """pike-fold-batchnorm (sign into weights), pike-double-quantize and
    pike-quantnorm on an integer accumulator `acc` (N, C, ...): returns the
    output integers. `scale[c]` and `bias[c]` are the real per-channel scale
    and bias the batch-norm fold gives; `out_scale` the next quantizer's.

    out = clamp(round_half_even((acc * M[c] + B[c]) * 2^-sh[c]), lo, hi)
    """
    sign = torch.where(scale.detach() < 0, -1.0, 1.0).to(acc.dtype)
    magnitude = scale.abs()
    out_value = float(out_scale.detach())
    channels = scale.shape[0]
    if double_quantize_bits is not None:
        top = 2 ** double_quantize_bits - 1
        k = shared_shift(float(magnitude.detach().max()), out_value, top)
        lift = max(0, MIN_SHIFT - k)
        shift = k + lift
        shared = out_scale * 2.0 ** -k
        values = torch.clamp(round_ste(magnitude / shared), 1, top)
        multiplier = values * 2.0 ** lift
        shifts = torch.full((channels,), float(shift), dtype=acc.dtype)
    else:
        pairs = [to_fixed_point(float(s) / out_value, multiplier_bits)
                 for s in magnitude.detach().double().tolist()]
        fixed = torch.tensor([m for m, _ in pairs], dtype=acc.dtype)
        shifts = torch.tensor([float(s) for _, s in pairs], dtype=acc.dtype)
        # The rounded multiplier, with the gradient of the real ratio.
        real = magnitude / out_scale * torch.exp2(shifts)
        multiplier = fixed + (real - real.detach())
    view = (1, -1) + (1,) * (acc.dim() - 2)
    integer_bias = round_ste(bias / out_scale * torch.exp2(shifts))
    total = acc * (sign * multiplier).view(view) + integer_bias.view(view)
    steps = round_ste(total * torch.exp2(-shifts).view(view))
    lo, hi = ((-(2 ** (out_bits - 1)), 2 ** (out_bits - 1) - 1) if out_signed
              else (0, 2 ** out_bits - 1))
    return clamp_ste(steps, lo, hi)
