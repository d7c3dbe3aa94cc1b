"""Instructions per MAC of the dense kernel's inner loop, per target, counted
statically in the code llc generates: speed on a target this machine cannot
run (AArch64 under qemu is not a timing) is first a matter of how many
instructions each multiply-accumulate costs.

A 1x1 convolution (14x14x128 -> 128, u8 x s8) is lowered with
pike-cpu-pipeline for each target, compiled by opt -O2 and llc -O3 with the
target table's flags, and the innermost loop holding the dot-product
instructions is found in the assembly (the one with a backward branch and no
loop inside). The epilogue's cost is what a per-channel QuantNorm to u8 adds to the loop
around that one (a tile's setup, epilogue and stores), per output element.
One iteration is one channel step of the 4 x 4 register tile:
4 pixels x 4 vectors x lanes x 4 channels MACs (8 channels on aarch64-i8mm,
whose matrix tiles take 8 channels of 2 pixels a step; 16 on aarch64-dotprod,
whose loop does 4 steps per read of each pixel).

    PYTHONPATH=python python3 bench/instructions_per_mac.py
"""

import os
import re
import subprocess
import sys
import tempfile

from pike import targets
from pike.tools import find

LLVM = "/usr/lib/llvm-22/bin"
CONV = """  %y = pike.conv2d %x, %w {strides = array<i64: 1, 1>, padding = array<i64: 0, 0, 0, 0>,
                           input_unsigned}
      : (tensor<1x14x14x128xi8>, tensor<128x1x1x128xi8>) -> tensor<1x14x14x128xi32>"""
MODEL = f"""func.func @main(%x: tensor<1x14x14x128xi8>) -> tensor<1x14x14x128xi32> {{
  %w = arith.constant dense<3> : tensor<128x1x1x128xi8>
{CONV}
  return %y : tensor<1x14x14x128xi32>
}}
"""
# The same layer with a per-channel QuantNorm to u8 fused as its epilogue.
MULTIPLIERS = ", ".join(str(1_000_000_007 + 7919 * c) for c in range(128))
BIASES = ", ".join(str(1000 * c - 64000) for c in range(128))
EPILOGUE_MODEL = f"""func.func @main(%x: tensor<1x14x14x128xi8>) -> tensor<1x14x14x128xi8> {{
  %w = arith.constant dense<3> : tensor<128x1x1x128xi8>
{CONV}
  %q = pike.quant_norm %y {{multiplier = #pike.fixed_point<bits = 32,
         multipliers = [{MULTIPLIERS}], shifts = [38]>, bias = array<i64: {BIASES}>,
         output_unsigned}} : tensor<1x14x14x128xi32> -> tensor<1x14x14x128xi8>
  return %q : tensor<1x14x14x128xi8>
}}
"""
MULTIPLIES = re.compile(
    r"^(vpdpbusd|vpmaddwd|vpmulld|smull2?|smlal2?|mul|mla|sdot|udot|usdot|[su]?s?mmla)\b")


def loops(asm):
    """The instructions of an assembly listing and its loops as (first,
    last) instruction spans, from each backward branch to its label."""
    labels, code = {}, []
    for line in asm.splitlines():
        label = re.match(r"^(\.LBB\d+_\d+):", line)
        if label:
            labels[label.group(1)] = len(code)
            continue
        text = line.strip()
        if not text or text.startswith((".", "//", "#", ";")) or text.endswith(":"):
            continue
        code.append(text)
    spans = []
    for end, instruction in enumerate(code):
        target = re.search(r"(\.LBB\d+_\d+)\s*$", instruction)
        if target and target.group(1) in labels and labels[target.group(1)] <= end:
            spans.append((labels[target.group(1)], end))
    return code, spans


def compile_layer(text, target, tmp, name):
    model = os.path.join(tmp, f"{name}.mlir")
    with open(model, "w") as f:
        f.write(text)
    lowered, ll, bc, asm = (os.path.join(tmp, f"{name}-{target}.{e}")
                            for e in ("mlir", "ll", "bc", "s"))
    subprocess.run([find("pike-opt"), model, f"--pike-cpu-pipeline=target={target}", "-o",
                    lowered], check=True)
    subprocess.run([f"{LLVM}/mlir-translate", "--mlir-to-llvmir", lowered, "-o", ll], check=True)
    flags = targets.llc_flags(target)
    subprocess.run([f"{LLVM}/opt", "-O2", *flags, ll, "-o", bc], check=True)
    subprocess.run([f"{LLVM}/llc", "-O3", *flags, bc, "-o", asm], check=True)
    with open(asm) as f:
        return loops(f.read())


def dot_loop(code, spans):
    """The innermost loop with the most multiplies (the channel steps) and
    the instructions of the loop around it outside it (a tile's setup, its
    epilogue and stores)."""
    inner = [(a, b) for a, b in spans
             if not any(a < c and d < b for c, d in spans if (c, d) != (a, b))]
    a, b = max(inner, key=lambda s: sum(bool(MULTIPLIES.match(i)) for i in code[s[0]:s[1] + 1]))
    around = min((s for s in spans if s[0] <= a and b <= s[1] and s != (a, b)),
                 key=lambda s: s[1] - s[0], default=(a, b))
    return code[a:b + 1], (around[1] - around[0]) - (b - a)


def measure(target, tmp):
    code, spans = compile_layer(MODEL, target, tmp, "plain")
    body, tile_rest = dot_loop(code, spans)
    fused_code, fused_spans = compile_layer(EPILOGUE_MODEL, target, tmp, "fused")
    _, fused_rest = dot_loop(fused_code, fused_spans)
    row = targets.describe(target)
    # An iteration is 8 channels on byte matrix tiles (2 x 8 by 8 x 2), 16
    # with AArch64's indexed sdot (4 steps a read of each pixel), else 4.
    channels = {"arm-i8mm": 8, "arm-dot": 16}.get(row["dot_product"], 4)
    macs = 4 * 4 * row["lanes"] * channels
    outputs = 4 * 4 * row["lanes"]
    ops = {}
    for instruction in body:
        ops[instruction.split()[0]] = ops.get(instruction.split()[0], 0) + 1
    memory = sum(n for op, n in ops.items()
                 if re.match(r"(v?mov|ldr|str|ldp|stp|ld1|st1)", op))
    return (len(body), macs, memory, sorted(ops.items(), key=lambda kv: -kv[1])[:5],
            (fused_rest - tile_rest) / outputs)


def main():
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for target in ("avx512-vnni", "vector", "aarch64", "aarch64-dotprod", "aarch64-i8mm"):
            rows.append((target, *measure(target, tmp)))
    print("| target | instructions per iteration | MACs per iteration | instructions per MAC | "
          "loads, stores, moves | most frequent | epilogue instructions per output |")
    print("|---|---|---|---|---|---|---|")
    for target, count, macs, memory, top, epilogue in rows:
        print(f"| `{target}` | {count} | {macs} | {count / macs:.3f} | {memory} | "
              f"{', '.join(f'{op} x{n}' for op, n in top)} | {epilogue:.2f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
