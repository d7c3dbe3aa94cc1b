"""torchvision's float models quantized by onnxruntime's own quantizer.

What a user of onnxruntime does: export the float model with torch.onnx,
`quant_pre_process` it, and `quantize_static` it on calibration images, in
the QDQ or QOperator format, per tensor or per channel, with uint8 or int8
activations and int8 weights. The quantized file is then run by onnxruntime
(the judge) and imported and run by Pike, and the two outputs compared in
steps of the output quantizer. Used by bench/ort_quantizer.py and its CI
subset, tests/test_ort_quantizer.py.
"""

import os
import tempfile
import time
import warnings

import numpy as np
import torch

from . import vision

# name -> (torchvision constructor keyword arguments, input resolution)
MODELS = {
    "resnet18": ({}, 64),
    "mobilenet_v2": ({}, 64),
    "mobilenet_v3_small": ({}, 64),
    "efficientnet_b0": ({}, 64),
    "shufflenet_v2_x1_0": ({}, 64),
    "squeezenet1_1": ({}, 64),
    "regnet_x_400mf": ({}, 64),
}

# (format, per_channel, activation type); weights are int8 in every one.
CONFIGS = [(fmt, per_channel, activations)
           for fmt in ("QDQ", "QOperator")
           for per_channel in (False, True)
           for activations in ("U8S8", "S8S8")]


def config_name(config):
    fmt, per_channel, activations = config
    return f"{fmt}/{'per-channel' if per_channel else 'per-tensor'}/{activations}"


def float_model(name, resolution, seed=0):
    """torchvision's float `name`, random weights, batch-norm statistics
    measured on images (as pike.torch.vision does)."""
    import torchvision.models as models

    torch.manual_seed(seed)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = getattr(models, name)(weights=None, **MODELS[name][0])
    return vision.measure_batch_norm(model, resolution, seed)


def export_float(model, resolution, path):
    """The float model as ONNX (opset 13), then onnxruntime's pre-processing
    (shape inference and graph optimization: batch-norm folded into Conv,
    constants made initializers), as its quantization examples do."""
    from onnxruntime.quantization.shape_inference import quant_pre_process

    raw = path + ".raw.onnx"
    example = vision.images(1, resolution, 0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(model, example, raw, opset_version=13, input_names=["input"],
                          output_names=["logits"])
    quant_pre_process(raw, path, skip_symbolic_shape=True)
    os.remove(raw)


def reduce_range_needed(config):
    """Whether onnxruntime needs 7-bit weights (`reduce_range`) to compute
    the model's exact integers: on x86 CPUs without VNNI its kernels add
    pairs of uint8 x int8 products in saturating 16-bit arithmetic, int8
    activations included (shifted to uint8 first; docs/Frontends.md)."""
    return vision.needs_reduce_range()


def quantize(float_path, path, config, calibration):
    """onnxruntime's quantize_static of `float_path` into `path`."""
    from onnxruntime.quantization import (CalibrationDataReader, QuantFormat, QuantType,
                                          quantize_static)

    class Reader(CalibrationDataReader):
        def __init__(self):
            self.batches = iter([{"input": image[None].numpy()} for image in calibration])

        def get_next(self):
            return next(self.batches, None)

    fmt, per_channel, activations = config
    quantize_static(float_path, path, Reader(),
                    quant_format=getattr(QuantFormat, fmt), per_channel=per_channel,
                    activation_type=QuantType.QUInt8 if activations == "U8S8"
                    else QuantType.QInt8,
                    weight_type=QuantType.QInt8, reduce_range=reduce_range_needed(config))


def ort_session(path, optimized_path=None, threads=1, basic=False):
    """A CPU session on `threads` threads (all graph optimizations, the
    default; with `basic`, the basic ones only: the file's operators as
    written, no QLinear fusion); `optimized_path` receives the graph
    onnxruntime runs after its optimizations."""
    import onnxruntime

    options = onnxruntime.SessionOptions()
    if basic:
        options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_BASIC
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    if optimized_path:
        options.optimized_model_filepath = optimized_path
        options.log_severity_level = 3  # not its warning that the file is for this CPU only
    return onnxruntime.InferenceSession(path, options, providers=["CPUExecutionProvider"])


def float_macs(path):
    """The convolutions and matrix products onnxruntime left in float (a
    DequantizeLinear -> Conv -> QuantizeLinear it did not fuse into an
    integer kernel): their float32 sums are not an integer computation."""
    import onnx

    return sum(node.op_type in ("Conv", "MatMul", "Gemm") for node in onnx.load(path).graph.node)


def ort_run(session, x, repeat=0):
    """onnxruntime's output for `x` and, with `repeat`, its best ms per call
    (as vision.pike_run's)."""
    feed = {session.get_inputs()[0].name: x}
    y = session.run(None, feed)[0]
    ms = None
    if repeat:
        best = float("inf")
        for _ in range(repeat):
            start = time.perf_counter()
            session.run(None, feed)
            best = min(best, time.perf_counter() - start)
        ms = best * 1e3
    return y, ms


def written(proto):
    """What the quantizer wrote, to check a configuration took effect: the
    op types, whether some weight scale is per channel, and the element
    type of the input's quantizer ("uint8" / "int8")."""
    from onnx import TensorProto

    initializers = {t.name: t for t in proto.graph.initializer}
    ops = {node.op_type for node in proto.graph.node}
    per_channel = any(len(initializers[node.input[1]].dims) == 1
                      and initializers[node.input[1]].dims[0] > 1
                      for node in proto.graph.node
                      if node.op_type == "DequantizeLinear" and node.input[1] in initializers)
    per_channel |= any(len(node.input) > 4 and node.input[4] in initializers
                       and initializers[node.input[4]].dims not in ([], [1])
                       for node in proto.graph.node if node.op_type == "QLinearConv")
    first = next(node for node in proto.graph.node if node.op_type == "QuantizeLinear")
    element = initializers[first.input[2]].data_type
    return {"ops": sorted(ops), "per_channel_weights": per_channel,
            "activations": {TensorProto.UINT8: "uint8", TensorProto.INT8: "int8"}.get(element)}


def evaluate(name, configs=CONFIGS, resolution=None, repeat=0, seed=0, keep=None,
             rounding=None):
    """Rows for `name` quantized in each of `configs`: onnxruntime's run of
    the quantized file against Pike's import and run of the same file, in
    steps of the output quantizer. Pike runs the file's integer form
    (pike-quantize-pipeline) with `rounding` (default: the imported model's,
    half_even; float32 is onnxruntime's requantization). `keep` names a
    folder for the files."""
    import onnx

    from .. import onnx_import, tools

    resolution = resolution or MODELS[name][1]
    calibration = vision.images(8, resolution, seed + 1)
    x = vision.images(1, resolution, seed + 2).numpy()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = keep or tmp
        os.makedirs(folder, exist_ok=True)
        float_path = os.path.join(folder, f"{name}.float.onnx")
        export_float(float_model(name, resolution, seed), resolution, float_path)
        for config in configs:
            row = {"model": name, "config": config_name(config), "resolution": resolution,
                   "reduce_range": reduce_range_needed(config)}
            rows.append(row)
            stem = f"{name}.{config_name(config).replace('/', '.')}"
            path = os.path.join(folder, stem + ".onnx")
            quantize(float_path, path, config, calibration)
            proto = onnx.load(path)
            row.update(written(proto))
            optimized = os.path.join(folder, stem + ".ort-optimized.onnx")
            y_ort, row["ort_ms"] = ort_run(ort_session(path, optimized), x, repeat)
            row["ort_float_macs"] = float_macs(optimized)
            scale = vision.output_scale(proto)
            try:
                text = onnx_import.import_model(proto, stem + ".mlir")
            except onnx_import.OnnxImportError as err:
                row["status"] = f"refused: {err}"
                continue
            mlir_path = os.path.join(folder, stem + ".mlir")
            with open(mlir_path, "w") as f:
                f.write(text)
            try:
                integer_path = vision.integer_form(mlir_path, rounding)
                y_pike, row["pike_ms"] = vision.pike_run(integer_path, x, folder, repeat)
            except tools.ToolError as err:
                row["status"] = f"fails to run: {str(err).splitlines()[0][:160]}"
                continue
            steps = np.abs(y_pike.astype(np.float64) - y_ort) / scale
            row["status"] = "runs"
            row["outputs"] = int(steps.size)
            row["max_steps"] = int(np.rint(steps.max()))
            row["differing"] = float(np.mean(np.rint(steps) > 0))
            row["same_argmax"] = bool(np.argmax(y_pike) == np.argmax(y_ort))
            row.update(layer_differences(proto, mlir_path, x, rounding))
    return rows


def layer_differences(proto, mlir_path, x, rounding):
    """Each layer of Pike's integer form against onnxruntime's integers of
    that layer, fed onnxruntime's integers of its inputs (teacher forcing,
    `pike compare --reference onnxruntime`): the largest difference, the
    layers that differ, and the layers onnxruntime computed with a float
    kernel."""
    from .. import compare, ort_reference

    reference = ort_reference.run(proto, [x])
    pipeline = "--pike-quantize-pipeline" + (f"=rounding={rounding}" if rounding else "")
    layers = compare.compare_reference(mlir_path, [x], reference.integers, passes=[pipeline],
                                       aliases=compare.onnx_aliases(proto))
    return {"layers": len(layers),
            "layer_max_steps": max((layer.max_steps for layer in layers), default=0),
            "layers_differing": sorted(layer.name for layer in layers if layer.max_steps),
            "ort_float_layers": sorted(reference.float_layers)}
