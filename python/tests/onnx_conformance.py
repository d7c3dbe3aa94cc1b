"""ONNX's backend node test cases: the models and data the onnx package
pinned in python/requirements.txt writes as onnx/backend/test/data/node
(`onnx.backend.test.case.node.collect_testcases`, each model at the opset
its case was written for), with every input but the data turned into
initializers, as a compiler sees weights, scales and zero points."""

import functools
import warnings

import numpy as np

# The generators still use aliases NumPy 1.24 removed.
for _name, _type in (("float", float), ("int", int), ("bool", bool), ("object", object)):
    if _name not in np.__dict__:
        setattr(np, _name, _type)

import onnx  # noqa: E402
from onnx import TensorProto, helper, numpy_helper  # noqa: E402


@functools.lru_cache(maxsize=None)
def op_types_default():
    """The ai.onnx operators Pike's importer takes, from its registry
    (pike-opt --list-onnx-operators; docs/Frontends.md's table)."""
    from pike import cli
    return frozenset(name for domain, name, _ in cli.onnx_operators() if domain == "ai.onnx")


# Ops whose every input is data; for the others only the first one is.
ALL_DATA = frozenset({"Add", "Sub", "Mul", "Div", "Concat"})


@functools.lru_cache(maxsize=None)
def _all_cases():
    from onnx.backend.test.case import node as node_cases
    # Some generators compute infinities and overflows on purpose.
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return tuple(node_cases.collect_testcases())


def cases(op_types=None):
    """The node cases whose every node is one of `op_types` (default: every
    operator the importer takes), sorted by name: (name, onnx.ModelProto,
    [(inputs, outputs)] data sets)."""
    op_types = op_types or op_types_default()
    found = []
    for case in _all_cases():
        if case.kind != "node" or case.model is None:
            continue
        if all(n.op_type in op_types and n.domain in ("", "ai.onnx") for n in case.model.graph.node):
            found.append((case.name, case.model, case.data_sets))
    return sorted(found, key=lambda c: c[0])


def _array(value):
    """A NumPy array of an input or output (the generators give the types
    NumPy lacks, float8 and int4, as TensorProtos). 4-bit and 2-bit integers
    come as int8 / uint8, which .npy files hold and pike-run reads."""
    array = numpy_helper.to_array(value) if isinstance(value, TensorProto) else np.asarray(value)
    name = array.dtype.name
    if name in ("int4", "int2"):
        return array.astype(np.int8)
    if name in ("uint4", "uint2"):
        return array.astype(np.uint8)
    return array


def data_inputs(model):
    """Names of the graph inputs that are data: those some node reads at a
    data position."""
    names = set()
    for n in model.graph.node:
        count = len(n.input) if n.op_type in ALL_DATA else 1
        names.update(name for name in list(n.input)[:count] if name)
    return [i.name for i in model.graph.input if i.name in names]


def with_initializers(model, inputs):
    """(model, data arrays): `model` with its non-data graph inputs made
    initializers holding `inputs`' values, as written in the case."""
    data_names = set(data_inputs(model))
    out = onnx.ModelProto()
    out.CopyFrom(model)
    del out.graph.input[:]
    data = []
    for value_info, value in zip(model.graph.input, inputs):
        if value_info.name in data_names:
            out.graph.input.append(value_info)
            data.append(_array(value))
            continue
        if isinstance(value, TensorProto):
            tensor = TensorProto()
            tensor.CopyFrom(value)
            tensor.name = value_info.name
        else:
            tensor = numpy_helper.from_array(np.asarray(value), value_info.name)
        out.graph.initializer.append(tensor)
    return out, data


def expected_outputs(outputs):
    return [_array(o) for o in outputs]


def _elem(array):
    return helper.np_dtype_to_tensor_dtype(array.dtype)
