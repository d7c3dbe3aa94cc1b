"""cpu_kernel_cases.py TARGET [THREADS] [--compile-only] [--sample=N,K]: runs a set of
MAC layers (dense, strided, dilated, padded, grouped, depthwise, fully
connected; odd channel counts, signed and unsigned inputs with zero points,
unsigned weights with a zero point, narrow accumulators, fused and unfused
epilogues) and boundary quantizers
(per tensor and per channel, sizes below, at and past a vector, NaN,
infinities and exact ties in the input; NCHW images quantized to NHWC) through pike-run with
--target=TARGET (--threads=THREADS, default 1; every buffer ending at an
inaccessible page, --guard-buffers) and checks each output bit for bit against the NumPy
reference (`python -m pike reference`). It also checks that every op was
turned into a kernel (no pike MAC op or quantizer left after
convert-pike-to-cpu-kernels) and that a fused epilogue was absorbed. Prints
one line per case. --compile-only lowers each case through pike-cpu-pipeline
and runs nothing: the sanitizer build's run of another architecture's target,
whose cross build and qemu run are the same uninstrumented work as the normal
build's. --sample=N,K takes only the cases whose index is K modulo N: the
sanitizer build's bounded run, whose host code the full run shares."""

import os
import re
import subprocess
import sys
import tempfile

import numpy as np

COMPILE_ONLY = "--compile-only" in sys.argv
SAMPLE = next((a.split("=", 1)[1] for a in sys.argv[1:] if a.startswith("--sample=")), "1,0")
arguments = [a for a in sys.argv[1:] if a != "--compile-only" and not a.startswith("--sample=")]
TARGET = arguments[0]
THREADS = arguments[1] if len(arguments) > 1 else "1"
rng = np.random.default_rng(7)


def hex_dense(array, dtype=np.int8):
    return '"0x' + array.astype(dtype).tobytes().hex().upper() + '"'


def tensor(shape, element):
    return "tensor<" + "x".join(map(str, shape)) + f"x{element}>"


def quant_norm(acc_t, out_t, filters, unsigned=True, extra="", source="%acc"):
    multipliers = ", ".join(str(int(m)) for m in rng.integers(1 << 29, 1 << 31, filters))
    bias = ", ".join(str(int(b)) for b in rng.integers(-(1 << 38), 1 << 38, filters))
    flags = ", output_unsigned" if unsigned else ""
    return (f"pike.quant_norm {source} {{multiplier = #pike.fixed_point<bits = 32, multipliers = "
            f"[{multipliers}], shifts = [38]>, bias = array<i64: {bias}>{flags}{extra}}} "
            f": {acc_t} -> {out_t}")


def requantize(acc_t, out_t, filters, shift=40):
    multipliers = ", ".join(str(int(m)) for m in rng.integers(1 << 29, 1 << 31, filters))
    return (f"pike.requantize %acc {{multiplier = #pike.fixed_point<bits = 32, multipliers = "
            f"[{multipliers}], shifts = [{shift}]>, input_zp = 3 : i64, output_zp = -7 : i64, "
            f"min = -100 : i64, max = 90 : i64}} : {acc_t} -> {out_t}")


def conv_case(name, n, hw, c, f, k, stride, pad, dilation=1, groups=1, signed=False, zp=0,
              weight_zp=None, bias=True, epilogue="quant_norm", acc="i32", out="i8",
              w_max=127):
    hw_in = hw if isinstance(hw, tuple) else (hw, hw)
    wc = c // groups
    w_shape = (f, k, k, wc)
    if weight_zp is None:
        w = rng.integers(-w_max, w_max + 1, w_shape)
        w_attr, w_flag = hex_dense(w), ""
    else:
        w = rng.integers(weight_zp - 128, weight_zp + 128, w_shape).clip(0, 255)
        w_attr, w_flag = hex_dense(w, np.uint8), f", weight_unsigned, weight_zp = {weight_zp} : i64"
    span = dilation * (k - 1) + 1
    oh = (hw_in[0] + pad[0] + pad[1] - span) // stride + 1
    ow = (hw_in[1] + pad[2] + pad[3] - span) // stride + 1
    in_t, w_t = tensor((n, *hw_in, c), "i8"), tensor(w_shape, "i8")
    acc_t = tensor((n, oh, ow, f), acc)
    attrs = (f"strides = array<i64: {stride}, {stride}>, padding = array<i64: "
             f"{', '.join(map(str, pad))}>, dilations = array<i64: {dilation}, {dilation}>, "
             f"groups = {groups} : i64, input_zp = {zp} : i64{w_flag}"
             + ("" if signed else ", input_unsigned"))
    lines = [f"  %w = arith.constant dense<{w_attr}> : {w_t}"]
    operands, types = "%x, %w", f"{in_t}, {w_t}"
    if bias:
        b = rng.integers(-5000, 5000, f)
        lines.append(f"  %b = arith.constant dense<[{', '.join(map(str, b))}]> : {tensor((f,), acc)}")
        operands, types = operands + ", %b", types + f", {tensor((f,), acc)}"
    lines.append(f"  %acc = pike.conv2d {operands} {{{attrs}}} : ({types}) -> {acc_t}")
    return finish(name, lines, in_t, (n, *hw_in, c), acc_t, (n, oh, ow, f), f, epilogue, out)


def fc_case(name, m, k, f, epilogue="requantize", signed=True, zp=-4, w_max=127):
    in_t, w_t, acc_t = tensor((m, k), "i8"), tensor((f, k), "i8"), tensor((m, f), "i32")
    w = rng.integers(-w_max - (w_max < 127), w_max + 1, (f, k))
    flags = f"input_zp = {zp} : i64" + ("" if signed else ", input_unsigned")
    lines = [f"  %w = arith.constant dense<{hex_dense(w)}> : {w_t}",
             f"  %acc = pike.fully_connected %x, %w {{{flags}}} : ({in_t}, {w_t}) -> {acc_t}"]
    return finish(name, lines, in_t, (m, k), acc_t, (m, f), f, epilogue, "i8")


def finish(name, lines, in_t, in_shape, acc_t, out_shape, filters, epilogue, out):
    if epilogue == "none":
        result_t, result = acc_t, "%acc"
    else:
        result_t = tensor(out_shape, out)
        op = (quant_norm(acc_t, result_t, filters, extra=", min = 2 : i64, max = 240 : i64")
              if epilogue == "quant_norm" and out == "i8" else
              quant_norm(acc_t, result_t, filters, unsigned=False) if epilogue == "quant_norm"
              else requantize(acc_t, result_t, filters,
                              shift=12 if epilogue == "requantize-wide" else 40))
        lines.append(f"  %y = {op}")
        result = "%y"
    returns, types = result, result_t
    if epilogue == "shared":  # a second user keeps the accumulator
        returns, types = f"{result}, %acc", f"{result_t}, {acc_t}"
    text = (f"func.func @main(%x: {in_t}) -> ({types}) {{\n" + "\n".join(lines)
            + f"\n  return {returns} : {types}\n}}\n")
    return name, text, in_shape, epilogue in ("quant_norm", "requantize", "requantize-wide")


def binary_case(name, n, hw, c, f, k=1, stride=1, dilation=1, fc=False, epilogue="quant_norm",
                pad=(0, 0, 0, 0)):
    """A BipolarQuant activation (the sign of a real input as +-1, imported
    as a floor to one bit and a requantize to 2 bits) against +-1 weights:
    the XOR-popcount kernel."""
    shape = (n, c) if fc else (n, hw, hw, c)
    in_t, bit_t, sign_t = tensor(shape, "f32"), tensor(shape, "i1"), tensor(shape, "i2")
    w_shape = (f, c) if fc else (f, k, k, c)
    w_t = tensor(w_shape, "i2")
    if fc:
        acc_shape = (n, f)
        mac = (f"pike.fully_connected %s, %w : ({sign_t}, {w_t}) -> {tensor(acc_shape, 'i32')}")
    else:
        oh = (hw + pad[0] + pad[1] - dilation * (k - 1) - 1) // stride + 1
        ow = (hw + pad[2] + pad[3] - dilation * (k - 1) - 1) // stride + 1
        acc_shape = (n, oh, ow, f)
        b = rng.integers(-500, 500, f)
        mac = (f"pike.conv2d %s, %w, %b {{strides = array<i64: {stride}, {stride}>, padding = "
               f"array<i64: {', '.join(map(str, pad))}>, dilations = "
               f"array<i64: {dilation}, {dilation}>}} : ({sign_t}, {w_t}, {tensor((f,), 'i32')}) "
               f"-> {tensor(acc_shape, 'i32')}")
    acc_t = tensor(acc_shape, "i32")
    lines = [f"  %bit = pike.quantize %x {{quantizer = #pike.quantizer<s1, scales = [0.5]>, "
             f"rounding = #pike<quantize_rounding floor>}} : {in_t} -> {bit_t}",
             f"  %s = pike.requantize %bit {{multiplier = #pike.fixed_point<bits = 32, multipliers "
             f"= [1073741824], shifts = [29]>, output_zp = 1 : i64}} : {bit_t} -> {sign_t}",
             f"  %w = arith.constant dense<{hex_dense(rng.choice([-1, 1], w_shape))}> : {w_t}"]
    if not fc:
        lines.append(f"  %b = arith.constant dense<[{', '.join(map(str, b))}]> : "
                     f"{tensor((f,), 'i32')}")
    lines.append(f"  %acc = {mac}")
    out_t, result = acc_t, "%acc"
    if epilogue != "none":
        # Scales of 1/8 to 1/2: the accumulators (within +-K) reach many outputs.
        m = ", ".join(str(int(v)) for v in rng.integers(1 << 29, 1 << 31, f))
        fp = f"#pike.fixed_point<bits = 32, multipliers = [{m}], shifts = [32]>"
        out_t, result = tensor(acc_shape, "i8"), "%y"
        attrs = (f"multiplier = {fp}, bias = array<i64: "
                 f"{', '.join(str(int(v)) for v in rng.integers(-1 << 33, 1 << 33, f))}>"
                 if epilogue == "quant_norm" else
                 f"multiplier = {fp}, input_zp = 3 : i64, output_zp = -7 : i64")
        lines.append(f"  %y = pike.{epilogue} %acc {{{attrs}}} : {acc_t} -> {out_t}")
    text = (f"func.func @main(%x: {in_t}) -> {out_t} {{\n" + "\n".join(lines)
            + f"\n  return {result} : {out_t}\n}}\n")
    return name, text, shape, "binary", True


def binary_threshold_case(name):
    """The +-1 input two requantizes away from u8 bytes (the sign of x - 100
    as one bit, then 2 bit + 1: x < 100 reads as -1): the binary kernel
    compares the bytes with their threshold, unsigned."""
    m = "#pike.fixed_point<bits = 32, multipliers = [1073741824], shifts = [30]>"
    w = hex_dense(rng.choice([-1, 1], (24, 2, 2, 33)))
    text = f"""func.func @main(%x: tensor<1x7x7x33xi8>) -> tensor<1x6x6x24xi32> {{
  %bit = pike.requantize %x {{multiplier = {m}, input_zp = 100 : i64, input_unsigned}} : tensor<1x7x7x33xi8> -> tensor<1x7x7x33xi1>
  %s = pike.requantize %bit {{multiplier = #pike.fixed_point<bits = 32, multipliers = [1073741824], shifts = [29]>, output_zp = 1 : i64}} : tensor<1x7x7x33xi1> -> tensor<1x7x7x33xi2>
  %w = arith.constant dense<{w}> : tensor<24x2x2x33xi2>
  %acc = pike.conv2d %s, %w {{strides = array<i64: 1, 1>, padding = array<i64: 0, 0, 0, 0>}} : (tensor<1x7x7x33xi2>, tensor<24x2x2x33xi2>) -> tensor<1x6x6x24xi32>
  return %acc : tensor<1x6x6x24xi32>
}}
"""
    return name, text, (1, 7, 7, 33), "binary"


def binary_through_case(name):
    """The +-1 input from s8 bytes (the sign of x + 20, then +-1), moved by
    an NCHW flatten (a transpose and a reshape) into a fully-connected
    layer; the +-1 tensor is also returned, so its requantizes stay."""
    m = "#pike.fixed_point<bits = 32, multipliers = [1073741824], shifts = [30]>"
    w = hex_dense(rng.choice([-1, 1], (24, 144)))
    text = f"""func.func @main(%x: tensor<2x3x3x16xi8>) -> (tensor<2x24xi32>, tensor<2x3x3x16xi2>) {{
  %bit = pike.requantize %x {{multiplier = {m}, input_zp = -20 : i64}} : tensor<2x3x3x16xi8> -> tensor<2x3x3x16xi1>
  %s = pike.requantize %bit {{multiplier = #pike.fixed_point<bits = 32, multipliers = [1073741824], shifts = [29]>, output_zp = 1 : i64}} : tensor<2x3x3x16xi1> -> tensor<2x3x3x16xi2>
  %e = tensor.empty() : tensor<2x16x3x3xi2>
  %t = linalg.transpose ins(%s : tensor<2x3x3x16xi2>) outs(%e : tensor<2x16x3x3xi2>) permutation = [0, 3, 1, 2]
  %flat = tensor.collapse_shape %t [[0], [1, 2, 3]] : tensor<2x16x3x3xi2> into tensor<2x144xi2>
  %w = arith.constant dense<{w}> : tensor<24x144xi2>
  %acc = pike.fully_connected %flat, %w : (tensor<2x144xi2>, tensor<24x144xi2>) -> tensor<2x24xi32>
  return %acc, %s : tensor<2x24xi32>, tensor<2x3x3x16xi2>
}}
"""
    return name, text, (2, 3, 3, 16), "binary-shared"


def residual_case(name, c, hw, depthwise, output_lhs, signed_out, rounding):
    """conv (3x3, or depthwise) -> requantization -> pike.add with the
    input: the add fused into the kernel's epilogue (a residual block)."""
    groups = c if depthwise else 1
    w_shape = (c, 3, 3, c // groups)
    in_t, acc_t = tensor((1, hw, hw, c), "i8"), tensor((1, hw, hw, c), "i32")
    mid_t, w_t = tensor((1, hw, hw, c), "i8"), tensor(w_shape, "i8")
    out_flag = "" if signed_out else ", output_unsigned"
    scale = ", ".join(str(int(m)) for m in rng.integers(1 << 29, 1 << 31, 2))
    m1, m2 = scale.split(", ")
    mid, skip = ("%y", "%x") if output_lhs else ("%x", "%y")
    mid_zp, skip_zp = (7, 130) if output_lhs else (130, 7)
    text = f"""func.func @main(%x: {in_t}) -> {mid_t} {{
  %w = arith.constant dense<{hex_dense(rng.integers(-127, 128, w_shape))}> : {w_t}
  %acc = pike.conv2d %x, %w {{strides = array<i64: 1, 1>, padding = array<i64: 1, 1, 1, 1>, groups = {groups} : i64, input_unsigned, input_zp = 130 : i64}} : ({in_t}, {w_t}) -> {acc_t}
  %y = {quant_norm(acc_t, mid_t, c, extra=", output_zp = 7 : i64")}
  %s = pike.add {mid}, {skip} {{lhs_scale = #pike.fixed_point<bits = 32, multipliers = [{m1}], shifts = [31], rounding = {rounding}>, rhs_scale = #pike.fixed_point<bits = 32, multipliers = [{m2}], shifts = [31], rounding = {rounding}>, lhs_unsigned, rhs_unsigned, lhs_zp = {mid_zp} : i64, rhs_zp = {skip_zp} : i64, output_zp = {-3 if signed_out else 5} : i64{out_flag}}} : ({mid_t}, {in_t}) -> {mid_t}
  return %s : {mid_t}
}}
"""
    return name, text, (1, hw, hw, c), "residual"


def separable_case(name, n, hw, c, f, stride, pad, signed_mid=False, residual=False,
                   shared=False, mid_bits=8, read_unsigned=None, pointwise_max=127):
    """A depthwise 3x3 layer, its QuantNorm, a pointwise layer reading it and
    its QuantNorm (and a residual add of the block's input, or the
    depthwise result also returned): one separable kernel where the
    pointwise kernel can read the depthwise rows as they are."""
    oh = (hw + pad[0] + pad[1] - 3) // stride + 1
    ow = (hw + pad[2] + pad[3] - 3) // stride + 1
    in_t, wd_t = tensor((n, hw, hw, c), "i8"), tensor((c, 3, 3, 1), "i8")
    acc1_t, mid_t = tensor((n, oh, ow, c), "i32"), tensor((n, oh, ow, c), f"i{mid_bits}")
    wp_t, acc2_t = tensor((f, 1, 1, c), "i8"), tensor((n, oh, ow, f), "i32")
    out_t = tensor((n, oh, ow, f), "i8")
    read_unsigned = not signed_mid if read_unsigned is None else read_unsigned
    mid_flag = "input_unsigned, " if read_unsigned else ""
    wd = rng.integers(-127, 128, (c, 3, 3, 1))
    wp = rng.integers(-pointwise_max, pointwise_max + 1, (f, 1, 1, c))
    lines = [
        f"  %wd = arith.constant dense<{hex_dense(wd)}> : {wd_t}",
        f"  %wp = arith.constant dense<{hex_dense(wp)}> : {wp_t}",
        f"  %acc = pike.conv2d %x, %wd {{strides = array<i64: {stride}, {stride}>, padding = "
        f"array<i64: {', '.join(map(str, pad))}>, groups = {c} : i64, input_unsigned, "
        f"input_zp = 130 : i64}} : ({in_t}, {wd_t}) -> {acc1_t}",
        "  %m = " + quant_norm(acc1_t, mid_t, c, unsigned=not signed_mid,
                               extra=", output_zp = 7 : i64"),
        f"  %acc2 = pike.conv2d %m, %wp {{strides = array<i64: 1, 1>, padding = array<i64: 0, 0, "
        f"0, 0>, {mid_flag}input_zp = 7 : i64}} : ({mid_t}, {wp_t}) -> {acc2_t}",
        "  %y = " + quant_norm(acc2_t, out_t, f, extra=", output_zp = 3 : i64", source="%acc2"),
    ]
    result, types = "%y", out_t
    if residual:
        # The skip is not the block's input: the kernel's two byte arguments
        # must not be interchangeable.
        lines.append(f"  %k = pike.requantize %x {{multiplier = #pike.fixed_point<bits = 32, "
                     f"multipliers = [1518500250], shifts = [31]>, input_zp = 130 : i64, "
                     f"output_zp = 9 : i64, input_unsigned, output_unsigned}} : {in_t} -> {in_t}")
        m1, m2 = (str(int(m)) for m in rng.integers(1 << 29, 1 << 31, 2))
        lines.append(
            f"  %s = pike.add %y, %k {{lhs_scale = #pike.fixed_point<bits = 32, multipliers = "
            f"[{m1}], shifts = [31]>, rhs_scale = #pike.fixed_point<bits = 32, multipliers = "
            f"[{m2}], shifts = [31]>, lhs_unsigned, rhs_unsigned, lhs_zp = 3 : i64, rhs_zp = 9 "
            f": i64, output_zp = 5 : i64, output_unsigned}} : ({out_t}, {in_t}) -> {out_t}")
        result = "%s"
    if shared:
        result, types = f"{result}, %m", f"{out_t}, {mid_t}"
    text = (f"func.func @main(%x: {in_t}) -> ({types}) {{\n" + "\n".join(lines)
            + f"\n  return {result} : {types}\n}}\n")
    return name, text, (n, hw, hw, c), "separable"


def tie_case(name, rounding, residual=False, add_rounding=None):
    """Multipliers of 1 to 7 and shifts of 2 to 6 make exact ties common, so
    each rounding of the epilogue (float64 lanes where exact, i64 otherwise)
    must break them as round_shift does; with `residual`, the fused add's
    own rounding too."""
    c = 32
    in_t, acc_t = tensor((1, 5, 5, c), "i8"), tensor((1, 5, 5, c), "i32")
    w_t = tensor((c, 1, 1, c), "i8")
    out_t = tensor((1, 5, 5, c), "i8" if residual else "i16")

    def ints(lo, hi):
        return ", ".join(str(int(v)) for v in rng.integers(lo, hi, c))
    fixed = (f"multipliers = [1], shifts = [6]" if residual else
             f"multipliers = [{ints(1, 8)}], shifts = [{ints(2, 5)}]")
    extra = ", output_unsigned, output_zp = 100 : i64" if residual else ""
    lines = [f"  %w = arith.constant dense<{hex_dense(rng.integers(-1, 2, (c, 1, 1, c)))}> : {w_t}",
             f"  %acc = pike.conv2d %x, %w {{strides = array<i64: 1, 1>, padding = array<i64: 0, 0, "
             f"0, 0>, input_unsigned}} : ({in_t}, {w_t}) -> {acc_t}",
             f"  %y = pike.quant_norm %acc {{multiplier = #pike.fixed_point<bits = "
             f"{25 if rounding == 'float32' else 32}, {fixed}, "
             f"rounding = {rounding}>, bias = array<i64: {ints(-300, 300)}>{extra}}} "
             f": {acc_t} -> {out_t}"]
    result = "%y"
    if residual:
        scale = f"shifts = [2], rounding = {add_rounding or rounding}>"
        lines.append(f"  %s = pike.add %y, %x {{lhs_scale = #pike.fixed_point<bits = 32, "
                     f"multipliers = [3], {scale}, rhs_scale = #pike.fixed_point<bits = 32, "
                     f"multipliers = [1], {scale}, lhs_unsigned, rhs_unsigned, lhs_zp = 100 : i64, "
                     f"output_zp = -20 : i64}} : ({out_t}, {in_t}) -> {out_t}")
        result = "%s"
    text = (f"func.func @main(%x: {in_t}) -> {out_t} {{\n" + "\n".join(lines)
            + f"\n  return {result} : {out_t}\n}}\n")
    return name, text, (1, 5, 5, c), "residual" if residual else True


def half_even_case(name, shift, depthwise=False):
    """half_even QuantNorm (float64 lanes) to u8 with a zero point: with a
    shift of 38 every scaled value rounds into i32 and is clamped there;
    with 8 they reach 2^40 and must be clamped as doubles first."""
    c = 72
    in_t, acc_t, out_t = (tensor((1, 6, 7, c), "i8"), tensor((1, 6, 7, c), "i32"),
                          tensor((1, 6, 7, c), "i8"))
    w_t = tensor((c, 3, 3, 1) if depthwise else (c, 1, 1, c), "i8")
    w = rng.integers(-127, 128, (c, 3, 3, 1) if depthwise else (c, 1, 1, c))
    multipliers = ", ".join(str(int(m)) for m in rng.integers(1 << 29, 1 << 31, c))
    bias = ", ".join(str(int(b)) for b in rng.integers(-(1 << 36), 1 << 36, c))
    conv = (f"padding = array<i64: 1, 1, 1, 1>, groups = {c} : i64" if depthwise else
            "padding = array<i64: 0, 0, 0, 0>")
    text = f"""func.func @main(%x: {in_t}) -> {out_t} {{
  %w = arith.constant dense<{hex_dense(w)}> : {w_t}
  %acc = pike.conv2d %x, %w {{strides = array<i64: 1, 1>, {conv}, input_unsigned, input_zp = 9 : i64}} : ({in_t}, {w_t}) -> {acc_t}
  %y = pike.quant_norm %acc {{multiplier = #pike.fixed_point<bits = 32, multipliers = [{multipliers}], shifts = [{shift}], rounding = half_even>, bias = array<i64: {bias}>, output_unsigned, output_zp = 7 : i64}} : {acc_t} -> {out_t}
  return %y : {out_t}
}}
"""
    return name, text, (1, 6, 7, c), True


def half_even(case):
    """`case` with every 32-bit fixed-point multiplier rounding half to
    even: its QuantNorms run in float64 lanes where the bounds allow, which
    on `vector` hold the doubles by halves (the kernel's correction offset
    by 2^31), in whichever kernel the case reaches."""
    name, text, *rest = case
    text = re.sub(r"(#pike\.fixed_point<bits = 32, multipliers = \[[^\]]*\], shifts = \[\d+\])>",
                  r"\1, rounding = half_even>", text)
    assert "half_even" in text, name
    return (name, text, *rest)


def wide_bias_case(name):
    """A QuantNorm bias of 2^59 + 1 by a shift of 60: every output lies just
    above a tie (0.5 + (x + 1) 2^-60), a value float64 cannot hold, so the
    epilogue must keep i64 lanes here to round it up."""
    in_t, acc_t, out_t = (tensor((1, 4, 4, 4), "i8"), tensor((1, 4, 4, 16), "i32"),
                          tensor((1, 4, 4, 16), "i16"))
    w = np.zeros((16, 1, 1, 4), dtype=np.int8)
    w[:, 0, 0, 0] = 1
    text = f"""func.func @main(%x: {in_t}) -> {out_t} {{
  %w = arith.constant dense<{hex_dense(w)}> : tensor<16x1x1x4xi8>
  %acc = pike.conv2d %x, %w {{strides = array<i64: 1, 1>, padding = array<i64: 0, 0, 0, 0>, input_unsigned}} : ({in_t}, tensor<16x1x1x4xi8>) -> {acc_t}
  %y = pike.quant_norm %acc {{multiplier = #pike.fixed_point<bits = 32, multipliers = [1], shifts = [60], rounding = half_even>, bias = array<i64: {(1 << 59) + 1}>}} : {acc_t} -> {out_t}
  return %y : {out_t}
}}
"""
    return name, text, (1, 4, 4, 4), True


def float32_case(name):
    """The float32 rounding where x + B passes 2^24 and the result lies in
    [2^21, 2^22), where float32's unit is 1/4: x + B and its product by 3
    are each rounded to 24 bits before the half-even shift, and those
    roundings decide many of the ties."""
    c = 32
    in_t, acc_t = tensor((1, 5, 5, c), "i8"), tensor((1, 5, 5, c), "i32")
    w_t, out_t = tensor((c, 1, 1, c), "i8"), tensor((1, 5, 5, c), "i32")
    bias = ", ".join(str(int(v)) for v in 25165824 + rng.integers(-300, 300, c))
    text = f"""func.func @main(%x: {in_t}) -> {out_t} {{
  %w = arith.constant dense<{hex_dense(rng.integers(-1, 2, (c, 1, 1, c)))}> : {w_t}
  %acc = pike.conv2d %x, %w {{strides = array<i64: 1, 1>, padding = array<i64: 0, 0, 0, 0>, input_unsigned}} : ({in_t}, {w_t}) -> {acc_t}
  %y = pike.quant_norm %acc {{multiplier = #pike.fixed_point<bits = 25, multipliers = [3], shifts = [5], rounding = float32>, bias = array<i64: {bias}>, min = 2000000 : i64, max = 4000000 : i64}} : {acc_t} -> {out_t}
  return %y : {out_t}
}}
"""
    return name, text, (1, 5, 5, c), True


# Cases whose input is one byte everywhere rather than random.
CONSTANT_INPUTS = {}


def pair_bound_case(name, signed=False):
    """u8 input of 255 everywhere (padding too: zero point 255) against
    weights of +8 or -8: on byte pairs (vector) each i16 lane of an 8-step
    block sums to +-32640, the most i16 holds at this bound; one step more
    per block would wrap. `signed`: s8 input of 127 everywhere, which the
    pairs read flipped, as 255."""
    f, c = 16, 40
    w = np.where(np.arange(f)[:, None, None, None] % 2 == 0, 8, -8) * np.ones((f, 3, 3, c), int)
    flags = "input_zp = 127 : i64" if signed else "input_unsigned, input_zp = 255 : i64"
    text = f"""func.func @main(%x: tensor<1x5x5x{c}xi8>) -> tensor<1x5x5x{f}xi32> {{
  %w = arith.constant dense<{hex_dense(w)}> : tensor<{f}x3x3x{c}xi8>
  %acc = pike.conv2d %x, %w {{strides = array<i64: 1, 1>, padding = array<i64: 1, 1, 1, 1>, {flags}}} : (tensor<1x5x5x{c}xi8>, tensor<{f}x3x3x{c}xi8>) -> tensor<1x5x5x{f}xi32>
  return %acc : tensor<1x5x5x{f}xi32>
}}
"""
    CONSTANT_INPUTS[name] = 127 if signed else -1
    return name, text, (1, 5, 5, c), False


def depthwise_pair_bound_case(name, over=0):
    """u8 input of 255 everywhere (padding too) against a depthwise 3x3
    whose byte pairs (kernel rows 0-1, and row 2 alone) sum to +-128 over
    the 3 columns, 255 * 128 = 32640: on byte pairs (vector) the whole row
    of columns is one i16 run at the bound. `over` adds to one weight:
    that run would wrap, so the kernel must take shorter ones."""
    c = 32
    one = np.array([[22 + over, 21, 21], [21, 21, 22], [43, 43, 42]])
    w = np.stack([one if i % 2 == 0 else -one for i in range(c)])[..., None]
    text = f"""func.func @main(%x: tensor<1x7x7x{c}xi8>) -> tensor<1x7x7x{c}xi32> {{
  %w = arith.constant dense<{hex_dense(w)}> : tensor<{c}x3x3x1xi8>
  %acc = pike.conv2d %x, %w {{strides = array<i64: 1, 1>, padding = array<i64: 1, 1, 1, 1>, groups = {c} : i64, input_unsigned, input_zp = 255 : i64}} : (tensor<1x7x7x{c}xi8>, tensor<{c}x3x3x1xi8>) -> tensor<1x7x7x{c}xi32>
  return %acc : tensor<1x7x7x{c}xi32>
}}
"""
    CONSTANT_INPUTS[name] = -1
    return name, text, (1, 7, 7, c), False


def float32_bound_case(name, quant_norm):
    """A scaled value the integer bound would keep inside i32 that float32
    rounding (24-bit sums, the bias added before the multiply) takes past
    it: the kernels must still saturate it."""
    if quant_norm:
        weights, bias, out = "dense<1>", "", "i8"
        epilogue = ("pike.quant_norm %acc {multiplier = #pike.fixed_point<bits = 25, multipliers = "
                    "[16777215], shifts = [24], rounding = float32>, bias = array<i64: "
                    "6442450944>}")
    else:
        weights, out = "dense<0>", "i32"
        bias = ", %b"
        epilogue = ("pike.requantize %acc {multiplier = #pike.fixed_point<bits = 25, multipliers "
                    "= [8388608], shifts = [22], rounding = float32>}")
    bias_def = ("  %b = arith.constant dense<1073741822> : tensor<16xi32>\n" if bias else "")
    bias_type = ", tensor<16xi32>" if bias else ""
    text = f"""func.func @main(%x: tensor<1x4x4x16xi8>) -> tensor<1x4x4x16x{out}> {{
  %w = arith.constant {weights} : tensor<16x1x1x16xi8>
{bias_def}  %acc = pike.conv2d %x, %w{bias} {{strides = array<i64: 1, 1>, padding = array<i64: 0, 0, 0, 0>, input_unsigned}} : (tensor<1x4x4x16xi8>, tensor<16x1x1x16xi8>{bias_type}) -> tensor<1x4x4x16xi32>
  %y = {epilogue} : tensor<1x4x4x16xi32> -> tensor<1x4x4x16x{out}>
  return %y : tensor<1x4x4x16x{out}>
}}
"""
    return name, text, (1, 4, 4, 16), True


def w4a4_case(name):
    """A 4-bit chain: u4 image, 3x3 conv, depthwise with a signed 4-bit
    output read signed by a pointwise conv, a 4-bit result."""
    def w(shape, lo=-8, hi=8):
        return hex_dense(rng.integers(lo, hi, shape))

    def qn(acc, out, c, extra):
        m = ", ".join(str(int(v)) for v in rng.integers(1 << 13, 1 << 15, c))
        return (f"pike.quant_norm {acc} {{multiplier = #pike.fixed_point<bits = 16, multipliers = "
                f"[{m}], shifts = [19]>{extra}}} : tensor<1x6x6x{c}xi32> -> tensor<1x6x6x{c}x{out}>")
    text = f"""func.func @main(%x: tensor<1x6x6x5xf32>) -> (tensor<1x6x6x24xi4>) {{
  %q = pike.quantize %x {{quantizer = #pike.quantizer<u4, scales = [0.25]>}} : tensor<1x6x6x5xf32> -> tensor<1x6x6x5xi4>
  %w1 = arith.constant dense<{w((16, 3, 3, 5))}> : tensor<16x3x3x5xi4>
  %c1 = pike.conv2d %q, %w1 {{strides = array<i64: 1, 1>, padding = array<i64: 1, 1, 1, 1>, input_unsigned}} : (tensor<1x6x6x5xi4>, tensor<16x3x3x5xi4>) -> tensor<1x6x6x16xi32>
  %a1 = {qn("%c1", "i4", 16, ", output_unsigned")}
  %w2 = arith.constant dense<{w((16, 3, 3, 1))}> : tensor<16x3x3x1xi4>
  %c2 = pike.conv2d %a1, %w2 {{strides = array<i64: 1, 1>, padding = array<i64: 1, 1, 1, 1>, groups = 16 : i64, input_unsigned, input_zp = 3 : i64}} : (tensor<1x6x6x16xi4>, tensor<16x3x3x1xi4>) -> tensor<1x6x6x16xi32>
  %a2 = {qn("%c2", "i4", 16, "")}
  %w3 = arith.constant dense<{w((24, 1, 1, 16))}> : tensor<24x1x1x16xi4>
  %c3 = pike.conv2d %a2, %w3 {{strides = array<i64: 1, 1>, padding = array<i64: 0, 0, 0, 0>, input_zp = -2 : i64}} : (tensor<1x6x6x16xi4>, tensor<24x1x1x16xi4>) -> tensor<1x6x6x24xi32>
  %a3 = {qn("%c3", "i4", 24, ", output_unsigned")}
  return %a3 : tensor<1x6x6x24xi4>
}}
"""
    return name, text, (1, 6, 6, 5), True, True


def quantizer_case(name, op, shape, element, quantizer):
    """pike.quantize (float32 in) or pike.dequantize (integer in)."""
    real_t, int_t = tensor(shape, "f32"), tensor(shape, element)
    in_t, out_t = (real_t, int_t) if op == "quantize" else (int_t, real_t)
    text = (f"func.func @main(%x: {in_t}) -> ({out_t}) {{\n"
            f"  %y = pike.{op} %x {{quantizer = #pike.quantizer<{quantizer}>}} : {in_t} -> {out_t}\n"
            f"  return %y : {out_t}\n}}\n")
    dtype = ("uint" if quantizer.startswith("u") else "int") + element[1:]
    return name, text, shape, False, op == "quantize", dtype


def transposed_quantizer_case(name, nchw, element, quantizer):
    """pike.quantize of an NCHW float image transposed to NHWC (an ONNX
    model's input): one kernel reads the planes and interleaves them."""
    n, c, h, w = nchw
    image_t, nhwc_t = tensor(nchw, "f32"), tensor((n, h, w, c), "f32")
    out_t = tensor((n, h, w, c), element)
    text = (f"func.func @main(%x: {image_t}) -> ({out_t}) {{\n"
            f"  %e = tensor.empty() : {nhwc_t}\n"
            f"  %t = linalg.transpose ins(%x : {image_t}) outs(%e : {nhwc_t}) "
            f"permutation = [0, 2, 3, 1]\n"
            f"  %y = pike.quantize %t {{quantizer = #pike.quantizer<{quantizer}>}} : "
            f"{nhwc_t} -> {out_t}\n"
            f"  return %y : {out_t}\n}}\n")
    bits = int(element[1:])
    unsigned = quantizer.startswith("u")
    dtype = ("uint" if unsigned else "int") + str(max(bits, 8))
    return name, text, nchw, "transposed", True, dtype


CASES = [
    conv_case("pointwise 8x8x32->64, u8", 1, 8, 32, 64, 1, 1, (0, 0, 0, 0)),
    conv_case("stem 3x3/2, 3 channels (padded to 4)", 1, 17, 3, 32, 3, 2, (0, 1, 0, 1), zp=9),
    conv_case("stem 3x3/2, 1 channel (padded to 4), s8 input zp -7", 1, (9, 21), 1, 16, 3, 2,
              (1, 1, 1, 1), signed=True, zp=-7),
    conv_case("stem 5x5, 2 channels (padded to 4), batch 2, u8 zp 100", 2, (6, 33), 2, 24, 5, 1,
              (2, 2, 2, 2), zp=100),
    conv_case("3x3 dilation 2, s8 input zp -5, 20->40 filters", 1, 11, 20, 40, 3, 1,
              (2, 2, 2, 2), dilation=2, signed=True, zp=-5),
    conv_case("1x1 13->17, u8 weights with zp 128, no epilogue", 1, (5, 7), 13, 17, 1, 1,
              (0, 0, 0, 0), weight_zp=128, zp=200, epilogue="none"),
    conv_case("batch 2, 7 columns (tile remainder), requantize", 2, 7, 16, 80, 3, 1,
              (1, 1, 1, 1), epilogue="requantize"),
    # Scaled values far past i32 (the kernels saturate to i32 before the clamp).
    conv_case("requantize, scaled values past i32", 1, 5, 40, 24, 1, 1, (0, 0, 0, 0),
              epilogue="requantize-wide"),
    conv_case("i16 accumulator, i16 output", 1, 6, 8, 24, 1, 1, (0, 0, 0, 0), acc="i16",
              bias=False, out="i16", w_max=15),
    conv_case("accumulator also returned (not fused)", 1, 6, 8, 16, 3, 1, (1, 1, 1, 1),
              epilogue="shared"),
    conv_case("depthwise 3x3, 24 channels (partial vector)", 1, 9, 24, 24, 3, 1, (1, 1, 1, 1),
              groups=24),
    conv_case("depthwise 5x5/2, s8 input zp 11", 1, 13, 16, 16, 5, 2, (2, 2, 2, 2), groups=16,
              signed=True, zp=11),
    conv_case("depthwise 3x3, 48 channels, no epilogue", 2, 6, 48, 48, 3, 2, (0, 1, 0, 1),
              groups=48, epilogue="none"),
    conv_case("grouped 3x3, 64 channels in 4 groups of 16 (a vector per group)", 1, 12, 64,
              64, 3, 1, (1, 1, 1, 1), groups=4),
    conv_case("grouped 3x3/2, 8 groups of 8 (two groups a vector), s8 input zp -3", 1, 11, 64,
              64, 3, 2, (1, 0, 1, 0), groups=8, signed=True, zp=-3),
    conv_case("grouped 3x3, 104 channels in 13 groups of 8 (partial vector), requantize", 1, 7,
              104, 104, 3, 1, (1, 1, 1, 1), groups=13, epilogue="requantize"),
    conv_case("grouped 3x3/2, 3 groups of 24 (vectors across groups), s8 input zp 6", 2, 9, 72,
              72, 3, 2, (1, 1, 1, 1), groups=3, signed=True, zp=6),
    conv_case("grouped 3x3, 16 groups of 4, u8 weights with zp 120", 1, 6, 64, 64, 3, 1,
              (1, 1, 1, 1), groups=16, weight_zp=120, zp=17),
    conv_case("grouped 3x3 dilation 2, 2 groups of 12 channels -> 20 filters", 1, 9, 24, 40, 3,
              1, (2, 2, 2, 2), dilation=2, groups=2),
    conv_case("grouped 1x1, 3 groups of 5 channels -> 10 filters (odd windows)", 1, 5, 15, 30,
              1, 1, (0, 0, 0, 0), groups=3, signed=True, zp=1),
    conv_case("grouped 3x3/2, 6 groups of 5 channels -> 8 filters (odd pairs), s8 zp -9", 1, 10,
              30, 48, 3, 2, (1, 1, 1, 1), groups=6, signed=True, zp=-9),
    conv_case("depthwise, channel multiplier 2, no epilogue", 1, 6, 8, 16, 3, 1, (1, 1, 1, 1),
              groups=8, epilogue="none"),
    conv_case("depthwise 3x3 at 30x30, 40 channels, u8 zp 7 (interior tiles, partial vector)",
              1, 30, 40, 40, 3, 1, (1, 1, 1, 1), groups=40, zp=7),
    conv_case("depthwise 7x7/2 dilation 2, padding 6/5/6/4, s8 input zp -5 (two row groups)", 1,
              37, 16, 16, 7, 2, (6, 5, 6, 4), dilation=2, groups=16, signed=True, zp=-5),
    conv_case("depthwise 3x3, 20-pixel padding (edges too wide to unroll), requantize", 1, 5,
              16, 16, 3, 1, (20, 20, 20, 20), groups=16, epilogue="requantize"),
    conv_case("depthwise 1x1, 32 channels, s8 input zp 3", 1, 10, 32, 32, 1, 1, (0, 0, 0, 0),
              groups=32, signed=True, zp=3),
    conv_case("depthwise 3x3 on 20x23, padding 0/2/3/0, 24 channels, no epilogue", 1, (20, 23),
              24, 24, 3, 1, (0, 2, 3, 0), groups=24, epilogue="none"),
    # Channels in blocks of 4 vectors build their quads together (64 on
    # x86, 16 on AArch64), the vectors past the last block one at a time.
    conv_case("depthwise 3x3/2, 144 channels, u8 zp 9 (two blocks of 4 vectors and one left)",
              1, 13, 144, 144, 3, 2, (1, 1, 1, 1), groups=144, zp=9),
    conv_case("depthwise 5x5, 64 channels, padding 2/0/3/1, s8 input zp -5, requantize (two "
              "row groups in a block)", 1, (11, 14), 64, 64, 5, 1, (2, 0, 3, 1), groups=64,
              signed=True, zp=-5, epilogue="requantize"),
    conv_case("depthwise 3x3, 186 channels, s8 input zp 4 (two blocks, then 4 vectors, the "
              "last short: rows read short)", 1, 5, 186, 186, 3, 1, (1, 1, 1, 1), groups=186,
              signed=True, zp=4),
    conv_case("depthwise 3x3 dilation 2 on 9x30, 128 channels, padding 2, no epilogue", 2,
              (9, 30), 128, 128, 3, 1, (2, 2, 2, 2), dilation=2, groups=128, epilogue="none"),
    # onnxruntime's 7-bit weights: byte pairs on vector (the quads elsewhere).
    conv_case("depthwise 3x3/2, 144 channels, 7-bit weights, u8 zp 9", 1, 13, 144, 144, 3, 2,
              (1, 1, 1, 1), groups=144, zp=9, w_max=64),
    conv_case("depthwise 5x5, 40 channels, 7-bit weights, padding 2/0/3/1, s8 input zp -5, "
              "requantize (two row groups, the input flipped)", 1, (11, 14), 40, 40, 5, 1,
              (2, 0, 3, 1), groups=40, signed=True, zp=-5, w_max=64, epilogue="requantize"),
    conv_case("depthwise 7x7/2 dilation 2 at 37x37, 16 channels, 4-bit weights (runs of "
              "columns in i16)", 1, 37, 16, 16, 7, 2, (6, 5, 6, 4), dilation=2, groups=16,
              zp=5, w_max=8),
    depthwise_pair_bound_case("depthwise byte pairs at the i16 bound: 255 against pairs "
                              "summing to +-128 over 3 columns"),
    depthwise_pair_bound_case("depthwise byte pairs one past the bound (runs of 2 columns)",
                              over=1),
    float32_bound_case("float32 rounding past i32: QuantNorm whose bias comes before the "
                       "multiply", quant_norm=True),
    float32_bound_case("float32 rounding past i32: a sum rounded up to 2^30, requantized to "
                       "i32", quant_norm=False),
    # One lane past a whole vector: its narrowed store must write one element.
    conv_case("depthwise 3x3, 17 channels, QuantNorm to i16 (a one-lane last vector)", 1, 4,
              17, 17, 3, 1, (1, 1, 1, 1), groups=17, out="i16"),
    # Two blocks of 4 filter vectors, the last vector short: only it is.
    conv_case("1x1 conv, 8 -> 113 filters, QuantNorm to u8 (8 vectors of 16, one lane in the "
              "last)", 1, 3, 8, 113, 1, 1, (0, 0, 0, 0)),
    conv_case("1x1 conv, 8 -> 29 filters, no epilogue (8 vectors of 4 on AArch64)", 1, 2, 8, 29,
              1, 1, (0, 0, 0, 0), epilogue="none"),
    fc_case("fully connected 3x50->20", 3, 50, 20),
    fc_case("fully connected 1x1024->1000, u8", 1, 1024, 1000, epilogue="quant_norm",
            signed=False, zp=128),
    fc_case("fully connected 2x100->40, 4-bit weights (two per byte on byte quads)", 2, 100, 40,
            epilogue="quant_norm", signed=False, zp=9, w_max=7),
    binary_case("binary 1x1 conv 6x6x64->32 (one word a pixel)", 1, 6, 64, 32),
    binary_case("binary 3x3/2 dilation 2 conv, batch 2, 100 channels (a partial word) -> 40 "
                "filters (a partial vector)", 2, 13, 100, 40, k=3, stride=2, dilation=2),
    binary_case("binary 3x3 conv, padding 1 (a padded pixel is 0: taken off per tap), 64 -> "
                "48", 1, 7, 64, 48, k=3, pad=(1, 1, 1, 1)),
    binary_case("binary 5x5/2 dilation 2 conv, padding 3/0/1/4, batch 2, 70 channels", 2, 12,
                70, 24, k=5, stride=2, dilation=2, pad=(3, 0, 1, 4), epilogue="requantize"),
    binary_case("binary fully connected 3x300->70, requantize", 3, 0, 300, 70, fc=True,
                epilogue="requantize"),
    binary_case("binary fully connected 1x17->5, no epilogue", 1, 0, 17, 5, fc=True,
                epilogue="none"),
    binary_threshold_case("binary 2x2 conv reading u8 bytes through two requantizes (x < 100 "
                          "is -1)"),
    binary_through_case("binary fully connected reading s8 bytes through a transpose and a "
                        "flatten (x < -20 is -1), the +-1 tensor returned too"),
    w4a4_case("w4a4 chain: u4 image, conv, depthwise to s4, pointwise reading s4"),
    # Byte pairs into i16 (vector; the quads elsewhere): blocks of steps
    # bounded by the operands' ranges.
    conv_case("3x3 conv, u8 zp 7, weights within +-8, 40 -> 24 (byte pairs: blocks of 8 steps "
              "a tap)", 1, 9, 40, 24, 3, 1, (1, 1, 1, 1), zp=7, w_max=8),
    conv_case("1x1 conv, u8, weights within +-64, 24 -> 40 (byte pairs: one step a block)", 1, 5,
              24, 40, 1, 1, (0, 0, 0, 0), w_max=64),
    conv_case("grouped 3x3 conv, 4 groups, u8, weights within +-4 (byte pairs: a block a kernel "
              "row)", 1, 7, 32, 32, 3, 1, (1, 1, 1, 1), groups=4, w_max=4),
    # The same kernels under half_even rounding.
    half_even(conv_case("half_even: 1x1 conv, u8 zp 3, weights within +-64, 40 -> 56 (byte "
                        "pairs, a partial vector)", 1, 5, 40, 56, 1, 1, (0, 0, 0, 0), zp=3,
                        w_max=64)),
    half_even(conv_case("half_even: depthwise 3x3, u8 zp 130, weights within +-64, 40 channels "
                        "(byte pairs, padded rows)", 1, 9, 40, 40, 3, 1, (1, 1, 1, 1), zp=130,
                        groups=40, w_max=64)),
    half_even(conv_case("half_even: depthwise 3x3/2, u8, 24 channels, full-range weights (lanes)",
                        1, 11, 24, 24, 3, 2, (1, 1, 1, 1), groups=24)),
    half_even(conv_case("half_even: grouped 3x3 conv, 4 groups, u8, weights within +-4", 1, 7, 32,
                        32, 3, 1, (1, 1, 1, 1), groups=4, w_max=4)),
    half_even(separable_case("half_even: separable, depthwise 24 channels -> pointwise 40, u8", 1,
                             9, 24, 40, 1, (1, 1, 1, 1), pointwise_max=64)),
    half_even(binary_case("half_even: binary 3x3 conv, 64 -> 24", 1, 6, 64, 24, k=3,
                          pad=(1, 1, 1, 1))),
    # A signed input takes byte pairs from a copy flipped into [0, 255].
    conv_case("1x1 conv, s8 input zp -9, weights within +-32, 24 -> 40 (byte pairs on the flipped "
              "input: two steps a block)", 1, 5, 24, 40, 1, 1, (0, 0, 0, 0), signed=True, zp=-9,
              w_max=32),
    conv_case("3x3 conv, s8 input zp 5, weights within +-8, 40 -> 24 (byte pairs on the flipped "
              "input, its padding flipped too: 8 steps a block)", 1, 9, 40, 24, 3, 1,
              (1, 1, 1, 1), signed=True, zp=5, w_max=8),
    pair_bound_case("byte pairs at the i16 bound: 255 everywhere against +-8, 3x3 conv of 40 "
                    "channels"),
    pair_bound_case("byte pairs at the i16 bound on a flipped s8 input: 127 everywhere (255 "
                    "flipped) against +-8", signed=True),
    residual_case("residual add fused: 3x3 conv, QuantNorm to u8, add(y, x) to u8", 32, 7,
                  depthwise=False, output_lhs=True, signed_out=False, rounding="single"),
    residual_case("residual add fused: depthwise 3x3 on 24 channels, add(x, y) to s8, "
                  "half-even", 24, 9, depthwise=True, output_lhs=False, signed_out=True,
                  rounding="half_even"),
    tie_case("exact ties, QuantNorm to i16, half_even", "half_even"),
    half_even_case("half_even QuantNorm to u8 zp 7, values inside i32 (clamped as i32)", 38),
    half_even_case("half_even depthwise QuantNorm to u8 zp 7, values inside i32", 38,
                   depthwise=True),
    half_even_case("half_even QuantNorm to u8 zp 7, values past i32 (clamped as doubles)", 8),

    tie_case("exact ties, QuantNorm to i16, single (toward +inf)", "single"),
    tie_case("exact ties, QuantNorm to i16, tvm_tonearest (away from zero)", "tvm_tonearest"),
    tie_case("exact ties, QuantNorm to i16, tflite (two roundings)", "tflite"),
    tie_case("exact ties in a fused residual add, half_even", "half_even", residual=True),
    tie_case("exact ties in a fused residual add, single", "single", residual=True),
    tie_case("exact ties in a fused residual add, tvm_tonearest", "tvm_tonearest",
             residual=True),
    tie_case("exact ties in a fused residual add, double (i64 lanes: no float64 form)",
             "double", residual=True),
    tie_case("exact ties, QuantNorm to i16, float32 (float32 lanes)", "float32"),
    tie_case("exact ties in a fused residual add after a float32 QuantNorm", "float32",
             residual=True, add_rounding="half_even"),
    float32_case("float32 rounding past 2^24 into [2^21, 2^22): both roundings decide ties"),
    wide_bias_case("QuantNorm bias 2^59 + 1 >> 60: just above ties float64 cannot hold"),
    separable_case("separable: depthwise 24 channels 9x11 -> pointwise 40, u8", 1, 9, 24, 40,
                   1, (1, 1, 1, 1)),
    separable_case("separable: depthwise 3x3/2 32 channels, batch 2 -> pointwise 16, u8", 2, 13,
                   32, 16, 2, (0, 1, 0, 1)),
    separable_case("separable: depthwise 16 channels -> pointwise 16 + residual add, u8", 1, 10,
                   16, 16, 1, (1, 1, 1, 1), residual=True),
    separable_case("separable: s8 depthwise output -> pointwise 24", 1, 7, 16, 24, 1,
                   (1, 1, 1, 1), signed_mid=True),
    separable_case("separable: 18 channels (steps padded to 20) -> pointwise 8, u8", 1, 6, 18, 8,
                   1, (1, 1, 1, 1)),
    separable_case("separable: depthwise result also returned -> pointwise 16, u8", 1, 6, 16, 16,
                   1, (1, 1, 1, 1), shared=True),
    separable_case("separable: u4 depthwise output (bytes) -> pointwise 32", 1, 8, 32, 32, 1,
                   (1, 1, 1, 1), mid_bits=4),
    separable_case("separable: s4 depthwise output read as u4 -> pointwise 32", 1, 8, 32, 32, 1,
                   (1, 1, 1, 1), mid_bits=4, signed_mid=True, read_unsigned=True),
    separable_case("separable: u4 depthwise output -> pointwise 48, weights within +-8 (byte "
                   "pairs read it in place)", 1, 8, 32, 48, 1, (1, 1, 1, 1), mid_bits=4,
                   pointwise_max=8),
    separable_case("separable: depthwise 3x3/2 24 channels, batch 2 -> pointwise 16, u8 against "
                   "weights within +-8 (byte pairs, 8 steps a block)", 2, 11, 24, 16, 2,
                   (0, 1, 0, 1), pointwise_max=8),
    separable_case("separable: depthwise 16 channels -> pointwise 16 + residual add, weights "
                   "within +-8 (byte pairs)", 1, 9, 16, 16, 1, (1, 1, 1, 1), residual=True,
                   pointwise_max=8),
    quantizer_case("quantize 1x5x7x3 to u8 (tail step overlaps)", "quantize", (1, 5, 7, 3), "i8",
                   "u8, scales = [0.0039215686274509803]"),
    quantizer_case("quantize 2x3x32 to s8 per channel", "quantize", (2, 3, 32), "i8",
                   "s8, axis = 2, scales = [" + ", ".join(f"{0.01 * (i + 1):.3f}" for i in range(32))
                   + "], zero_points = [" + ", ".join(str(i - 16) for i in range(32)) + "]"),
    quantizer_case("quantize 9 to i16 (one short step)", "quantize", (9,), "i16",
                   "s16, scales = [0.5], zero_points = [-7]"),
    transposed_quantizer_case("quantize NCHW 1x3x5x37 image to NHWC u8 (tail tile overlaps)",
                              (1, 3, 5, 37), "i8", "u8, scales = [0.0171], zero_points = [123]"),
    transposed_quantizer_case("quantize NCHW 2x1x4x9 image to NHWC s8 (one short tile)",
                              (2, 1, 4, 9), "i8", "s8, scales = [0.05], zero_points = [-3]"),
    transposed_quantizer_case("quantize NCHW 1x4x3x20 image to NHWC u4", (1, 4, 3, 20), "i4",
                              "u4, scales = [0.25], zero_points = [2]"),
    quantizer_case("dequantize 1x9 s8, zero point 3", "dequantize", (1, 9), "i8",
                   "s8, scales = [0.0625], zero_points = [3]"),
    quantizer_case("dequantize 4x16 u8 per channel", "dequantize", (4, 16), "i8",
                   "u8, axis = 1, scales = [" + ", ".join(f"{0.5 + i:.1f}" for i in range(16))
                   + "], zero_points = [" + ", ".join(str(8 * i) for i in range(16)) + "]"),
    quantizer_case("dequantize 1x20 s16 (every bit read)", "dequantize", (1, 20), "i16",
                   "s16, scales = [2.0], zero_points = [-300]"),
    quantizer_case("dequantize 2x16 u16 per channel", "dequantize", (2, 16), "i16",
                   "u16, axis = 1, scales = [" + ", ".join(f"{0.25 * (i + 1):.2f}" for i in range(16))
                   + "], zero_points = [" + ", ".join(str(4000 * i) for i in range(16)) + "]"),
]


def run(args):
    result = subprocess.run(args, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"{' '.join(args)} failed:\n{result.stderr}")
    return result.stdout


# Another architecture's target (aarch64): the case compiled into a library
# and run under qemu-user (pike.aot.CrossRunner) instead of pike-run.
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "python"))
from pike import aot, targets  # noqa: E402

CROSS = targets.is_cross(TARGET)


def run_cross(model, x, outputs):
    runner = aot.CrossRunner(model, TARGET, integer_passes=())
    spec = runner.function
    (given,) = [np.load(x)]
    (got_all) = runner.run([given.astype(spec["inputs"][0]["dtype"])])
    for path, got in zip(outputs, got_all):
        np.save(path, got)


failures = 0
try:
    every, offset = map(int, SAMPLE.split(","))
except ValueError:
    every, offset = 0, 0
if not 0 <= offset < every:
    sys.exit(f"--sample={SAMPLE}: expected N,K with 0 <= K < N")
CASES = [case for index, case in enumerate(CASES) if index % every == offset]
with tempfile.TemporaryDirectory() as tmp:
    for index, (name, text, in_shape, fused, *quantizer) in enumerate(CASES):
        model = os.path.join(tmp, f"case{index}.mlir")
        with open(model, "w") as f:
            f.write(text)
        kernels = run(["pike-opt", model, f"--convert-pike-to-cpu-kernels=target={TARGET}"])
        left = [op for op in ("pike.conv2d", "pike.fully_connected", "pike.quantize",
                              "pike.dequantize") if op in kernels]
        if fused == "binary":
            # The epilogue is absorbed and the sign's requantizes are read
            # through: none is left.
            left += [op for op in ("pike.quant_norm", "pike.requantize") if op in kernels]
        elif fused == "binary-shared":
            left += ["pike.requantize (the returned +-1 tensor's)"] if kernels.count(
                "pike.requantize") != 2 else []
        elif fused == "transposed":
            left += ["linalg.transpose"] if "linalg.transpose" in kernels else []
        elif fused == "separable":
            # The residual case's skip is a requantize of its own.
            left += [op for op in ("pike.quant_norm", "pike.add") if op in kernels]
        elif fused:
            left += [op for op in ("pike.quant_norm", "pike.requantize") if op in kernels]
        if fused in ("binary", "binary-shared") and "math.ctpop" not in kernels:
            left += ["the XOR-popcount kernel not chosen"]
        if fused == "residual":
            left += ["pike.add"] if "pike.add" in kernels else []
        if COMPILE_ONLY:
            run(["pike-opt", model, f"--pike-cpu-pipeline=target={TARGET}", "-o", os.devnull])
            failures += bool(left)
            print(f"{name}: " + (f"not compiled to a kernel: {', '.join(left)}" if left
                                 else "lowered"))
            continue
        x = os.path.join(tmp, f"x{index}.npy")
        if quantizer and quantizer[0]:
            # Exact ties (k + 0.5 steps), NaN, infinities and out-of-range values.
            values = rng.integers(-600, 600, in_shape) * 0.5 * 0.0625
            flat = values.reshape(-1)
            flat[:4] = [np.nan, np.inf, -np.inf, 1e30][:flat.size]
            np.save(x, values.astype(np.float32))
        elif quantizer and quantizer[1] not in ("int8", "uint8"):
            # Wide integers over their whole range: no bit of them may be lost.
            info = np.iinfo(np.dtype(quantizer[1]))
            np.save(x, rng.integers(info.min, info.max, in_shape, endpoint=True,
                                    dtype=info.dtype))
        elif name in CONSTANT_INPUTS:
            np.save(x, np.full(in_shape, CONSTANT_INPUTS[name], np.int8))
        else:
            np.save(x, rng.integers(-128, 128, in_shape).astype(np.int8))
        outputs = text.split("-> (")[1].split(")")[0].count("tensor<") if "-> (" in text else 1
        ours = [os.path.join(tmp, f"y{index}_{i}.npy") for i in range(outputs)]
        refs = [os.path.join(tmp, f"r{index}_{i}.npy") for i in range(outputs)]
        if CROSS:
            run_cross(model, x, ours)
        else:
            # Each argument and result ends at an inaccessible page: a kernel
            # reading or writing past one fails the case.
            run(["pike-run", model, f"--target={TARGET}", f"--threads={THREADS}",
                 "--guard-buffers", f"--input={x}"] + [f"--output={o}" for o in ours])
        run([sys.executable, "-m", "pike", "reference", model, "--input", x]
            + [arg for r in refs for arg in ("--output", r)])
        same = all(np.load(a).tobytes() == np.load(b).tobytes() and
                   np.load(a).shape == np.load(b).shape for a, b in zip(ours, refs))
        if left or not same:
            failures += 1
        status = ("bit-identical" if same else "DIFFERS") + (
            f", not compiled to a kernel: {', '.join(left)}" if left else "")
        if fused == "separable":
            status += (", one separable kernel" if "_separable(" in kernels
                       else ", two kernels")
        print(f"{name}: {status}")
if COMPILE_ONLY:
    print(f"{TARGET}, compile only: {len(CASES) - failures} of {len(CASES)} cases lowered "
          "through kernels")
else:
    print(f"{TARGET}, {THREADS} thread(s): {len(CASES) - failures} of {len(CASES)} cases "
          "bit-identical to the reference")
sys.exit(1 if failures else 0)
