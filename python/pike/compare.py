"""Where does the integer form part from the model? A per-layer comparison.

Both forms run on the same input with the NumPy reference: the model as
given (its real arithmetic, the "as-is" form) and its integer form after
`--pike-quantize-pipeline`. They are compared where the model quantizes: at
every `pike.quantize` of the as-is form (named by its location, e.g. the
ONNX QuantizeLinear node) against the integer op the pipeline left under the
same name. Differences are in steps of that quantizer.
"""

from dataclasses import dataclass

import numpy as np

from . import tools
from .reference import Interpreter, _Quantizer, read_int


@dataclass
class LayerDiff:
    name: str
    shape: tuple
    max_steps: int
    differing: float  # share of elements that differ at all


def _traced(text, entry, inputs):
    """(results, [(op, value)]) of `entry` in `text` (generic form, debuginfo)."""
    seen = []
    interpreter = Interpreter.from_text(text)
    results = interpreter.run(entry, inputs,
                              trace=lambda op, outs: seen.append((op, outs[0] if outs else None)))
    return results, seen


def compare(model, inputs, entry="main", passes=()):
    """Per-layer differences and output differences of `model` (a path)."""
    as_is_text = tools.run("pike-opt", model, "--mlir-print-op-generic", "--mlir-print-debuginfo")
    integer_text = tools.run("pike-opt", model, *(passes or ["--pike-quantize-pipeline"]),
                             "--mlir-print-op-generic", "--mlir-print-debuginfo")
    as_is_results, as_is_ops = _traced(as_is_text, entry, inputs)
    integer_results, integer_ops = _traced(integer_text, entry, inputs)

    # The last integer value the integer form computes under each name.
    integer_by_loc = {}
    for op, value in integer_ops:
        if op.loc and op.result_types and op.result_types[0].is_int and value is not None:
            integer_by_loc[op.loc] = (op, value)
    layers = []
    for op, value in as_is_ops:
        if op.name != "pike.quantize" or not op.loc or op.loc not in integer_by_loc:
            continue
        other_op, other = integer_by_loc[op.loc]
        if other_op.result_types[0].shape != op.result_types[0].shape:
            continue
        q = _Quantizer(op.attrs["quantizer"])
        a = read_int(np.asarray(value), q.bits, q.unsigned)
        b = read_int(np.asarray(other), q.bits, q.unsigned)
        diff = np.abs(a - b)
        layers.append(LayerDiff(op.loc, tuple(op.result_types[0].shape),
                                int(diff.max()) if diff.size else 0,
                                float(np.mean(diff != 0)) if diff.size else 0.0))
    outputs = [float(np.max(np.abs(np.asarray(x, np.float64) - np.asarray(y, np.float64))))
               if np.size(x) else 0.0
               for x, y in zip(as_is_results, integer_results)]
    return layers, outputs


def report(layers, outputs, steps):
    """The table, and a last line naming the first layer beyond `steps`."""
    width = min(60, max([len("layer")] + [len(layer.name) for layer in layers]))
    lines = [f"{'layer':<{width}} {'shape':<18} {'max |diff|':>10} {'differing':>10}"]
    for layer in layers:
        shape = "x".join(str(d) for d in layer.shape)
        lines.append(f"{layer.name[:width]:<{width}} {shape:<18} {layer.max_steps:>4} steps "
                     f"{100 * layer.differing:>9.2f}%")
    for index, diff in enumerate(outputs):
        lines.append(f"output #{index}: max |diff| {diff:.6g}")
    first = next((layer for layer in layers if layer.max_steps > steps), None)
    if first is None:
        lines.append(f"no layer differs by more than {steps} step(s)")
    else:
        lines.append(f"first layer beyond {steps} step(s): {first.name} "
                     f"({first.max_steps} steps)")
    return "\n".join(lines) + "\n", first
