"""Pike's compiled int8 MobileNetV1 side by side with PyTorch's int8 on oneDNN.

A benchmark harness, not a test: `bash bench/compare.sh [repeats]`. In one run,
on one thread (or --threads N on both sides), batch 1, it measures
  - every layer of MobileNetV1 224 (first convolution, 13 depthwise and 13
    pointwise convolutions, classifier) and the whole network, as Pike's
    integer form (conv2d + quant_norm, u8 activations, s8 weights) run by
    pike-run, and as PyTorch 1.13's quantized modules on the onednn engine;
  - medians and minima, ratios, and GMAC/s against the machine's int8 peak
    (one 512-bit vpdpbusd, 64 MACs, per cycle per core where AVX-512 VNNI is
    present, else 16 MACs per cycle with AVX2);
  - which ISA each side used: oneDNN's own words (ONEDNN_VERBOSE=1) and the
    target of pike-cpu-pipeline (the best the host runs, or --target);
  - the compile time and peak memory of pike-quantize-pipeline plus
    pike-cpu-pipeline on MobileNetV1 of 1x, 4x and 16x the depth.
It prints a Markdown report for bench/RESULTS.md.
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

from pike import targets, zoo
from pike.tools import find

BLOCKS = zoo.MOBILENET_V1_BLOCKS


def layers(resolution=224, classes=1000):
    """(name, kind, in_hw, in_c, out_c, kernel, stride) of MobileNetV1."""
    result = [("conv1", "conv", resolution, 3, 32, 3, 2)]
    hw, c = resolution // 2, 32
    for i, (out_c, stride) in enumerate(BLOCKS, start=1):
        result.append((f"block{i}/dw", "dw", hw, c, c, 3, stride))
        hw = -(-hw // stride)
        result.append((f"block{i}/pw", "pw", hw, c, out_c, 1, 1))
        c = out_c
    result.append(("fc", "fc", 1, c, classes, 1, 1))
    return result


def macs(kind, hw, in_c, out_c, kernel, stride):
    out_hw = -(-hw // stride)
    if kind == "dw":
        return out_hw * out_hw * in_c * kernel * kernel
    return out_hw * out_hw * out_c * in_c * kernel * kernel


def same_padding(hw, kernel, stride):
    out = -(-hw // stride)
    total = max((out - 1) * stride + kernel - hw, 0)
    return total // 2, total - total // 2


# -- Pike -------------------------------------------------------------------

def hex_dense(array):
    return '"0x' + array.astype(np.int8).tobytes().hex().upper() + '"'


def pike_layer(kind, hw, in_c, out_c, kernel, stride, rng, weight_bits=8):
    """One layer in integer form: u8 activations, s8 weights (in the range
    of `weight_bits`), an i32 accumulator and a per-channel QuantNorm back
    to u8."""
    w_max = (1 << (weight_bits - 1)) - 1
    out_hw = -(-hw // stride)
    multipliers = ", ".join(str(int(m)) for m in rng.integers(1 << 30, 1 << 31, out_c))
    quant_norm = (f'pike.quant_norm %acc {{multiplier = #pike.fixed_point<bits = 32, '
                  f'multipliers = [{multipliers}], shifts = [41]>, output_unsigned}}')
    if kind == "fc":
        w = rng.integers(-w_max, w_max + 1, (out_c, in_c))
        return (f"func.func @main(%x: tensor<1x{in_c}xi8>) -> tensor<1x{out_c}xi8> {{\n"
                f"  %w = arith.constant dense<{hex_dense(w)}> : tensor<{out_c}x{in_c}xi8>\n"
                f"  %acc = pike.fully_connected %x, %w {{input_unsigned}} : (tensor<1x{in_c}xi8>, "
                f"tensor<{out_c}x{in_c}xi8>) -> tensor<1x{out_c}xi32>\n"
                f"  %y = {quant_norm} : tensor<1x{out_c}xi32> -> tensor<1x{out_c}xi8>\n"
                f"  return %y : tensor<1x{out_c}xi8>\n}}\n"), (1, in_c)
    groups = in_c if kind == "dw" else 1
    w_shape = (out_c, kernel, kernel, in_c // groups)
    w = rng.integers(-w_max, w_max + 1, w_shape)
    top, bottom = same_padding(hw, kernel, stride)
    in_t = f"tensor<1x{hw}x{hw}x{in_c}xi8>"
    w_t = "tensor<" + "x".join(map(str, w_shape)) + "xi8>"
    acc_t = f"tensor<1x{out_hw}x{out_hw}x{out_c}xi32>"
    out_t = f"tensor<1x{out_hw}x{out_hw}x{out_c}xi8>"
    return (f"func.func @main(%x: {in_t}) -> {out_t} {{\n"
            f"  %w = arith.constant dense<{hex_dense(w)}> : {w_t}\n"
            f"  %acc = pike.conv2d %x, %w {{strides = array<i64: {stride}, {stride}>, "
            f"padding = array<i64: {top}, {bottom}, {top}, {bottom}>, groups = {groups} : i64, "
            f"input_unsigned}} : ({in_t}, {w_t}) -> {acc_t}\n"
            f"  %y = {quant_norm} : {acc_t} -> {out_t}\n"
            f"  return %y : {out_t}\n}}\n"), (1, hw, hw, in_c)


TARGET = "host"
THREADS = 1


def pike_time(model_path, input_path, repeats):
    """Mean and best time (ms) per call that pike-run reports for `repeats`
    calls of one compiled module (compilation excluded)."""
    result = subprocess.run([find("pike-run"), model_path, f"--input={input_path}",
                             f"--target={TARGET}", f"--threads={THREADS}",
                             f"--output={input_path}.out.npy", f"--repeat={repeats}"],
                            capture_output=True, text=True, check=True)
    match = re.search(r"time: ([0-9.]+) ms mean, ([0-9.]+) ms best", result.stderr)
    return float(match.group(1)), float(match.group(2))


# -- PyTorch / oneDNN -------------------------------------------------------

def torch_layer(kind, hw, in_c, out_c, kernel, stride):
    import torch
    import torch.ao.quantization as tq

    if kind == "fc":
        float_model = torch.nn.Sequential(torch.nn.Linear(in_c, out_c))
        shape = (1, in_c)
    else:
        groups = in_c if kind == "dw" else 1
        float_model = torch.nn.Sequential(torch.nn.Conv2d(
            in_c, out_c, kernel, stride, padding=kernel // 2, groups=groups), torch.nn.ReLU())
        shape = (1, in_c, hw, hw)
    model = torch.nn.Sequential(tq.QuantStub(), float_model, tq.DeQuantStub()).eval()
    model.qconfig = tq.get_default_qconfig("onednn")
    tq.prepare(model, inplace=True)
    model(torch.rand(shape))
    tq.convert(model, inplace=True)
    quantized_input = torch.quantize_per_tensor(torch.rand(shape), 1 / 255, 0, torch.quint8)
    layer = model[1]
    return layer, quantized_input


def torch_mobilenet(resolution=224, classes=1000):
    """MobileNetV1 as PyTorch's eager quantization builds it: float in and
    out, every conv fused with its ReLU, int8 on the onednn engine."""
    import torch
    import torch.ao.quantization as tq

    modules, names = [tq.QuantStub()], []
    for name, kind, hw, in_c, out_c, kernel, stride in layers(resolution, classes)[:-1]:
        groups = in_c if kind == "dw" else 1
        modules += [torch.nn.Conv2d(in_c, out_c, kernel, stride, padding=kernel // 2,
                                    groups=groups, bias=False), torch.nn.ReLU()]
        names.append([str(len(modules) - 2), str(len(modules) - 1)])
    modules += [torch.nn.AdaptiveAvgPool2d(1), torch.nn.Flatten(),
                torch.nn.Linear(layers()[-1][3], classes), tq.DeQuantStub()]
    model = torch.nn.Sequential(*modules).eval()
    tq.fuse_modules(model, names, inplace=True)
    model.qconfig = tq.get_default_qconfig("onednn")
    tq.prepare(model, inplace=True)
    shape = (1, 3, resolution, resolution)
    model(torch.rand(shape))
    tq.convert(model, inplace=True)
    return model, torch.rand(shape)


def library_time(model_path, x, repeats):
    """Mean and best time (ms) per call of the model compiled ahead of time
    (`pike compile --emit shared`), called through ctypes with its workspace
    allocated once."""
    from pike import aot
    so = os.path.splitext(model_path)[0] + ".so"
    aot.compile_library(model_path, so, "shared", TARGET, THREADS != 1)
    library = aot.Library(so)
    library.run([x])  # warm-up
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        library.run([x])
        times.append((time.perf_counter() - start) * 1e3)
    return statistics.mean(times), min(times)


def pike_mobilenet(tmp, repeats, rng, bits=8, library=False):
    """The zoo MobileNetV1 (w`bits`a`bits`, float image in, float logits out)
    in integer form, timed by pike-run (or, with `library`, as the compiled
    library)."""
    path = os.path.join(tmp, f"mobilenet{bits}.mlir")
    with open(path, "w") as f:
        f.write(zoo.mobilenet_v1(weight_bits=bits, act_bits=bits))
    integer = os.path.join(tmp, f"mobilenet{bits}.int.mlir")
    subprocess.run([find("pike-opt"), path, "--pike-quantize-pipeline", "-o", integer], check=True)
    x = os.path.join(tmp, "image.npy")
    image = rng.uniform(0, 1, (1, 224, 224, 3)).astype(np.float32)
    np.save(x, image)
    if library:
        return library_time(integer, image, repeats)
    return pike_time(integer, x, repeats)


def torch_time(fn, repeats):
    fn()  # warm-up (oneDNN creates its primitives here)
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1e3)
    return statistics.median(times), min(times)


def onednn_isa(fn):
    """oneDNN's verbose lines for one call: the implementation of each primitive."""
    code = ("import os, sys, torch; sys.path.insert(0, %r); "
            "import compare_onednn as c; torch.set_num_threads(1); "
            "torch.backends.quantized.engine = 'onednn'; "
            "layer, x = c.torch_layer(*%r); layer(x); layer(x)")
    out = subprocess.run([sys.executable, "-c", code % (os.path.dirname(__file__), fn)],
                         capture_output=True, text=True,
                         env=dict(os.environ, ONEDNN_VERBOSE="1", DNNL_VERBOSE="1"))
    # onednn_verbose,exec,cpu,<primitive>,<implementation>,<prop kind>,...
    impls = sorted({f"{fields[3]} {fields[4]}" for fields in
                    (line.split(",") for line in out.stdout.splitlines())
                    if fields[0] in ("onednn_verbose", "dnnl_verbose") and len(fields) > 4
                    and fields[1] == "exec"})
    return ", ".join(impls) or "(no oneDNN primitive reported)"


# -- machine ----------------------------------------------------------------

def machine():
    with open("/proc/cpuinfo") as f:
        info = f.read()
    name = re.search(r"model name\s*:\s*(.*)", info).group(1)
    flags = set(re.search(r"flags\s*:\s*(.*)", info).group(1).split())
    mhz = float(re.search(r"cpu MHz\s*:\s*([0-9.]+)", info).group(1))
    features = [f for f in ("avx2", "avx512f", "avx512_vnni", "avx_vnni", "amx_int8") if f in flags]
    macs_per_cycle = 64 if "avx512_vnni" in flags else 16
    host = targets.host()
    return name, features, mhz, mhz * 1e6 * macs_per_cycle / 1e9, host


def weight_rows(tmp, repeats, rng):
    """Pike alone: layers bound by reading their weights (each weight used
    once per call), with 8-bit and with 4-bit weights (packed two per byte
    on avx512-vnni), the same activations."""
    rows = []
    for name, kind, hw, in_c, out_c, kernel, stride in [
            ("fc 1024->1000", "fc", 1, 1024, 1000, 1, 1),
            ("fc 4096->4096 (16 MB of s8 weights)", "fc", 1, 4096, 4096, 1, 1),
            ("block13/pw 7x7x1024->1024", "pw", 7, 1024, 1024, 1, 1)]:
        times = []
        for bits in (8, 4):
            text, shape = pike_layer(kind, hw, in_c, out_c, kernel, stride, rng, weight_bits=bits)
            path = os.path.join(tmp, f"weights{bits}.mlir")
            with open(path, "w") as f:
                f.write(text)
            x_path = os.path.join(tmp, "wx.npy")
            np.save(x_path, np.random.default_rng(1).integers(0, 256, shape).astype(np.uint8))
            times.append(pike_time(path, x_path, repeats))
        rows.append((name, times))
    return rows


def compile_scaling(tmp):
    rows = []
    base = list(BLOCKS)
    for depth in (1, 4, 16):
        blocks = base[:6] + [(512, 1)] * (5 * depth) + base[11:]
        path = os.path.join(tmp, f"depth{depth}.mlir")
        with open(path, "w") as f:
            f.write(zoo.mobilenet_v1(blocks=blocks, weight_bits=8, act_bits=8, splat_weights=True))
        # A fresh parent per measurement, so that its children's peak RSS is
        # pike-opt's alone.
        probe = ("import resource, subprocess, sys, time; t = time.perf_counter(); "
                 "subprocess.run(sys.argv[1:], check=True); "
                 "print(time.perf_counter() - t, "
                 "resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
        out = subprocess.run([sys.executable, "-c", probe, find("pike-opt"), path,
                              "--pike-quantize-pipeline",
                              f"--pike-cpu-pipeline=target={TARGET}", "-o", os.devnull],
                             capture_output=True, text=True, check=True).stdout.split()
        rows.append((depth, len(blocks), float(out[0]), int(out[1]) / 1024))
    return rows


def whole_by_threads(tmp, repeats, rng, counts, model, image, rounds=3):
    """The whole network at each thread count, Pike (w8a8 and w4a4) and
    oneDNN, interleaved over `rounds` so that a noisy spell hits all alike;
    the best of the rounds' best times."""
    global THREADS
    import torch
    saved = THREADS
    best = {t: [float("inf")] * 3 for t in counts}
    for _ in range(rounds):
        for t in counts:
            THREADS = t
            torch.set_num_threads(t)
            times = (pike_mobilenet(tmp, repeats, rng)[1],
                     pike_mobilenet(tmp, repeats, rng, bits=4)[1],
                     torch_time(lambda: model(image), repeats)[1])
            best[t] = [min(a, b) for a, b in zip(best[t], times)]
    THREADS = saved
    torch.set_num_threads(saved)
    return best


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument("--layers", type=int, default=0, help="only the first N layers (0: all)")
    parser.add_argument("--target", default="host",
                        help="pike-run --target (pike-run --list-targets)")
    parser.add_argument("--threads", type=int, default=1,
                        help="threads on both sides (pike-run --threads, torch.set_num_threads)")
    parser.add_argument("--whole-threads", default="",
                        help="also time the whole network at these thread counts (e.g. 1,2), "
                             "interleaved in this run")
    args = parser.parse_args()
    whole_counts = [int(t) for t in args.whole_threads.split(",") if t]
    global TARGET, THREADS
    THREADS = args.threads

    import torch
    torch.set_num_threads(args.threads)
    torch.backends.quantized.engine = "onednn"
    name, features, mhz, peak, host = machine()
    TARGET = host if args.target == "host" else args.target
    rng = np.random.default_rng(0)
    print(f"machine: {name}, {os.cpu_count()} cores, {mhz:.0f} MHz, features {' '.join(features)}")
    print(f"int8 peak assumed: {peak:.0f} GMAC/s per core")
    print(f"PyTorch {torch.__version__}, engine onednn, {THREADS} thread(s); "
          f"pike-run --target={TARGET} --threads={THREADS}; "
          f"{args.repeats} timed calls after a warm-up\n")
    rows, totals = [], [0.0, 0.0, 0.0, 0.0, 0]
    selected = layers()[: args.layers or None]
    with tempfile.TemporaryDirectory() as tmp:
        for layer_name, kind, hw, in_c, out_c, kernel, stride in selected:
            text, shape = pike_layer(kind, hw, in_c, out_c, kernel, stride, rng)
            path = os.path.join(tmp, "layer.mlir")
            with open(path, "w") as f:
                f.write(text)
            x_path = os.path.join(tmp, "x.npy")
            np.save(x_path, rng.integers(0, 256, shape).astype(np.uint8))
            pike_mean, pike_best = pike_time(path, x_path, args.repeats)
            layer, qx = torch_layer(kind, hw, in_c, out_c, kernel, stride)
            torch_median, torch_best = torch_time(lambda: layer(qx), args.repeats)
            n = macs(kind, hw, in_c, out_c, kernel, stride)
            rows.append((layer_name, n, pike_mean, pike_best, torch_median, torch_best))
            for i, v in enumerate((pike_mean, pike_best, torch_median, torch_best)):
                totals[i] += v
            totals[4] += n
        isa = {kind: onednn_isa((kind, hw, in_c, out_c, kernel, stride))
               for _, kind, hw, in_c, out_c, kernel, stride in
               [selected[0]] + [l for l in selected if l[1] in ("dw", "pw", "fc")][:3]}
        scaling = compile_scaling(tmp)
        weights = weight_rows(tmp, args.repeats, rng)
        whole_pike = pike_mobilenet(tmp, args.repeats, rng)
        whole_pike4 = pike_mobilenet(tmp, args.repeats, rng, bits=4)
        whole_library = pike_mobilenet(tmp, args.repeats, rng, library=True)
        model, image = torch_mobilenet()
        whole_torch = torch_time(lambda: model(image), args.repeats)
        by_threads = whole_by_threads(tmp, args.repeats, rng, whole_counts, model, image)

    print("| layer | MMACs | Pike mean / best ms | oneDNN median / min ms | Pike / oneDNN (best) | "
          "Pike GMAC/s | oneDNN GMAC/s |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for layer_name, n, pm, pb, tm, tb in rows + [("**sum of layers**", totals[4], *totals[:4])]:
        print(f"| {layer_name} | {n / 1e6:.1f} | {pm:.3f} / {pb:.3f} | {tm:.3f} / {tb:.3f} | "
              f"{pb / tb:.2f}x | {n / pb / 1e6:.1f} | {n / tb / 1e6:.1f} |")
    n = totals[4]
    print(f"| **whole network** (float image in, logits out) | {n / 1e6:.1f} | "
          f"{whole_pike[0]:.3f} / {whole_pike[1]:.3f} | {whole_torch[0]:.3f} / {whole_torch[1]:.3f} | "
          f"{whole_pike[1] / whole_torch[1]:.2f}x | {n / whole_pike[1] / 1e6:.1f} | "
          f"{n / whole_torch[1] / 1e6:.1f} |")
    print(f"| whole network, compiled library (`pike compile --emit shared`, one workspace) | "
          f"{n / 1e6:.1f} | {whole_library[0]:.3f} / {whole_library[1]:.3f} | "
          f"{whole_torch[0]:.3f} / {whole_torch[1]:.3f} | {whole_library[1] / whole_torch[1]:.2f}x | "
          f"{n / whole_library[1] / 1e6:.1f} | {n / whole_torch[1] / 1e6:.1f} |")
    peak *= THREADS
    print(f"| whole network, w4a4 (Pike only: oneDNN has no 4-bit path) | {n / 1e6:.1f} | "
          f"{whole_pike4[0]:.3f} / {whole_pike4[1]:.3f} | – | – | "
          f"{n / whole_pike4[1] / 1e6:.1f} | – |")
    print(f"\nPeak: {peak:.0f} GMAC/s assumed ({THREADS} core(s)); oneDNN reaches "
          f"{100 * n / whole_torch[1] / 1e6 / peak:.0f} % of it on the whole network, Pike "
          f"{100 * n / whole_pike[1] / 1e6 / peak:.1f} %.")
    if by_threads:
        print(f"\nWhole network by threads, the same run ({len(by_threads)} counts interleaved, "
              "best of 3 rounds' best, ms):")
        print("| threads | Pike w8a8 | Pike w4a4 | oneDNN int8 | Pike w8a8 / oneDNN |")
        print("|---:|---:|---:|---:|---:|")
        for t, (p8, p4, dnn) in by_threads.items():
            print(f"| {t} | {p8:.3f} | {p4:.3f} | {dnn:.3f} | {p8 / dnn:.2f}x |")
    print("\noneDNN implementations (ONEDNN_VERBOSE=1):")
    for kind, impl in isa.items():
        print(f"- {kind}: {impl}")
    print(f"- Pike: pike-cpu-pipeline target={TARGET}, LLVM JIT (-O2) for the host CPU "
          f"({' '.join(features)})")
    print("\n4-bit against 8-bit weights, Pike alone, batch 1 (mean / best ms):")
    print("| layer | w8 | w4 | w4 / w8 (best) |")
    print("|---|---:|---:|---:|")
    for name, ((m8, b8), (m4, b4)) in weights:
        print(f"| {name} | {m8:.3f} / {b8:.3f} | {m4:.3f} / {b4:.3f} | {b4 / b8:.2f}x |")
    print(f"\nCompile time and peak memory (pike-opt --pike-quantize-pipeline "
          f"--pike-cpu-pipeline=target={TARGET}):")
    print("| depth | blocks | seconds | peak RSS MiB |")
    print("|---:|---:|---:|---:|")
    for depth, blocks, seconds, rss in scaling:
        print(f"| {depth}x | {blocks} | {seconds:.2f} | {rss:.0f} |")


if __name__ == "__main__":
    main()
