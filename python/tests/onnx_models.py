"""Small ONNX models built in the tests, and a NumPy evaluator of the ONNX
semantics they use (float fake quantization), independent of Pike."""

import numpy as np
from onnx import TensorProto, helper, numpy_helper


def init(name, array):
    return numpy_helper.from_array(np.asarray(array), name)


def model(nodes, inputs, outputs, inits, opset=13, extra_opsets=()):
    graph = helper.make_graph(nodes, "test", inputs, outputs, inits)
    opsets = [helper.make_opsetid("", opset)] + [helper.make_opsetid(d, 1) for d in extra_opsets]
    m = helper.make_model(graph, opset_imports=opsets, producer_name="pike-tests")
    return m


def tensor(name, shape, elem=TensorProto.FLOAT):
    return helper.make_tensor_value_info(name, elem, shape)


# -- NumPy evaluation -----------------------------------------------------------

def _quantize(x, scale, zp, axis=1, lo=None, hi=None):
    scale, zp = np.asarray(scale, np.float32), np.asarray(zp)
    if scale.size > 1:
        shape = [1] * x.ndim
        shape[axis] = -1
        scale, zp = scale.reshape(shape), zp.reshape(shape)
    if lo is None:
        lo, hi = (0, 255) if zp.dtype == np.uint8 else (-128, 127)
    return np.clip(np.round(x.astype(np.float32) / scale) + zp.astype(np.int64), lo, hi)


def _dequantize(q, scale, zp, axis=1):
    scale, zp = np.asarray(scale, np.float32), np.asarray(zp)
    if scale.size > 1:
        shape = [1] * q.ndim
        shape[axis] = -1
        scale, zp = scale.reshape(shape), zp.reshape(shape)
    return (q.astype(np.float64) - zp) * scale


def conv2d(x, w, pads=(0, 0, 0, 0), strides=(1, 1), group=1):
    """NCHW real convolution (float64)."""
    n, c, h, wd = x.shape
    f, cg, kh, kw = w.shape
    t, l, b, r = pads
    xp = np.zeros((n, c, h + t + b, wd + l + r))
    xp[:, :, t:t + h, l:l + wd] = x
    oh = (h + t + b - kh) // strides[0] + 1
    ow = (wd + l + r - kw) // strides[1] + 1
    out = np.zeros((n, f, oh, ow))
    fg = f // group
    for g in range(group):
        xs = xp[:, g * cg:(g + 1) * cg]
        ws = w[g * fg:(g + 1) * fg]
        for i in range(kh):
            for j in range(kw):
                patch = xs[:, :, i:i + strides[0] * (oh - 1) + 1:strides[0],
                           j:j + strides[1] * (ow - 1) + 1:strides[1]]
                out[:, g * fg:(g + 1) * fg] += np.einsum("nchw,fc->nfhw", patch, ws[:, :, i, j])
    return out


def _activation(op, x, a):
    """ONNX's activations in float64 (alpha and beta as stored, float32)."""
    alpha = float(np.float32(a.get("alpha", 0.01 if op == "LeakyRelu" else 0.2)))
    if op == "Sigmoid":
        return 1 / (1 + np.exp(-x))
    if op == "Tanh":
        return np.tanh(x)
    if op == "HardSigmoid":
        return np.clip(alpha * x + float(np.float32(a.get("beta", 0.5))), 0, 1)
    if op == "HardSwish":
        return x * np.clip(x / 6 + 0.5, 0, 1)
    if op == "LeakyRelu":
        return np.where(x >= 0, x, alpha * x)
    import math
    return 0.5 * x * (1 + np.vectorize(math.erf)(x / math.sqrt(2)))


def _avg_pool(x, kernel, strides):
    n, c, h, w = x.shape
    oh, ow = (h - kernel[0]) // strides[0] + 1, (w - kernel[1]) // strides[1] + 1
    out = np.zeros((n, c, oh, ow))
    for i in range(oh):
        for j in range(ow):
            out[:, :, i, j] = x[:, :, i * strides[0]:i * strides[0] + kernel[0],
                                j * strides[1]:j * strides[1] + kernel[1]].mean(axis=(2, 3))
    return out


def _contrib(op, ins, a):
    """onnxruntime's QOperator ops as its contrib-op documentation defines
    them: dequantize the inputs, the float op, quantize the output."""
    dq, q = _dequantize, _quantize
    if op == "QLinearAdd":
        return q(dq(ins[0], ins[1], ins[2]) + dq(ins[3], ins[4], ins[5]), ins[6], ins[7])
    if op == "QLinearMul":
        return q(dq(ins[0], ins[1], ins[2]) * dq(ins[3], ins[4], ins[5]), ins[6], ins[7])
    if op in ("QLinearSigmoid", "QLinearLeakyRelu"):
        real = op[len("QLinear"):]
        return q(_activation(real, dq(ins[0], ins[1], ins[2]), a), ins[3], ins[4])
    if op == "QLinearGlobalAveragePool":
        x = dq(ins[0], ins[1], ins[2])
        axes = (1, 2) if a.get("channels_last", 0) else (2, 3)
        return q(x.mean(axis=axes, keepdims=True), ins[3], ins[4])
    if op == "QLinearAveragePool":
        return q(_avg_pool(dq(ins[0], ins[1], ins[2]), a["kernel_shape"],
                           a.get("strides", [1, 1])), ins[3], ins[4])
    if op == "QLinearConcat":
        reals = [dq(ins[i], ins[i + 1], ins[i + 2]) for i in range(2, len(ins), 3)]
        return q(np.concatenate(reals, axis=a["axis"]), ins[0], ins[1])
    if op == "QGemm":
        alpha = float(np.float32(a.get("alpha", 1.0)))
        x, w = dq(ins[0], ins[1], ins[2]), dq(ins[3], ins[4], ins[5], axis=0)
        w = w.T if a.get("transB", 0) else w
        y = alpha * x @ w
        if len(ins) > 6 and ins[6] is not None:
            y = y + ins[6] * (np.float32(ins[1]) * np.asarray(ins[4], np.float32) * alpha)
        return q(y, ins[7], ins[8]) if len(ins) > 7 else y
    raise NotImplementedError(op)


def evaluate(m, inputs):
    """Evaluates an ONNX model of the ops these tests use, in float64."""
    env = {i.name: numpy_helper.to_array(i) for i in m.graph.initializer}
    env.update(inputs)
    for node in m.graph.node:
        a = {x.name: helper.get_attribute_value(x) for x in node.attribute}
        ins = [env.get(n) if n else None for n in node.input]
        op = node.op_type
        if node.domain == "com.microsoft" and op != "Gelu":
            out = _contrib(op, ins, a).astype(np.asarray(ins[-1]).dtype)
        elif op in ("Sigmoid", "Tanh", "HardSigmoid", "HardSwish", "LeakyRelu", "Gelu"):
            out = _activation(op, ins[0], a)
        elif op == "Mul":
            out = ins[0] * ins[1]
        elif op == "Identity":
            out = ins[0]
        elif op == "QLinearConv":
            x = _dequantize(ins[0], ins[1], ins[2])
            w = _dequantize(ins[3], ins[4], ins[5], axis=0)
            pads = a.get("pads", [0, 0, 0, 0])
            y = conv2d(x, w, tuple(pads), a.get("strides", [1, 1]), a.get("group", 1))
            if len(ins) > 8 and ins[8] is not None:
                bias_scale = np.float32(ins[1]) * np.asarray(ins[4], np.float32)
                y = y + (ins[8] * bias_scale).reshape(1, -1, 1, 1)
            out = _quantize(y, ins[6], ins[7]).astype(np.asarray(ins[7]).dtype)
        elif op == "QuantizeLinear":
            zp = ins[2] if len(ins) > 2 else np.uint8(0)
            out = _quantize(ins[0], ins[1], zp, a.get("axis", 1)).astype(np.asarray(zp).dtype)
        elif op == "DequantizeLinear":
            zp = ins[2] if len(ins) > 2 else np.zeros(1)
            out = _dequantize(ins[0], ins[1], zp, a.get("axis", 1))
        elif op == "Quant":  # QONNX
            x, scale, zp, bits = ins
            bits = int(bits)
            signed, narrow = a.get("signed", 1), a.get("narrow", 0)
            lo = -(1 << (bits - 1)) + narrow if signed else 0
            hi = (1 << (bits - 1)) - 1 if signed else (1 << bits) - 1 - narrow
            q = np.round(np.clip(x / scale + zp, lo, hi))
            out = (q - zp) * scale
        elif op == "Conv":
            pads = a.get("pads", [0, 0, 0, 0])
            out = conv2d(ins[0], ins[1], (pads[0], pads[1], pads[2], pads[3]),
                         a.get("strides", [1, 1]), a.get("group", 1))
            if len(ins) > 2 and ins[2] is not None:
                out = out + ins[2].reshape(1, -1, 1, 1)
        elif op == "BatchNormalization":
            x, g, b, mu, var = ins
            eps = a.get("epsilon", 1e-5)
            s = (1, -1, 1, 1) if x.ndim == 4 else (1, -1)
            out = (x - mu.reshape(s)) / np.sqrt(var.reshape(s) + eps) * g.reshape(s) + b.reshape(s)
        elif op == "Relu":
            out = np.maximum(ins[0], 0)
        elif op == "Clip":
            out = np.clip(ins[0], ins[1], ins[2])
        elif op == "Add":
            out = ins[0] + ins[1]
        elif op == "Concat":
            out = np.concatenate(ins, axis=a["axis"])
        elif op == "Reshape":
            out = ins[0].reshape([int(d) for d in ins[1]])
        elif op == "Transpose":
            out = np.transpose(ins[0], a["perm"])
        elif op == "GlobalAveragePool":
            out = ins[0].mean(axis=(2, 3), keepdims=True)
        elif op == "Flatten":
            out = ins[0].reshape(ins[0].shape[0], -1)
        elif op == "Gemm":
            b = ins[1].T if a.get("transB", 0) else ins[1]
            out = ins[0] @ b + (ins[2] if len(ins) > 2 and ins[2] is not None else 0)
        else:
            raise NotImplementedError(op)
        env[node.output[0]] = out
    return [env[o.name] for o in m.graph.output]
