"""torchvision's quantizable models through Pike, side by side with PyTorch.

Each model is quantized with PyTorch's own recipe (pike.torch.vision),
exported by PyTorch, imported and run by Pike, and compared with PyTorch's
int8 model on the same image: output difference in steps of the output
quantizer, the same between PyTorch's two engines (QNNPACK vs oneDNN) for
scale, the argmax, and the time per call of each on one thread; and each
layer fed PyTorch's own input integers (pike compare --reference): its
largest difference and how many layers are identical. Not a test:
record its table in docs/Frontends.md. tests/test_torch_zoo.py runs a
bounded subset in CI.
"""

import argparse
import json
import sys

from pike.torch import vision


def table(rows):
    lines = ["| model | input | Pike | layers: max steps, identical | output vs PyTorch int8 "
             "| PyTorch qnnpack vs onednn | same argmax | Pike ms | PyTorch ms | ratio |",
             "|---|---|---|---|---|---|---|---|---|---|"]
    for row in rows:
        steps = row.get("pike_vs_torch_steps")
        pike_ms, torch_ms = row.get("pike_ms"), row.get("torch_ms")
        ratio = f"{pike_ms / torch_ms:.2f}" if pike_ms and torch_ms else ""
        per_layer = (f"{row['layer_max_steps']}, {row['layers_identical']}/{row['layers']}"
                     if "layers" in row else "")
        cells = [row["model"], str(row.get("resolution", "")), row["status"], per_layer,
                 "" if steps is None else f"{steps} steps",
                 "" if row.get("torch_vs_torch_steps") is None
                 else f"{row['torch_vs_torch_steps']} steps",
                 "" if "same_argmax" not in row else ("yes" if row["same_argmax"] else "no"),
                 f"{pike_ms:.1f}" if pike_ms else "", f"{torch_ms:.1f}" if torch_ms else "",
                 ratio]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("models", nargs="*", default=list(vision.MODELS),
                        help=f"models (default: all of {', '.join(vision.MODELS)})")
    parser.add_argument("--resolution", type=int, help="input size (default: the model's)")
    parser.add_argument("--repeat", type=int, default=20, help="timed calls per model")
    parser.add_argument("--plain-export", action="store_true",
                        help="torch.onnx.export as is, not the faithful export")
    parser.add_argument("--rounding",
                        help="rounding of Pike's integer form (default: the imported "
                             "model's, half_even)")
    parser.add_argument("--json", help="also write the rows as JSON")
    args = parser.parse_args(argv)
    unknown = [m for m in args.models if m not in vision.MODELS]
    if unknown:
        parser.error(f"unknown model(s): {', '.join(unknown)}")
    rows = []
    for name in args.models:
        print(f"{name} ...", file=sys.stderr, flush=True)
        rows.append(vision.evaluate(name, args.resolution, args.repeat,
                                    faithful=not args.plain_export,
                                    rounding=args.rounding))
        print(f"  {rows[-1]}", file=sys.stderr, flush=True)
    print(table(rows))
    if args.json:
        with open(args.json, "w") as f:
            json.dump(rows, f, indent=1)


if __name__ == "__main__":
    main()
