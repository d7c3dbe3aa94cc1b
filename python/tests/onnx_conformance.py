"""ONNX's own backend node test cases (the generators of the onnx package
pinned in python/requirements.txt), with every input but the data turned into
initializers, as a compiler sees them."""

import importlib
import inspect

import numpy as np

# The generators still use aliases NumPy 1.24 removed.
for _name, _type in (("float", float), ("int", int), ("bool", bool), ("object", object)):
    if _name not in np.__dict__:
        setattr(np, _name, _type)

from onnx import TensorProto, helper, numpy_helper  # noqa: E402
from onnx.backend.test.case.base import Base  # noqa: E402

MODULES = ["quantizelinear", "dequantizelinear", "qlinearconv", "qlinearmatmul",
           "convinteger", "matmulinteger", "conv", "batch_normalization", "relu", "clip", "add",
           "globalaveragepool", "averagepool", "maxpool", "pad", "reducemean", "gemm", "matmul", "flatten", "reshape",
           "transpose", "concat", "slice"]

# Ops whose every input is data; for the others only the first one is.
ALL_DATA = {"Add", "Concat"}


def collect(module_name):
    """(case name, node, inputs, outputs) of one generator module."""
    mod = importlib.import_module("onnx.backend.test.case.node." + module_name)
    cases = []
    original = mod.expect
    mod.expect = lambda node, inputs, outputs, name, **kw: cases.append((name, node, inputs, outputs))
    try:
        for _, cls in inspect.getmembers(mod, inspect.isclass):
            if issubclass(cls, Base) and cls is not Base:
                for method, fn in inspect.getmembers(cls, inspect.isfunction):
                    if method.startswith("export"):
                        fn()
    finally:
        mod.expect = original
    return cases


def _elem(array):
    return helper.np_dtype_to_tensor_dtype(array.dtype) if hasattr(helper, "np_dtype_to_tensor_dtype") \
        else __import__("onnx").mapping.NP_TYPE_TO_TENSOR_TYPE[array.dtype]


def to_model(node, inputs, outputs):
    """A model of `node` whose non-data inputs are initializers; returns
    (model, data input arrays, expected outputs)."""
    data_count = len(node.input) if node.op_type in ALL_DATA else 1
    graph_inputs, inits, data = [], [], []
    # An empty input name is an omitted optional input with no value.
    values = iter(inputs)
    for index, name in enumerate(node.input):
        if not name:
            continue
        value = next(values)
        if isinstance(value, TensorProto):
            # The generators give values of the types NumPy lacks (float8, int4,
            # int2) as tensors.
            tensor = TensorProto()
            tensor.CopyFrom(value)
            tensor.name = name
            elem, value = tensor.data_type, numpy_helper.to_array(tensor)
        else:
            value = np.asarray(value)
            elem, tensor = _elem(value), numpy_helper.from_array(value, name)
        if index < data_count:
            graph_inputs.append(helper.make_tensor_value_info(name, elem, value.shape))
            data.append(value)
        else:
            inits.append(tensor)
    graph_outputs = [helper.make_tensor_value_info(name, _elem(np.asarray(v)), np.asarray(v).shape)
                     for name, v in zip(node.output, outputs)]
    graph = helper.make_graph([node], "conformance", graph_inputs, graph_outputs, inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    return model, data, [np.asarray(o) for o in outputs]
