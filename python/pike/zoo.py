"""PikeLPN-style model builders with seeded random weights.

Each builder writes pike IR in quantized-graph form: integer weights and
activations, with float per-channel scales, float batch-norm and float
activation clipping between the integer convolutions, as a
quantization-aware-training export has them.

Variants:
  pikelpn   4-bit weights and activations, PACT clipping, and
            Distribution-Heterogeneous Quantization: power-of-two per-channel
            scales for depthwise weights, uniform per-channel scales for
            pointwise weights. The quantization pipeline turns it into integer
            form (QuantNorm, Double Quantization).
  baseline  the same low-bit MACs with uniform per-channel scales and ReLU6;
            its batch-norm and scales are meant to stay float.
The first convolution and the classifier keep 8-bit weights in both variants,
and the input image is quantized to u8.
"""

import math

import numpy as np

from . import emit

# MobileNetV1: (output channels, stride) of each depthwise-separable block.
MOBILENET_V1_BLOCKS = [(64, 1), (128, 2), (128, 1), (256, 2), (256, 1),
                       (512, 2), (512, 1), (512, 1), (512, 1), (512, 1),
                       (512, 1), (1024, 2), (1024, 1)]
# A small model of the same kind for examples and fast tests.
TINY_BLOCKS = [(64, 1), (128, 2), (128, 1), (256, 2)]

VARIANTS = ("pikelpn", "baseline")


def _same_padding(size, kernel, stride):
    """TF-style SAME padding (before, after) and output size."""
    out = -(-size // stride)
    total = max((out - 1) * stride + kernel - size, 0)
    return (total // 2, total - total // 2), out


class _Builder:
    def __init__(self, rng, variant, weight_bits, act_bits, splat_weights=False):
        self.rng = rng
        self.variant = variant
        self.weight_bits = weight_bits
        self.act_bits = act_bits
        # Cost-only models: every weight 1, so the text stays small.
        self.splat_weights = splat_weights
        self.fn = None

    # -- parameters ---------------------------------------------------------

    def _weights(self, shape, bits):
        if self.splat_weights:
            return None
        # Narrow symmetric range, as a QAT weight quantizer produces.
        top = (1 << (bits - 1)) - 1
        return self.rng.integers(-top, top + 1, size=shape)

    def _weight_literal(self, values, bits):
        return "dense<1>" if values is None else emit.dense_int(values, bits)

    def _weight_scales(self, channels, terms, in_scale, in_rms, bits, pow2):
        # Aim for real pre-BN outputs of unit order.
        w_rms = (1 << (bits - 1)) / math.sqrt(3.0)
        base = 1.5 / (math.sqrt(terms) * in_rms * w_rms * in_scale)
        scales = base * self.rng.uniform(0.5, 1.5, size=channels)
        if pow2:
            scales = np.exp2(np.round(np.log2(scales)))
        return scales

    def _batch_norm_params(self, channels):
        gamma = self.rng.uniform(0.5, 1.5, size=channels)
        beta = self.rng.normal(0.5, 0.25, size=channels)
        mean = self.rng.normal(0.0, 0.2, size=channels)
        var = self.rng.uniform(0.5, 2.0, size=channels)
        return gamma, beta, mean, var

    # -- layers ------------------------------------------------------------

    def conv_bn_act(self, x, shape, in_scale, in_rms, out_channels, kernel,
                    stride, depthwise, weight_bits, name, relu=True):
        n, h, w, c = shape
        groups = c if depthwise else 1
        (pt, pb), oh = _same_padding(h, kernel, stride)
        (pl, pr), ow = _same_padding(w, kernel, stride)
        w_shape = (out_channels, kernel, kernel, c // groups)
        wq = self._weights(w_shape, weight_bits)
        terms = kernel * kernel * (c // groups)
        pow2 = depthwise and self.variant == "pikelpn"
        ws = self._weight_scales(out_channels, terms, in_scale, in_rms,
                                 weight_bits, pow2)
        fn = self.fn
        w_type = emit.tensor_type(w_shape, f"i{weight_bits}")
        wv = fn.constant(self._weight_literal(wq, weight_bits), w_type, f"{name}/weight")
        out_shape = (n, oh, ow, out_channels)
        acc_type = emit.tensor_type(out_shape, "i32")
        attrs = [f"strides = array<i64: {stride}, {stride}>",
                 f"padding = array<i64: {pt}, {pb}, {pl}, {pr}>",
                 "input_unsigned"]
        if groups != 1:
            attrs.append(f"groups = {groups}")
        acc = fn.op(f"pike.conv2d {x}, {wv} {{{', '.join(attrs)}}} : "
                    f"({self.x_type}, {w_type}) -> {acc_type}", name)
        return self._dequant_bn_act(acc, out_shape, in_scale * ws, name, relu)

    def _dequant_bn_act(self, acc, shape, channel_scales, name, relu=True):
        fn = self.fn
        channels = shape[-1]
        real_type = emit.tensor_type(shape, "f32")
        acc_type = emit.tensor_type(shape, "i32")
        y = fn.op(f"pike.scale {acc} {{scale = {emit.f64_array(channel_scales)}}} : "
                  f"{acc_type} -> {real_type}", f"{name}/scale")
        vec = emit.tensor_type((channels,), "f32")
        params = [fn.constant(emit.dense_f32(p), vec, f"{name}/bn/{k}")
                  for k, p in zip(("gamma", "beta", "mean", "var"),
                                  self._batch_norm_params(channels))]
        y = fn.op(f"pike.batch_norm {y}, {', '.join(params)} {{epsilon = 1.0e-03 : f64}} : "
                  f"({real_type}, {vec}, {vec}, {vec}, {vec}) -> {real_type}",
                  f"{name}/bn")
        if self.variant == "pikelpn":
            clip = float(self.rng.uniform(2.0, 4.0))  # a learned PACT alpha
        else:
            clip = 6.0  # ReLU6
        q_type = emit.tensor_type(shape, f"i{self.act_bits}")
        if not relu:
            # A residual branch before the add: signed, no clipping.
            levels = (1 << (self.act_bits - 1)) - 1
            out_scale = clip / levels
            q = fn.op(f"pike.quantize {y} {{quantizer = #pike.quantizer<s{self.act_bits}, "
                      f"scales = [{emit.real(out_scale)}]>}} : {real_type} -> {q_type}",
                      f"{name}/quantize")
            self.x_type = q_type
            return q, shape, out_scale, levels / math.sqrt(3.0)
        levels = (1 << self.act_bits) - 1
        y = fn.op(f"pike.clamp {y} {{min = 0.0 : f64, max = {emit.real(clip)} : f64}} : {real_type}",
                  f"{name}/act")
        out_scale = clip / levels
        q = fn.op(f"pike.quantize {y} {{quantizer = #pike.quantizer<u{self.act_bits}, "
                  f"scales = [{emit.real(out_scale)}]>}} : {real_type} -> {q_type}",
                  f"{name}/quantize")
        self.x_type = q_type
        # RMS of a u-bit activation spread over its range.
        return q, shape, out_scale, levels / math.sqrt(3.0)

    def residual_add(self, main, shortcut, shape, name):
        """ReLU(dequantize(main) + dequantize(shortcut)), quantized to u-bits.
        `main` and `shortcut` are (value, scale, signed) triples."""
        fn = self.fn
        q_type = emit.tensor_type(shape, f"i{self.act_bits}")
        real_type = emit.tensor_type(shape, "f32")
        reals = []
        for (value, scale, signed), side in ((main, "main"), (shortcut, "shortcut")):
            sign = "s" if signed else "u"
            reals.append(fn.op(
                f"pike.dequantize {value} {{quantizer = #pike.quantizer<{sign}{self.act_bits}, "
                f"scales = [{emit.real(scale)}]>}} : {q_type} -> {real_type}", f"{name}/{side}"))
        y = fn.op(f"pike.add {reals[0]}, {reals[1]} : ({real_type}, {real_type}) -> {real_type}",
                  f"{name}/add")
        clip = 6.0 if self.variant == "baseline" else float(self.rng.uniform(3.0, 6.0))
        y = fn.op(f"pike.clamp {y} {{min = 0.0 : f64, max = {emit.real(clip)} : f64}} : {real_type}",
                  f"{name}/act")
        levels = (1 << self.act_bits) - 1
        out_scale = clip / levels
        q = fn.op(f"pike.quantize {y} {{quantizer = #pike.quantizer<u{self.act_bits}, "
                  f"scales = [{emit.real(out_scale)}]>}} : {real_type} -> {q_type}", f"{name}/quantize")
        self.x_type = q_type
        return q, out_scale, levels / math.sqrt(3.0)


def _check(variant, weight_bits, act_bits, first_last_bits):
    if variant not in VARIANTS:
        raise ValueError(f"unknown variant '{variant}'; expected one of {VARIANTS}")
    for name, bits in (("weight", weight_bits), ("activation", act_bits),
                       ("first/last layer", first_last_bits)):
        if not 2 <= bits <= 16:
            raise ValueError(f"{name} bit-width {bits} is outside [2, 16]")


def _image(b, fn, resolution, bits):
    """The f32 NHWC image quantized to `bits` unsigned."""
    in_shape = (1, resolution, resolution, 3)
    image = fn.arg(emit.tensor_type(in_shape, "f32"))
    in_scale = 1.0 / ((1 << bits) - 1)
    b.x_type = emit.tensor_type(in_shape, f"i{bits}")
    x = fn.op(f"pike.quantize {image} {{quantizer = #pike.quantizer<u{bits}, scales = [{emit.real(in_scale)}]>}} : "
              f"{emit.tensor_type(in_shape, 'f32')} -> {b.x_type}", "input/quantize")
    return x, in_shape, in_scale, ((1 << bits) - 1) / math.sqrt(3.0)


def _classifier(b, fn, x, shape, scale, rms, classes, bits):
    """Global average pool, flatten, fully-connected, 8-bit logits."""
    act_bits = b.act_bits
    n, h, w, c = shape
    pooled_type = emit.tensor_type((n, 1, 1, c), f"i{act_bits}")
    x = fn.op(f"pike.avg_pool2d {x} {{kernel = array<i64: {h}, {w}>, input_unsigned}} : "
              f"{b.x_type} -> {pooled_type}", "pool")
    flat_type = emit.tensor_type((n, c), f"i{act_bits}")
    x = fn.op(f"tensor.collapse_shape {x} [[0], [1, 2, 3]] : {pooled_type} into {flat_type}",
              "flatten")
    w_shape = (classes, c)
    wq = b._weights(w_shape, bits)
    ws = b._weight_scales(classes, c, scale, rms, bits, False)
    w_type = emit.tensor_type(w_shape, f"i{bits}")
    wv = fn.constant(b._weight_literal(wq, bits), w_type, "fc/weight")
    acc_type = emit.tensor_type((n, classes), "i32")
    acc = fn.op(f"pike.fully_connected {x}, {wv} {{input_unsigned}} : "
                f"({flat_type}, {w_type}) -> {acc_type}", "fc")
    logits_type = emit.tensor_type((n, classes), "f32")
    bias = b.rng.normal(0.0, 0.1, size=classes)
    y = fn.op(f"pike.scale {acc} {{scale = {emit.f64_array(scale * ws)}, "
              f"bias = {emit.f64_array(bias)}}} : {acc_type} -> {logits_type}", "fc/scale")
    # Integer deployments return 8-bit logits; dequantize them at the boundary.
    q_type = emit.tensor_type((n, classes), "i8")
    logit_quant = "#pike.quantizer<s8, scales = [0.0625]>"
    y = fn.op(f"pike.quantize {y} {{quantizer = {logit_quant}}} : {logits_type} -> {q_type}",
              "logits/quantize")
    y = fn.op(f"pike.dequantize {y} {{quantizer = {logit_quant}}} : {q_type} -> {logits_type}",
              "logits/dequantize")
    return y, logits_type


def mobilenet_v1(variant="pikelpn", width=1.0, resolution=224, classes=1000,
                 seed=0, blocks=None, weight_bits=4, act_bits=4,
                 first_last_bits=8, splat_weights=False, file_name="model.mlir"):
    """MobileNetV1 in quantized-graph form, as MLIR text. Op locations name
    the layer and point into `file_name`, the file the text is written to."""
    _check(variant, weight_bits, act_bits, first_last_bits)
    blocks = MOBILENET_V1_BLOCKS if blocks is None else blocks
    rng = np.random.default_rng(seed)
    b = _Builder(rng, variant, weight_bits, act_bits, splat_weights)
    fn = b.fn = emit.FunctionWriter("main")

    def channels(c):
        return max(8, int(c * width))

    x, shape, scale, rms = _image(b, fn, resolution, first_last_bits)
    x, shape, scale, rms = b.conv_bn_act(x, shape, scale, rms, channels(32), 3, 2,
                                         False, first_last_bits, "conv1")
    for index, (out_c, stride) in enumerate(blocks, start=1):
        x, shape, scale, rms = b.conv_bn_act(x, shape, scale, rms, shape[3], 3, stride,
                                             True, weight_bits, f"block{index}/dw")
        x, shape, scale, rms = b.conv_bn_act(x, shape, scale, rms, channels(out_c), 1, 1,
                                             False, weight_bits, f"block{index}/pw")
    y, logits_type = _classifier(b, fn, x, shape, scale, rms, classes, first_last_bits)
    comment = (f"MobileNetV1 ({variant}), width {width}, {resolution}x{resolution}, "
               f"{classes} classes, w{weight_bits}a{act_bits}, first/last layers "
               f"{first_last_bits}-bit, seed {seed}.\n"
               "Quantized-graph form, written by `python3 -m pike zoo`.")
    return emit.module(fn, [(y, logits_type)], file_name, comment)


def mobilenet_tiny(variant="pikelpn", seed=0, file_name="model.mlir"):
    """The bundled example: MobileNet-style, 32x32 input, 10 classes."""
    return mobilenet_v1(variant=variant, width=0.25, resolution=32, classes=10,
                        seed=seed, blocks=TINY_BLOCKS, file_name=file_name)


# ResNet-50 v1.5: (bottleneck width, blocks, stride of the first block).
RESNET50_STAGES = [(64, 3, 1), (128, 4, 2), (256, 6, 2), (512, 3, 2)]
RESNET_TINY_STAGES = [(8, 1, 1), (16, 1, 2)]


def resnet(variant="pikelpn", stages=None, resolution=224, classes=1000, seed=0,
           weight_bits=4, act_bits=4, first_last_bits=8, splat_weights=False,
           file_name="model.mlir", name="ResNet-50"):
    """A bottleneck ResNet (v1.5: stride on the 3x3) in quantized-graph form:
    7x7 stem, max pool, residual blocks whose adds are real between
    dequantized branches (the fixed-point pass makes them integer)."""
    _check(variant, weight_bits, act_bits, first_last_bits)
    stages = RESNET50_STAGES if stages is None else stages
    rng = np.random.default_rng(seed)
    b = _Builder(rng, variant, weight_bits, act_bits, splat_weights)
    fn = b.fn = emit.FunctionWriter("main")
    x, shape, scale, rms = _image(b, fn, resolution, first_last_bits)
    stem = stages[0][0]
    x, shape, scale, rms = b.conv_bn_act(x, shape, scale, rms, stem, 7, 2, False,
                                         first_last_bits, "stem")
    n, h, w, c = shape
    (pt, pb), oh = _same_padding(h, 3, 2)
    (pl, pr), ow = _same_padding(w, 3, 2)
    pooled = (n, oh, ow, c)
    pooled_type = emit.tensor_type(pooled, f"i{act_bits}")
    x = fn.op(f"pike.max_pool2d {x} {{kernel = array<i64: 3, 3>, strides = array<i64: 2, 2>, "
              f"padding = array<i64: {pt}, {pb}, {pl}, {pr}>, input_unsigned}} : "
              f"{b.x_type} -> {pooled_type}", "stem/pool")
    b.x_type, shape = pooled_type, pooled
    for s_index, (width, blocks, stride) in enumerate(stages, start=1):
        for index in range(blocks):
            tag = f"stage{s_index}/block{index + 1}"
            block_stride = stride if index == 0 else 1
            block_in, in_shape, in_scale, in_rms = x, shape, scale, rms
            in_type = b.x_type
            y, yshape, yscale, yrms = b.conv_bn_act(x, shape, scale, rms, width, 1, 1,
                                                    False, weight_bits, f"{tag}/conv1")
            y, yshape, yscale, yrms = b.conv_bn_act(y, yshape, yscale, yrms, width, 3,
                                                    block_stride, False, weight_bits,
                                                    f"{tag}/conv2")
            y, yshape, yscale, yrms = b.conv_bn_act(y, yshape, yscale, yrms, 4 * width, 1,
                                                    1, False, weight_bits, f"{tag}/conv3",
                                                    relu=False)
            main = (y, yscale, True)
            if index == 0:
                b.x_type = in_type
                s_val, _, s_scale, _ = b.conv_bn_act(block_in, in_shape, in_scale, in_rms,
                                                     4 * width, 1, block_stride, False,
                                                     weight_bits, f"{tag}/shortcut",
                                                     relu=False)
                shortcut = (s_val, s_scale, True)
            else:
                shortcut = (block_in, in_scale, False)
            x, scale, rms = b.residual_add(main, shortcut, yshape, tag)
            shape = yshape
    y, logits_type = _classifier(b, fn, x, shape, scale, rms, classes, first_last_bits)
    comment = (f"{name} ({variant}), {resolution}x{resolution}, {classes} classes, "
               f"w{weight_bits}a{act_bits}, first/last layers {first_last_bits}-bit, "
               f"seed {seed}.\nQuantized-graph form, written by `python3 -m pike zoo`.")
    return emit.module(fn, [(y, logits_type)], file_name, comment)
