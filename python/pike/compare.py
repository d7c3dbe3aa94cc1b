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
from .escape import shown
from .reference import Interpreter, _Quantizer, read_int, to_bits


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


def _pike_layout(reference, shape):
    """`reference` (the ONNX model's layout) as Pike holds the value of
    `shape`: activations of rank 4 are NHWC in Pike, NCHW in the model."""
    reference = np.asarray(reference)
    if reference.ndim == 4 and tuple(shape) == tuple(np.transpose(reference, (0, 2, 3, 1)).shape):
        return np.transpose(reference, (0, 2, 3, 1))
    if tuple(shape) == reference.shape:
        return reference
    return None


def onnx_aliases(proto):
    """{node name: QuantizeLinear node name} for the nodes whose output each
    QuantizeLinear reads, through ReLU and Clip (Add -> Relu -> QuantizeLinear):
    Pike names an integer add, ReLU or pooling after such a node (the
    QuantizeLinear folds into it), a reference names the quantizer."""
    producers = {out: node for node in proto.graph.node for out in node.output}
    aliases = {}
    for node in proto.graph.node:
        if node.op_type != "QuantizeLinear":
            continue
        producer = producers.get(node.input[0])
        while producer is not None:
            aliases[producer.name] = node.name
            if producer.op_type not in ("Relu", "Clip") or not producer.input:
                break
            producer = producers.get(producer.input[0])
    return aliases


def compare_reference(model, inputs, reference, entry="main", passes=(), aliases=None,
                      teacher_forcing=True):
    """Per-layer differences of the integer form of `model` (a path) from a
    reference runtime's integers, `reference` ({ONNX node name: integers in
    the model's layout; uint8 read as unsigned}). Teacher forcing: where the
    integer form computes a value that has a reference (the last integer op
    under that name of the same shape), the difference is recorded and the
    reference's value goes on in its place, so each layer's difference is its
    own, not its inputs'. `aliases` ({name in the model: reference name},
    onnx_aliases) names more ops after a reference. Without
    `teacher_forcing` the integer form runs on its own values, and each
    layer's difference includes what its inputs brought. Returns the layers
    in the order computed."""
    text = tools.run("pike-opt", model, *(passes or ["--pike-quantize-pipeline"]),
                     "--mlir-print-op-generic", "--mlir-print-debuginfo")
    interpreter = Interpreter.from_text(text)
    targets = {}  # name -> (op, reference in Pike's layout)
    aliases = aliases or {}
    for op in interpreter.functions[entry].ops if entry in interpreter.functions else []:
        name = op.loc if op.loc in reference else aliases.get(op.loc)
        if name not in reference or not op.result_types:
            continue
        result = op.result_types[0]
        if not result.is_int or result.bits > 16:
            continue
        value = _pike_layout(reference[name], result.shape)
        if value is not None:
            targets[name] = (op, value)
    forcing = {id(op): (name, value) for name, (op, value) in targets.items()}
    layers = []

    def force(op, outs):
        if id(op) not in forcing:
            return None
        name, value = forcing[id(op)]
        bits = op.result_types[0].bits
        unsigned = value.dtype.kind == "u"
        expected = value.astype(np.int64)
        diff = np.abs(read_int(np.asarray(outs[0]), bits, unsigned) - expected)
        layers.append(LayerDiff(name, tuple(op.result_types[0].shape),
                                int(diff.max()) if diff.size else 0,
                                float(np.mean(diff != 0)) if diff.size else 0.0))
        if not teacher_forcing:
            return None
        return (to_bits(expected, bits),) + tuple(outs[1:])

    interpreter.run(entry, inputs, trace=force)
    return layers


def summary(layers):
    """One line: how many layers match the reference, and the worst."""
    if not layers:
        return "no layer of the model has a reference value"
    same = sum(1 for layer in layers if layer.max_steps == 0)
    worst = max(layers, key=lambda layer: (layer.max_steps, layer.differing))
    line = f"{same} of {len(layers)} layers identical to the reference"
    if worst.max_steps:
        line += (f"; worst {shown(worst.name)}: {worst.max_steps} steps on "
                 f"{100 * worst.differing:.2f}% of its elements")
    return line


def report(layers, outputs, steps):
    """The table, and a last line naming the first layer beyond `steps`;
    `outputs` None: a comparison with a reference (compare_reference), with
    its summary line instead of the outputs."""
    names = {id(layer): shown(layer.name, 60) for layer in layers}  # no name reaches a terminal raw
    width = min(60, max([len("layer")] + [len(name) for name in names.values()]))
    lines = [f"{'layer':<{width}} {'shape':<18} {'max |diff|':>10} {'differing':>10}"]
    for layer in layers:
        shape = "x".join(str(d) for d in layer.shape)
        lines.append(f"{names[id(layer)][:width]:<{width}} {shape:<18} {layer.max_steps:>4} steps "
                     f"{100 * layer.differing:>9.2f}%")
    if outputs is None:
        lines.append(summary(layers))
    for index, diff in enumerate(outputs or []):
        lines.append(f"output #{index}: max |diff| {diff:.6g}")
    first = next((layer for layer in layers if layer.max_steps > steps), None)
    if first is None:
        lines.append(f"no layer differs by more than {steps} step(s)")
    else:
        lines.append(f"first layer beyond {steps} step(s): {shown(first.name)} "
                     f"({first.max_steps} steps)")
    return "\n".join(lines) + "\n", first
