"""onnxruntime's own integers, layer by layer, for `pike compare --reference`.

Every QuantizeLinear (and ONNX QLinearConv / QLinearMatMul) output of a
model becomes an extra graph output; onnxruntime's CPU provider runs the
model once, and its integers are returned by node name, as
pike.torch.save_reference names PyTorch's.
"""

import numpy as np

# op type -> index of the input whose element type the output has
_QUANTIZED_OUTPUTS = {"QuantizeLinear": 2, "QLinearConv": 7, "QLinearMatMul": 7}


def _element_types(proto):
    types = {t.name: t.data_type for t in proto.graph.initializer}
    for node in proto.graph.node:
        if node.op_type == "Constant" and node.attribute and node.attribute[0].HasField("t"):
            types[node.output[0]] = node.attribute[0].t.data_type
    return types


def layer_integers(proto, inputs):
    """{node name: onnxruntime's integers} of `proto`'s quantizing nodes on
    `inputs` (arrays in the graph inputs' order). A QuantizeLinear without a
    zero point is uint8, as ONNX says."""
    import onnx
    import onnxruntime
    from onnx import TensorProto, helper

    model = onnx.ModelProto()
    model.CopyFrom(proto)
    types = _element_types(model)
    existing = {output.name for output in model.graph.output}
    wanted = {}
    for node in model.graph.node:
        index = _QUANTIZED_OUTPUTS.get(node.op_type)
        if index is None or not node.name or not node.output:
            continue
        zero_point = node.input[index] if len(node.input) > index else ""
        element = types.get(zero_point, TensorProto.UINT8 if not zero_point else None)
        if element is None:
            continue
        wanted[node.name] = node.output[0]
        if node.output[0] not in existing:
            model.graph.output.append(helper.make_tensor_value_info(node.output[0], element,
                                                                    None))
    session = onnxruntime.InferenceSession(model.SerializeToString(),
                                           providers=["CPUExecutionProvider"])
    names = [i.name for i in session.get_inputs()]
    values = session.run(list(wanted.values()), dict(zip(names, inputs)))
    return {name: np.asarray(value) for name, value in zip(wanted, values)}
