"""torchvision's float models quantized by onnxruntime, through Pike beside
onnxruntime.

Each model is exported by torch.onnx, quantized by onnxruntime's
quantize_static in every configuration (pike.torch.ort_quantizer), run by
onnxruntime and imported and run by Pike, and compared on one image: the
largest output difference in steps of the output quantizer, the share of
outputs differing, the argmax, each layer fed onnxruntime's integers of its
inputs (the worst layer, the layers that differ of those onnxruntime
computed with a float kernel), and the time per call of each on one
thread. Not a test: record its table in docs/Frontends.md.
tests/test_ort_quantizer.py runs a bounded subset in CI.
"""

import argparse
import json
import sys

from pike.torch import ort_quantizer


def table(rows):
    lines = ["| model | configuration | Pike | max steps | outputs differing | same argmax "
             "| worst layer, fed onnxruntime's inputs | layers differing / float in onnxruntime "
             "| Pike ms | onnxruntime ms |",
             "|---|---|---|---|---|---|---|---|---|---|"]
    for row in rows:
        runs = row["status"] == "runs"
        pike_ms, ort_ms = row.get("pike_ms"), row.get("ort_ms")
        config = row["config"] + (" (7-bit weights)" if row["reduce_range"] else "")
        cells = [row["model"], config, row["status"],
                 str(row["max_steps"]) if runs else "",
                 f"{100 * row['differing']:.1f} %" if runs else "",
                 ("yes" if row["same_argmax"] else "no") if runs else "",
                 f"{row['layer_max_steps']} steps ({row['layers']} layers)" if runs else "",
                 f"{len(row['layers_differing'])} / {len(row['ort_float_layers'])}" if runs
                 else "",
                 f"{pike_ms:.2f}" if runs and pike_ms else "",
                 f"{ort_ms:.2f}" if ort_ms else ""]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("models", nargs="*", default=list(ort_quantizer.MODELS),
                        help=f"models (default: all of {', '.join(ort_quantizer.MODELS)})")
    parser.add_argument("--resolution", type=int, help="input size (default: the model's)")
    parser.add_argument("--repeat", type=int, default=20, help="timed calls per model")
    parser.add_argument("--rounding", default="float32",
                        help="rounding of Pike's integer form (default float32, onnxruntime's "
                             "requantization; half_even is the imported model's own)")
    parser.add_argument("--json", help="also write the rows as JSON")
    args = parser.parse_args(argv)
    unknown = [m for m in args.models if m not in ort_quantizer.MODELS]
    if unknown:
        parser.error(f"unknown model(s): {', '.join(unknown)}")
    rows = []
    for name in args.models:
        print(f"{name} ...", file=sys.stderr, flush=True)
        for row in ort_quantizer.evaluate(name, resolution=args.resolution,
                                          repeat=args.repeat, rounding=args.rounding):
            print(f"  {row}", file=sys.stderr, flush=True)
            rows.append(row)
    print(table(rows))
    if args.json:
        with open(args.json, "w") as f:
            json.dump(rows, f, indent=1)


if __name__ == "__main__":
    main()
