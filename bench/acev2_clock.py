"""ACEv2 against the clock: does the metric predict what the compiled code costs?

Each model is profiled by `pike-run --profile` (JIT, one thread, every layer
timed inside the whole network, median of --repeat calls) and costed by
pike-acev2 on the same IR. Layers are a MAC op and the ops its kernel runs
or that read its result (pike.measure.timed_layers). For MACs, ACE, ACEv2 and the
CPU cost model (pike.measure.FEATURES, fitted on the training models and
evaluated on the others), it reports Spearman's rank correlation with the
measured time per layer and per model, and the relative error of a scale
fitted on the training set. Not a test: record its tables in docs/ACEv2.md
(tests/test_acev2_clock.py runs a bounded version in CI).

  /usr/bin/python3 bench/acev2_clock.py --json results.json            # the study
  /usr/bin/python3 bench/acev2_clock.py --small --repeat 3             # CI-sized
"""

import argparse
import json
import os
import platform
import sys
import tempfile

import numpy as np

from pike import cost, measure, tools, zoo

METRICS = ("macs", "ace", "acev2", "cpu")


def zoo_models(small):
    """(name, set, writer) of the bundled zoo: every variant, width pair and
    form the issue names; `small` keeps the 32x32 models (CI)."""
    models = []
    nets = ([("mobilenet-tiny", None), ("resnet-tiny", None)] if small
            else [("mobilenetv1", None), ("resnet50", None)])
    for net, _ in nets:
        for variant in zoo.VARIANTS:
            for bits in (8, 4):
                def write(path, net=net, variant=variant, bits=bits):
                    common = dict(variant=variant, weight_bits=bits, act_bits=bits,
                                  file_name=os.path.basename(path))
                    if net == "mobilenetv1":
                        text = zoo.mobilenet_v1(**common)
                    elif net == "resnet50":
                        text = zoo.resnet(**common)
                    elif net == "resnet-tiny":
                        text = zoo.resnet(stages=zoo.RESNET_TINY_STAGES, name="ResNet-tiny",
                                          resolution=32, classes=10, **common)
                    else:
                        text = zoo.mobilenet_v1(width=0.25, resolution=32, classes=10,
                                                **common)
                    with open(path, "w") as f:
                        f.write(text)
                for form in ("given", "integer"):
                    models.append((f"{net} {variant} w{bits}a{bits} {form}", "zoo", write,
                                   form))
    return models


def torchvision_models(names, folder):
    """(name, set, writer) of torchvision's quantizable models as PyTorch
    quantizes and exports them and Pike imports them (integer form)."""
    models = []
    for name in names:
        def write(path, name=name):
            from pike import onnx_import
            from pike.torch import vision
            resolution = vision.MODELS[name][3]
            model = vision.float_model(name, resolution, 0)
            prepared = vision.prepare(model, name, vision.images(16, resolution, 1),
                                      vision.needs_reduce_range())
            onednn = vision.convert(prepared, name, "onednn")
            onnx_path = os.path.join(folder, f"{name}.onnx")
            vision.export(onednn, vision.images(1, resolution, 2), onnx_path)
            text = onnx_import.import_file(onnx_path, f"{name}.mlir")
            with open(path, "w") as f:
                f.write(text)
        models.append((f"torchvision {name}", "torchvision", write, "integer"))
    return models


def measure_model(name, path, form, folder, repeat, target):
    passes = [] if form == "given" else [cost.pipeline_option()]
    report = cost.analyze(path, passes)
    measure.attach(report, measure.profile(path, passes, folder, repeat, target))
    layers = [l for l in measure.timed_layers(report) if l["measured_us"] > 0]
    return {"model": name, "measured": report["measured"], "layers": layers}


def metric(layer_or_model, key, coefficients):
    if key == "cpu":
        return measure.predict_us(layer_or_model["features"], coefficients)
    return layer_or_model[key]


def model_totals(result):
    features = dict.fromkeys(measure.FEATURES, 0.0)
    for l in result["layers"]:
        for k in features:
            features[k] += l["features"][k]
    return {"macs": sum(l["macs"] for l in result["layers"]),
            "ace": sum(l["ace"] for l in result["layers"]),
            "acev2": sum(l["acev2"] for l in result["layers"]),
            "features": features,
            "measured_us": result["measured"]["network_ms"] * 1000.0}


def evaluate(train, test, coefficients):
    """Per metric: Spearman per layer (median over test models, and pooled
    over their layers), Spearman over test models' totals, and the median
    relative error on the test set of a scale fitted on the training set."""
    rows = {}
    for key in METRICS:
        train_layers = [l for r in train for l in r["layers"]]
        test_layers = [l for r in test for l in r["layers"]]
        # The CPU model predicts microseconds already: its error is its own.
        scale = 1.0 if key == "cpu" else measure.fit_scale(
            [metric(l, key, coefficients) for l in train_layers],
            [l["measured_us"] for l in train_layers])
        per_model = [measure.spearman([metric(l, key, coefficients) for l in r["layers"]],
                                      [l["measured_us"] for l in r["layers"]]) for r in test]
        layer_err = measure.relative_errors(
            [scale * metric(l, key, coefficients) for l in test_layers],
            [l["measured_us"] for l in test_layers])
        train_totals = [model_totals(r) for r in train]
        test_totals = [model_totals(r) for r in test]
        model_scale = 1.0 if key == "cpu" else measure.fit_scale(
            [metric(t, key, coefficients) for t in train_totals],
            [t["measured_us"] for t in train_totals])
        model_err = measure.relative_errors(
            [model_scale * metric(t, key, coefficients) for t in test_totals],
            [t["measured_us"] for t in test_totals])
        rows[key] = {
            "layer_spearman_median": float(np.nanmedian(per_model)) if per_model else None,
            "layer_spearman_pooled": measure.spearman(
                [metric(l, key, coefficients) for l in test_layers],
                [l["measured_us"] for l in test_layers]),
            "model_spearman": measure.spearman(
                [metric(t, key, coefficients) for t in test_totals],
                [t["measured_us"] for t in test_totals]),
            "layer_rel_error_median": float(np.median(layer_err)) if len(layer_err) else None,
            "model_rel_error_median": float(np.median(model_err)) if len(model_err) else None,
        }
    return rows


def cpu_flags():
    """The CPU's name, its vector and matrix flags, and its nominal MHz."""
    from pike import aot

    model, mhz = platform.processor(), None
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                elif line.startswith("cpu MHz") and mhz is None:
                    mhz = float(line.split(":", 1)[1])
    except OSError:
        pass
    wanted = ("avx2", "avx512f", "avx512bw", "avx512_vnni", "avx_vnni", "amx_int8", "amx_tile")
    return model, [f for f in wanted if f in aot.cpu_flags()], mhz


def format_tables(study):
    lines = []
    for target, data in study["targets"].items():
        lines.append(f"Target `{target}`: trained on {', '.join(data['train_sets'])} "
                     f"({data['train_models']} models, {data['train_layers']} layers), "
                     f"evaluated on {', '.join(data['test_sets'])} ({data['test_models']} "
                     f"models, {data['test_layers']} layers).\n")
        lines.append("| metric | Spearman per layer (median over models) | Spearman per layer "
                     "(pooled) | Spearman per model | scale error per layer (median) "
                     "| scale error per model (median) |")
        lines.append("|---|---|---|---|---|---|")
        for key, row in data["evaluation"].items():
            def f(v, pct=False):
                if v is None or (isinstance(v, float) and np.isnan(v)):
                    return "n/a"
                return f"{100 * v:.0f}%" if pct else f"{v:.2f}"
            lines.append(f"| {key} | {f(row['layer_spearman_median'])} | "
                         f"{f(row['layer_spearman_pooled'])} | {f(row['model_spearman'])} | "
                         f"{f(row['layer_rel_error_median'], True)} | "
                         f"{f(row['model_rel_error_median'], True)} |")
        lines.append("")
        mhz = study.get("mhz")
        lines.append("| CPU cost model feature | us per million | cycles per unit "
                     f"(at {mhz or 0:.0f} MHz) |")
        lines.append("|---|---|---|")
        for k, c in data["coefficients"].items():
            cycles = f"{c * mhz:.4g}" if mhz else "n/a"
            lines.append(f"| {k}: {measure.FEATURE_HELP[k]} | {1e6 * c:.3f} | {cycles} |")
        lines.append("")
        lines.append("| model | network ms | layers sum ms | difference |")
        lines.append("|---|---|---|---|")
        for r in data["models"]:
            net = r["measured"]["network_ms"]
            total = sum(l["measured_us"] for l in r["layers"]) / 1000.0
            lines.append(f"| {r['model']} | {net:.2f} | {total:.2f} | "
                         f"{100 * (total - net) / net:+.1f}% |")
        lines.append("")
    return "\n".join(lines)


def mispredictions(study):
    """Where the metrics part from the clock: w4a4 against w8a8 of the same
    network (ACE says 4x cheaper), and the time per MAC of shallow
    (depthwise) against deep layers (ACE says equal)."""
    lines = []
    for target, data in study["targets"].items():
        by_name = {r["model"]: r for r in data["models"]}
        lines.append(f"Target `{target}`: w4a4 against w8a8 of the same network\n")
        lines.append("| network | time w4a4 / w8a8 | ACE w4a4 / w8a8 | ACEv2 w4a4 / w8a8 |")
        lines.append("|---|---|---|---|")
        for name, r8 in by_name.items():
            if " w8a8 " not in name:
                continue
            r4 = by_name.get(name.replace(" w8a8 ", " w4a4 "))
            if not r4:
                continue
            t8, t4 = model_totals(r8), model_totals(r4)
            lines.append(f"| {name.replace(' w8a8', '')} | "
                         f"{t4['measured_us'] / t8['measured_us']:.2f} | "
                         f"{t4['ace'] / t8['ace']:.2f} | {t4['acev2'] / t8['acev2']:.2f} |")
        lines.append("")
        lines.append(f"Target `{target}`: nanoseconds per MAC and per thousand ACEv2 bit-operations by layer kind "
                     f"(integer forms; median over layers)\n")
        lines.append("| layer kind | layers | ns per MAC | ns per kilo-ACEv2 |")
        lines.append("|---|---|---|---|")
        kinds = {"deep (reduction >= 32)": [], "shallow (depthwise, RGB input)": []}
        for r in data["models"]:
            if not r["model"].endswith("integer"):
                continue
            for l in r["layers"]:
                f = l["features"]
                if f["shallow_macs"] and not (f["deep_macs_4bit"] or f["deep_macs_8bit"]):
                    kinds["shallow (depthwise, RGB input)"].append(l)
                elif f["deep_macs_4bit"] or f["deep_macs_8bit"]:
                    kinds["deep (reduction >= 32)"].append(l)
        for kind, layers in kinds.items():
            if not layers:
                continue
            per_mac = np.median([1000 * l["measured_us"] / l["macs"] for l in layers])
            per_acev2 = np.median([1e6 * l["measured_us"] / l["acev2"] for l in layers])
            lines.append(f"| {kind} | {len(layers)} | {per_mac:.4f} | {per_acev2:.4f} |")
        lines.append("")
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", action="store_true",
                        help="the 32x32 zoo models only, trained and evaluated on each other")
    parser.add_argument("--torchvision", nargs="*",
                        help="torchvision models, the held-out set (default: every model of "
                             "pike.torch.vision.MODELS)")
    parser.add_argument("--targets", nargs="*",
                        help="CPU targets to calibrate (default: every kernel target this "
                             "CPU runs)")
    parser.add_argument("--repeat", type=int, default=10, help="timed calls per model")
    parser.add_argument("--json", help="write the study as JSON")
    parser.add_argument("--write-model", action="store_true",
                        help="store the fitted coefficients in python/pike/cpu_cost_model.json")
    parser.add_argument("--from-json",
                        help="a study written by --json: print its tables (and with "
                             "--write-model store its model) without measuring again")
    args = parser.parse_args(argv)
    if args.from_json:
        with open(args.from_json) as f:
            study = json.load(f)
    else:
        study = run_study(args)
    print(format_tables(study))
    print(mispredictions(study))
    if args.json and not args.from_json:
        with open(args.json, "w") as f:
            json.dump(study, f, indent=1)
    if args.write_model:
        store_model(study)
    return 0


def store_model(study):
    path = os.path.join(os.path.dirname(measure.__file__), "cpu_cost_model.json")
    stored = {"about": "CPU cost model of pike cost --model cpu: microseconds per unit "
                       "of each feature (pike.measure.FEATURES), fitted by "
                       "bench/acev2_clock.py; docs/ACEv2.md has the study",
              "cpu": study["cpu"], "flags": study["flags"], "targets": {}}
    for target, data in study["targets"].items():
        stored["targets"][target] = {"coefficients": data["coefficients"],
                                     "fitted_on": data["train_sets"],
                                     "layers": data["train_layers"]}
    with open(path, "w") as f:
        json.dump(stored, f, indent=1)
        f.write("\n")
    print(f"wrote {path}", file=sys.stderr)


def run_study(args):
    table = json.loads(tools.run("pike-run", "--list-targets"))
    names = args.targets or [t["name"] for t in table["targets"]
                             if t["lanes"] and not t["missing_here"]]
    cpu, flags, mhz = cpu_flags()
    study = {"cpu": cpu, "flags": flags, "mhz": mhz, "repeat": args.repeat, "targets": {}}
    with tempfile.TemporaryDirectory() as folder:
        models = zoo_models(args.small)
        if not args.small:
            from pike.torch import vision
            models += torchvision_models(args.torchvision or list(vision.MODELS), folder)
        written = {}
        for name, group, write, form in models:
            path = os.path.join(folder, f"m{len(written)}.mlir")
            print(f"writing {name} ...", file=sys.stderr, flush=True)
            try:
                write(path)
            except Exception as err:  # a model PyTorch cannot export, say
                print(f"  skipped: {str(err).splitlines()[0][:160]}", file=sys.stderr)
                continue
            written[name] = (group, path, form)
        for target in names:
            results = {}
            for name, (group, path, form) in written.items():
                print(f"[{target}] {name} ...", file=sys.stderr, flush=True)
                with tempfile.TemporaryDirectory() as work:
                    results[name] = (group, measure_model(name, path, form, work,
                                                          args.repeat, target))
            groups = sorted({g for g, _ in results.values()})
            if args.small or len(groups) < 2:
                # Two halves of the same set: every other model.
                ordered = [r for _, r in results.values()]
                train, test = ordered[0::2], ordered[1::2]
                train_sets = test_sets = groups
            else:
                train = [r for g, r in results.values() if g == "zoo"]
                test = [r for g, r in results.values() if g != "zoo"]
                train_sets, test_sets = ["zoo"], [g for g in groups if g != "zoo"]
            coefficients = measure.fit_cpu_model([l for r in train for l in r["layers"]])
            study["targets"][target] = {
                "train_sets": train_sets, "test_sets": test_sets,
                "train_models": len(train), "test_models": len(test),
                "train_layers": sum(len(r["layers"]) for r in train),
                "test_layers": sum(len(r["layers"]) for r in test),
                "coefficients": coefficients,
                "evaluation": evaluate(train, test, coefficients),
                "models": [r for _, r in results.values()],
            }
    return study


if __name__ == "__main__":
    sys.exit(main())
