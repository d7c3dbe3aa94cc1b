"""The `python3 -m pike` command line."""

import argparse
import os
import signal
import sys
import textwrap

from . import rounding, zoo


def _write(text, path):
    if path in (None, "-"):
        sys.stdout.write(text)
    else:
        with open(path, "w") as f:
            f.write(text)


def _source_name(args):
    if args.source_name:
        return args.source_name
    return os.path.basename(args.output) if args.output not in (None, "-") else "model.mlir"


def _cmd_zoo(args):
    name = _source_name(args)
    common = dict(variant=args.variant, seed=args.seed, file_name=name)
    sized = dict(resolution=args.resolution, classes=args.classes,
                 weight_bits=args.weight_bits, act_bits=args.act_bits,
                 first_last_bits=args.first_last_bits,
                 splat_weights=args.splat_weights, **common)
    if args.model == "mobilenetv1":
        text = zoo.mobilenet_v1(width=args.width, **sized)
    elif args.model == "resnet50":
        text = zoo.resnet(**sized)
    elif args.model == "resnet-tiny":
        sized.update(resolution=32, classes=10)
        text = zoo.resnet(stages=zoo.RESNET_TINY_STAGES, name="ResNet-tiny", **sized)
    else:
        text = zoo.mobilenet_tiny(**common)
    _write(text, args.output)
    return 0


def _cmd_reference(args):
    import numpy as np

    from . import tools
    from .reference import Interpreter

    inputs = [np.load(path) for path in args.input]
    interpreter = Interpreter.from_text(tools.generic_form(args.model))
    results = interpreter.run(args.entry, inputs)
    fn = interpreter.functions[args.entry]
    return_op = fn.ops[-1]
    if args.output and len(args.output) != len(results):
        raise ValueError(f"@{args.entry} returns {len(results)} results, "
                         f"got {len(args.output)} --output")
    for index, (value, ttype) in enumerate(zip(results, return_op.operand_types)):
        unsigned = index < len(fn.unsigned_results) and fn.unsigned_results[index]
        array = tools.as_stored(value, ttype, unsigned)
        if args.output:
            np.save(args.output[index], array)
        else:
            name = fn.result_names[index] if index < len(fn.result_names) else None
            label = f"result #{index}" + (f" '{name}'" if name else "")
            print(f"{label}: {array.dtype} {array.shape}\n  {array.ravel().tolist()}")
    return 0


def _cmd_cost(args):
    import json as _json

    from . import cost

    integer_passes = _integer_passes(args)
    runs = []
    if args.integer:
        runs.append(("integer form", integer_passes))
    else:
        runs.append(("as given", []))
        if args.compare:
            runs.append(("integer form", integer_passes))
    if args.repeat < 1:
        raise ValueError(f"--repeat must be at least 1, got {args.repeat}")
    # Every analysis first, so that a failure prints no half result.
    from .tools import progress
    with progress(f"analyzing {args.model}"):
        reports = [(title, cost.analyze(args.model, passes, args.float_bits, args.other_ops))
                   for title, passes in runs]
    timed = args.measure or args.model_kind == "cpu"
    if timed:
        _time_reports(args, runs, reports)
    for title, report in reports:
        if timed:
            print(cost.format_timed_table(report["layers"], f"== {args.model} ({title})",
                                          report.get("measured"), report.get("cpu_target")))
        else:
            print(cost.format_table(report, f"== {args.model} ({title})"))
    if len(reports) == 2:
        before, after = (r["total"] for _, r in reports)
        print(f"== integer form / as given: ACEv2 x{after['acev2'] / before['acev2']:.3f}, "
              f"elementwise share {100 * before['elementwise_share']:.1f}% -> "
              f"{100 * after['elementwise_share']:.1f}%")
    if args.json:
        data = reports[0][1] if len(reports) == 1 else {t: r for t, r in reports}
        with open(args.json, "w") as f:
            _json.dump(data, f, indent=2)
    if args.plot:
        if timed:
            series = []
            if args.model_kind == "cpu":
                series.append(("predicted_us", "CPU cost model (us)", "s"))
            if args.measure:
                series.append(("measured_us", "measured (us)", "o"))
            cost.plot_timed([(f"{title}: ACEv2 and time per layer", r["layers"], series)
                             for title, r in reports], args.plot)
        else:
            cost.plot(reports, args.plot)
        print(f"wrote {args.plot}")
    return 0


def _time_reports(args, runs, reports):
    """Per-layer measured times (--measure) and CPU cost model predictions
    (--model cpu) added to each report."""
    import tempfile

    from . import measure, targets
    from .tools import progress

    target = targets.host() if args.target in (None, "host") else args.target
    coefficients = measure.load_cpu_model(target) if args.model_kind == "cpu" else None
    for (title, passes), (_, report) in zip(runs, reports):
        if args.measure:
            with tempfile.TemporaryDirectory() as folder, \
                    progress(f"timing {args.model} ({title})"):
                measure.attach(report, measure.profile(args.model, passes, folder,
                                                       args.repeat, target, args.entry))
        layers = measure.timed_layers(report)
        if coefficients:
            report["cpu_target"] = f"{target}, calibrated on {coefficients['cpu']}"
            for layer in layers:
                layer["predicted_us"] = measure.predict_us(layer["features"],
                                                           coefficients["coefficients"])
        report["layers"] = layers


def _cmd_import(args):
    from . import onnx_import

    if args.batch is not None and args.batch < 1:
        raise ValueError(f"--batch must be at least 1, got {args.batch}")
    text = onnx_import.import_file(args.model, _source_name(args), args.batch)
    _write(text, args.output)
    return 0


def _mlir_model(path, folder):
    """`path` as MLIR: an .onnx file is imported (as `pike import` does) into
    `folder` first."""
    if not path.lower().endswith(".onnx"):
        return path
    from . import onnx_import

    text = onnx_import.import_file(path, os.path.basename(path))
    mlir_path = os.path.join(folder, "imported.mlir")
    with open(mlir_path, "w") as f:
        f.write(text)
    return mlir_path


def _integer_passes(args):
    from . import cost
    return [cost.pipeline_option(args.double_quantize, args.dq_bits, args.multiplier_bits,
                                 args.rounding)]


EMIT_PASSES = {
    "pike-integer": [],
    "linalg": ["--convert-pike-to-linalg", "--canonicalize"],
    "affine": ["--pike-lower-to-affine"],
    "llvm": ["--pike-lower-to-llvm"],
}


def _cmd_compile(args):
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        args.model = _mlir_model(args.model, tmp)
        return _compile(args)


# subprocess's timeouts overflow past about 24 days.
MAX_SECONDS = 1e6


def seconds(text):
    seconds = float(text)
    if not 0 < seconds <= MAX_SECONDS:
        raise argparse.ArgumentTypeError(f"{text}: a number of seconds above 0 and at most "
                                         f"{MAX_SECONDS:g}")
    return seconds


def _compile(args):
    from . import tools

    if args.codegen_timeout is not None and args.emit not in ("shared", "object"):
        raise ValueError("--codegen-timeout bounds LLVM's tools for --emit object or shared "
                         "only")
    if args.emit in ("shared", "object"):
        from . import aot
        if not args.output or args.output == "-":
            raise ValueError(f"--emit {args.emit} needs -o (the library's path; the .h and "
                             ".json are written beside it)")
        with tools.progress(f"compiling {args.model}"):
            manifest = aot.compile_library(args.model, args.output, args.emit, args.target,
                                           args.threads, _integer_passes(args) or
                                           ["--pike-quantize-pipeline"],
                                           codegen_timeout=args.codegen_timeout or
                                           aot.CODEGEN_TIMEOUT)
        stem = os.path.splitext(args.output)[0]
        # Names from the model, shown as Python literals: no newline or
        # terminal escape of theirs reaches the terminal.
        sizes = ", ".join(f"@{f['name'] if f['name'].isidentifier() else ascii(f['name'])} "
                          f"{f['workspace_bytes']} B" for f in manifest["functions"])
        print(f"wrote {args.output}, {stem}.h, {stem}.json (target {manifest['target']}; "
              f"workspace {sizes})")
        return 0
    passes = _integer_passes(args) + EMIT_PASSES[args.emit]
    output = args.output or "-"
    with tools.progress(f"compiling {args.model}"):
        # Warnings (a layer keeping Pike's rounding under --rounding float32,
        # an overflow risk) are the user's to see.
        text = tools.run("pike-opt", args.model, *passes, "-o", output, forward_stderr=True)
    if output == "-":
        sys.stdout.write(text)
    return 0


def _batch_inputs(sources):
    """(name, array) for each input: .npy files, directories of them, .npz archives."""
    import numpy as np

    items = []
    for source in sources:
        if os.path.isdir(source):
            files = sorted(f for f in os.listdir(source) if f.endswith(".npy"))
            if not files:
                raise ValueError(f"{source}: no .npy files")
            items += [(os.path.splitext(f)[0], np.load(os.path.join(source, f))) for f in files]
        elif source.endswith(".npz"):
            with np.load(source) as archive:
                items += [(key, archive[key]) for key in archive.files]
        else:
            items.append((os.path.splitext(os.path.basename(source))[0], np.load(source)))
    names = [name for name, _ in items]
    if len(set(names)) != len(names):
        raise ValueError("two inputs have the same name; their outputs would collide")
    return items


def _run_batch(args):
    """Every input through the model's compiled library: compiled once, cached."""
    from . import aot, targets, tools

    if not args.output_dir:
        raise ValueError("--inputs needs --output-dir")
    if args.as_is or args.input or args.output or args.repeat:
        raise ValueError("--inputs runs the integer form's library; it does not combine with "
                         "--as-is, --input, --output or --repeat")
    if args.threads < 0:
        raise ValueError(f"--threads must be at least 0, got {args.threads}")
    if args.threads > 0:
        os.environ["OMP_NUM_THREADS"] = str(args.threads)
    items = _batch_inputs(args.inputs)
    passes = _integer_passes(args) or ["--pike-quantize-pipeline"]
    if targets.is_cross(args.target):
        # Another architecture's library runs under qemu-user: a check of
        # the build, not a timing.
        if args.threads != 1:
            raise ValueError(f"--target {args.target} runs one thread under qemu")
        with tools.progress(f"compiling {args.model} for {args.target}"):
            library = aot.CrossRunner(args.model, args.target, passes, args.entry)
        _save_outputs(items, lambda array: library.run([array]), args.output_dir)
        print(f"ran {len(items)} input(s) through the {args.target} build under qemu; "
              f"outputs in {args.output_dir}")
        return 0
    with tools.progress(f"compiling {args.model}"):
        library, compiled = aot.cached_library(args.model, args.target, args.threads != 1,
                                               passes)
    _save_outputs(items, lambda array: library.run([array], args.entry), args.output_dir)
    print(f"ran {len(items)} input(s) through {library.path} "
          f"({'compiled now' if compiled else 'cached'}); outputs in {args.output_dir}")
    return 0


def _save_outputs(items, run, output_dir):
    """`run` on each (name, array) of `items`, its outputs saved as
    <name>.npy (<name>.<k>.npy when there are several)."""
    import numpy as np

    os.makedirs(output_dir, exist_ok=True)
    for name, array in items:
        outputs = run(array)
        for index, out in enumerate(outputs):
            suffix = "" if len(outputs) == 1 else f".{index}"
            np.save(os.path.join(output_dir, f"{name}{suffix}.npy"), out)


def _cmd_run(args):
    import tempfile

    from . import tools

    with tempfile.TemporaryDirectory() as tmp:
        name = args.model
        model = args.model = _mlir_model(args.model, tmp)
        if args.inputs:
            return _run_batch(args)
        if not args.as_is:
            model = os.path.join(tmp, "integer.mlir")
            with tools.progress(f"compiling {name}"):
                # The model as given is checked, before any pass folds it.
                tools.run("pike-opt", args.model, "--pike-verify-model", *_integer_passes(args),
                          "--mlir-print-debuginfo", "-o", model, forward_stderr=True)
        run_args = [model, f"--entry={args.entry}"]
        run_args += [f"--input={path}" for path in args.input]
        run_args += [f"--output={path}" for path in args.output]
        if args.repeat < 0:
            raise ValueError(f"--repeat must be at least 0, got {args.repeat}")
        if args.repeat:
            run_args.append(f"--repeat={args.repeat}")
        run_args.append(f"--target={args.target}")
        if args.threads < 0:
            raise ValueError(f"--threads must be at least 0, got {args.threads}")
        run_args.append(f"--threads={args.threads}")
        with tools.progress(f"running {name}"):
            out = tools.run("pike-run", *run_args, forward_stderr=True)
        sys.stdout.write(out)
    return 0


def _cmd_compare(args):
    import numpy as np

    from . import compare

    if args.steps < 0:
        raise ValueError(f"--steps must be at least 0, got {args.steps}")
    from . import tools

    import tempfile

    inputs = [np.load(path) for path in args.input]
    with tempfile.TemporaryDirectory() as tmp:
        model, aliases = args.model, {}
        if model.endswith(".onnx"):
            import onnx

            from . import onnx_import
            model = os.path.join(tmp, "model.mlir")
            with open(model, "w") as f:
                f.write(onnx_import.import_file(args.model))
            aliases = compare.onnx_aliases(onnx.load(args.model, load_external_data=False))
        with tools.progress(f"comparing {args.model}"):
            if args.reference == "onnxruntime":
                if not args.model.endswith(".onnx"):
                    raise ValueError("--reference onnxruntime needs the .onnx model")
                from . import ort_reference
                from .onnx_external import load_external_data
                proto = onnx.load(args.model, load_external_data=False)
                load_external_data(proto, os.path.dirname(os.path.abspath(args.model)))
                reference = ort_reference.layer_integers(proto, inputs)
            elif args.reference:
                with np.load(args.reference, allow_pickle=False) as data:
                    reference = {name: data[name] for name in data.files}
            if args.reference:
                layers = compare.compare_reference(model, inputs, reference, args.entry,
                                                   _integer_passes(args), aliases,
                                                   args.teacher_forcing)
                outputs = None
            else:
                layers, outputs = compare.compare(model, inputs, args.entry,
                                                  _integer_passes(args))
    text, first = compare.report(layers, outputs, args.steps)
    sys.stdout.write(text)
    return 3 if first is not None and args.fail else 0


def _add_integer_options(p):
    p.add_argument("--double-quantize", action=argparse.BooleanOptionalAction,
                   help="integer form with (or without) Double Quantization (PikeLPN); "
                        "default: when the model was trained for it (its "
                        "pike.double_quantize_bits, docs/Tutorial.md)")
    p.add_argument("--dq-bits", type=int,
                   help="double-quantized scale bits (default: the pipeline's, 8)")
    p.add_argument("--multiplier-bits", type=int,
                   help="QuantNorm/requantization multiplier bits (default: the pipeline's, 32)")
    p.add_argument("--rounding", choices=rounding.MODES,
                   help="requantization rounding: single/double as TOSA rescale, half_even as "
                        "ONNX, tflite as TFLite/gemmlowp (two roundings), tvm_upward and "
                        "tvm_tonearest as TVM QNN, float32 as onnxruntime's MLAS requantizes "
                        "a convolution's or matrix product's accumulator and adds 8-bit "
                        "tensors (QLinearAdd), with its QLinearSoftmax and float32 LayerNorm "
                        "between quantizers (float32 arithmetic, bit-identical with "
                        "onnxruntime; the CPU kernels' fastest epilogue) "
                        "(default: the model's own rule, e.g. half_even for an ONNX import, "
                        f"else {rounding.DEFAULT})")


def _target_names():
    """The targets pike-run knows (its table is the one definition), or no
    check here when pike-run is not built: the tools then refuse a bad one."""
    from . import targets
    from .tools import ToolError
    try:
        return targets.names()
    except ToolError:
        return None


def onnx_operators():
    """(domain, operator, first opset) of every operator the importer takes,
    from its registry (pike-opt --list-onnx-operators)."""
    from . import tools
    rows = []
    for line in tools.run("pike-opt", "--list-onnx-operators").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) >= 3 and cells[1].startswith("`"):
            rows.append((cells[0], cells[1].strip("`"), int(cells[2])))
    return rows


def _onnx_operators_epilog():
    from .tools import ToolError
    try:
        rows = onnx_operators()
    except ToolError:
        return "supported operators: pike-opt --list-onnx-operators"
    lines = ["supported operators (pike-opt --list-onnx-operators), with the first ai.onnx "
             "opset read where it is not 1:"]
    for domain in dict.fromkeys(d for d, _, _ in rows):
        names = [f"{name}" + (f" (opset {since}+)" if since > 1 and domain == "ai.onnx" else "")
                 for d, name, since in rows if d == domain]
        lines.append(f"  {domain}: " + ", ".join(names))
    return "\n".join(textwrap.fill(line, 92, subsequent_indent="    ") for line in lines)


def build_parser():
    parser = _Parser(
        prog="python3 -m pike",
        description="Pike: a compiler for low-precision (PikeLPN-style) networks.")
    from . import __version__
    parser.add_argument("--version", action="version", version=f"pike {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)

    p = commands.add_parser(
        "zoo", help="write a bundled model with seeded random weights",
        description="Writes a PikeLPN-style model in pike quantized-graph form.")
    p.add_argument("model", choices=["mobilenetv1", "mobilenet-tiny", "resnet50", "resnet-tiny"],
                   help="mobilenetv1: MobileNetV1 (224x224x3, 1000 classes by default); "
                        "mobilenet-tiny: the bundled 32x32 example; resnet50: ResNet-50 v1.5; "
                        "resnet-tiny: a two-stage bottleneck ResNet at 32x32")
    p.add_argument("--variant", choices=zoo.VARIANTS, default="pikelpn",
                   help="pikelpn: DHQ + PACT, for the integer pipeline; "
                        "baseline: float BN and scales left as they are")
    p.add_argument("--width", type=float, default=1.0, help="width multiplier")
    p.add_argument("--resolution", type=int, default=224)
    p.add_argument("--classes", type=int, default=1000)
    p.add_argument("--weight-bits", type=int, default=4)
    p.add_argument("--act-bits", type=int, default=4)
    p.add_argument("--first-last-bits", type=int, default=8,
                   help="bits of the image, the first convolution and the classifier")
    p.add_argument("--splat-weights", action="store_true",
                   help="every weight 1: a small file for cost analysis only")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("-o", "--output", help="output .mlir (default: stdout)")
    p.add_argument("--source-name",
                   help="file name that op locations point into (default: the "
                        "output's base name, or model.mlir)")
    p.set_defaults(func=_cmd_zoo)

    p = commands.add_parser(
        "import", help="import an ONNX model (QDQ, QONNX, QOperator) as pike IR",
        description="Writes an ONNX model as pike IR in quantized-graph form: the graph is "
                    "serialized in the generic pike_onnx form and pike-opt "
                    "--convert-onnx-to-pike gives it its meaning (docs/Frontends.md). Anything "
                    "else than the operators below is an error naming the node. The function "
                    "keeps the model's NCHW interface.",
        epilog=_onnx_operators_epilog(),
        formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("model", help="an .onnx file")
    p.add_argument("-o", "--output", help="output .mlir (default: stdout)")
    p.add_argument("--batch", type=int,
                   help="batch size for a symbolic batch dimension of the inputs")
    p.add_argument("--source-name", help="file name op locations point into")
    p.set_defaults(func=_cmd_import)

    p = commands.add_parser(
        "compile", help="take a model to integer form and lower it",
        description="Runs the quantization pipeline (pike-quantize-pipeline) and then "
                    "lowers as --emit says: pike-integer (stop there), linalg, affine, llvm.")
    p.add_argument("model", help="a .mlir file, or an .onnx file (imported as `pike import` does)")
    p.add_argument("--emit", choices=sorted(EMIT_PASSES) + ["object", "shared"],
                   default="pike-integer",
                   help="pike-integer, linalg, affine, llvm: MLIR at that stage; object or "
                        "shared: an object file or shared library with a C header and a JSON "
                        "manifest beside it (docs/Deploy.md)")
    p.add_argument("-o", "--output", help="output .mlir (default: stdout), or the library")
    p.add_argument("--target", default="host", choices=_target_names(),
                   help="instruction set of an object or shared library (default: this CPU's; "
                        "pike-run --list-targets describes each)")
    p.add_argument("--threads", action="store_true",
                   help="an object or shared library with OpenMP parallel loops (needs libomp)")
    p.add_argument("--codegen-timeout", type=seconds, default=None,
                   help="seconds LLVM's opt and llc each get for an object or shared library "
                        "before the build fails, naming the kernel that does not compile "
                        "(default: 900)")
    _add_integer_options(p)
    p.set_defaults(func=_cmd_compile)

    p = commands.add_parser(
        "run", help="run a model on .npy inputs (through the integer pipeline)",
        description="Takes the model (.mlir, or .onnx imported as `pike import` does) "
                    "through the integer pipeline (unless --as-is) and runs it with pike-run. Inputs and outputs keep the model's layout "
                    "(NCHW for imported ONNX models).")
    p.add_argument("model", help="a .mlir file, or an .onnx file (imported as `pike import` does)")
    p.add_argument("--input", action="append", default=[], help="a .npy per argument")
    p.add_argument("--output", action="append", default=[],
                   help="a .npy per result (default: print them)")
    p.add_argument("--inputs", action="append", default=[],
                   help="many inputs at once: .npy files, directories of them, or .npz "
                        "archives (one array per input); the model is compiled once into a "
                        "shared library (cached in $PIKE_CACHE_DIR, default ~/.cache/pike) "
                        "and run on each, writing <input name>.npy to --output-dir")
    p.add_argument("--output-dir", help="where --inputs writes one output per input")
    p.add_argument("--entry", default="main")
    p.add_argument("--as-is", action="store_true",
                   help="run the model as given, without the quantization pipeline")
    p.add_argument("--repeat", type=int, default=0,
                   help="time this many more calls and print the time per call (stderr), "
                        "as pike-run --repeat does")
    p.add_argument("--target", default="host", choices=_target_names(),
                   help="instruction set of the compiled kernels, as pike-run --target "
                        "(default: the best this CPU runs; scalar is the reference lowering; "
                        "another architecture's, such as aarch64, runs under qemu-user with "
                        "--inputs)")
    p.add_argument("--threads", type=int, default=1,
                   help="threads for the kernels' parallel loops, as pike-run --threads "
                        "(default 1; 0 uses every core)")
    _add_integer_options(p)
    p.set_defaults(func=_cmd_run)

    p = commands.add_parser(
        "reference", help="run a function with the NumPy reference semantics",
        description="Evaluates a pike module with the NumPy reference (written "
                    "from docs/Numerics.md, independent of the compiler) and "
                    "writes each result as pike-run does: integers as the "
                    "signed reading of their bits.")
    p.add_argument("model", help="a .mlir file (read through pike-opt)")
    p.add_argument("--entry", default="main", help="function to run")
    p.add_argument("--input", action="append", default=[], help="a .npy per argument")
    p.add_argument("--output", action="append", default=[], help="a .npy per result")
    p.set_defaults(func=_cmd_reference)

    p = commands.add_parser(
        "compare", help="find the first layer where the integer form differs",
        description="Runs the model as given (its real arithmetic) and its integer form "
                    "on the same inputs with the NumPy reference, compares them wherever "
                    "the model quantizes (named by the op's location, e.g. the ONNX "
                    "node), in steps of that quantizer, and prints a per-layer table "
                    "and the first layer that differs by more than --steps.")
    p.add_argument("model", help="a pike .mlir file in quantized-graph form, or an .onnx file")
    p.add_argument("--input", action="append", default=[], help="a .npy per argument")
    p.add_argument("--reference",
                   help="an .npz of the source runtime's integers by ONNX node name "
                        "(pike.torch.save_reference), or 'onnxruntime' to run the .onnx "
                        "model there (the graph it runs after its fusions into integer "
                        "kernels): compare the integer form with them layer by layer, "
                        "each layer fed the reference's own inputs")
    p.add_argument("--teacher-forcing", action=argparse.BooleanOptionalAction, default=True,
                   help="with --reference, feed each layer the reference's integers "
                        "(default); without, the integer form runs on its own values")
    p.add_argument("--entry", default="main")
    p.add_argument("--steps", type=int, default=1,
                   help="report the first layer differing by more than this many steps "
                        "(default 1)")
    p.add_argument("--fail", action="store_true",
                   help="exit with status 3 when some layer differs by more than --steps")
    _add_integer_options(p)
    p.set_defaults(func=_cmd_compare)

    p = commands.add_parser(
        "cost", help="ACE, ACEv2 and energy of a model, per layer",
        description="Runs pike-opt --pike-acev2 and prints a per-layer table (MACs, "
                    "ACE, ACEv2, elementwise share); docs/ACEv2.md defines the metrics. "
                    "With --compare, also the model's integer form after "
                    "--pike-quantize-pipeline, side by side. With --measure, the table is "
                    "per layer (a MAC op and the ops after it, as the code runs them) with "
                    "each layer's time measured inside the whole compiled network; with "
                    "--model cpu, with the time the calibrated CPU cost model predicts.")
    p.add_argument("model", help="a pike (or linalg/tosa) .mlir file")
    p.add_argument("--integer", action="store_true",
                   help="cost the integer form (after the quantize pipeline) only")
    p.add_argument("--compare", action="store_true",
                   help="cost the model as given and its integer form")
    _add_integer_options(p)
    p.add_argument("--float-bits", type=int, default=0,
                   help="width reals count at (0: storage width; 16 as AQT's bf16)")
    p.add_argument("--other-ops", choices=["add", "ignore"], default="add",
                   help="count compares/shifts/clamps/rounding like adds, or not")
    p.add_argument("--measure", action="store_true",
                   help="also time every layer of the compiled model inside the whole network "
                        "(pike-run --profile: JIT, one thread, random inputs) and add the "
                        "measured microseconds per layer and in total")
    p.add_argument("--repeat", type=int, default=20,
                   help="timed calls for --measure; each layer's median is shown (default 20)")
    p.add_argument("--entry", default="main",
                   help="function --measure calls (default: main)")
    p.add_argument("--model", dest="model_kind", choices=["acev2", "cpu"], default="acev2",
                   help="acev2: the metrics per op (default); cpu: also the time per layer the "
                        "CPU cost model calibrated for --target predicts (docs/ACEv2.md)")
    p.add_argument("--target", choices=_target_names(),
                   help="CPU target to measure on and to predict for (default: host, the best "
                        "this CPU runs)")
    p.add_argument("--json", help="write the report(s) as JSON")
    p.add_argument("--plot", help="write per-layer stacked bars (PNG); with --measure or "
                                  "--model cpu, with the time per layer beside them")
    p.set_defaults(func=_cmd_cost)
    return parser


class _Parser(argparse.ArgumentParser):
    """Command-line misuse exits with status 1, as the C++ tools' option
    parser does (docs/Guide.md); 2 is for a model or input that is rejected."""

    def error(self, message):
        self.print_usage(sys.stderr)
        self.exit(1, f"{self.prog}: error: {message}\n")


def _exit_on_sigterm(signum, frame):
    # An exception, not the default death: subprocess.run then kills the
    # tool it waits for, and temporary folders are removed.
    sys.exit(128 + signum)


def main(argv=None):
    args = build_parser().parse_args(argv)
    signal.signal(signal.SIGTERM, _exit_on_sigterm)
    from .tools import ToolError
    try:
        return args.func(args)
    except ToolError as err:
        if err.from_tool:  # the tool has said it in the common format
            print(err, file=sys.stderr)
        else:
            print(f"pike {args.command}: error: {err}", file=sys.stderr)
        return err.status
    except (ValueError, OSError, RuntimeError) as err:
        print(f"pike {args.command}: error: {err}", file=sys.stderr)
        return 2
