"""Depthwise-separable blocks: one kernel per block beside two.

A benchmark harness, not a test: `bash bench/separable.sh [repeats [rounds]]`.
Each block is a depthwise 3x3 layer (padding 1) and its QuantNorm to u8, then
a pointwise layer reading it and its QuantNorm to u8, with MobileNetV1's and
V2's shapes, half_even multipliers as their integer form has them. The same
model runs in one pike-run build with `--separable-kernels=true` (one loop
over output rows, each depthwise row read by the pointwise kernel from L1)
and `=false` (two kernels, the intermediate tensor written whole and read
back), the two alternating round by round. Both outputs must equal the
NumPy reference (`python -m pike reference`) bit for bit before a time is
printed. Times are the block's best call and the median of the rounds'
medians. Prints a Markdown table for bench/RESULTS.md.
"""

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile

import numpy as np

# (network, batch, input hw, channels, depthwise stride, pointwise filters)
BLOCKS = [
    ("MobileNetV1", 1, 112, 32, 1, 64),
    ("MobileNetV1", 1, 112, 64, 2, 128),
    ("MobileNetV1", 1, 56, 128, 1, 128),
    ("MobileNetV1", 1, 28, 256, 1, 256),
    ("MobileNetV1", 1, 14, 512, 1, 512),
    ("MobileNetV2", 1, 112, 96, 2, 24),
    ("MobileNetV2", 1, 56, 144, 1, 24),
    ("MobileNetV2", 1, 28, 192, 1, 32),
    ("MobileNetV2", 1, 14, 576, 1, 96),
    ("MobileNetV2", 1, 7, 960, 1, 160),
    ("MobileNetV1", 8, 112, 32, 1, 64),
    ("MobileNetV2", 8, 56, 144, 1, 24),
]


def tensor(shape, element):
    return "tensor<" + "x".join(map(str, shape)) + f"x{element}>"


def quant_norm(src, acc_t, out_t, channels, shift, rng):
    multipliers = ", ".join(str(int(m)) for m in rng.integers(1 << 30, 1 << 31, channels))
    bias = ", ".join(str(int(b)) for b in rng.integers(-(1 << (shift - 2)), 1 << (shift - 2),
                                                          channels))
    return (f"pike.quant_norm {src} {{multiplier = #pike.fixed_point<bits = 32, multipliers = "
            f"[{multipliers}], shifts = [{shift}], rounding = half_even>, bias = array<i64: "
            f"{bias}>, output_zp = 3 : i64, output_unsigned}} : {acc_t} -> {out_t}")


def block_model(n, hw, c, stride, f, rng):
    oh = (hw + 2 - 3) // stride + 1
    in_t, wd_t = tensor((n, hw, hw, c), "i8"), tensor((c, 3, 3, 1), "i8")
    acc1_t, mid_t = tensor((n, oh, oh, c), "i32"), tensor((n, oh, oh, c), "i8")
    wp_t, acc2_t = tensor((f, 1, 1, c), "i8"), tensor((n, oh, oh, f), "i32")
    out_t = tensor((n, oh, oh, f), "i8")

    def weights(shape):
        return '"0x' + rng.integers(-127, 128, shape).astype(np.int8).tobytes().hex().upper() + '"'

    # Shifts that spread each QuantNorm's output over u8: scale ~ 128 / (128 * 64 * sqrt(K)).
    dw_shift = 31 + 7 + int(np.log2(3 * 127))
    pw_shift = 31 + 7 + int(np.log2(np.sqrt(c) * 127))
    text = (
        f"func.func @main(%x: {in_t}) -> {out_t} {{\n"
        f"  %wd = arith.constant dense<{weights((c, 3, 3, 1))}> : {wd_t}\n"
        f"  %wp = arith.constant dense<{weights((f, 1, 1, c))}> : {wp_t}\n"
        f"  %a = pike.conv2d %x, %wd {{strides = array<i64: {stride}, {stride}>, padding = "
        f"array<i64: 1, 1, 1, 1>, groups = {c} : i64, input_unsigned, input_zp = 120 : i64}} "
        f": ({in_t}, {wd_t}) -> {acc1_t}\n"
        f"  %m = {quant_norm('%a', acc1_t, mid_t, c, dw_shift, rng)}\n"
        f"  %b = pike.conv2d %m, %wp {{strides = array<i64: 1, 1>, padding = array<i64: 0, 0, 0, "
        f"0>, input_unsigned, input_zp = 3 : i64}} : ({mid_t}, {wp_t}) -> {acc2_t}\n"
        f"  %y = {quant_norm('%b', acc2_t, out_t, f, pw_shift, rng)}\n"
        f"  return %y : {out_t}\n}}\n")
    macs = n * oh * oh * c * (9 + f)
    x = rng.integers(0, 256, (n, hw, hw, c)).astype(np.uint8).view(np.int8)
    return text, x, macs


def write_case(tmp, text, x_array):
    """The model, its input and the NumPy reference's output, as files in `tmp`."""
    model, x = os.path.join(tmp, "model.mlir"), os.path.join(tmp, "x.npy")
    with open(model, "w") as handle:
        handle.write(text)
    np.save(x, x_array)
    ref = os.path.join(tmp, "ref.npy")
    subprocess.run([sys.executable, "-m", "pike", "reference", model, "--input", x,
                    "--output", ref], check=True)
    return model, x, ref


def run_timed(pike_run, model, x, out, repeats, flags):
    """(best, median) ms per call of one pike-run with `flags`."""
    result = subprocess.run([pike_run, model, f"--input={x}", f"--output={out}",
                             f"--repeat={repeats}", *flags],
                            capture_output=True, text=True, check=True)
    match = re.search(r"time: [0-9.]+ ms mean, ([0-9.]+) ms best, ([0-9.]+) ms median",
                      result.stderr)
    return float(match.group(1)), float(match.group(2))


def pike_time(pike_run, model, x, out, repeats, threads, separable):
    """(best, median) ms per call of one pike-run."""
    return run_timed(pike_run, model, x, out, repeats,
                     [f"--threads={threads}", f"--separable-kernels={str(separable).lower()}"])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--threads", default="1,2")
    args = parser.parse_args()
    pike_run = os.environ.get("PIKE_RUN", "pike-run")
    rng = np.random.default_rng(2026)
    print(f"{args.repeats} timed calls after a warm-up per round, {args.rounds} rounds "
          "alternating, median of the rounds' medians (best call)\n")
    print("| block | batch | threads | MMACs | two kernels ms | one kernel ms | speed-up |")
    print("|---|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        for net, n, hw, c, stride, f in BLOCKS:
            text, x_array, macs = block_model(n, hw, c, stride, f, rng)
            model, x, ref = write_case(tmp, text, x_array)
            name = f"{net}: {hw}x{hw}x{c} depthwise/{stride} -> {f}"
            for threads in args.threads.split(","):
                times = {False: [], True: []}
                for _ in range(args.rounds):
                    for separable in (False, True):
                        out = os.path.join(tmp, f"out{separable}.npy")
                        times[separable].append(pike_time(pike_run, model, x, out, args.repeats,
                                                          threads, separable))
                        if np.load(out).tobytes() != np.load(ref).tobytes():
                            sys.exit(f"{name}: output with --separable-kernels={separable} "
                                     "differs from the reference")
                median = {k: statistics.median(t[1] for t in v) for k, v in times.items()}
                best = {k: min(t[0] for t in v) for k, v in times.items()}
                print(f"| {name} | {n} | {threads} | {macs / 1e6:.1f} | {median[False]:.3f} "
                      f"({best[False]:.3f}) | {median[True]:.3f} ({best[True]:.3f}) | "
                      f"{median[False] / median[True]:.2f}x |", flush=True)


if __name__ == "__main__":
    main()
