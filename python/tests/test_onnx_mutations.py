"""Mutated ONNX models (a bounded, seeded mutation run over valid QDQ models):
the importer either imports them or stops with one OnnxImportError naming the
node (or the graph input or model) and the cause — never another exception,
which `python3 -m pike import` would show as a traceback."""

import copy
import unittest

import numpy as np
from onnx import TensorProto, helper, numpy_helper

from pike import onnx_import
from tests import onnx_models as om
from tests import test_onnx_import as imports

MUTATIONS = 400


def base_models():
    rng = np.random.default_rng(0)
    nodes, inits = imports.QdqTest.conv_bn_relu(None, rng, 4, 4)
    conv = om.model(nodes, [om.tensor("x", [1, 4, 6, 6])], [om.tensor("y", [1, 4, 6, 6])], inits)
    nodes, inits = imports.QdqTest.conv_bn_relu(None, rng, 4, 4, group=4)
    inits += [om.init("ts", np.float32(0.03)), om.init("tz", np.uint8(0))]
    nodes += [helper.make_node("Add", ["y", "xd"], ["s"], name="residual"),
              helper.make_node("Relu", ["s"], ["sr"])] + imports.qdq("sr", "ts", "tz", "t")
    residual = om.model(nodes, [om.tensor("x", [1, 4, 5, 5])], [om.tensor("t", [1, 4, 5, 5])],
                        inits)
    # onnxruntime's QOperator ops and the activations, gates and tables.
    from tests import test_model_shapes as shapes
    return [conv, residual, shapes.qoperator_all_ops(), shapes.mobilenet_v3_block()[0]]


def mutate(model, rng):
    m = copy.deepcopy(model)
    g = m.graph
    choice = int(rng.integers(0, 8))
    if choice == 0 and g.node:  # drop a node input
        node = g.node[int(rng.integers(len(g.node)))]
        if node.input:
            del node.input[int(rng.integers(len(node.input)))]
    elif choice == 1 and g.node:  # rename an input to something undefined
        node = g.node[int(rng.integers(len(g.node)))]
        if node.input:
            node.input[int(rng.integers(len(node.input)))] = "undefined"
    elif choice == 2 and g.initializer:  # drop an initializer
        del g.initializer[int(rng.integers(len(g.initializer)))]
    elif choice == 3 and g.initializer:  # reshape an initializer
        i = int(rng.integers(len(g.initializer)))
        array = numpy_helper.to_array(g.initializer[i])
        shape = tuple(int(d) for d in rng.integers(1, 4, size=int(rng.integers(0, 4))))
        g.initializer[i].CopyFrom(numpy_helper.from_array(
            np.resize(array, shape).astype(array.dtype), g.initializer[i].name))
    elif choice == 4 and g.initializer:  # change an initializer's dtype
        i = int(rng.integers(len(g.initializer)))
        array = numpy_helper.to_array(g.initializer[i])
        dtype = [np.int8, np.uint8, np.int32, np.float32, np.float64, np.int64][int(rng.integers(6))]
        g.initializer[i].CopyFrom(numpy_helper.from_array(array.astype(dtype),
                                                          g.initializer[i].name))
    elif choice == 5 and g.node:  # an attribute with a strange value
        node = g.node[int(rng.integers(len(g.node)))]
        name = ["axis", "group", "pads", "strides", "epsilon", "kernel_shape"][int(rng.integers(6))]
        value = [-5, 0, 99, [0, 0], [1, 2, 3], 0.0][int(rng.integers(6))]
        for attr in list(node.attribute):
            if attr.name == name:
                node.attribute.remove(attr)
        node.attribute.append(helper.make_attribute(name, value))
    elif choice == 6:  # the graph input's element type or rank
        inp = g.input[0].type.tensor_type
        if int(rng.integers(2)):
            inp.elem_type = [TensorProto.INT8, TensorProto.DOUBLE, TensorProto.STRING][int(rng.integers(3))]
        else:
            del inp.shape.dim[-1]
    elif g.node:  # drop a node's output
        node = g.node[int(rng.integers(len(g.node)))]
        if node.output:
            del node.output[0]
    return m


class MutationTest(unittest.TestCase):
    def test_no_traceback(self):
        rng = np.random.default_rng(2026)
        bases = base_models()
        outcomes = {"imported": 0, "error": 0}
        for i in range(MUTATIONS):
            m = mutate(bases[i % len(bases)], rng)
            try:
                onnx_import.import_model(m)
                outcomes["imported"] += 1
            except onnx_import.OnnxImportError as err:
                message = str(err)
                self.assertEqual(len(message.splitlines()), 1, message)
                self.assertRegex(message, r"^(node '|graph |model|tensor ')", message)
                outcomes["error"] += 1
            except Exception as err:  # any other exception is a traceback for a user
                self.fail(f"mutation {i}: {type(err).__name__}: {err}")
        # The run exercised both paths.
        self.assertGreater(outcomes["error"], MUTATIONS // 4)
        self.assertGreater(outcomes["imported"], 0)


if __name__ == "__main__":
    unittest.main()
