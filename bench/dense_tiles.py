"""Register tiles of the dense kernel, side by side.

A benchmark harness, not a test: `bash bench/dense-tiles.sh [repeats [rounds
[tiles [target]]]]`. Each layer is one dense convolution (pointwise, or 3x3
with padding 1) and its QuantNorm, u8 in and u8 out, with MobileNetV2's and
ResNet's shapes and half_even multipliers as their integer form has them,
timed alone. The same model runs in one pike-run build with each
`--dense-tile` ("default" is the tile sized for the target's register file
and the layer), the tiles alternating round by round; `--before` adds a
second pike-run (a build from before a change) with its default tile, in the
same rounds, as the first column. `--weight-bits 7` draws weights from [-64, 64], as
onnxruntime's quantizer writes them for CPUs without VNNI (reduce_range),
which AVX2's byte pairs take. Every output must
equal the NumPy reference (`python -m pike reference`) bit for bit before a
time is printed. Times are the median of the rounds' medians; GMAC/s are
from it. Prints a Markdown table for bench/RESULTS.md.
"""

import argparse
import os
import statistics
import sys
import tempfile

import numpy as np

from separable_blocks import quant_norm, run_timed, tensor, write_case

# The columns that run without --dense-tile: this build's and --before's.
DEFAULT = ("default", "before")

# (network, input hw, channels, kernel, stride, filters)
LAYERS = [
    ("MobileNetV2 expand", 56, 24, 1, 1, 144),
    ("MobileNetV2 project", 56, 144, 1, 1, 24),
    ("MobileNetV2 expand", 28, 32, 1, 1, 192),
    ("MobileNetV2 project", 14, 384, 1, 1, 64),
    ("MobileNetV2 last", 7, 320, 1, 1, 1280),
    ("MobileNetV1 pointwise", 56, 128, 1, 1, 128),
    ("ResNet 3x3", 56, 64, 3, 1, 64),
    ("ResNet 3x3", 14, 256, 3, 1, 256),
]


def layer_model(hw, c, k, stride, f, rng, weight_max=127):
    pad = k // 2
    oh = (hw + 2 * pad - k) // stride + 1
    in_t, w_t = tensor((1, hw, hw, c), "i8"), tensor((f, k, k, c), "i8")
    acc_t, out_t = tensor((1, oh, oh, f), "i32"), tensor((1, oh, oh, f), "i8")
    weights = rng.integers(-weight_max, weight_max + 1, (f, k, k, c)).astype(np.int8).tobytes().hex().upper()
    # A shift that spreads the output over u8: scale ~ 128 / (128 * 64 * sqrt(K)).
    shift = 31 + 7 + int(np.log2(np.sqrt(k * k * c) * 127))
    text = (
        f"func.func @main(%x: {in_t}) -> {out_t} {{\n"
        f"  %w = arith.constant dense<\"0x{weights}\"> : {w_t}\n"
        f"  %a = pike.conv2d %x, %w {{strides = array<i64: {stride}, {stride}>, padding = "
        f"array<i64: {pad}, {pad}, {pad}, {pad}>, input_unsigned, input_zp = 120 : i64}} "
        f": ({in_t}, {w_t}) -> {acc_t}\n"
        f"  %y = {quant_norm('%a', acc_t, out_t, f, shift, rng)}\n"
        f"  return %y : {out_t}\n}}\n")
    x = rng.integers(0, 256, (1, hw, hw, c)).astype(np.uint8).view(np.int8)
    return text, x, oh * oh * f * k * k * c


def pike_time(pike_run, model, x, out, repeats, target, tile):
    """Median ms per call of one pike-run."""
    flags = [f"--target={target}"] + ([f"--dense-tile={tile}"] if tile not in DEFAULT else [])
    return run_timed(pike_run, model, x, out, repeats, flags)[1]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--tiles", default="4x4,4x1,2x2,6x1",
                        help="--dense-tile values beside the default")
    parser.add_argument("--target", default="host", help="pike-run --target")
    parser.add_argument("--before", default="",
                        help="a second pike-run (e.g. built before a change), default tile")
    parser.add_argument("--weight-bits", type=int, choices=(7, 8), default=8,
                        help="weights over [-127, 127] (8) or [-64, 64] (7)")
    args = parser.parse_args()
    pike_run = os.environ.get("PIKE_RUN", "pike-run")
    tiles = (["before"] if args.before else []) + ["default"] + [
        t for t in args.tiles.split(",") if t]
    weight_max = 127 if args.weight_bits == 8 else 64
    rng = np.random.default_rng(2026)
    print(f"target {args.target}, 1 thread; {args.repeats} timed calls after a warm-up per "
          f"round, {args.rounds} rounds alternating; median of the rounds' medians, ms "
          f"(GMAC/s); {args.weight_bits}-bit weights\n")
    print("| layer | MMACs | " + " | ".join(tiles) + " |")
    print("|---|---|" + "---|" * len(tiles))
    with tempfile.TemporaryDirectory() as tmp:
        for name, hw, c, k, stride, f in LAYERS:
            text, x_array, macs = layer_model(hw, c, k, stride, f, rng, weight_max)
            model, x, ref = write_case(tmp, text, x_array)
            times = {tile: [] for tile in tiles}
            for _ in range(args.rounds):
                for tile in tiles:
                    out = os.path.join(tmp, "out.npy")
                    binary = args.before if tile == "before" else pike_run
                    times[tile].append(pike_time(binary, model, x, out, args.repeats,
                                                 args.target, tile))
                    if np.load(out).tobytes() != np.load(ref).tobytes():
                        sys.exit(f"{name}: output with --dense-tile={tile} differs from the "
                                 "reference")
            cells = []
            for tile in tiles:
                median = statistics.median(times[tile])
                cells.append(f"{median:.3f} ({macs / median / 1e6:.1f})")
            layer = f"{name} {hw}x{hw}x{c} {k}x{k}/{stride} -> {f}"
            print(f"| {layer} | {macs / 1e6:.1f} | " + " | ".join(cells) + " |", flush=True)


if __name__ == "__main__":
    main()
