"""Grouped 3x3 convolutions: Pike's CPU kernels beside PyTorch's quantized conv.

A benchmark harness, not a test: `bash bench/grouped.sh [repeats]`. One thread
each side, batch 1. Each layer is a 3x3 int8 convolution with per-channel
requantization, u8 activations in and out, s8 weights:
  - Pike: `pike.conv2d` (groups G) + per-channel `pike.quant_norm`, run by
    pike-run (compilation excluded; --before adds a second pike-run, e.g. a
    build from before a change, and --before-flags runs that side with other
    options, e.g. --byte-pairs=false, both timed in the same run);
  - PyTorch 1.13 on the onednn engine: the quantized conv op alone
    (`torch.ao.nn.quantized.Conv2d`, per-channel s8 weights) on a quint8
    channels-last tensor, quint8 out: no float quantize or dequantize timed;
    and oneDNN's convolution primitive alone, as its verbose mode times it
    (without PyTorch's per-call work: argument checks, a weight reorder).
The layers: 64 channels at 56x56 with groups 1, 2, 4, 8, 16 and 64, the
grouped layers of torchvision's RegNets (group widths 8, 16 and 24, channel
counts that are not multiples of 16, a stride-2 block), and the 1x1
convolutions of RegNetX-400MF (two thirds of its MACs), with 7-bit inputs as
PyTorch's x86 recipe quantizes them. `--layers depthwise` times MobileNetV1's
and V2's depthwise layers and channel counts of MobileNetV3 and EfficientNet
instead. `--weight-bits 7` draws Pike's weights from [-64, 64], as
onnxruntime's quantizer writes them for CPUs without VNNI (reduce_range):
AVX2's byte pairs take those (the peers' kernels do not depend on the
values). Prints a Markdown table for bench/RESULTS.md.
"""

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np

import compare_onednn
from compare_onednn import hex_dense, machine, torch_time
from pike.tools import find

# (name, resolution, channels, groups, stride)
LAYERS = [
    ("64ch 56x56, 1 group", 56, 64, 1, 1),
    ("64ch 56x56, 2 groups", 56, 64, 2, 1),
    ("64ch 56x56, 4 groups", 56, 64, 4, 1),
    ("64ch 56x56, 8 groups", 56, 64, 8, 1),
    ("64ch 56x56, 16 groups", 56, 64, 16, 1),
    ("64ch 56x56, 64 groups (depthwise)", 56, 64, 64, 1),
    ("RegNetX-400MF s2 first: 64ch 56->28 /2, 4 groups of 16", 56, 64, 4, 2),
    ("RegNetX-400MF s3: 160ch 14x14, 10 groups of 16", 14, 160, 10, 1),
    ("RegNetY-400MF s2: 104ch 28x28, 13 groups of 8", 28, 104, 13, 1),
    ("RegNetX-1.6GF s2: 168ch 28x28, 7 groups of 24", 28, 168, 7, 1),
]

# Depthwise 3x3 layers (groups = channels): MobileNetV1's and MobileNetV2's,
# and channel counts of MobileNetV3/EfficientNet that are not multiples of 16.
DEPTHWISE = [(f"dw {c}ch {hw}x{hw} /{stride}", hw, c, c, stride) for hw, c, stride in [
    (112, 32, 1), (112, 64, 2), (56, 128, 1), (56, 128, 2), (28, 256, 1), (28, 256, 2),
    (14, 512, 1), (14, 512, 2), (7, 1024, 1),
    (112, 96, 2), (56, 144, 1), (56, 144, 2), (28, 192, 1), (28, 192, 2), (14, 384, 1),
    (14, 576, 1), (14, 576, 2), (7, 960, 1),
    (56, 24, 1), (28, 40, 1), (28, 72, 1), (14, 240, 1)]]

# (name, resolution, in channels, out channels): RegNetX-400MF's 1x1 layers
POINTWISE = [
    ("RegNetX-400MF s1 1x1: 32ch 112x112", 112, 32, 32),
    ("RegNetX-400MF s1 1x1: 32ch 56x56", 56, 32, 32),
    ("RegNetX-400MF s2 1x1: 64ch 28x28", 28, 64, 64),
    ("RegNetX-400MF s3 1x1: 160ch 14x14", 14, 160, 160),
    ("RegNetX-400MF s4 1x1: 400ch 7x7", 7, 400, 400),
    ("RegNetX-400MF s4 first 1x1: 160->400ch 14x14", 14, 160, 400),
]


def out_size(hw, stride):
    return (hw + 2 - 3) // stride + 1


def macs(hw, c, groups, stride):
    return out_size(hw, stride) ** 2 * c * (c // groups) * 9


def pike_layer(hw, c, groups, stride, rng, weight_max=127):
    out_hw = out_size(hw, stride)
    w_shape = (c, 3, 3, c // groups)
    w = rng.integers(-weight_max, weight_max + 1, w_shape)
    bias = rng.integers(-5000, 5000, c)
    multipliers = ", ".join(str(int(m)) for m in rng.integers(1 << 30, 1 << 31, c))
    in_t = f"tensor<1x{hw}x{hw}x{c}xi8>"
    w_t = "tensor<" + "x".join(map(str, w_shape)) + "xi8>"
    b_t = f"tensor<{c}xi32>"
    acc_t = f"tensor<1x{out_hw}x{out_hw}x{c}xi32>"
    out_t = f"tensor<1x{out_hw}x{out_hw}x{c}xi8>"
    return (f"func.func @main(%x: {in_t}) -> {out_t} {{\n"
            f"  %w = arith.constant dense<{hex_dense(w)}> : {w_t}\n"
            f"  %b = arith.constant dense<[{', '.join(map(str, bias))}]> : {b_t}\n"
            f"  %acc = pike.conv2d %x, %w, %b {{strides = array<i64: {stride}, {stride}>, "
            f"padding = array<i64: 1, 1, 1, 1>, groups = {groups} : i64, input_unsigned, "
            f"input_zp = 3 : i64}} : ({in_t}, {w_t}, {b_t}) -> {acc_t}\n"
            f"  %y = pike.quant_norm %acc {{multiplier = #pike.fixed_point<bits = 32, "
            f"multipliers = [{multipliers}], shifts = [41]>, output_unsigned}} : {acc_t} -> {out_t}\n"
            f"  return %y : {out_t}\n}}\n")


def pike_time(pike_run, model, x, repeats, flags=()):
    result = subprocess.run([pike_run, model, f"--input={x}", "--threads=1",
                             f"--output={x}.out.npy", f"--repeat={repeats}", *flags],
                            capture_output=True, text=True, check=True)
    match = re.search(r"time: ([0-9.]+) ms mean, ([0-9.]+) ms best", result.stderr)
    return float(match.group(1)), float(match.group(2))


def fallback_warnings(pike_opt, model):
    """The layers pike-cpu-pipeline leaves to linalg loops."""
    result = subprocess.run([pike_opt, model, "--pike-cpu-pipeline", "-o", os.devnull],
                            capture_output=True, text=True, check=True)
    return len(re.findall(r"warning: no [a-z0-9-]+ kernel", result.stderr))


def torch_layer(hw, c, groups, stride, rng):
    """The quantized conv op alone: quint8 NHWC in, quint8 out."""
    import torch
    conv = torch.ao.nn.quantized.Conv2d(c, c, 3, stride, padding=1, groups=groups)
    weight = torch.quantize_per_channel(
        torch.from_numpy(rng.normal(0, 0.1, (c, c // groups, 3, 3)).astype(np.float32)),
        torch.full((c,), 0.002), torch.zeros(c, dtype=torch.long), 0, torch.qint8)
    conv.set_weight_bias(weight, torch.zeros(c))
    conv.scale, conv.zero_point = 0.05, 3
    x = torch.quantize_per_tensor(torch.rand(1, c, hw, hw), 1 / 255, 3, torch.quint8)
    return conv, x.contiguous(memory_format=torch.channels_last)


def onednn_primitive_ms(layer_args, repeats):
    """The best time oneDNN reports for its convolution primitive alone
    (ONEDNN_VERBOSE's exec lines), run in a child process: PyTorch's own
    work around the call (argument checks, the weights' reorder it repeats
    at every call) is left out."""
    code = ("import sys, numpy as np, torch; sys.path.insert(0, %r); import grouped_conv as g; "
            "torch.set_num_threads(1); torch.backends.quantized.engine = 'onednn'; "
            "conv, x = g.torch_layer(*%r, np.random.default_rng(0)); "
            "[conv(x) for _ in range(%d)]") % (os.path.dirname(os.path.abspath(__file__)),
                                              tuple(layer_args), repeats + 1)
    env = dict(os.environ, ONEDNN_VERBOSE="1")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            env=env, check=True)
    times = [float(line.rsplit(",", 1)[1]) for line in result.stdout.splitlines()
             if line.startswith("onednn_verbose,exec,cpu,convolution,")]
    return min(times[1:]) if len(times) > 1 else float("nan")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=3,
                        help="interleaved rounds of every side; the best of the rounds' best")
    parser.add_argument("--layers", choices=["grouped", "depthwise"], default="grouped",
                        help="grouped: the group sweep and RegNet's layers; depthwise: "
                        "MobileNetV1/V2's depthwise layers and odd channel counts")
    parser.add_argument("--before", default="",
                        help="a second pike-run (e.g. built before a change), timed alike")
    parser.add_argument("--before-flags", default="",
                        help="options for the second side (e.g. --byte-pairs=false); without "
                        "--before, the same pike-run")
    parser.add_argument("--weight-bits", type=int, choices=(7, 8), default=8,
                        help="Pike's weights over [-127, 127] (8) or [-64, 64] (7, "
                        "onnxruntime's reduce_range)")
    args = parser.parse_args()
    weight_max = 127 if args.weight_bits == 8 else 64
    before_flags = args.before_flags.split()
    if before_flags and not args.before:
        args.before = find("pike-run")

    import torch
    torch.set_num_threads(1)
    torch.backends.quantized.engine = "onednn"
    name, features, mhz, _, host = machine()
    print(f"machine: {name}, {os.cpu_count()} cores, {mhz:.0f} MHz, features {' '.join(features)}")
    print(f"PyTorch {torch.__version__}, engine onednn, quantized Conv2d op only (quint8 "
          f"channels-last in, quint8 out), 1 thread; pike-run --target=host ({host}) --threads=1; "
          f"{args.repeats} timed calls after a warm-up, best of {args.rounds} rounds; Pike's "
          f"weights {args.weight_bits}-bit"
          + (f"; before: {' '.join(before_flags)}" if before_flags else "") + "\n")
    rng = np.random.default_rng(0)
    pike_run, pike_opt = find("pike-run"), find("pike-opt")
    sides = [("after", pike_run)] + ([("before", args.before)] if args.before else [])
    rows = []
    layers = [(label, macs(hw, c, groups, stride),
               pike_layer(hw, c, groups, stride, rng, weight_max),
               rng.integers(0, 256, (1, hw, hw, c)), torch_layer(hw, c, groups, stride, rng),
               (hw, c, groups, stride))
              for label, hw, c, groups, stride in
              (DEPTHWISE if args.layers == "depthwise" else LAYERS)]
    for label, hw, in_c, out_c in POINTWISE if args.layers == "grouped" else []:
        text, shape = compare_onednn.pike_layer("pw", hw, in_c, out_c, 1, 1, rng)
        layer, qx = compare_onednn.torch_layer("pw", hw, in_c, out_c, 1, 1)
        layers.append((label, hw * hw * in_c * out_c, text, rng.integers(0, 128, shape),
                       (layer, qx.contiguous(memory_format=torch.channels_last)), None))
    with tempfile.TemporaryDirectory() as tmp:
        for index, (label, n, text, x_value, (conv, qx), torch_args) in enumerate(layers):
            model = os.path.join(tmp, f"layer{index}.mlir")
            with open(model, "w") as f:
                f.write(text)
            x = os.path.join(tmp, f"x{index}.npy")
            np.save(x, x_value.astype(np.uint8))
            best = {side: float("inf") for side, _ in sides}
            best["torch"] = float("inf")
            for _ in range(args.rounds):
                for side, binary in sides:
                    flags = before_flags if side == "before" else ()
                    best[side] = min(best[side],
                                     pike_time(binary, model, x, args.repeats, flags)[1])
                best["torch"] = min(best["torch"], torch_time(lambda: conv(qx), args.repeats)[1])
            # Its time differs up to 2x from one process to the next (where
            # its buffers land), so the best of a process per round.
            best["primitive"] = (min(onednn_primitive_ms(torch_args, args.repeats)
                                     for _ in range(args.rounds))
                                 if torch_args else float("nan"))
            rows.append((label, n, best, fallback_warnings(pike_opt, model)))

    before = " Pike before ms |" if args.before else ""
    print(f"| layer | MMACs |{before} Pike ms | PyTorch ms | Pike / PyTorch | oneDNN primitive ms "
          f"| Pike / primitive | Pike GMAC/s | kernel |")
    print("|---|---:|" + ("---:|" if args.before else "") + "---:|---:|---:|---:|---:|---:|---|")
    for label, n, best, fallbacks in rows:
        cells = [label, f"{n / 1e6:.1f}"]
        if args.before:
            cells.append(f"{best['before']:.3f}")
        cells += [f"{best['after']:.3f}", f"{best['torch']:.3f}",
                  f"{best['after'] / best['torch']:.2f}x", f"{best['primitive']:.3f}",
                  f"{best['after'] / best['primitive']:.2f}x", f"{n / best['after'] / 1e6:.1f}",
                  "linalg loops (fallback)" if fallbacks else "yes"]
        print("| " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
