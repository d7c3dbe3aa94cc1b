"""Writes a small QDQ ONNX classifier (the example docs/Deploy.md deploys):
uint8 activations, int8 per-channel weights, Conv + ReLU, a depthwise Conv,
global average pooling, Gemm. Seeded, so the file is the same every time.

    python3 examples/deploy/make_model.py model.onnx
"""

import sys

import numpy as np
from onnx import TensorProto, helper, numpy_helper, save


def qdq(x, scale, zp, out):
    return [helper.make_node("QuantizeLinear", [x, scale, zp], [out + "_q"], name=out + "_q"),
            helper.make_node("DequantizeLinear", [out + "_q", scale, zp], [out], name=out)]


def weights(name, shape, rng):
    w = rng.integers(-100, 100, size=shape).astype(np.int8)
    scale = (rng.uniform(0.002, 0.01, size=shape[0])).astype(np.float32)
    return [numpy_helper.from_array(w, name), numpy_helper.from_array(scale, name + "_s"),
            numpy_helper.from_array(np.zeros(shape[0], np.int8), name + "_z")]


def main(path):
    rng = np.random.default_rng(0)
    inits = [numpy_helper.from_array(np.float32(s), n) for n, s in
             (("s_in", 0.02), ("s1", 0.05), ("s2", 0.05), ("s3", 0.03), ("s_out", 0.1))]
    inits += [numpy_helper.from_array(np.uint8(z), n) for n, z in
              (("z_in", 128), ("z1", 0), ("z2", 0), ("z3", 0), ("z_out", 128))]
    inits += weights("w1", (16, 3, 3, 3), rng) + weights("w2", (16, 1, 3, 3), rng)
    inits += weights("w3", (10, 16), rng)
    nodes = qdq("image", "s_in", "z_in", "x")
    for w in ("w1", "w2", "w3"):
        nodes.append(helper.make_node("DequantizeLinear", [w, w + "_s", w + "_z"], [w + "_d"],
                                      axis=0, name=w + "_d"))
    nodes += [helper.make_node("Conv", ["x", "w1_d"], ["c1"], pads=[1, 1, 1, 1], strides=[2, 2],
                               name="conv1"),
              helper.make_node("Relu", ["c1"], ["r1"], name="relu1")] + qdq("r1", "s1", "z1", "a1")
    nodes += [helper.make_node("Conv", ["a1", "w2_d"], ["c2"], pads=[1, 1, 1, 1], group=16,
                               name="depthwise"),
              helper.make_node("Relu", ["c2"], ["r2"], name="relu2")] + qdq("r2", "s2", "z2", "a2")
    nodes += [helper.make_node("GlobalAveragePool", ["a2"], ["g"], name="pool")]
    nodes += qdq("g", "s3", "z3", "gd")
    nodes += [helper.make_node("Flatten", ["gd"], ["f"], name="flatten"),
              helper.make_node("Gemm", ["f", "w3_d"], ["logits_real"], transB=1, name="classifier")]
    nodes += qdq("logits_real", "s_out", "z_out", "logits")
    graph = helper.make_graph(
        nodes, "deploy-example",
        [helper.make_tensor_value_info("image", TensorProto.FLOAT, [1, 3, 32, 32])],
        [helper.make_tensor_value_info("logits", TensorProto.FLOAT, [1, 10])], inits)
    model = helper.make_model(graph, producer_name="pike-deploy-example",
                              opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 8
    save(model, path)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "model.onnx")
