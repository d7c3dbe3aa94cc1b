"""A NumPy reference of pike's semantics, written from docs/Numerics.md and
the op descriptions, independently of the C++ implementation.

Integer tensors are int64 arrays holding each element's two's-complement
(signed) reading, as MLIR stores them; an op that reads a value as unsigned
masks it to its width, and an op that writes an unsigned value stores the
same bits. Real arithmetic is evaluated in float64, except at the boundaries:
quantize divides and dequantize multiplies in the tensor's own real type, as
ONNX defines them, so integer-form models are reproduced bit for bit.
"""

import numpy as np

from . import reference_normalization as normalization
from .mlir_reader import Attr, ParseError, read_module


class ReferenceError(ValueError):
    pass


def to_bits(values, bits):
    """The signed reading of the low `bits` bits of each value."""
    v = np.asarray(values, dtype=np.int64)
    mask = (1 << bits) - 1
    v = v & mask
    return np.where(v >= (1 << (bits - 1)), v - (1 << bits), v)


def read_int(values, bits, unsigned):
    v = np.asarray(values, dtype=np.int64)
    return v & ((1 << bits) - 1) if unsigned else to_bits(v, bits)


def int_range(bits, unsigned):
    if unsigned:
        return 0, (1 << bits) - 1
    return -(1 << (bits - 1)), (1 << (bits - 1)) - 1


def _tflite_shift(value, shift):
    """TFLite's MultiplyByQuantizedMultiplier on the product `value`
    (docs/Numerics.md): the doubling high multiply's division by 2^31 (nudge
    2^30, or 1 - 2^30 below zero, then truncation toward zero), then
    RoundingDivideByPOT by shift - 31 (ties away from zero). Python integers:
    a left shift (shift < 31) can leave int64 on the way."""
    value, shift = np.broadcast_arrays(np.asarray(value, dtype=np.int64),
                                       np.asarray(shift, dtype=np.int64))

    def one(v, s):
        v, s = int(v), int(s)
        product = v << max(31 - s, 0)
        nudged = product + ((1 << 30) if product >= 0 else 1 - (1 << 30))
        high = nudged // (1 << 31) if nudged >= 0 else -((-nudged) // (1 << 31))
        right = max(s - 31, 0)
        mask = (1 << right) - 1
        threshold = (mask >> 1) + (1 if high < 0 else 0)
        return (high >> right) + (1 if (high & mask) > threshold else 0)

    flat = [one(v, s) for v, s in zip(value.ravel(), shift.ravel())]
    return np.array(flat, dtype=np.int64).reshape(value.shape)


def round_shift(value, shift, mode="single"):
    """round_shift of docs/Numerics.md: value / 2^shift rounded by `mode`:
    "single" or "tvm_upward" (ties up), "double" (single, +-2^30 beyond
    shift 31), "half_even" (ties to even), "tvm_tonearest" (ties away from
    zero) or "tflite" (two roundings, as TFLite)."""
    if mode == "tflite":
        return _tflite_shift(value, shift)
    value = np.asarray(value, dtype=np.int64)
    shift = np.asarray(shift, dtype=np.int64)
    if mode == "tvm_tonearest":
        return (value + (np.int64(1) << (shift - 1)) - (value < 0)) >> shift
    if mode == "half_even":
        quotient = value >> shift
        remainder = value - (quotient << shift)
        half = np.int64(1) << (shift - 1)
        up = (remainder > half) | ((remainder == half) & (quotient % 2 == 1))
        return quotient + up
    rounded = value + (np.int64(1) << (shift - 1))
    if mode == "double":
        extra = np.where(value >= 0, np.int64(1) << 30, -(np.int64(1) << 30))
        rounded = rounded + np.where(shift > 31, extra, 0)
    return rounded >> shift


_REAL_ROUNDING = {"half_even": np.round, "floor": np.floor, "ceil": np.ceil,
                  "toward_zero": np.trunc}


def quantize(x, scale, zero_point, bits, unsigned, rounding="half_even"):
    """ONNX QuantizeLinear (docs/Numerics.md): round half to even of x / scale
    in x's real type (or pike.quantize's other `rounding`), plus the zero
    point, clamped; NaN gives the zero point (the real value 0) and
    infinities saturate."""
    x = np.asarray(x)
    lo, hi = int_range(bits, unsigned)
    # The zero point is added exactly: in float16 an integer array's sum
    # would round (NumPy keeps float16 + int8 in float16).
    rounded = _REAL_ROUNDING[rounding](x / scale).astype(np.float64)
    values = np.clip(rounded + zero_point, lo, hi)
    values = np.where(np.isnan(x), zero_point, values)
    return values.astype(np.int64)


def activation(kind, x, alpha=None, beta=None):
    """pike.activation in x's real type, as ONNX defines each function."""
    x = np.asarray(x)
    one = x.dtype.type(1)
    if kind == "sigmoid":
        return one / (one + np.exp(-x))
    if kind == "tanh":
        return np.tanh(x)
    if kind == "hard_sigmoid":
        a = x.dtype.type(0.2 if alpha is None else alpha)
        b = x.dtype.type(0.5 if beta is None else beta)
        return np.clip(a * x + b, 0, 1).astype(x.dtype)
    if kind == "hard_swish":
        return x * np.clip(x / x.dtype.type(6) + x.dtype.type(0.5), 0, 1).astype(x.dtype)
    if kind == "leaky_relu":
        a = x.dtype.type(0.01 if alpha is None else alpha)
        return np.where(x >= 0, x, a * x)
    if kind == "gelu":
        from math import erf, sqrt
        e = np.vectorize(erf, otypes=[np.float64])(x.astype(np.float64) / sqrt(2.0))
        return (x.dtype.type(0.5) * x * (one + e.astype(x.dtype))).astype(x.dtype)
    if kind == "erf":
        from math import erf
        return np.vectorize(erf, otypes=[np.float64])(x.astype(np.float64)).astype(x.dtype)
    raise ValueError(f"unknown activation {kind!r}")


def divide_round_half_up(total, count):
    return np.floor_divide(2 * total + count, 2 * count)


def divide_round_half_even(total, count):
    # q = floor(total / count), r in [0, count): up when 2r > count, or on a
    # tie when q is odd (numerics::divideRoundHalfEven).
    q = np.floor_divide(total, count)
    twice = 2 * (total - q * count)
    return q + ((twice > count) | ((twice == count) & (q % 2 == 1)))


def _average_rounding(attrs):
    """pike.avg_pool2d's `rounding` (#pike<average_rounding half_even>), else half_up."""
    attr = attrs.get("rounding")
    return attr.positional[0].split()[-1] if attr is not None else "half_up"


class _Quantizer:
    def __init__(self, attr):
        if not isinstance(attr, Attr) or attr.name != "pike.quantizer":
            raise ReferenceError(f"expected a #pike.quantizer, got {attr!r}")
        spec = attr.positional[0]
        self.unsigned = spec[0] == "u"
        self.bits = int(spec[1:])
        self.axis = attr.fields.get("axis")
        self.scales = np.asarray(attr.fields["scales"], dtype=np.float64)
        zps = attr.fields.get("zero_points") or [0] * len(self.scales)
        self.zero_points = np.asarray(zps, dtype=np.int64)

    def broadcast(self, values, rank):
        if self.axis is None:
            return values[0]
        shape = [1] * rank
        shape[self.axis] = len(values)
        return values.reshape(shape)


def float32_scale(value, multipliers, shifts, bias=0):
    """The float32 rounding in NumPy's own float32 arithmetic (the integer
    form in pike-expand-apply-scale is checked against this): the biased
    accumulator converted to float32, times the float32 scale m * 2^-s,
    rounded half to even."""
    biased = (np.asarray(value, dtype=np.int64) + bias).astype(np.float32)
    scale = np.ldexp(np.asarray(multipliers, dtype=np.float64),
                     -np.asarray(shifts, dtype=np.int64)).astype(np.float32)
    return np.rint(biased * scale).astype(np.int64)


class _FixedPoint:
    def __init__(self, attr):
        self.bits = attr.fields["bits"]
        self.multipliers = np.asarray(attr.fields["multipliers"], dtype=np.int64)
        self.shifts = np.asarray(attr.fields["shifts"], dtype=np.int64)
        self.rounding = attr.fields.get("rounding", "single")


def _float32_value(fixed):
    """A float32 scale's value, M * 2^-s (exact: M has at most 24 bits)."""
    return np.float32(np.ldexp(float(fixed.multipliers[0]), -int(fixed.shifts[0])))


def _fma32(a, b, c):
    """float32 fma, elementwise: a * b + c rounded once to float32, for a
    and b whose product float64 holds exactly (float32s, or a 16-bit
    integer and a float32). The float64 sum is made round-to-odd (two-sum's
    error says whether it is exact), which float32 then rounds correctly."""
    a64, b64, c64 = (np.asarray(v, dtype=np.float64) for v in np.broadcast_arrays(a, b, c))
    product = a64 * b64
    with np.errstate(invalid="ignore", over="ignore"):
        total = product + c64
        back = total - product
        error = (product - (total - back)) + (c64 - back)
    even = (total.view(np.int64) & 1) == 0
    bump = np.isfinite(total) & np.isfinite(error) & (error != 0) & even
    if bump.any():
        toward = np.where(error > 0, np.inf, -np.inf)
        total = np.where(bump, np.nextafter(total, toward), total)
    with np.errstate(over="ignore"):
        return total.astype(np.float32)


def _qlinear_add(lhs, rhs, lhs_ratio, rhs_ratio, lhs_zp, rhs_zp, out_zp, lo, hi):
    """onnxruntime's QLinearAdd as MLAS computes it on x86 (docs/Numerics.md):
    the fixed part F = out_zp - fma(r_l, lhs_zp, r_r * rhs_zp) in float32
    (onnxruntime's compiler contracts MLAS's r_l * zp_l + r_r * zp_r so),
    then fma(lhs, r_l, fma(rhs, r_r, F)) on the stored integers, rounded half
    to even and saturated; a sum outside int32 gives lo."""
    f32 = np.float32
    rhs_part = f32(float(rhs_ratio) * float(f32(rhs_zp)))
    fixed = f32(out_zp) - _fma32(f32(lhs_zp), lhs_ratio, rhs_part)[()]
    inner = _fma32(np.asarray(rhs, dtype=np.float64), rhs_ratio, fixed)
    y = _fma32(np.asarray(lhs, dtype=np.float64), lhs_ratio, inner).astype(np.float64)
    inside = (y >= -2.0 ** 31) & (y < 2.0 ** 31)
    rounded = np.rint(np.where(inside, y, 0.0))
    return np.where(inside, np.clip(rounded, lo, hi), lo).astype(np.int64)


def _real_dtype(element):
    """The NumPy type the real `element` computes in. NumPy has no bfloat16
    or float8: computing those in float64 would give other numbers than
    the compiled code, so the reference refuses them."""
    dtypes = {"f16": np.float16, "f32": np.float32, "f64": np.float64}
    if element not in dtypes:
        raise ReferenceError(f"the NumPy reference has no {element} arithmetic (NumPy lacks the "
                             f"type); it computes f16, f32 and f64")
    return dtypes[element]


def _channel(values):
    """A per-channel vector broadcast over the last dimension (or a scalar)."""
    values = np.asarray(values)
    return values if values.size != 1 else values.reshape(())


def _windows(x, kernel, strides, dilations, padding, pad_value):
    """Yields, for each kernel position, the strided input slice [N,OH,OW,C]."""
    n, h, w, c = x.shape
    pt, pb, pl, pr = padding
    padded = np.full((n, h + pt + pb, w + pl + pr, c), pad_value, dtype=x.dtype)
    padded[:, pt:pt + h, pl:pl + w, :] = x
    kh, kw = kernel
    sh, sw = strides
    dh, dw = dilations
    oh = (h + pt + pb - dh * (kh - 1) - 1) // sh + 1
    ow = (w + pl + pr - dw * (kw - 1) - 1) // sw + 1
    for i in range(kh):
        for j in range(kw):
            yield i, j, padded[:, i * dh:i * dh + sh * (oh - 1) + 1:sh,
                               j * dw:j * dw + sw * (ow - 1) + 1:sw, :]


class Interpreter:
    def __init__(self, functions):
        self.functions = functions

    @classmethod
    def from_text(cls, text):
        return cls(read_module(text))

    def run(self, name, inputs, trace=None):
        """The results of @name; `trace(op, results)` sees every op's, and
        what it returns, when not None, replaces them (teacher forcing)."""
        try:
            fn = self.functions[name]
        except KeyError:
            raise ReferenceError(f"no function @{name}") from None
        if len(inputs) != len(fn.args):
            raise ReferenceError(f"@{name} takes {len(fn.args)} inputs, got {len(inputs)}")
        inputs = [np.asarray(x) for x in inputs]
        for index, (x, ttype) in enumerate(zip(inputs, fn.arg_types)):
            shape = tuple(getattr(ttype, "shape", ()))
            if len(x.shape) != len(shape) or any(d >= 0 and d != n
                                                 for d, n in zip(shape, x.shape)):
                dims = "".join(f"{'?' if d < 0 else d}x" for d in shape)
                raise ReferenceError(f"input #{index} of @{name} has shape "
                                     f"{'x'.join(map(str, x.shape)) or 'scalar'}, the "
                                     f"function takes tensor<{dims}{ttype.element}>")
        env = dict(zip(fn.args, inputs))
        for op in fn.ops:
            args = [env[o] for o in op.operands]
            if op.name == "func.return":
                return args
            handler = getattr(self, "_" + op.name.replace(".", "_"), None)
            if handler is None:
                raise ReferenceError(f"line {op.line}: no reference for '{op.name}'")
            outs = handler(op, *args)
            outs = outs if isinstance(outs, tuple) else (outs,)
            if trace is not None:
                forced = trace(op, outs)
                if forced is not None:
                    outs = tuple(np.asarray(x) for x in forced)
            env.update(zip(op.results, outs))
        raise ReferenceError(f"@{name} has no return")

    # -- upstream ops --------------------------------------------------------

    def _arith_constant(self, op):
        return np.asarray(op.attrs["value"])

    def _arith_cmpi(self, op, a, b):
        # Elementwise on tensors (the importer's masks): eq and ne only.
        predicate = op.attrs["predicate"]
        if predicate not in (0, 1):
            raise ReferenceError(f"line {op.line}: arith.cmpi predicate {predicate} is not "
                                 "supported (eq, ne)")
        same = np.asarray(a) == np.asarray(b)
        return same if predicate == 0 else ~same

    def _arith_xori(self, op, a, b):
        if op.result_types[0].bits == 1:
            return np.logical_xor(np.asarray(a) != 0, np.asarray(b) != 0)
        return np.bitwise_xor(np.asarray(a), np.asarray(b))

    def _tensor_collapse_shape(self, op, x):
        return x.reshape(op.result_types[0].shape)

    _tensor_expand_shape = _tensor_collapse_shape

    def _tensor_reshape(self, op, x, shape):
        result = op.result_types[0].shape
        if any(d is None or d < 0 for d in result):
            raise ReferenceError(f"line {op.line}: a reshape to a dynamic shape is not supported")
        return x.reshape(result)

    def _tensor_empty(self, op):
        t = op.result_types[0]
        return np.zeros(t.shape, dtype=np.int64 if t.is_int else _real_dtype(t.element))

    def _tensor_pad(self, op, value, x, *dynamic):
        if dynamic:
            raise ReferenceError(f"line {op.line}: dynamic padding is not supported")
        a = op.attrs
        widths = list(zip(a["static_low"], a["static_high"]))
        return np.pad(x, widths, constant_values=np.asarray(value).item())

    def _linalg_transpose(self, op, x, init):
        return np.transpose(x, op.attrs["permutation"])

    def _linalg_broadcast(self, op, x, init):
        shape = op.result_types[0].shape
        return np.broadcast_to(np.expand_dims(x, tuple(op.attrs["dimensions"])), shape).copy()

    def _tensor_concat(self, op, *inputs):
        return np.concatenate(inputs, axis=op.attrs["dim"])

    def _tensor_extract_slice(self, op, x, *dynamic):
        if dynamic:
            raise ReferenceError(f"line {op.line}: dynamic slices are not supported")
        a = op.attrs
        index = tuple(slice(o, o + n * s, s) for o, n, s in
                      zip(a["static_offsets"], a["static_sizes"], a["static_strides"]))
        return x[index].reshape(op.result_types[0].shape)

    # -- boundaries ----------------------------------------------------------

    def _pike_quantize(self, op, x):
        # As ONNX QuantizeLinear: the division in the input's real type.
        dtype = _real_dtype(op.operand_types[0].element)
        q = _Quantizer(op.attrs["quantizer"])
        scale = q.broadcast(q.scales, x.ndim).astype(dtype)
        zp = q.broadcast(q.zero_points, x.ndim)
        rounding = _average_rounding(op.attrs) if "rounding" in op.attrs else "half_even"
        return to_bits(quantize(x.astype(dtype), scale, zp, q.bits, q.unsigned, rounding),
                       q.bits)

    def _pike_dequantize(self, op, x):
        dtype = _real_dtype(op.result_types[0].element)
        q = _Quantizer(op.attrs["quantizer"])
        values = read_int(x, q.bits, q.unsigned) - q.broadcast(q.zero_points, x.ndim)
        return values.astype(dtype) * q.broadcast(q.scales, x.ndim).astype(dtype)

    # -- multiply-accumulate -------------------------------------------------

    def _pike_conv2d(self, op, x, w, bias=None):
        a = op.attrs
        in_t, w_t, out_t = op.operand_types[0], op.operand_types[1], op.result_types[0]
        xv = read_int(x, in_t.bits, a.get("input_unsigned", False)) - a.get("input_zp", 0)
        wv = read_int(w, w_t.bits, a.get("weight_unsigned", False)) - a.get("weight_zp", 0)
        groups = a.get("groups", 1)
        f, kh, kw, cg = wv.shape
        n = xv.shape[0]
        acc = None
        for i, j, patch in _windows(xv, (kh, kw), a["strides"], a.get("dilations", [1, 1]),
                                    a["padding"], 0):
            oh, ow = patch.shape[1:3]
            pg = patch.reshape(n, oh, ow, groups, cg)
            wg = wv[:, i, j, :].reshape(groups, f // groups, cg)
            term = np.einsum("nhwgc,gfc->nhwgf", pg, wg).reshape(n, oh, ow, f)
            acc = term if acc is None else acc + term
        if bias is not None:
            acc = acc + bias
        return to_bits(acc, out_t.bits)

    def _pike_fully_connected(self, op, x, w, bias=None):
        a = op.attrs
        in_t, w_t, out_t = op.operand_types[0], op.operand_types[1], op.result_types[0]
        xv = read_int(x, in_t.bits, a.get("input_unsigned", False)) - a.get("input_zp", 0)
        wv = read_int(w, w_t.bits, a.get("weight_unsigned", False)) - a.get("weight_zp", 0)
        acc = xv @ wv.T
        if bias is not None:
            acc = acc + bias
        return to_bits(acc, out_t.bits)

    def _pike_batch_matmul(self, op, lhs, rhs):
        a = op.attrs
        l_t, r_t, out_t = op.operand_types[0], op.operand_types[1], op.result_types[0]
        lv = read_int(lhs, l_t.bits, a.get("lhs_unsigned", False)) - a.get("lhs_zp", 0)
        rv = read_int(rhs, r_t.bits, a.get("rhs_unsigned", False)) - a.get("rhs_zp", 0)
        return to_bits(np.matmul(lv.astype(np.int64), rv.astype(np.int64)), out_t.bits)

    # -- normalization and scaling -----------------------------------------

    def _pike_batch_norm(self, op, x, gamma, beta, mean, var):
        eps = op.attrs.get("epsilon", 1e-5)
        return (x - mean) / np.sqrt(var + eps) * gamma + beta

    def _pike_scale(self, op, x):
        scale = op.attrs["scale"]
        if isinstance(scale, Attr):  # #pike.dq_scale
            scales = np.asarray(scale.fields["values"], dtype=np.float64) * scale.fields["scale"]
        else:
            scales = np.asarray(scale, dtype=np.float64)
        y = x.astype(np.float64) * _channel(scales)
        if "bias" in op.attrs:
            y = y + _channel(np.asarray(op.attrs["bias"], dtype=np.float64))
        return y

    def _pike_quant_norm(self, op, x):
        a = op.attrs
        fp = _FixedPoint(a["multiplier"])
        out_t = op.result_types[0]
        unsigned = a.get("output_unsigned", False)
        lo, hi = int_range(out_t.bits, unsigned)
        lo, hi = a.get("min", lo), a.get("max", hi)
        bias = _channel(np.asarray(a.get("bias", [0]), dtype=np.int64))
        acc = x.astype(np.int64)
        if fp.rounding == "float32":
            scaled = float32_scale(acc, _channel(fp.multipliers), _channel(fp.shifts), bias)
        else:
            scaled = round_shift(acc * _channel(fp.multipliers) + bias, _channel(fp.shifts),
                                 fp.rounding)
        return to_bits(np.clip(scaled + a.get("output_zp", 0), lo, hi), out_t.bits)

    def _pike_requantize(self, op, x):
        a = op.attrs
        fp = _FixedPoint(a["multiplier"])
        in_t, out_t = op.operand_types[0], op.result_types[0]
        xv = read_int(x, in_t.bits, a.get("input_unsigned", False)) - a.get("input_zp", 0)
        if fp.rounding == "float32":
            scaled = float32_scale(xv, _channel(fp.multipliers), _channel(fp.shifts))
        else:
            scaled = round_shift(xv * _channel(fp.multipliers), _channel(fp.shifts),
                                 fp.rounding)
        lo, hi = int_range(out_t.bits, a.get("output_unsigned", False))
        lo, hi = a.get("min", lo), a.get("max", hi)
        return to_bits(np.clip(scaled + a.get("output_zp", 0), lo, hi), out_t.bits)

    # -- elementwise ---------------------------------------------------------

    def _pike_clamp(self, op, x):
        t = op.result_types[0]
        lo, hi = op.attrs["min"], op.attrs["max"]
        if not t.is_int:
            return np.clip(x, lo, hi)
        values = read_int(x, t.bits, op.attrs.get("input_unsigned", False))
        return to_bits(np.clip(values, lo, hi), t.bits)

    def _pike_mul(self, op, lhs, rhs):
        t = op.result_types[0]
        if not t.is_int:
            return lhs * rhs
        a = op.attrs
        lt, rt = op.operand_types
        fp = _FixedPoint(a["scale"])
        lv = read_int(lhs, lt.bits, a.get("lhs_unsigned", False)) - a.get("lhs_zp", 0)
        rv = read_int(rhs, rt.bits, a.get("rhs_unsigned", False)) - a.get("rhs_zp", 0)
        if fp.rounding == "float32":
            scaled = float32_scale(lv * rv, fp.multipliers[0], fp.shifts[0])
        else:
            scaled = round_shift(lv * rv * fp.multipliers[0], fp.shifts[0], fp.rounding)
        lo, hi = int_range(t.bits, a.get("output_unsigned", False))
        return to_bits(np.clip(scaled + a.get("output_zp", 0), lo, hi), t.bits)

    def _pike_activation(self, op, x):
        a = op.attrs
        kind = a["kind"].positional[0].split()[-1]
        return activation(kind, x, a.get("alpha"), a.get("beta"))

    def _pike_table(self, op, x):
        a = op.attrs
        in_t, out_t = op.operand_types[0], op.result_types[0]
        unsigned = a.get("input_unsigned", False)
        lo, _ = int_range(in_t.bits, unsigned)
        table = np.asarray(a["table"], dtype=np.int64)
        return to_bits(table[read_int(x, in_t.bits, unsigned) - lo], out_t.bits)

    # -- normalizations over the last dimension ----------------------------------

    def _pike_softmax(self, op, x, mask=None):
        return normalization.softmax(x, mask)

    def _pike_layer_norm(self, op, x):
        a = op.attrs

        def steps(name):
            if name not in a:
                return None
            q = _Quantizer(a[name])
            lo, hi = int_range(q.bits, q.unsigned)
            return float(q.scales[0]), int(q.zero_points[0]), lo, hi
        return normalization.layer_norm(x, a["scale"], a["bias"], a["epsilon"],
                                        steps("variance_quantizer"), steps("deviation_quantizer"))

    @staticmethod
    def _normalized(op, x, compute):
        """A normalization of integers: `compute(q, attrs, lo, hi)` on the
        input read with its signedness, into the result's range and bits."""
        a = op.attrs
        in_t, out_t = op.operand_types[0], op.result_types[0]
        lo, hi = int_range(out_t.bits, a.get("output_unsigned", False))
        q = read_int(x, in_t.bits, a.get("input_unsigned", False))
        return to_bits(compute(q, a, lo, hi), out_t.bits)

    def _pike_integer_softmax(self, op, x, mask=None):
        return self._normalized(op, x, lambda q, a, lo, hi: normalization.integer_softmax(
            q, a["exp_table"], a["multiplier"], a["shift"], a.get("output_zp", 0), lo, hi, mask))

    def _pike_integer_layer_norm(self, op, x):
        return self._normalized(op, x, lambda q, a, lo, hi: normalization.integer_layer_norm(
            q, a["gamma"], a["beta"], a["epsilon"], a["shift"], a.get("output_zp", 0), lo, hi,
            a.get("headroom", 0)))

    def _pike_float32_softmax(self, op, x):
        return self._normalized(op, x, lambda q, a, lo, hi: normalization.float32_softmax(
            q, a["exp_table"], a["multiplier"], a.get("output_zp", 0), lo, hi))

    def _pike_float32_layer_norm(self, op, x):
        return self._normalized(op, x, lambda q, a, lo, hi: normalization.float32_layer_norm(
            q, a["input_scale"], a.get("input_zp", 0), a["gamma"], a["beta"], a["epsilon"],
            a["output_scale"], a.get("output_zp", 0), lo, hi, _fma32))

    def _pike_integer_stepwise_layer_norm(self, op, x):
        return self._normalized(op, x, lambda q, a, lo, hi:
                                normalization.integer_stepwise_layer_norm(
            q, a["variance_multiplier"], a["variance_shift"], a.get("variance_zp", 0),
            a["variance_min"], a["multipliers"], a["shifts"], a["biases"],
            a.get("output_zp", 0), lo, hi))

    def _pike_float32_stepwise_layer_norm(self, op, x):
        return self._normalized(op, x, lambda q, a, lo, hi:
                                normalization.float32_stepwise_layer_norm(
            q, a["input_scale"], a.get("input_zp", 0), a["variance_scale"],
            a.get("variance_zp", 0), a["variance_min"], a["variance_max"], a["deviations"],
            a["output_scale"], a.get("output_zp", 0), lo, hi))

    def _pike_gather(self, op, table, indices):
        it = op.operand_types[1]
        rows = table.shape[0]
        unsigned = op.attrs.get("indices_unsigned", False)
        if it.bits < 64:
            index = read_int(indices, it.bits, unsigned)
        else:
            index = np.asarray(indices).astype(np.int64)
            if unsigned:  # at or past 2^63: the largest row
                index = np.where(index < 0, rows - 1, index)
        index = np.where(index < 0, index + rows, index)
        return table[np.clip(index, 0, rows - 1)]

    def _pike_add(self, op, lhs, rhs):
        t = op.result_types[0]
        if not t.is_int:
            return lhs + rhs
        a = op.attrs
        lt, rt = op.operand_types
        lf, rf = _FixedPoint(a["lhs_scale"]), _FixedPoint(a["rhs_scale"])
        if lf.rounding == "float32":
            lo, hi = int_range(t.bits, a.get("output_unsigned", False))
            y = _qlinear_add(read_int(lhs, lt.bits, a.get("lhs_unsigned", False)),
                             read_int(rhs, rt.bits, a.get("rhs_unsigned", False)),
                             _float32_value(lf), _float32_value(rf), a.get("lhs_zp", 0),
                             a.get("rhs_zp", 0), a.get("output_zp", 0), lo, hi)
            return to_bits(y, t.bits)
        lv = read_int(lhs, lt.bits, a.get("lhs_unsigned", False)) - a.get("lhs_zp", 0)
        rv = read_int(rhs, rt.bits, a.get("rhs_unsigned", False)) - a.get("rhs_zp", 0)
        total = lv * lf.multipliers[0] + rv * rf.multipliers[0]
        scaled = round_shift(total, lf.shifts[0], lf.rounding)
        lo, hi = int_range(t.bits, a.get("output_unsigned", False))
        return to_bits(np.clip(scaled + a.get("output_zp", 0), lo, hi), t.bits)

    # -- pooling -------------------------------------------------------------

    def _pike_avg_pool2d(self, op, x):
        a = op.attrs
        t = op.result_types[0]
        kernel, strides = a["kernel"], a.get("strides", [1, 1])
        padding = list(a.get("padding", [0, 0, 0, 0]))
        # Each window's divisor: its positions inside the input, or with
        # count_include_pad inside the padded input; ceil mode's extra end
        # padding never counts (numerics::poolWindowCounts).
        counts = []
        for axis in range(2):
            size, out = x.shape[1 + axis], t.shape[1 + axis]
            k, s = kernel[axis], strides[axis]
            before, after = padding[2 * axis], padding[2 * axis + 1]
            lo, hi = (-before, size + after) if a.get("count_include_pad") else (0, size)
            start = np.arange(out) * s - before
            counts.append(np.minimum(start + k, hi) - np.maximum(start, lo))
            padding[2 * axis + 1] += max(0, (out - 1) * s + k - (size + before + after))
        count = (counts[0][:, None] * counts[1][None, :])[None, :, :, None]
        if not t.is_int:
            total = sum(p for _, _, p in _windows(x, kernel, strides, (1, 1), padding, 0.0))
            return (total / count).astype(x.dtype)
        unsigned = a.get("input_unsigned", False)
        xv = read_int(x, t.bits, unsigned) - a.get("input_zp", 0)
        total = sum(p for _, _, p in _windows(xv, kernel, strides, (1, 1), padding, 0))
        lo, hi = int_range(t.bits, unsigned)
        divide = {"half_up": divide_round_half_up,
                  "half_even": divide_round_half_even}[_average_rounding(a)]
        out = divide(total, count) + a.get("output_zp", 0)
        return to_bits(np.clip(out, lo, hi), t.bits)

    def _pike_max_pool2d(self, op, x):
        a = op.attrs
        t = op.result_types[0]
        kernel, strides = a["kernel"], a.get("strides", [1, 1])
        padding = a.get("padding", [0, 0, 0, 0])
        if not t.is_int:
            windows = [p for _, _, p in _windows(x, kernel, strides, (1, 1), padding, -np.inf)]
            return np.max(np.stack(windows), axis=0)
        unsigned = a.get("input_unsigned", False)
        xv = read_int(x, t.bits, unsigned)
        lowest = np.iinfo(np.int64).min
        windows = [p for _, _, p in _windows(xv, kernel, strides, (1, 1), padding, lowest)]
        return to_bits(np.max(np.stack(windows), axis=0), t.bits)


__all__ = ["Interpreter", "ReferenceError", "ParseError", "to_bits", "read_int",
           "round_shift", "int_range"]
