"""onnxruntime's own integers, layer by layer, for `pike compare --reference`.

onnxruntime first optimizes the model as it would run it, fusing
DequantizeLinear -> Conv -> QuantizeLinear into QLinearConv and so on, and
hands back that graph; the integers every quantizing node of the original
model stands for are then read from the optimized graph, which runs once as
it is. Extra outputs on the original model instead would stop onnxruntime
fusing the nodes that write them, and the reference would be another
computation than the one it runs. Integers are returned by node name, as
pike.torch.save_reference names PyTorch's.

The optimized graph is onnxruntime's "extended" level: every fusion into an
integer kernel, without the layout changes of its default level (NHWC
integer kernels, blocked float convolutions), which rename tensors and run
the same integer kernels.
"""

import os
import tempfile
from dataclasses import dataclass

import numpy as np

# op type -> index of the input whose element type the output has
_ZERO_POINT_INPUT = {"QuantizeLinear": 2, "QLinearConv": 7, "QLinearMatMul": 7, "QGemm": 8,
                     "QLinearAdd": 7, "QLinearMul": 7, "QLinearSigmoid": 4,
                     "QLinearLeakyRelu": 4, "QLinearAveragePool": 4,
                     "QLinearGlobalAveragePool": 4, "QLinearConcat": 1, "QLinearSoftmax": 4}


def _element_types(proto):
    types = {t.name: t.data_type for t in proto.graph.initializer}
    for node in proto.graph.node:
        if node.op_type == "Constant" and node.attribute and node.attribute[0].HasField("t"):
            types[node.output[0]] = node.attribute[0].t.data_type
    return types


def _output_element(node, types):
    """The element type `node` writes (ONNX TensorProto code), or None. A
    QuantizeLinear without a zero point writes its `output_dtype`, else
    uint8, as ONNX says."""
    from onnx import TensorProto

    index = _ZERO_POINT_INPUT.get(node.op_type)
    if index is None or not node.output:
        return None
    zero_point = node.input[index] if len(node.input) > index else ""
    if not zero_point:
        if node.op_type != "QuantizeLinear":
            return None
        dtype = next((a.i for a in node.attribute if a.name == "output_dtype"), 0)
        return dtype or TensorProto.UINT8
    return types.get(zero_point)


def node_name(node):
    """A node's name as Pike's importer gives it: its own, else its first
    output's."""
    return node.name or (node.output[0] if node.output else "")


def optimized_graph(proto, level="ORT_ENABLE_EXTENDED"):
    """The graph onnxruntime's CPU provider runs for `proto` after its
    optimizations of `level` (extended: the fusions, not the layout
    changes a session makes by default)."""
    import onnx
    import onnxruntime

    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "optimized.onnx")
        options = onnxruntime.SessionOptions()
        options.graph_optimization_level = getattr(onnxruntime.GraphOptimizationLevel, level)
        options.optimized_model_filepath = path
        options.log_severity_level = 3
        onnxruntime.InferenceSession(proto.SerializeToString(), options,
                                     providers=["CPUExecutionProvider"])
        return onnx.load(path)


def _readings(proto, optimized):
    """{original quantizing node: (optimized node, element type it had in
    the original)}. A node of the optimized graph stands for an original
    QuantizeLinear of the same name, or, fused, keeps the name of the
    original node whose output that QuantizeLinear quantizes, or writes the
    tensor the original quantizing node wrote."""
    types = _element_types(proto)
    # Only nodes with names of their own: onnxruntime names its fused nodes
    # after them, and an empty name would match every unnamed node.
    producers = {node.output[0]: node.name for node in proto.graph.node
                 if node.output and node.name}
    by_name = {}
    for node in proto.graph.node:
        element = _output_element(node, types)
        if element is None or not node.name:
            continue
        by_name.setdefault(node.name, (node.name, element))
        if node.op_type == "QuantizeLinear" and node.input[0] in producers:
            by_name.setdefault(producers[node.input[0]], (node.name, element))
    # Else by the tensor it writes (an unnamed node, or a fused one that
    # kept the quantizer's output).
    by_output = {node.output[0]: (node_name(node), _output_element(node, types))
                 for node in proto.graph.node
                 if node.output and _output_element(node, types) is not None}
    optimized_types = _element_types(optimized)
    readings = {}
    for node in optimized.graph.node:
        if _output_element(node, optimized_types) is None:
            continue
        if node.name and node.name in by_name:
            original, element = by_name[node.name]
        elif node.output[0] in by_output:
            original, element = by_output[node.output[0]]
        else:
            continue
        readings.setdefault(original, (node, element))
    return readings


@dataclass
class Run:
    integers: dict      # original quantizing node -> onnxruntime's integers
    float_layers: set   # those whose integers it quantized from a float kernel's output


def run(proto, inputs):
    """onnxruntime's run of `proto` on `inputs` (arrays in the graph inputs'
    order), read layer by layer. A node that onnxruntime's optimizations
    removed has no entry. Float layers are the ones an unfused
    QuantizeLinear computes from another node's float output (a float Conv
    left of DequantizeLinear -> Conv -> QuantizeLinear): their integers
    depend on a float kernel's summation order, not on integer arithmetic."""
    import onnxruntime
    from onnx import TensorProto, helper

    try:
        model = optimized_graph(proto)
    except Exception as err:  # onnxruntime's own exception types
        raise ValueError(f"onnxruntime cannot run the model: {_first_line(err)}") from None
    types = _element_types(model)
    graph_inputs = {i.name for i in model.graph.input}
    existing = {output.name for output in model.graph.output}
    wanted = {}  # original name -> (tensor, shift back to the original type)
    float_layers = set()
    for name, (node, element) in _readings(proto, model).items():
        tensor = node.output[0]
        written = _output_element(node, types)
        # onnxruntime runs int8 activations as uint8 on some CPUs (zero points + 128).
        shift = 128 if (written, element) == (TensorProto.UINT8, TensorProto.INT8) else 0
        if written != element and not shift:
            continue
        wanted[name] = (tensor, shift)
        if node.op_type == "QuantizeLinear" and node.input[0] not in graph_inputs:
            float_layers.add(name)
        if tensor not in existing:
            existing.add(tensor)
            model.graph.output.append(helper.make_tensor_value_info(tensor, written, None))
    options = onnxruntime.SessionOptions()
    # Already optimized: run it as it is, so the extra outputs change nothing.
    options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_DISABLE_ALL
    session = onnxruntime.InferenceSession(model.SerializeToString(), options,
                                           providers=["CPUExecutionProvider"])
    names = [i.name for i in session.get_inputs()]
    try:
        values = session.run([tensor for tensor, _ in wanted.values()],
                             dict(zip(names, inputs)))
    except Exception as err:
        raise ValueError(f"onnxruntime cannot run the model on the input: "
                         f"{_first_line(err)}") from None
    integers = {}
    for (name, (_, shift)), value in zip(wanted.items(), values):
        value = np.asarray(value)
        integers[name] = (value.astype(np.int16) - shift).astype(np.int8) if shift else value
    return Run(integers, float_layers)


def _first_line(err):
    return str(err).strip().splitlines()[0][:300] if str(err).strip() else type(err).__name__


def layer_integers(proto, inputs):
    """{node name: onnxruntime's integers} of `proto`'s quantizing nodes on
    `inputs`, as onnxruntime computes them (run)."""
    return run(proto, inputs).integers
