"""ONNX to pike IR in quantized-graph form.

Reads standard QDQ models (QuantizeLinear / DequantizeLinear, per tensor and
per axis), QONNX `Quant` / `BipolarQuant` nodes of any bit-width, and the
integer "QOperator" format (QLinearConv, QLinearMatMul, ConvInteger,
MatMulInteger), with Conv (grouped and depthwise), BatchNormalization, Relu,
Clip, Add, GlobalAveragePool, AveragePool, MaxPool, Gemm, MatMul, and
Flatten / Reshape to two dimensions. Initializers become constants.

Activations are NHWC inside pike: a 4-D ONNX tensor is transposed once at
the graph input and back at an output, so the imported function keeps the
model's NCHW interface. A node or attribute outside this set is an error
naming the node and its op type; nothing is dropped silently.
"""

import math
from dataclasses import dataclass, field
from typing import Optional

import numpy as np

from . import emit

QONNX_DOMAINS = ("qonnx.custom_op.general", "finn.custom_op.general")

_ONNX_ELEMENT = {1: ("f32", None), 10: ("f16", None), 11: ("f64", None),
                 2: ("i8", "u"), 3: ("i8", "s"), 4: ("i16", "u"), 5: ("i16", "s"),
                 6: ("i32", "s"), 7: ("i64", "s"), 9: ("i1", "u")}

# NCHW axis -> NHWC axis for 4-D activations.
_NCHW_TO_NHWC = {0: 0, 1: 3, 2: 1, 3: 2}


class OnnxImportError(ValueError):
    """An ONNX model Pike cannot import, naming the node and op type."""


@dataclass
class Quant:
    """A quantizer: bits, signedness, scales and zero points (one, or one
    per index of `axis`, in pike's layout)."""
    bits: int
    signed: bool
    scales: np.ndarray
    zero_points: np.ndarray
    axis: Optional[int] = None
    narrow: bool = False

    def attr(self):
        sign = "s" if self.signed else "u"
        parts = [f"{sign}{self.bits}"]
        if self.axis is not None:
            parts.append(f"axis = {self.axis}")
        parts.append("scales = " + emit.float_list(self.scales))
        if np.any(self.zero_points != 0):
            parts.append("zero_points = " + emit.int_list(self.zero_points))
        return "#pike.quantizer<" + ", ".join(parts) + ">"

    @property
    def per_tensor(self):
        return self.axis is None

    def lo(self):
        return (-(1 << (self.bits - 1)) + (1 if self.narrow else 0)) if self.signed else 0

    def hi(self):
        return ((1 << (self.bits - 1)) - 1) if self.signed else (1 << self.bits) - 1 - (1 if self.narrow else 0)


@dataclass
class Value:
    """An ONNX tensor as pike sees it. `name` is the SSA value (None for a
    constant not yet emitted); a dequantized tensor remembers its integer
    source and quantizer so that MAC ops can use the integers."""
    shape: tuple
    element: str
    name: Optional[str] = None
    nhwc: bool = False
    const: Optional[np.ndarray] = None
    int_source: Optional["Value"] = None
    quant: Optional[Quant] = None
    materialize: Optional[object] = field(default=None, repr=False)

    @property
    def type(self):
        return emit.tensor_type(self.shape, self.element)


def _attrs(node):
    import onnx
    return {a.name: onnx.helper.get_attribute_value(a) for a in node.attribute}


def _nhwc(shape):
    n, c, h, w = shape
    return (n, h, w, c)


def _round_half_even(x):
    return np.round(x)


class Importer:
    def __init__(self, model, file_name="model.mlir", batch=None):
        import onnx
        from onnx import numpy_helper
        self.onnx = onnx
        self.model = model
        self.graph = model.graph
        self.file_name = file_name
        self.fn = emit.FunctionWriter("main")
        self.values = {}
        self.batch = batch
        for init in self.graph.initializer:
            array = numpy_helper.to_array(init)
            self.values[init.name] = Value(tuple(array.shape), self._element_of(array.dtype, init.name),
                                           const=array)
        self.node = None

    # -- errors and helpers --------------------------------------------------

    def fail(self, message):
        node = self.node
        where = (f"node '{node.name or (node.output[0] if node.output else '?')}' ({node.op_type})"
                 if node is not None else "model")
        raise OnnxImportError(f"{where}: {message}")

    @staticmethod
    def _element_of(dtype, what):
        mapping = {np.dtype(np.float32): "f32", np.dtype(np.float16): "f16",
                   np.dtype(np.float64): "f64", np.dtype(np.int8): "i8", np.dtype(np.uint8): "i8",
                   np.dtype(np.int16): "i16", np.dtype(np.uint16): "i16",
                   np.dtype(np.int32): "i32", np.dtype(np.int64): "i64", np.dtype(np.bool_): "i1"}
        if np.dtype(dtype) not in mapping:
            raise OnnxImportError(f"tensor '{what}' has unsupported dtype {dtype}")
        return mapping[np.dtype(dtype)]

    def get(self, name):
        if name == "":
            return None
        if name not in self.values:
            self.fail(f"input '{name}' is not produced by any node, input or initializer")
        return self.values[name]

    def const(self, name):
        value = self.get(name)
        if value is None:
            return None
        if value.const is None:
            self.fail(f"input '{name}' must be a constant (an initializer or Constant node)")
        return value.const

    def real(self, value):
        """The SSA name of a real-valued tensor, dequantizing if needed."""
        if value.materialize is not None:
            value.materialize()
            return value.name
        if value.element.startswith("f"):
            if value.name is None:
                value.name = self.fn.constant(emit.dense_f32(value.const.astype(np.float32)),
                                              emit.tensor_type(value.shape, "f32"))
            return value.name
        self.fail("expected a real (floating-point or dequantized) input")

    def emit_int_const(self, array, bits):
        return self.fn.constant(emit.dense_int(array, bits),
                                emit.tensor_type(array.shape, f"i{bits}"))

    def loc(self):
        return self.node.name or self.node.output[0]

    # -- quantizers ----------------------------------------------------------

    def quantizer(self, scale, zero_point, zp_dtype, axis, rank, nhwc, bits=None,
                  signed=None, narrow=False):
        scale = np.asarray(scale, dtype=np.float64).reshape(-1)
        if zero_point is None:
            zero_point = np.zeros(1, dtype=np.int64)
            zp_dtype = zp_dtype or np.dtype(np.uint8)
        zps = np.asarray(zero_point).reshape(-1)
        if np.any(zps != np.round(zps)):
            self.fail("zero points must be integers")
        zps = zps.astype(np.int64)
        if not np.all(np.isfinite(scale)) or np.any(scale <= 0):
            self.fail(f"scales must be positive and finite, got {scale.tolist()[:4]}")
        if bits is None:
            dtype = np.dtype(zp_dtype)
            if dtype not in (np.dtype(np.uint8), np.dtype(np.int8)):
                self.fail(f"zero point type {dtype} is not supported (uint8 or int8)")
            bits, signed = 8, dtype == np.dtype(np.int8)
        pike_axis = None
        if scale.size > 1:
            if axis < 0:
                axis += rank
            pike_axis = _NCHW_TO_NHWC[axis] if (nhwc and rank == 4) else axis
        if zps.size == 1 and scale.size > 1:
            zps = np.full(scale.size, zps[0])
        return Quant(bits, signed, scale, zps, pike_axis, narrow)

    # -- graph ---------------------------------------------------------------

    def run(self):
        onnx = self.onnx
        for inp in self.graph.input:
            if inp.name in self.values:
                continue  # an initializer also listed as input
            ttype = inp.type.tensor_type
            if ttype.elem_type not in _ONNX_ELEMENT:
                raise OnnxImportError(f"graph input '{inp.name}' has unsupported element type "
                                   f"{onnx.TensorProto.DataType.Name(ttype.elem_type)}")
            shape = [d.dim_value if d.HasField("dim_value") else -1 for d in ttype.shape.dim]
            if shape and shape[0] <= 0 and self.batch is not None:
                shape[0] = self.batch  # a symbolic batch dimension, fixed by --batch
            shape = tuple(shape)
            if any(d <= 0 for d in shape):
                hint = " (give --batch N for a symbolic batch dimension)" if shape and shape[0] <= 0 else ""
                raise OnnxImportError(f"graph input '{inp.name}' needs a static shape, got {shape}{hint}")
            element, _ = _ONNX_ELEMENT[ttype.elem_type]
            arg = self.fn.arg(emit.tensor_type(shape, element))
            value = Value(shape, element, name=arg)
            if len(shape) == 4:
                value = self._to_nhwc(value, f"{inp.name}/nhwc")
            self.values[inp.name] = value
        for node in self.graph.node:
            self.node = node
            handler = getattr(self, "op_" + node.op_type, None)
            if node.domain in QONNX_DOMAINS:
                handler = getattr(self, "qonnx_" + node.op_type, None)
            elif node.domain not in ("", "ai.onnx"):
                self.fail(f"operator domain '{node.domain}' is not supported")
            if handler is None:
                self.fail("operator is not supported by Pike's importer")
            outputs = handler(node, _attrs(node))
            if not isinstance(outputs, (list, tuple)):
                outputs = [outputs]
            for name, value in zip(node.output, outputs):
                if name:
                    self.values[name] = value
        self.node = None
        results = []
        for out in self.graph.output:
            value = self.get(out.name)
            if value.element.startswith("f") or value.materialize is not None:
                name = self.real(value)
                element = "f32"
            else:
                name = value.name or self.emit_int_const(value.const, int(value.element[1:]))
                element = value.element
            if value.nhwc:
                name = self._transpose(name, value.shape, element, (0, 3, 1, 2), f"{out.name}/nchw")
                shape = (value.shape[0], value.shape[3], value.shape[1], value.shape[2])
            else:
                shape = value.shape
            # Tensors are signless: a uint8 (uint16, bool) output says so, and
            # pike-run writes it with the declared dtype.
            declared = _ONNX_ELEMENT.get(out.type.tensor_type.elem_type, (None, None))[1]
            unsigned = declared == "u" and not element.startswith("f")
            results.append((name, emit.tensor_type(shape, element),
                            "{pike.unsigned}" if unsigned else ""))
        comment = (f"Imported from ONNX by `python3 -m pike import` "
                   f"(producer: {self.model.producer_name or 'unknown'}).")
        # ONNX rounds half to even (QuantizeLinear; onnxruntime's requantization).
        return emit.module(self.fn, results, self.file_name, comment, rounding="half_even")

    def _transpose(self, name, shape, element, perm, loc):
        out_shape = tuple(shape[p] for p in perm)
        out_type = emit.tensor_type(out_shape, element)
        empty = self.fn.op(f"tensor.empty() : {out_type}")
        return self.fn.op(f"linalg.transpose ins({name} : {emit.tensor_type(shape, element)}) "
                          f"outs({empty} : {out_type}) permutation = [{', '.join(map(str, perm))}]",
                          loc)

    def _to_nhwc(self, value, loc):
        name = self._transpose(value.name, value.shape, value.element, (0, 2, 3, 1), loc)
        return Value(_nhwc(value.shape), value.element, name=name, nhwc=True)

    def _dequantized(self, int_value, quant, loc):
        """A real value backed by integers; pike.dequantize is emitted only
        if something needs the real value."""
        out = Value(int_value.shape, "f32", nhwc=int_value.nhwc, int_source=int_value, quant=quant)

        def materialize():
            if out.name is None:
                src = int_value.name or self.emit_int_const(int_value.const, quant.bits)
                out.name = self.fn.op(f"pike.dequantize {src} {{quantizer = {quant.attr()}}} : "
                                      f"{emit.tensor_type(int_value.shape, f'i{quant.bits}')} -> "
                                      f"{emit.tensor_type(int_value.shape, 'f32')}", loc)
        out.materialize = materialize
        return out

    # -- QDQ -----------------------------------------------------------------

    def op_QuantizeLinear(self, node, attrs):
        x = self.get(node.input[0])
        zp_value = self.get(node.input[2]) if len(node.input) > 2 else None
        zp = None if zp_value is None else self.const(node.input[2])
        quant = self.quantizer(self.const(node.input[1]), zp,
                               None if zp is None else zp.dtype, attrs.get("axis", 1),
                               len(x.shape), x.nhwc)
        return self._quantize(x, quant)

    def _quantize(self, x, quant):
        if x.const is not None and x.name is None:
            values = self._quantize_array(x.const, quant, x.nhwc)
            return Value(x.shape, f"i{quant.bits}", const=values, quant=quant)
        src = self.real(x)
        out_type = emit.tensor_type(x.shape, f"i{quant.bits}")
        name = self.fn.op(f"pike.quantize {src} {{quantizer = {quant.attr()}}} : "
                          f"{emit.tensor_type(x.shape, 'f32')} -> {out_type}", self.loc())
        if quant.narrow:
            lo, hi = quant.lo(), quant.hi()
            flag = "" if quant.signed else ", input_unsigned"
            name = self.fn.op(f"pike.clamp {name} {{min = {lo} : i64, max = {hi} : i64{flag}}} : "
                              f"{out_type}", self.loc() + "/narrow")
        return Value(x.shape, f"i{quant.bits}", name=name, nhwc=x.nhwc, quant=quant)

    def _quantize_array(self, array, quant, nhwc):
        array = np.asarray(array, dtype=np.float32)
        shape = [1] * array.ndim
        if quant.axis is not None:
            axis = quant.axis
            shape[axis] = -1
        scale = quant.scales.astype(np.float32).reshape(shape)
        zp = quant.zero_points.reshape(shape)
        q = np.clip(_round_half_even(array / scale) + zp, quant.lo(), quant.hi())
        return q.astype(np.int64)

    def op_DequantizeLinear(self, node, attrs):
        x = self.get(node.input[0])
        if not x.element.startswith("i"):
            self.fail("input must be an integer tensor")
        zp = self.const(node.input[2]) if len(node.input) > 2 and node.input[2] else None
        scale = self.const(node.input[1])
        if x.element == "i32":
            # An int32 bias: kept as reals (a constant folded at import).
            if x.const is None:
                self.fail("an int32 DequantizeLinear input must be a constant (a bias)")
            values = (x.const.astype(np.float64) - (0 if zp is None else zp)) * scale
            return Value(x.shape, "f32", const=values.astype(np.float32))
        if x.quant is not None:
            src_dtype = np.uint8 if not x.quant.signed else np.int8
        else:
            src_dtype = zp.dtype if zp is not None else np.uint8
        quant = self.quantizer(scale, zp, src_dtype, attrs.get("axis", 1), len(x.shape), x.nhwc)
        if x.quant is not None:
            quant.bits, quant.signed, quant.narrow = x.quant.bits, x.quant.signed, x.quant.narrow
        return self._dequantized(x, quant, self.loc())

    # -- QONNX ---------------------------------------------------------------

    def qonnx_Quant(self, node, attrs):
        x = self.get(node.input[0])
        scale = self.const(node.input[1])
        zeropt = self.const(node.input[2])
        bitwidth = self.const(node.input[3])
        if np.asarray(bitwidth).size != 1 or float(bitwidth) != int(bitwidth) or not 1 <= int(bitwidth) <= 16:
            self.fail(f"bitwidth must be one integer in [1, 16], got {np.asarray(bitwidth).tolist()}")
        mode = attrs.get("rounding_mode", b"ROUND")
        mode = mode.decode() if isinstance(mode, bytes) else mode
        if mode.upper() not in ("ROUND", "HALF_EVEN"):
            self.fail(f"rounding_mode '{mode}' is not supported (ROUND only)")
        signed = bool(attrs.get("signed", 1))
        narrow = bool(attrs.get("narrow", 0))
        scale_arr = np.asarray(scale, dtype=np.float64)
        axis = None
        if scale_arr.size > 1:
            nontrivial = [i for i, d in enumerate(scale_arr.shape) if d > 1]
            if len(nontrivial) != 1:
                self.fail(f"scale of shape {scale_arr.shape} is not per-tensor or per-channel")
            axis = nontrivial[0] + (len(x.shape) - scale_arr.ndim)
        quant = self.quantizer(scale_arr, np.asarray(zeropt), None, axis if axis is not None else 0,
                               len(x.shape), x.nhwc, bits=int(bitwidth), signed=signed,
                               narrow=narrow)
        ints = self._quantize(x, quant)
        return self._dequantized(ints, quant, self.loc() + "/dequantize")

    def qonnx_BipolarQuant(self, node, attrs):
        x = self.get(node.input[0])
        if x.const is None:
            self.fail("BipolarQuant is supported on constant weights only")
        scale = np.asarray(self.const(node.input[1]), dtype=np.float64)
        if scale.size != 1:
            self.fail("BipolarQuant needs one scale")
        values = np.where(x.const >= 0, 1, -1).astype(np.int64)
        quant = Quant(2, True, scale.reshape(-1), np.zeros(1, dtype=np.int64))
        ints = Value(x.shape, "i2", const=values, quant=quant)
        return self._dequantized(ints, quant, self.loc())

    # -- MAC ops -------------------------------------------------------------

    def _int_operand(self, value, what):
        """(ssa or const array, Quant) of a dequantized operand."""
        if value.int_source is None or value.quant is None:
            self.fail(f"{what} must be quantized (a DequantizeLinear or Quant output); "
                      "Pike has no real-valued convolution or matmul")
        return value.int_source, value.quant

    def _scalar_zp(self, quant, what):
        zps = np.unique(quant.zero_points)
        if zps.size != 1:
            self.fail(f"{what} needs one zero point for all channels, got {zps.tolist()}")
        return int(zps[0])

    def _conv_padding(self, attrs, in_hw, kernel, strides, dilations):
        auto_pad = attrs.get("auto_pad", b"NOTSET")
        auto_pad = auto_pad.decode() if isinstance(auto_pad, bytes) else auto_pad
        if auto_pad in ("NOTSET",):
            pads = list(attrs.get("pads", [0, 0, 0, 0]))
            return [pads[0], pads[2], pads[1], pads[3]]
        if auto_pad == "VALID":
            return [0, 0, 0, 0]
        if auto_pad in ("SAME_UPPER", "SAME_LOWER"):
            result = []
            for size, k, s, d in zip(in_hw, kernel, strides, dilations):
                out = -(-size // s)
                total = max((out - 1) * s + (k - 1) * d + 1 - size, 0)
                small, large = total // 2, total - total // 2
                result += [small, large] if auto_pad == "SAME_UPPER" else [large, small]
            return result
        self.fail(f"auto_pad '{auto_pad}' is not supported")

    def _conv(self, x_int, x_quant, w_int, w_quant, attrs, out_name_loc):
        """pike.conv2d on integer operands; returns (acc ssa, out shape)."""
        if len(x_int.shape) != 4:
            self.fail("only 2-D convolutions (4-D tensors) are supported")
        if not x_quant.per_tensor:
            self.fail("the input quantizer must be per tensor")
        w = w_int.const
        if w is None:
            self.fail("convolution weights must be constants")
        f, cg, kh, kw = w.shape
        groups = int(attrs.get("group", 1))
        strides = list(attrs.get("strides", [1, 1]))
        dilations = list(attrs.get("dilations", [1, 1]))
        n, h, wd, c = x_int.shape
        padding = self._conv_padding(attrs, (h, wd), (kh, kw), strides, dilations)
        oh = (h + padding[0] + padding[1] - dilations[0] * (kh - 1) - 1) // strides[0] + 1
        ow = (wd + padding[2] + padding[3] - dilations[1] * (kw - 1) - 1) // strides[1] + 1
        w_ohwi = np.transpose(w, (0, 2, 3, 1))
        w_name = self.emit_int_const(w_ohwi, w_quant.bits)
        x_name = x_int.name or self.emit_int_const(x_int.const, x_quant.bits)
        out_shape = (n, oh, ow, f)
        attrs_text = [f"strides = array<i64: {strides[0]}, {strides[1]}>",
                      f"padding = array<i64: {', '.join(map(str, padding))}>"]
        if dilations != [1, 1]:
            attrs_text.append(f"dilations = array<i64: {dilations[0]}, {dilations[1]}>")
        if groups != 1:
            attrs_text.append(f"groups = {groups}")
        attrs_text += self._mac_attrs(x_quant, w_quant, "the input", "the weights")
        acc = self.fn.op(
            f"pike.conv2d {x_name}, {w_name} {{{', '.join(attrs_text)}}} : "
            f"({emit.tensor_type(x_int.shape, f'i{x_quant.bits}')}, "
            f"{emit.tensor_type(w_ohwi.shape, f'i{w_quant.bits}')}) -> "
            f"{emit.tensor_type(out_shape, 'i32')}", out_name_loc)
        return acc, out_shape

    def _mac_attrs(self, in_quant, w_quant, in_what, w_what):
        """Zero-point and signedness attributes of conv2d / fully_connected."""
        attrs = []
        in_zp = self._scalar_zp(in_quant, in_what)
        w_zp = self._scalar_zp(w_quant, w_what)
        if in_zp:
            attrs.append(f"input_zp = {in_zp}")
        if w_zp:
            attrs.append(f"weight_zp = {w_zp}")
        if not in_quant.signed:
            attrs.append("input_unsigned")
        if not w_quant.signed:
            attrs.append("weight_unsigned")
        return attrs

    def _weight_scales(self, quant, channels):
        scales = quant.scales
        return np.full(channels, scales[0]) if scales.size == 1 else scales

    def _scale(self, acc, shape, scales, bias, loc):
        text = f"scale = {emit.f64_array(scales)}"
        if bias is not None:
            text += f", bias = {emit.f64_array(bias)}"
        return self.fn.op(f"pike.scale {acc} {{{text}}} : {emit.tensor_type(shape, 'i32')} -> "
                          f"{emit.tensor_type(shape, 'f32')}", loc)

    def _weights_quantized(self, value, what):
        """Integer weights with their quantizer; real constant weights are
        quantized here to 8-bit symmetric per-output-channel (pike-dhq can
        requantize them)."""
        if value.int_source is not None:
            src, quant = value.int_source, value.quant
            if src.const is None:
                self.fail(f"{what} must be constant")
            return src, quant
        if value.const is not None and value.element.startswith("f"):
            w = value.const.astype(np.float64)
            top = 127
            axes = tuple(range(1, w.ndim))
            scales = np.max(np.abs(w), axis=axes) / top
            scales[scales == 0] = 1.0
            quant = Quant(8, True, scales, np.zeros_like(scales, dtype=np.int64), 0, True)
            ints = np.clip(np.round(w / scales.reshape((-1,) + (1,) * (w.ndim - 1))), -top, top)
            return Value(value.shape, "i8", const=ints.astype(np.int64)), quant
        self.fail(f"{what} must be constant")

    def op_Conv(self, node, attrs):
        x = self.get(node.input[0])
        x_int, x_quant = self._int_operand(x, "the input")
        w_int, w_quant = self._weights_quantized(self.get(node.input[1]), "the weights")
        acc, shape = self._conv(x_int, x_quant, w_int, w_quant, attrs, self.loc())
        f = shape[3]
        scales = x_quant.scales[0] * self._weight_scales(w_quant, f)
        bias = None
        if len(node.input) > 2 and node.input[2]:
            bias = np.asarray(self.const(node.input[2]), dtype=np.float64).reshape(-1)
        y = self._scale(acc, shape, scales, bias, self.loc() + "/scale")
        return Value(shape, "f32", name=y, nhwc=True)

    def _matmul(self, a, b_int, b_quant, transposed, bias, loc):
        a_int, a_quant = self._int_operand(a, "input A")
        if len(a_int.shape) != 2:
            self.fail("only 2-D matrix products are supported")
        w = b_int.const if transposed else np.transpose(b_int.const)
        m, k = w.shape
        w_name = self.emit_int_const(w, b_quant.bits)
        a_name = a_int.name or self.emit_int_const(a_int.const, a_quant.bits)
        out_shape = (a_int.shape[0], m)
        attrs_text = self._mac_attrs(a_quant, b_quant, "input A", "input B")
        attr_text = f" {{{', '.join(attrs_text)}}}" if attrs_text else ""
        acc = self.fn.op(
            f"pike.fully_connected {a_name}, {w_name}{attr_text} : "
            f"({emit.tensor_type(a_int.shape, f'i{a_quant.bits}')}, "
            f"{emit.tensor_type(w.shape, f'i{b_quant.bits}')}) -> "
            f"{emit.tensor_type(out_shape, 'i32')}", loc)
        b_scales = b_quant.scales
        if b_scales.size > 1 and b_quant.axis != (0 if transposed else 1):
            self.fail("per-channel B scales must be along the output dimension")
        scales = a_quant.scales[0] * (np.full(m, b_scales[0]) if b_scales.size == 1 else b_scales)
        return acc, out_shape, scales

    def op_Gemm(self, node, attrs):
        if attrs.get("alpha", 1.0) != 1.0 or attrs.get("beta", 1.0) != 1.0 or attrs.get("transA", 0):
            self.fail("alpha, beta and transA other than 1, 1, 0 are not supported")
        b_int, b_quant = self._weights_quantized(self.get(node.input[1]), "input B")
        transposed = bool(attrs.get("transB", 0))
        if not transposed and b_quant.axis is not None:
            b_quant.axis = 1
        bias = None
        if len(node.input) > 2 and node.input[2]:
            bias = np.asarray(self.const(node.input[2]), dtype=np.float64).reshape(-1)
        acc, shape, scales = self._matmul(self.get(node.input[0]), b_int, b_quant, transposed,
                                          bias, self.loc())
        if bias is not None and bias.size == 1:
            bias = np.full(shape[1], bias[0])
        y = self._scale(acc, shape, scales, bias, self.loc() + "/scale")
        return Value(shape, "f32", name=y)

    def op_MatMul(self, node, attrs):
        b_int, b_quant = self._weights_quantized(self.get(node.input[1]), "input B")
        acc, shape, scales = self._matmul(self.get(node.input[0]), b_int, b_quant, False, None,
                                          self.loc())
        y = self._scale(acc, shape, scales, None, self.loc() + "/scale")
        return Value(shape, "f32", name=y)

    # -- QOperator ------------------------------------------------------------

    def _qoperator_quant(self, scale_name, zp_name, int_value, axis_for_channels=None):
        zp = self.const(zp_name) if zp_name else None
        dtype = zp.dtype if zp is not None else np.uint8
        scale = self.const(scale_name)
        axis = axis_for_channels if np.asarray(scale).size > 1 else 1
        return self.quantizer(scale, zp, dtype, axis if axis is not None else 1,
                              len(int_value.shape), False)

    def _int_input(self, name):
        value = self.get(name)
        if not value.element.startswith("i"):
            self.fail(f"input '{name}' must be an integer tensor")
        return value

    def op_QLinearConv(self, node, attrs):
        x = self._int_input(node.input[0])
        x_quant = self._qoperator_quant(node.input[1], node.input[2], x)
        w = self._int_input(node.input[3])
        w_quant = self._qoperator_quant(node.input[4], node.input[5], w, 0)
        y_quant = self._qoperator_quant(node.input[6], node.input[7], x)
        acc, shape = self._conv(x, x_quant, w, w_quant, attrs, self.loc())
        scales = x_quant.scales[0] * self._weight_scales(w_quant, shape[3])
        bias = None
        if len(node.input) > 8 and node.input[8]:
            bias = np.asarray(self.const(node.input[8]), dtype=np.float64).reshape(-1) * scales
        y = self._scale(acc, shape, scales, bias, self.loc() + "/scale")
        return self._quantize(Value(shape, "f32", name=y, nhwc=True), y_quant)

    def op_QLinearMatMul(self, node, attrs):
        a = self._int_input(node.input[0])
        a_quant = self._qoperator_quant(node.input[1], node.input[2], a)
        b = self._int_input(node.input[3])
        b_quant = self._qoperator_quant(node.input[4], node.input[5], b, 1)
        y_quant = self._qoperator_quant(node.input[6], node.input[7], a)
        a_deq = Value(a.shape, "f32", int_source=a, quant=a_quant)
        acc, shape, scales = self._matmul(a_deq, b, b_quant, False, None, self.loc())
        y = self._scale(acc, shape, scales, None, self.loc() + "/scale")
        return self._quantize(Value(shape, "f32", name=y), y_quant)

    def op_ConvInteger(self, node, attrs):
        x = self._int_input(node.input[0])
        w = self._int_input(node.input[1])
        one = np.ones(1, dtype=np.float32)
        x_zp = self.const(node.input[2]) if len(node.input) > 2 and node.input[2] else None
        w_zp = self.const(node.input[3]) if len(node.input) > 3 and node.input[3] else None
        x_quant = self.quantizer(one, x_zp, x_zp.dtype if x_zp is not None else np.uint8, 1, 4, False)
        w_dtype = w_zp.dtype if w_zp is not None else np.uint8
        if w.const is not None and w_zp is None:
            w_dtype = np.int8 if w.const.min() < 0 else np.uint8
        w_quant = self.quantizer(one, w_zp, w_dtype, 1, 4, False)
        acc, shape = self._conv(x, x_quant, w, w_quant, attrs, self.loc())
        return Value(shape, "i32", name=acc, nhwc=True)

    def op_MatMulInteger(self, node, attrs):
        a = self._int_input(node.input[0])
        b = self._int_input(node.input[1])
        one = np.ones(1, dtype=np.float32)
        a_zp = self.const(node.input[2]) if len(node.input) > 2 and node.input[2] else None
        b_zp = self.const(node.input[3]) if len(node.input) > 3 and node.input[3] else None
        a_quant = self.quantizer(one, a_zp, a_zp.dtype if a_zp is not None else np.uint8, 1, 2, False)
        b_quant = self.quantizer(one, b_zp, b_zp.dtype if b_zp is not None else np.uint8, 1, 2, False)
        a_deq = Value(a.shape, "f32", int_source=a, quant=a_quant)
        acc, shape, _ = self._matmul(a_deq, b, b_quant, False, None, self.loc())
        return Value(shape, "i32", name=acc)

    # -- real elementwise ----------------------------------------------------

    def op_BatchNormalization(self, node, attrs):
        if len(node.output) > 1 and any(node.output[1:]):
            self.fail("training-mode outputs are not supported")
        x = self.get(node.input[0])
        src = self.real(x)
        params = [self.const(n).astype(np.float32) for n in node.input[1:5]]
        vec = emit.tensor_type(params[0].shape, "f32")
        names = [self.fn.constant(emit.dense_f32(p), vec) for p in params]
        eps = float(attrs.get("epsilon", 1e-5))
        y = self.fn.op(f"pike.batch_norm {src}, {', '.join(names)} {{epsilon = {emit.real(eps)} : f64}} : "
                       f"({x.type.replace(x.element, 'f32')}, {vec}, {vec}, {vec}, {vec}) -> "
                       f"{emit.tensor_type(x.shape, 'f32')}", self.loc())
        return Value(x.shape, "f32", name=y, nhwc=x.nhwc)

    def _clamp(self, x, lo, hi):
        src = self.real(x)
        t = emit.tensor_type(x.shape, "f32")
        lo_text, hi_text = emit.real(lo), emit.real(hi)
        y = self.fn.op(f"pike.clamp {src} {{min = {lo_text} : f64, max = {hi_text} : f64}} : {t}",
                       self.loc())
        return Value(x.shape, "f32", name=y, nhwc=x.nhwc)

    def op_Relu(self, node, attrs):
        return self._clamp(self.get(node.input[0]), 0.0, math.inf)

    def op_Clip(self, node, attrs):
        x = self.get(node.input[0])
        lo, hi = attrs.get("min", -math.inf), attrs.get("max", math.inf)
        if len(node.input) > 1 and node.input[1]:
            lo = self.const(node.input[1]).item()
        if len(node.input) > 2 and node.input[2]:
            hi = self.const(node.input[2]).item()
        if x.element.startswith("i") and x.materialize is None:
            return self._clamp_int(x, node.input[0], lo, hi)
        return self._clamp(x, lo, hi)

    def _clamp_int(self, x, name, lo, hi):
        """Clip of a plain integer tensor (no quantizer): its own range."""
        graph_input = next((i for i in self.graph.input if i.name == name), None)
        elem = graph_input.type.tensor_type.elem_type if graph_input is not None else None
        is_unsigned = elem is not None and _ONNX_ELEMENT.get(elem, (None, "s"))[1] == "u"
        bits = int(x.element[1:])
        type_lo = 0 if is_unsigned else -(1 << (bits - 1))
        type_hi = (1 << bits) - 1 if is_unsigned else (1 << (bits - 1)) - 1
        lo = type_lo if lo == -math.inf else max(int(lo), type_lo)
        hi = type_hi if hi == math.inf else min(int(hi), type_hi)
        flag = ", input_unsigned" if is_unsigned else ""
        src = x.name or self.emit_int_const(x.const, bits)
        y = self.fn.op(f"pike.clamp {src} {{min = {lo} : i64, max = {hi} : i64{flag}}} : {x.type}",
                       self.loc())
        return Value(x.shape, x.element, name=y, nhwc=x.nhwc)

    def op_Add(self, node, attrs):
        a, b = self.get(node.input[0]), self.get(node.input[1])
        if a.shape != b.shape:
            self.fail(f"broadcasting {a.shape} with {b.shape} is not supported")
        if a.nhwc != b.nhwc:
            self.fail("operands have different layouts")
        t = emit.tensor_type(a.shape, "f32")
        y = self.fn.op(f"pike.add {self.real(a)}, {self.real(b)} : ({t}, {t}) -> {t}", self.loc())
        return Value(a.shape, "f32", name=y, nhwc=a.nhwc)

    def _pool(self, op, x, kernel, strides, padding):
        if len(x.shape) != 4:
            self.fail("pooling needs a 4-D input")
        n, h, w, c = x.shape
        oh = (h + padding[0] + padding[1] - kernel[0]) // strides[0] + 1
        ow = (w + padding[2] + padding[3] - kernel[1]) // strides[1] + 1
        out_shape = (n, oh, ow, c)
        text = [f"kernel = array<i64: {kernel[0]}, {kernel[1]}>",
                f"strides = array<i64: {strides[0]}, {strides[1]}>"]
        if any(padding):
            text.append(f"padding = array<i64: {', '.join(map(str, padding))}>")
        y = self.fn.op(f"pike.{op} {self.real(x)} {{{', '.join(text)}}} : "
                       f"{emit.tensor_type(x.shape, 'f32')} -> {emit.tensor_type(out_shape, 'f32')}",
                       self.loc())
        return Value(out_shape, "f32", name=y, nhwc=True)

    def op_GlobalAveragePool(self, node, attrs):
        x = self.get(node.input[0])
        return self._pool("avg_pool2d", x, (x.shape[1], x.shape[2]), (1, 1), [0, 0, 0, 0])

    def _pool_attrs(self, attrs, what):
        if attrs.get("ceil_mode", 0):
            self.fail("ceil_mode = 1 is not supported")
        if attrs.get("dilations", [1, 1]) != [1, 1] and list(attrs.get("dilations", [1, 1])) != [1, 1]:
            self.fail("dilated pooling is not supported")
        kernel = list(attrs["kernel_shape"])
        strides = list(attrs.get("strides", [1, 1]))
        pads = list(attrs.get("pads", [0, 0, 0, 0]))
        auto_pad = attrs.get("auto_pad", b"NOTSET")
        auto_pad = auto_pad.decode() if isinstance(auto_pad, bytes) else auto_pad
        if auto_pad not in ("NOTSET", "VALID"):
            self.fail(f"auto_pad '{auto_pad}' is not supported for {what}")
        return kernel, strides, [pads[0], pads[2], pads[1], pads[3]]

    def op_AveragePool(self, node, attrs):
        kernel, strides, padding = self._pool_attrs(attrs, "AveragePool")
        if any(padding):
            self.fail("padded average pooling is not supported (Pike's average has no padding)")
        return self._pool("avg_pool2d", self.get(node.input[0]), kernel, strides, padding)

    def op_MaxPool(self, node, attrs):
        if len(node.output) > 1 and node.output[1]:
            self.fail("the Indices output is not supported")
        kernel, strides, padding = self._pool_attrs(attrs, "MaxPool")
        return self._pool("max_pool2d", self.get(node.input[0]), kernel, strides, padding)

    # -- shapes --------------------------------------------------------------

    def _flatten(self, x):
        """[N, C, H, W] (NHWC inside) or [N, ...] to [N, rest], in ONNX order."""
        if x.int_source is not None and x.quant is not None and x.quant.per_tensor:
            # Flatten the integers, so a following Gemm still sees them.
            ints = self._flatten(x.int_source)
            return self._dequantized(ints, x.quant, self.loc() + "/dequantize")
        element = "f32" if x.materialize is not None else x.element
        name = self.real(x) if element.startswith("f") else x.name
        if name is None:
            self.fail("cannot flatten a constant")
        shape = x.shape
        if x.nhwc and (shape[1] != 1 or shape[2] != 1):
            name = self._transpose(name, shape, element, (0, 3, 1, 2), self.loc() + "/nchw")
            shape = (shape[0], shape[3], shape[1], shape[2])
        groups = "[[0], [" + ", ".join(str(i) for i in range(1, len(shape))) + "]]"
        out_shape = (shape[0], int(np.prod(shape[1:])))
        y = self.fn.op(f"tensor.collapse_shape {name} {groups} : {emit.tensor_type(shape, element)} "
                       f"into {emit.tensor_type(out_shape, element)}", self.loc())
        return Value(out_shape, element, name=y)

    def op_Flatten(self, node, attrs):
        if attrs.get("axis", 1) != 1:
            self.fail("only axis = 1 is supported")
        return self._flatten(self.get(node.input[0]))

    def op_Reshape(self, node, attrs):
        x = self.get(node.input[0])
        target = [int(d) for d in self.const(node.input[1])]
        n, rest = x.shape[0], int(np.prod(x.shape[1:]))
        if target in ([n, -1], [n, rest], [-1, rest], [0, -1], [0, rest]):
            return self._flatten(x)
        self.fail(f"only a reshape to [N, -1] (a flatten) is supported, got {target}")

    def op_Cast(self, node, attrs):
        from onnx import helper
        x = self.get(node.input[0])
        if x.const is None:
            self.fail("Cast is supported on constants only")
        dtype = helper.tensor_dtype_to_np_dtype(attrs["to"]) if hasattr(helper, "tensor_dtype_to_np_dtype") \
            else __import__("onnx").mapping.TENSOR_TYPE_TO_NP_TYPE[attrs["to"]]
        array = x.const.astype(dtype)
        return Value(tuple(array.shape), self._element_of(array.dtype, node.output[0]), const=array)

    def op_Identity(self, node, attrs):
        return self.get(node.input[0])

    def op_Constant(self, node, attrs):
        from onnx import numpy_helper
        if "value" not in attrs:
            self.fail("only the 'value' form of Constant is supported")
        array = numpy_helper.to_array(attrs["value"])
        return Value(tuple(array.shape), self._element_of(array.dtype, node.output[0]), const=array)


def import_model(model, file_name="model.mlir", batch=None):
    """pike IR text for an onnx.ModelProto; `batch` fixes a symbolic batch
    dimension of the graph inputs."""
    if not model.HasField("graph"):
        raise OnnxImportError("model: no graph (an empty file or not an ONNX model)")
    if not model.graph.output:
        raise OnnxImportError("model: the graph has no outputs, so there is nothing to compute")
    importer = None
    try:
        importer = Importer(model, file_name, batch)
        return importer.run()
    except OnnxImportError:
        raise
    except (IndexError, KeyError, AttributeError, TypeError, ValueError, RuntimeError) as err:
        # A model the checks above did not foresee: still one line naming the
        # node, never a traceback.
        node = importer.node if importer is not None else None
        where = (f"node '{node.name or (node.output[0] if node.output else '?')}' ({node.op_type})"
                 if node is not None else "model")
        cause = str(err).splitlines()[0] if str(err) else "no detail"
        raise OnnxImportError(f"{where}: malformed or unsupported here "
                              f"({type(err).__name__}: {cause})") from None


def import_file(path, file_name="model.mlir", batch=None):
    import onnx
    try:
        model = onnx.load(path)
    except Exception as err:  # onnx raises several types for a bad file
        raise OnnxImportError(f"cannot read '{path}' as an ONNX model: {err}") from None
    return import_model(model, file_name, batch)
