"""Time per layer of the compiled model beside its ACEv2 report
(`pike cost --measure`), and the CPU cost model calibrated from such
measurements (`pike cost --model cpu`). docs/ACEv2.md has the method and
the recorded study (bench/acev2_clock.py)."""

import json
import os
import subprocess

import numpy as np

from . import tools

_CPU_MODEL_PATH = os.path.join(os.path.dirname(__file__), "cpu_cost_model.json")

# A reduction shorter than this (MACs per output element: a depthwise 3x3
# has 9, a first convolution over RGB 27) fills few vector lanes.
SHALLOW_REDUCTION = 32

FEATURES = ("deep_macs_4bit", "deep_macs_8bit", "shallow_macs", "wide_macs",
            "elementwise_ops", "tensor_bytes", "ops")
FEATURE_HELP = {
    "deep_macs_4bit": "MACs of operands up to 4 bits, reductions of 32 or more",
    "deep_macs_8bit": "MACs of operands of 5 to 8 bits, reductions of 32 or more",
    "shallow_macs": "integer MACs of reductions shorter than 32 (depthwise, RGB input)",
    "wide_macs": "MACs wider than 8x8 bits (real or 16-bit operands)",
    "elementwise_ops": "multiplies, adds, compares, shifts and lookups outside MACs",
    "tensor_bytes": "bytes of every costed op's operands and results, as stored",
    "ops": "costed ops (a fixed cost per op: calls, loop set-up)",
}


def _entry_types(model, entry, shown_name=None):
    """The argument types of `entry` (a static-shape signature)."""
    from .mlir_reader import read_module

    functions = read_module(tools.generic_form(model))
    if entry not in functions:
        names = ", ".join(f"@{name}" for name in functions) or "none"
        raise tools.ToolError(f"{shown_name or model}: no function @{entry} to measure "
                              f"(functions: {names}; choose one with --entry)")
    return functions[entry].arg_types


def random_inputs(model, folder, entry="main", seed=0, shown_name=None):
    """A .npy per argument of `entry`: reals from a standard normal
    distribution (what a normalized image looks like), integers uniform over
    their type. The values decide no branch in a compiled model; only their
    shapes and types matter to its time."""
    rng = np.random.default_rng(seed)
    paths = []
    for index, ttype in enumerate(_entry_types(model, entry, shown_name)):
        if ttype.is_int:
            bits = ttype.bits
            lo, hi = (0, 1) if bits == 1 else (-(1 << (bits - 1)), (1 << (bits - 1)) - 1)
            value = rng.integers(lo, hi + 1, size=ttype.shape)
            value = tools.as_stored(value, ttype)
        else:
            value = rng.standard_normal(ttype.shape).astype(
                np.float16 if ttype.element == "f16" else np.float32)
        path = os.path.join(folder, f"input{index}.npy")
        np.save(path, value)
        paths.append(path)
    return paths


def profile(model, passes, folder, repeat=20, target=None, entry="main"):
    """pike-run --profile of `model` after `passes`: the medians per costed
    op, in the order of the ACEv2 report of the same IR."""
    measured = os.path.join(folder, "measured.mlir")
    tools.run("pike-opt", model, *passes, "--mlir-print-debuginfo", "-o", measured)
    inputs = random_inputs(measured, folder, entry, shown_name=model)
    out = os.path.join(folder, "profile.json")
    args = [measured, f"--entry={entry}", f"--repeat={repeat}", f"--profile={out}",
            *[f"--input={p}" for p in inputs]]
    if target:
        args.append(f"--target={target}")
    # Without --output the results are printed; they are not needed here.
    result = subprocess.run([tools.find("pike-run"), *args], capture_output=True, text=True,
                            errors="backslashreplace")
    if result.returncode != 0:
        raise tools.ToolError(result.stderr.strip(), result.returncode, from_tool=True)
    with open(out) as f:
        return json.load(f)


def attach(report, prof):
    """Adds `measured_us` to each op of `report` and a `measured` summary;
    the profile must come from the same IR (its op names are checked)."""
    ops = report["ops"]
    for op in ops:
        op["measured_us"] = 0.0
    for row in prof["ops"]:
        index = row["index"]
        if index >= len(ops) or ops[index]["op"] != row["op"]:
            raise tools.ToolError(
                f"the profile's op #{index} ({row['op']}) is not the report's "
                f"({ops[index]['op'] if index < len(ops) else 'none'}): not the same IR")
        ops[index]["measured_us"] = row["median_us"]
    report["measured"] = {
        "target": prof["target"], "threads": prof["threads"], "calls": prof["calls"],
        "ops_sum_ms": prof["ops_sum_us"] / 1000.0,
        "network_ms": prof["network"]["median_ms"],
        "network_best_ms": prof["network"]["best_ms"],
        "instrumented_ms": prof["instrumented"]["median_ms"],
        "rest_us": prof["rest_us"],
    }
    return report


def _mac_width(op):
    """The operand width product of an op's MACs (ACE per MAC)."""
    return op["ace"] / op["macs"] if op["macs"] else 0.0


def op_features(op):
    """The CPU cost model's features of one report op."""
    f = dict.fromkeys(FEATURES, 0.0)
    macs = op["macs"]
    if macs:
        depth = macs / max(op.get("result_elements", 0), 1)
        width = _mac_width(op)
        if width > 64:
            f["wide_macs"] = macs
        elif depth < SHALLOW_REDUCTION:
            f["shallow_macs"] = macs
        elif width <= 16:
            f["deep_macs_4bit"] = macs
        else:
            f["deep_macs_8bit"] = macs
    f["elementwise_ops"] = op["muls"] + op["adds"] + op["others"] + op.get("lookups", 0)
    f["tensor_bytes"] = op.get("tensor_bytes", 0)
    f["ops"] = 1
    return f


_REQUANTIZING = ("pike.quant_norm", "pike.requantize")


def _fused_into(ops, index, layer_of):
    """The layer whose kernel runs op `index`: a MAC op's own; a residual
    add's is that of the first convolution (in the function's order) whose
    requantized result it alone reads, which is the kernel the CPU pipeline
    fuses it into; any other op's is its first operand's producer's. None
    when no operand comes from a layer."""
    op = ops[index]
    inputs = [i for i in op.get("inputs", []) if i in layer_of]
    if not inputs:
        return None
    if op["op"] == "pike.add":
        fusable = [(layer_of[ops[i]["inputs"][0]]["index"], i) for i in inputs
                   if ops[i]["op"] in _REQUANTIZING and ops[i].get("uses") == 1
                   and ops[i].get("inputs") and ops[i]["inputs"][0] in layer_of
                   and ops[ops[i]["inputs"][0]]["op"] == "pike.conv2d"]
        if fusable:
            return layer_of[min(fusable)[1]]
    return layer_of[inputs[0]]


def timed_layers(report):
    """The report's ops grouped by layer: a MAC op and the ops its kernel
    runs (its requantization, activation, a residual add fused into it),
    followed through the rows each op reads, so a layer keeps its ops where
    another layer's come between them in the function (a downsampling
    branch's convolution between a block's first convolution and its
    requantization). Ops no layer produces join the layer before them; ops
    before the first MAC op form a layer of their own. A report without
    the rows' inputs is grouped in the function's order."""
    layers, layer_of = [], {}
    ops = report["ops"]
    for index, op in enumerate(ops):
        if op["macs"] or not layers:
            layer = {"name": op["loc"], "op": op["op"], "index": len(layers), "ops": 0,
                     "macs": 0, "ace": 0.0, "acev2": 0.0, "elementwise": 0.0,
                     "measured_us": 0.0, "features": dict.fromkeys(FEATURES, 0.0)}
            layers.append(layer)
        else:
            layer = _fused_into(ops, index, layer_of) or layers[-1]
        layer_of[index] = layer
        layer["ops"] += 1
        for key in ("macs", "ace", "acev2", "elementwise"):
            layer[key] += op[key]
        layer["measured_us"] += op.get("measured_us", 0.0)
        for key, value in op_features(op).items():
            layer["features"][key] += value
    for layer in layers:
        del layer["index"]
    return layers


def load_cpu_model(target):
    """The calibration for `target`: its `coefficients` (microseconds per
    unit of each feature) and the `cpu` they were measured on, or an error
    naming the targets calibrated."""
    try:
        with open(_CPU_MODEL_PATH) as f:
            models = json.load(f)
        for name, calibration in models["targets"].items():
            for key in FEATURES:
                float(calibration["coefficients"][key])
        models["cpu"], models["flags"]
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as err:
        raise tools.ToolError(f"{_CPU_MODEL_PATH}: not a CPU cost model calibration "
                              f"({type(err).__name__}: {err}); bench/acev2_clock.py "
                              f"--write-model writes one") from None
    calibrated = target
    if target not in models["targets"]:
        calibrated = _same_kernels(target, models["targets"])
    if calibrated is None:
        raise tools.ToolError(
            f"no CPU cost model calibrated for target {target} (calibrated: "
            f"{', '.join(sorted(models['targets']))}); run bench/acev2_clock.py on such a "
            f"CPU", status=2)
    calibration = dict(models["targets"][calibrated])
    calibration["cpu"] = f"{models['cpu']} ({' '.join(models['flags'])})"
    if calibrated != target:
        calibration["cpu"] += f", calibrated as {calibrated}"
    return calibration


def _same_kernels(target, calibrated):
    """A calibrated target whose rows build the same byte kernels as
    `target` (the dot product, vector width and architecture: what the
    model's features time), or None. avx512-vnni-popcnt differs from
    avx512-vnni only in binary layers' popcounts."""
    from . import targets

    def kernels(name):
        row = targets.describe(name)
        return row["dot_product"], row["vector_bits"], row["triple"]

    try:
        wanted = kernels(target)
    except targets.TargetError:
        return None
    return next((name for name in sorted(calibrated) if kernels(name) == wanted), None)


def predict_us(features, coefficients):
    return sum(coefficients.get(k, 0.0) * features[k] for k in FEATURES)


def spearman(a, b):
    """Spearman's rank correlation, ties ranked by their average."""
    a, b = np.asarray(a, float), np.asarray(b, float)
    if len(a) < 2:
        return float("nan")

    def ranks(x):
        order = np.argsort(x, kind="mergesort")
        r = np.empty(len(x))
        sorted_x = x[order]
        i = 0
        while i < len(x):
            j = i
            while j + 1 < len(x) and sorted_x[j + 1] == sorted_x[i]:
                j += 1
            r[order[i:j + 1]] = (i + j) / 2.0
            i = j + 1
        return r

    ra, rb = ranks(a), ranks(b)
    if ra.std() == 0 or rb.std() == 0:
        return float("nan")
    return float(np.corrcoef(ra, rb)[0, 1])


def fit_scale(metric, measured):
    """The scale s minimizing the squared relative error of s * metric
    against `measured` (entries with a zero metric or time left out)."""
    m, t = np.asarray(metric, float), np.asarray(measured, float)
    keep = (m > 0) & (t > 0)
    if not keep.any():
        return 0.0
    ratio = m[keep] / t[keep]
    return float(ratio.sum() / (ratio * ratio).sum())


def relative_errors(predicted, measured):
    p, t = np.asarray(predicted, float), np.asarray(measured, float)
    keep = t > 0
    return np.abs(p[keep] - t[keep]) / t[keep]


def fit_cpu_model(layers):
    """Non-negative coefficients (microseconds per unit) of FEATURES that
    minimize the relative error of the predicted layer times: each layer's
    row is divided by its measured time, so a 10 us layer counts as much as
    a 10 ms one."""
    rows = [l for l in layers if l["measured_us"] > 0]
    a = np.array([[l["features"][k] for k in FEATURES] for l in rows], float)
    t = np.array([l["measured_us"] for l in rows], float)
    a /= t[:, None]
    scale = a.max(axis=0)
    scale[scale == 0] = 1.0
    from scipy.optimize import nnls  # python3-scipy, with python3-sklearn

    coefficients = nnls(a / scale, np.ones(len(rows)))[0] / scale
    return {k: float(c) for k, c in zip(FEATURES, coefficients)}
