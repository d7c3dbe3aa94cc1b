"""Binary layers: the XOR-popcount kernel beside Pike's byte kernels.

A benchmark harness, not a test: `bash bench/binary.sh [repeats [rounds]]`.
Each layer takes the previous layer's s8 output, takes its sign as
BipolarQuant does once made integer (a requantize to one bit, then to +-1
as i2, as `pike-fixed-point` and the importer write it), and multiplies it by
+-1 weights; a per-channel QuantNorm gives s8 out. The same
model runs twice in one pike-run build, one thread: with the XOR-popcount
kernel (the default) and with `--binary-kernels=false` (the byte kernels,
vpdpbusd on avx512-vnni). Both outputs must equal the NumPy reference
(`python -m pike reference`) bit for bit before a time is printed. Each side
is timed whole (best call) and its MAC kernel alone (`pike-run --profile`:
the median of the row that holds the kernel, its QuantNorm's). The binary
kernel reads the s8 bytes and compares them with 0; the byte kernels read the
+-1 tensor, which the two requantizes write first (`i1` is not widened, so
the first is a scalar loop): that is in the layer's time, not the kernel's.
Prints a Markdown table for bench/RESULTS.md.
"""

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile

import numpy as np

from separable_blocks import write_case

# (name, batch, input hw, channels, filters, kernel[, padding]); hw 0 is fully
# connected.
LAYERS = [
    ("1x1, 56x56, 128 -> 128", 1, 56, 128, 128, 1),
    ("1x1, 28x28, 256 -> 256", 1, 28, 256, 256, 1),
    ("1x1, 14x14, 512 -> 512", 1, 14, 512, 512, 1),
    ("1x1, 7x7, 1024 -> 1024", 1, 7, 1024, 1024, 1),
    ("3x3 valid, 30x30 -> 28x28, 128 -> 128", 1, 30, 128, 128, 3),
    ("3x3 valid, 16x16 -> 14x14, 256 -> 256", 1, 16, 256, 256, 3),
    ("3x3 padding 1, 28x28, 128 -> 128", 1, 28, 128, 128, 3, 1),
    ("3x3 padding 1, 14x14, 256 -> 256", 1, 14, 256, 256, 3, 1),
    ("fully connected, 1 x 1024 -> 1000", 1, 0, 1024, 1000, 1),
    ("fully connected, 1 x 4096 -> 4096", 1, 0, 4096, 4096, 1),
    ("fully connected, 16 x 1024 -> 1024", 16, 0, 1024, 1024, 1),
]


def tensor(shape, element):
    return "tensor<" + "x".join(map(str, shape)) + f"x{element}>"


def layer_model(batch, hw, c, f, k, rng, pad=0):
    fc = hw == 0
    shape = (batch, c) if fc else (batch, hw, hw, c)
    out_hw = hw + 2 * pad - k + 1
    acc_shape = (batch, f) if fc else (batch, out_hw, out_hw, f)
    w_shape = (f, c) if fc else (f, k, k, c)
    in_t, bit_t = tensor(shape, "i8"), tensor(shape, "i1")
    sign_t, w_t = tensor(shape, "i2"), tensor(w_shape, "i2")
    acc_t, out_t = tensor(acc_shape, "i32"), tensor(acc_shape, "i8")
    w = rng.choice(np.array([-1, 1], dtype=np.int8), w_shape)
    weights = '"0x' + w.tobytes().hex().upper() + '"'
    mac = ("pike.fully_connected %s, %w" if fc else
           "pike.conv2d %s, %w {strides = array<i64: 1, 1>, padding = array<i64: "
           f"{pad}, {pad}, {pad}, {pad}>}}")
    # Scales near 4 / sqrt(K * taps): outputs spread over s8.
    shift = 32 + int(np.log2(np.sqrt(c * k * k)))
    multipliers = ", ".join(str(int(m)) for m in rng.integers(1 << 30, 1 << 31, f))
    text = (f"func.func @main(%x: {in_t}) -> {out_t} {{\n"
            f"  %bit = pike.requantize %x {{multiplier = #pike.fixed_point<bits = 32, multipliers "
            f"= [1073741824], shifts = [30]>}} : {in_t} -> {bit_t}\n"
            f"  %s = pike.requantize %bit {{multiplier = #pike.fixed_point<bits = 32, multipliers "
            f"= [1073741824], shifts = [29]>, output_zp = 1 : i64}} : {bit_t} -> {sign_t}\n"
            f"  %w = arith.constant dense<{weights}> : {w_t}\n"
            f"  %acc = {mac} : ({sign_t}, {w_t}) -> {acc_t}\n"
            f"  %y = pike.quant_norm %acc {{multiplier = #pike.fixed_point<bits = 32, multipliers"
            f" = [{multipliers}], shifts = [{shift}]>}} : {acc_t} -> {out_t}\n"
            f"  return %y : {out_t}\n}}\n")
    macs = int(np.prod(acc_shape)) * c * k * k
    return text, rng.integers(-128, 128, shape).astype(np.int8), macs


def pike_time(pike_run, model, x, out, repeats, binary, target):
    """The best call's ms and the MAC kernel's median ms."""
    profile = out + ".profile.json"
    result = subprocess.run([pike_run, model, f"--input={x}", "--threads=1", f"--output={out}",
                             f"--target={target}", f"--profile={profile}",
                             f"--repeat={repeats}", f"--binary-kernels={str(binary).lower()}"],
                            capture_output=True, text=True, check=True)
    match = re.search(r"time: ([0-9.]+) ms mean, ([0-9.]+) ms best", result.stderr)
    with open(profile) as handle:
        rows = json.load(handle)["ops"]
    (kernel,) = [row for row in rows if row["op"] == "pike.quant_norm"]
    return float(match.group(2)), kernel["median_us"] / 1000


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--target", default="host", help="pike-run's --target")
    args = parser.parse_args()
    pike_run = os.environ.get("PIKE_RUN", "pike-run")
    rng = np.random.default_rng(2026)
    print(f"{args.repeats} timed calls after a warm-up, best of {args.rounds} rounds, 1 thread, "
          f"--target={args.target}\n")
    print("| layer | MACs | kernel ms, bytes | kernel ms, popcount | kernel speed-up | "
          "GMAC/s bytes | GMAC/s popcount | layer ms, bytes | layer ms, popcount |")
    print("|---|---|---|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        for name, batch, hw, c, f, k, *pad in LAYERS:
            text, bits, macs = layer_model(batch, hw, c, f, k, rng, *pad)
            model, x, ref = write_case(tmp, text, bits)
            best, kernel = {}, {}
            for binary in (False, True):
                out = os.path.join(tmp, f"out{binary}.npy")
                times = [pike_time(pike_run, model, x, out, args.repeats, binary, args.target)
                         for _ in range(args.rounds)]
                best[binary] = min(t[0] for t in times)
                kernel[binary] = min(t[1] for t in times)
                if np.load(out).tobytes() != np.load(ref).tobytes():
                    sys.exit(f"{name}: {'binary' if binary else 'byte'} kernel output differs "
                             "from the reference")
            print(f"| {name} | {macs / 1e6:.1f} M | {kernel[False]:.3f} | {kernel[True]:.3f} | "
                  f"{kernel[False] / kernel[True]:.2f}x | {macs / kernel[False] / 1e6:.0f} | "
                  f"{macs / kernel[True] / 1e6:.0f} | {best[False]:.3f} | {best[True]:.3f} |",
                  flush=True)


if __name__ == "__main__":
    main()
