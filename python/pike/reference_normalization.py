"""NumPy reference of pike's normalizations over the last dimension,
written from the op descriptions (PikeNormalizationOps.td) and
docs/Numerics.md: softmax and layer normalization in reals, and their
integer forms. Integer arithmetic is exact (int64 where the verifier bounds
it, Python integers for the square root)."""

import math

import numpy as np


def kept(mask, shape):
    """(the elements a softmax mask keeps, all without one; whether each row
    keeps any). A row that keeps none keeps all."""
    if mask is None:
        return np.ones(shape, dtype=bool), np.ones(shape[:-1] + (1,), dtype=bool)
    mask = np.asarray(mask) != 0
    any_kept = mask.any(axis=-1, keepdims=True)
    return mask | ~any_kept, any_kept


def softmax(x, mask=None):
    """exp(x - max) / sum exp(x - max) over the last axis, in x's type;
    with a mask, over the kept elements only, 0 at the others; a row that
    keeps none is uniform (its values read as equal)."""
    x = np.asarray(x)
    keep, any_kept = kept(mask, x.shape)
    x = np.where(any_kept, x, 0).astype(x.dtype)
    m = np.where(keep, x, -np.inf).max(axis=-1, keepdims=True)
    e = np.where(keep, np.exp(np.where(keep, x - m, 0)), 0).astype(x.dtype)
    return (e / e.sum(axis=-1, keepdims=True)).astype(x.dtype)


def requantized(value, quantizer):
    """`value` quantized (half to even, saturated) and dequantized in its
    own type; `quantizer` is (scale, zero point, lo, hi)."""
    scale, zp, lo, hi = quantizer
    t = value.dtype.type
    q = np.clip(np.rint(value / t(scale)) + t(zp), t(lo), t(hi))
    return ((q - t(zp)) * t(scale)).astype(value.dtype)


def layer_norm(x, scale, bias, epsilon, variance=None, deviation=None):
    """(x - mean) / sqrt(var + epsilon) * scale + bias over the last axis;
    `variance` and `deviation`, if given, quantize var and var + epsilon
    (requantized above)."""
    x = np.asarray(x)
    dtype = x.dtype
    mean = x.mean(axis=-1, keepdims=True, dtype=dtype)
    var = np.square(x - mean).mean(axis=-1, keepdims=True, dtype=dtype)
    if variance is not None:
        var = requantized(var, variance)
    total = (var + dtype.type(epsilon)).astype(dtype)
    if deviation is not None:
        total = requantized(total, deviation)
    scale = np.asarray(scale, dtype=dtype)
    bias = np.asarray(bias, dtype=dtype)
    with np.errstate(divide="ignore", invalid="ignore"):
        return ((x - mean) / np.sqrt(total) * scale + bias).astype(dtype)


def integer_softmax(q, exp_table, multiplier, shift, output_zp, lo, hi, mask=None):
    """pike.integer_softmax on integers `q` (already read with their
    signedness): E = exp_table[max - q] (0 past its end), P = round half up
    of E / S with 30 fraction bits, then (P * multiplier) >> shift rounded
    half up, plus the zero point, clamped. With a mask, max and S over the
    kept elements, the zero point at the others; a row keeping none reads
    its integers as equal (uniform)."""
    q = np.asarray(q, dtype=np.int64)
    keep, any_kept = kept(mask, q.shape)
    q = np.where(any_kept, q, 0)
    table = np.concatenate([np.asarray(exp_table, dtype=np.int64), [0]])
    m = np.where(keep, q, np.iinfo(np.int64).min).max(axis=-1, keepdims=True)
    d = np.where(keep, m - q, len(table) - 1)
    e = table[np.minimum(d, len(table) - 1)]
    s = e.sum(axis=-1, keepdims=True)
    p = (2 * e * (1 << 30) + s) // (2 * s)
    y = (p * multiplier + (1 << (shift - 1))) >> shift
    return np.where(keep, np.clip(y + output_zp, lo, hi), output_zp)


def integer_layer_norm(q, gamma, beta, epsilon, shift, output_zp, lo, hi, headroom=0):
    """pike.integer_layer_norm on integers `q` (read with their signedness).
    The root is math.isqrt of Python integers."""
    q = np.asarray(q, dtype=np.int64)
    n = q.shape[-1]
    c = (n * q - q.sum(axis=-1, keepdims=True)) << headroom
    total = (c * c).sum(axis=-1, keepdims=True) + epsilon
    rows = total.reshape(-1)
    ks = np.array([(62 - int(t).bit_length()) // 2 for t in rows], dtype=np.int64)
    roots = np.array([max(1, math.isqrt(int(t) << (2 * int(k)))) for t, k in zip(rows, ks)],
                     dtype=np.int64)
    k = ks.reshape(total.shape)
    r = roots.reshape(total.shape)
    num = (c << k) * np.asarray(gamma, dtype=np.int64)
    t = np.sign(num) * ((2 * np.abs(num) + r) // (2 * r))
    y = (t + np.asarray(beta, dtype=np.int64) + (1 << (shift - 1))) >> shift
    return np.clip(y + output_zp, lo, hi)


def _onnxruntime_round(z, zp, lo, hi):
    """onnxruntime's quantize of reals `z` already divided by the scale:
    clamped to [lo - zp, hi - zp] (a NaN to the lowest, as MLAS's maxps),
    rounded half to even, plus the zero point."""
    z = np.where(np.isnan(z), lo - zp, z)
    return np.rint(np.clip(z, lo - zp, hi - zp)).astype(np.int64) + zp


def float32_layer_norm_real(x, gamma, beta, epsilon, fma32):
    """onnxruntime's x86 LayerNorm kernel on float32 rows of a multiple of 8
    values, each step rounded as pike.float32_layer_norm states (float64
    lane sums for the mean, float32 fma lane sums for the variance).
    `fma32(a, b, c)` is a float32 fma rounded once."""
    f32 = np.float32
    x = np.asarray(x, dtype=f32)
    lead, n = x.shape[:-1], x.shape[-1]
    lanes4 = x.reshape(lead + (n // 4, 4)).astype(np.float64)
    s = np.zeros(lead + (4,))
    for k in range(n // 4):
        s = s + lanes4[..., k, :]
    total = (s[..., 0] + s[..., 2]) + (s[..., 1] + s[..., 3])
    mean = (total / n).astype(f32)[..., None]
    d = (x - mean).astype(f32)
    lanes8 = d.reshape(lead + (n // 8, 8))
    v = np.zeros(lead + (8,), dtype=f32)
    for k in range(n // 8):
        v = fma32(lanes8[..., k, :], lanes8[..., k, :], v)
    var = ((v[..., 0] + v[..., 4]) + (v[..., 2] + v[..., 6])) + \
          ((v[..., 1] + v[..., 5]) + (v[..., 3] + v[..., 7]))
    with np.errstate(divide="ignore", invalid="ignore"):
        inv = (f32(1) / np.sqrt(var / f32(n) + f32(epsilon)))[..., None]
        t = (d * inv).astype(f32)
    return fma32(t, np.asarray(gamma, dtype=f32), np.asarray(beta, dtype=f32))


def float32_layer_norm(q, input_scale, input_zp, gamma, beta, epsilon, output_scale, output_zp,
                       lo, hi, fma32):
    """pike.float32_layer_norm: the kernel above between onnxruntime's
    dequantize (f32(q - zp) * scale) and quantize (divide, clamp with a NaN
    to the lowest, round half to even, add the zero point)."""
    f32 = np.float32
    q = np.asarray(q, dtype=np.int64)
    x = (q - input_zp).astype(f32) * f32(input_scale)
    y = float32_layer_norm_real(x, gamma, beta, epsilon, fma32)
    with np.errstate(divide="ignore", invalid="ignore"):
        z = (y / f32(output_scale)).astype(f32)
    return _onnxruntime_round(z, output_zp, lo, hi)


def float32_softmax(q, exp_table, multiplier, output_zp, lo, hi):
    """pike.float32_softmax (onnxruntime's QLinearSoftmax) on integers `q`:
    E = exp_table[max - q], S their float32 sum in row order, p = E *
    multiplier / S in float64 (the product exact, the quotient rounded
    once), rounded half to even, plus the zero point, clamped (a NaN to lo)."""
    f32 = np.float32
    q = np.asarray(q, dtype=np.int64)
    table = np.asarray(exp_table, dtype=f32)
    e = table[q.max(axis=-1, keepdims=True) - q]
    s = np.zeros(q.shape[:-1], dtype=f32)
    for j in range(q.shape[-1]):
        s = (s + e[..., j]).astype(f32)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        p = e.astype(np.float64) * float(f32(multiplier)) / s[..., None].astype(np.float64)
    return _onnxruntime_round(p, output_zp, lo, hi)


def integer_stepwise_layer_norm(q, variance_multiplier, variance_shift, variance_zp,
                                variance_min, multipliers, shifts, biases, output_zp, lo, hi):
    """pike.integer_stepwise_layer_norm on integers `q` (read with their
    signedness); the variance's 128-bit product in Python integers."""
    q = np.asarray(q, dtype=np.int64)
    n = q.shape[-1]
    c = n * q - q.sum(axis=-1, keepdims=True)
    total = (c * c).sum(axis=-1, keepdims=True)
    half = 1 << (variance_shift - 1)
    v = np.array([variance_zp + ((int(t) * variance_multiplier + half) >> variance_shift)
                  for t in total.reshape(-1)], dtype=object)
    table = np.asarray(multipliers, dtype=np.int64)
    v = np.clip(v, variance_min, variance_min + len(table) - 1).astype(np.int64)
    m = table[v - variance_min].reshape(total.shape)
    shift = np.asarray(shifts, dtype=np.int64)[v - variance_min].reshape(total.shape)
    bias = np.asarray(biases, dtype=np.int64)[v - variance_min].reshape(total.shape)
    y = np.clip(output_zp + ((c * m + bias + (np.int64(1) << (shift - 1))) >> shift), lo, hi)
    edge = np.where((m == 0) & (c > 0), hi, lo)
    return np.where(m > 0, y, edge)


def _onnxruntime_mean(x):
    """onnxruntime's float32 ReduceMean over a last axis of a multiple of 8:
    8 lane sums in row order, added as a tree, divided by n."""
    f32 = np.float32
    n = x.shape[-1]
    lanes = np.zeros(x.shape[:-1] + (8,), dtype=f32)
    for k in range(0, n, 8):
        lanes = (lanes + x[..., k:k + 8]).astype(f32)
    a = [lanes[..., j] for j in range(8)]
    total = ((a[0] + a[4]) + (a[2] + a[6])) + ((a[1] + a[5]) + (a[3] + a[7]))
    return (total / f32(n)).astype(f32)[..., None]


def float32_stepwise_layer_norm(q, input_scale, input_zp, variance_scale, variance_zp,
                                variance_min, variance_max, deviations, output_scale, output_zp,
                                lo, hi):
    """pike.float32_stepwise_layer_norm: onnxruntime's float32 ReduceMean,
    Sub, Pow (d * d) and ReduceMean, its QuantizeLinear of the variance,
    the deviation from the table, its Div and QuantizeLinear."""
    f32 = np.float32
    q = np.asarray(q, dtype=np.int64)
    x = (q - input_zp).astype(f32) * f32(input_scale)
    d = (x - _onnxruntime_mean(x)).astype(f32)
    var = _onnxruntime_mean((d * d).astype(f32))
    v = _onnxruntime_round((var / f32(variance_scale)).astype(f32), variance_zp, variance_min,
                           variance_max)
    root = np.asarray(deviations, dtype=f32)[v - variance_min]
    with np.errstate(divide="ignore", invalid="ignore"):
        y = (d / root).astype(f32)
        z = (y / f32(output_scale)).astype(f32)
    return _onnxruntime_round(z, output_zp, lo, hi)
