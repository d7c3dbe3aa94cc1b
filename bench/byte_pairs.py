"""Sub-8-bit layers on byte pairs against i16 pairs, and what it makes of w4a4.

A benchmark harness, not a test: `bash bench/byte-pairs.sh [repeats [rounds
[target]]]`. On a target with byte pairs and no byte quads (`vector`: AVX2's
vpmaddubsw), the dense kernel steps on pairs of u8 x s8 into i16 where the
operands' ranges keep the sums in i16; `--byte-pairs=false` keeps the i16
pairs (vpmaddwd) it used before. Part 1 times single layers (MobileNetV1's
pointwise and ResNet's 3x3 shapes, each with its QuantNorm, u4 or u8 in)
at four widths, both ways, alternating round by round; every output must equal
the NumPy reference (`python -m pike reference`) bit for bit before a time
is printed. Part 2 times whole zoo networks at w4a4 and w8a8, both ways,
and checks that each network's output is the same both ways. Times are the
best call over all rounds: on a shared virtual machine the steal time of its
neighbours moves medians by 10-35 % between identical runs (the w8a8 rows,
which take no byte pairs, show it), and a best call is the run it did not
touch. `--signed` times the layers on a signed input instead (s4 or s8,
which the pairs read from a copy flipped into [0, 255]) at widths whose
weights keep the pairs in i16, 7-bit ones among them, and no networks.
Prints Markdown tables for bench/RESULTS.md.
"""

import argparse
import os
import sys
import tempfile

import numpy as np

from separable_blocks import quant_norm, run_timed, tensor, write_case

# (network, input hw, channels, kernel, filters)
LAYERS = [
    ("MobileNetV1 pointwise", 112, 32, 1, 64),
    ("MobileNetV1 pointwise", 56, 128, 1, 128),
    ("MobileNetV1 pointwise", 28, 256, 1, 256),
    ("MobileNetV1 pointwise", 14, 512, 1, 512),
    ("MobileNetV1 pointwise", 7, 1024, 1, 1024),
    ("ResNet 3x3", 56, 64, 3, 64),
    ("ResNet 3x3", 14, 256, 3, 256),
]

# (activation bits, weight bits)
WIDTHS = [(4, 4), (8, 4), (4, 8), (8, 8)]
# On a signed input: 7-bit weights (onnxruntime's reduce_range) are the
# widest that fit byte pairs against s8 read flipped.
SIGNED_WIDTHS = [(4, 4), (8, 4), (8, 7)]

NETWORKS = [("MobileNetV1", "mobilenet_v1"), ("ResNet-50", "resnet")]


def layer_model(hw, c, k, f, act_bits, weight_bits, rng, signed=False):
    pad = k // 2
    in_t, w_t = tensor((1, hw, hw, c), f"i{act_bits}"), tensor((f, k, k, c), "i8")
    acc_t, out_t = tensor((1, hw, hw, f), "i32"), tensor((1, hw, hw, f), "i8")
    top = 1 << (weight_bits - 1)
    weights = rng.integers(-top, top, (f, k, k, c)).astype(np.int8).tobytes().hex().upper()
    # A shift that spreads the output over u8.
    shift = 31 + 7 + int(np.log2(np.sqrt(k * k * c) * top * (1 << act_bits) / 128))
    zp = -(1 << act_bits) // 8 if signed else (1 << act_bits) // 2
    signedness = "" if signed else "input_unsigned, "
    text = (
        f"func.func @main(%x: {in_t}) -> {out_t} {{\n"
        f"  %w = arith.constant dense<\"0x{weights}\"> : {w_t}\n"
        f"  %a = pike.conv2d %x, %w {{strides = array<i64: 1, 1>, padding = "
        f"array<i64: {pad}, {pad}, {pad}, {pad}>, {signedness}input_zp = {zp} : i64}} "
        f": ({in_t}, {w_t}) -> {acc_t}\n"
        f"  %y = {quant_norm('%a', acc_t, out_t, f, shift, rng)}\n"
        f"  return %y : {out_t}\n}}\n")
    low = -(1 << (act_bits - 1)) if signed else 0
    x = rng.integers(low, low + (1 << act_bits), (1, hw, hw, c))
    x = x.astype(np.int8 if signed else np.uint8)
    return text, x, hw * hw * f * k * k * c


def pike_time(pike_run, model, x, out, repeats, target, pairs):
    """Best ms per call of one pike-run."""
    return run_timed(pike_run, model, x, out, repeats,
                     [f"--target={target}", f"--byte-pairs={str(pairs).lower()}"])[0]


def alternate(pike_run, model, x, tmp, repeats, rounds, target):
    """Best ms with byte pairs and with i16 pairs, and each run's output."""
    times = {True: [], False: []}
    outputs = {}
    for _ in range(rounds):
        for pairs in (True, False):
            out = os.path.join(tmp, f"out_{pairs}.npy")
            times[pairs].append(pike_time(pike_run, model, x, out, repeats, target, pairs))
            outputs[pairs] = np.load(out).tobytes()
    return min(times[True]), min(times[False]), outputs


def layers(pike_run, args, tmp):
    rng = np.random.default_rng(2026)
    print("| layer | input / weight bits | MMACs | i16 pairs, best ms (GMAC/s) | byte pairs (GMAC/s) "
          "| byte / i16 |")
    print("|---|---|---|---|---|---|")
    for name, hw, c, k, f in LAYERS:
        for act_bits, weight_bits in SIGNED_WIDTHS if args.signed else WIDTHS:
            text, x_array, macs = layer_model(hw, c, k, f, act_bits, weight_bits, rng,
                                              args.signed)
            model, x, ref = write_case(tmp, text, x_array)
            pairs, wide, outputs = alternate(pike_run, model, x, tmp, args.repeats,
                                             args.rounds, args.target)
            want = np.load(ref).tobytes()
            if any(out != want for out in outputs.values()):
                sys.exit(f"{name} a{act_bits}w{weight_bits}: output differs from the reference")
            layer = f"{name} {hw}x{hw}x{c} {k}x{k} -> {f}"
            kind = f"{'s' if args.signed else 'u'}{act_bits}"
            print(f"| {layer} | {kind} / {weight_bits} | {macs / 1e6:.1f} "
                  f"| {wide:.3f} ({macs / wide / 1e6:.1f}) | {pairs:.3f} ({macs / pairs / 1e6:.1f}) "
                  f"| {pairs / wide:.2f} |", flush=True)


def networks(pike_run, args, tmp):
    from pike import zoo, tools

    x = os.path.join(tmp, "image.npy")
    np.save(x, np.random.default_rng(0).random((1, 224, 224, 3), dtype=np.float32))
    print("\n| network | i16 pairs, best ms | byte pairs | byte / i16 |")
    print("|---|---|---|---|")
    medians = {}
    for title, builder in NETWORKS:
        for bits in (4, 8):
            path = os.path.join(tmp, f"{builder}.w{bits}a{bits}.mlir")
            with open(path, "w") as handle:
                handle.write(getattr(zoo, builder)(weight_bits=bits, act_bits=bits))
            integer = path.replace(".mlir", ".int.mlir")
            tools.run("pike-opt", path, "--pike-quantize-pipeline", "-o", integer)
            pairs, wide, outputs = alternate(pike_run, integer, x, tmp, args.net_repeats,
                                             args.rounds, args.target)
            if outputs[True] != outputs[False]:
                sys.exit(f"{title} w{bits}a{bits}: output differs between the two ways")
            medians[(title, bits)] = (pairs, wide)
            print(f"| {title} w{bits}a{bits} | {wide:.2f} | {pairs:.2f} | {pairs / wide:.2f} |",
                  flush=True)
    print("\n| network | w4a4 / w8a8, i16 pairs | w4a4 / w8a8, byte pairs |")
    print("|---|---|---|")
    for title, _ in NETWORKS:
        (p4, w4), (p8, w8) = medians[(title, 4)], medians[(title, 8)]
        print(f"| {title} | {w4 / w8:.2f} | {p4 / p8:.2f} |")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=50)
    parser.add_argument("--net-repeats", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--target", default="host", help="pike-run --target")
    parser.add_argument("--signed", action="store_true",
                        help="signed inputs, the layers only (no networks)")
    args = parser.parse_args()
    pike_run = os.environ.get("PIKE_RUN", "pike-run")
    print(f"target {args.target}, 1 thread; {args.repeats} timed calls a layer ("
          f"{args.net_repeats} a network) after a warm-up per round, {args.rounds} rounds "
          "alternating; the best call\n")
    with tempfile.TemporaryDirectory() as tmp:
        layers(pike_run, args, tmp)
        if not args.signed:
            networks(pike_run, args, tmp)


if __name__ == "__main__":
    main()
