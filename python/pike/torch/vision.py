"""torchvision's quantizable models, quantized with PyTorch's own recipes.

What a user of PyTorch 1.13 does: random weights (or their own), batch-norm
statistics measured on images, then post-training quantization — eager mode
(torchvision's `fuse_model`, `prepare`, `convert`) for the models in
`torchvision.models.quantization`, FX mode (`prepare_fx`, `convert_fx`) for
the others. The qconfig is oneDNN's: Debian's torch has no fbgemm engine, so
torchvision's `quantize_model(m, "fbgemm")` fails there. Used by the model
zoo run (bench/torch_zoo.py) and its CI subset (tests/test_torch_zoo.py).
"""

import contextlib
import copy
import os
import re
import subprocess
import tempfile
import time
import warnings

import numpy as np
import torch
import torch.ao.quantization as tq
from torch.ao.quantization import quantize_fx

# name -> (mode, constructor of the float model, default resolution)
MODELS = {
    "mobilenet_v2": ("eager", "mobilenet_v2", {}, 224),
    "mobilenet_v3_large": ("eager", "mobilenet_v3_large", {}, 224),
    "resnet18": ("eager", "resnet18", {}, 224),
    "resnet50": ("eager", "resnet50", {}, 224),
    "googlenet": ("eager", "googlenet", {"aux_logits": False, "init_weights": True}, 224),
    "inception_v3": ("eager", "inception_v3", {"aux_logits": False, "init_weights": True}, 299),
    "shufflenet_v2_x1_0": ("eager", "shufflenet_v2_x1_0", {}, 224),
    "fx_resnet18": ("fx", "resnet18", {}, 224),
    "fx_mobilenet_v2": ("fx", "mobilenet_v2", {}, 224),
    "fx_efficientnet_b0": ("fx", "efficientnet_b0", {}, 224),
    "fx_regnet_x_400mf": ("fx", "regnet_x_400mf", {}, 224),
    "fx_mnasnet0_5": ("fx", "mnasnet0_5", {}, 224),
}

MEAN, STD = (0.485, 0.456, 0.406), (0.229, 0.224, 0.225)


def images(count, resolution, seed=0):
    """Normalized RGB images with real structure: sklearn's handwritten
    digits, upsampled, each channel a different affine view of the digit."""
    from sklearn.datasets import load_digits

    digits = load_digits().images.astype(np.float32) / 16.0
    rng = np.random.default_rng(seed)
    picked = torch.from_numpy(digits[rng.choice(len(digits), count, replace=False)])
    up = torch.nn.functional.interpolate(picked[:, None], size=(resolution, resolution),
                                         mode="bilinear", align_corners=False)
    gains = torch.tensor([0.9, 0.6, 0.3]).view(1, 3, 1, 1)
    offsets = torch.tensor(rng.uniform(0.0, 0.3, size=(count, 3, 1, 1)), dtype=torch.float32)
    rgb = (up * gains + offsets).clamp(0, 1)
    return (rgb - torch.tensor(MEAN).view(1, 3, 1, 1)) / torch.tensor(STD).view(1, 3, 1, 1)


def float_model(name, resolution=None, seed=0, batches=4, batch_size=8):
    """The float model in eval mode, its batch-norm statistics measured on
    `batches` batches of images (cumulative averages, not PyTorch's 0/1)."""
    import torchvision.models as vision
    import torchvision.models.quantization as quantizable

    mode, constructor, kwargs, default_resolution = MODELS[name]
    resolution = resolution or default_resolution
    torch.manual_seed(seed)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if mode == "eager":
            model = getattr(quantizable, constructor)(weights=None, quantize=False, **kwargs)
        else:
            model = getattr(vision, constructor)(weights=None, **kwargs)
    return measure_batch_norm(model, resolution, seed, batches, batch_size)


def measure_batch_norm(model, resolution, seed=0, batches=4, batch_size=8):
    """`model` in eval mode with its batch-norm statistics measured on
    `batches` batches of images (cumulative averages, not PyTorch's 0/1)."""
    for module in model.modules():
        if isinstance(module, torch.nn.modules.batchnorm._BatchNorm):
            module.reset_running_stats()
            module.momentum = None
    model.train()
    data = images(batches * batch_size, resolution, seed)
    with torch.no_grad():
        for batch in data.split(batch_size):
            model(batch)
    return model.eval()


def qconfig(reduce_range):
    """oneDNN's PTQ qconfig; `reduce_range` keeps activations to 7 bits,
    which PyTorch's x86 kernels need to be exact on CPUs without VNNI (they
    add u8 x s8 product pairs in saturating 16-bit arithmetic)."""
    config = tq.get_default_qconfig("onednn")
    if not reduce_range:
        return config
    return tq.QConfig(activation=config.activation.with_args(reduce_range=True),
                      weight=config.weight)


def qconfig_mapping(reduce_range):
    """oneDNN's FX mapping with `qconfig(reduce_range)` wherever it has
    oneDNN's default: the mapping gives Conv2d, Linear, ReLU and others
    entries of their own, which `set_global` alone would leave 8-bit. One
    object for all, as FX fusion refuses differing qconfigs."""
    mapping = tq.get_default_qconfig_mapping("onednn")
    default, chosen = mapping.global_qconfig, qconfig(reduce_range)
    mapping.set_global(chosen)
    for key, entry in list(mapping.object_type_qconfigs.items()):
        if entry is not None and repr(entry) == repr(default):
            mapping.object_type_qconfigs[key] = chosen
        elif entry is not None and repr(entry.activation) == repr(default.activation):
            # LayerNorm's own entry (a placeholder weight observer): its
            # output feeds linear layers, so it takes the same activations.
            mapping.object_type_qconfigs[key] = tq.QConfig(activation=chosen.activation,
                                                           weight=entry.weight)
    return mapping


def needs_reduce_range():
    """Whether this CPU needs 7-bit activations for PyTorch to be exact."""
    from .. import aot

    return not aot.cpu_flags() & {"avx512_vnni", "avx_vnni"}


def prepare(model, name, calibration, reduce_range):
    """The model with observers, calibrated on `calibration` (a batch)."""
    mode = MODELS[name][0]
    model = copy.deepcopy(model).eval()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if mode == "eager":
            model.fuse_model()
            model.qconfig = qconfig(reduce_range)
            tq.prepare(model, inplace=True)
        else:
            mapping = qconfig_mapping(reduce_range)
            model = quantize_fx.prepare_fx(model, mapping, (calibration[:1],))
        with torch.no_grad():
            model(calibration)
    return model


@contextlib.contextmanager
def quantized_engine(engine):
    """PyTorch's quantized engine set to `engine` inside, restored after."""
    previous = torch.backends.quantized.engine
    torch.backends.quantized.engine = engine
    try:
        yield
    finally:
        torch.backends.quantized.engine = previous


def convert(prepared, name, engine="onednn"):
    """PyTorch's int8 model for `engine` (weights are packed at conversion)."""
    with quantized_engine(engine), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = copy.deepcopy(prepared)
        if MODELS[name][0] == "eager":
            return tq.convert(model, inplace=False)
        return quantize_fx.convert_fx(model)


def run(model, x, engine="onednn"):
    with quantized_engine(engine), torch.no_grad():
        return model(x)


def output_scale(onnx_model):
    """The scale of the DequantizeLinear that writes the first graph output."""
    from onnx import numpy_helper

    producers = {out: node for node in onnx_model.graph.node for out in node.output}
    constants = {t.name: numpy_helper.to_array(t) for t in onnx_model.graph.initializer}
    for node in onnx_model.graph.node:
        if node.op_type == "Constant":
            constants[node.output[0]] = numpy_helper.to_array(node.attribute[0].t)
    node = producers.get(onnx_model.graph.output[0].name)
    while node is not None and node.op_type != "DequantizeLinear":
        node = producers.get(node.input[0]) if node.input else None
    if node is None or node.input[1] not in constants:
        raise ValueError("the first output is not written by a DequantizeLinear with a "
                         "constant scale")
    return float(np.asarray(constants[node.input[1]]).reshape(-1)[0])


def export(model, example, path, faithful=True):
    """PyTorch's int8 `model` as ONNX (opset 13): by pike.torch's
    export_quantized, each bias as PyTorch's kernels use it, or with
    `faithful` false as torch.onnx.export writes it (biases truncated)."""
    from .quantized import export_quantized

    export_quantized(model, example, path, bias=None if faithful else "exporter")


def integer_form(mlir_path, rounding=None):
    """The integer form of an imported module (pike-quantize-pipeline, with
    `rounding` or the module's own, half_even): what Pike compiles a
    quantized model into. pike-run of the imported module as written would
    keep its real arithmetic. Written beside it as .int.mlir."""
    from .. import tools

    integer_path = os.path.splitext(mlir_path)[0] + ".int.mlir"
    pipeline = "--pike-quantize-pipeline" + (f"=rounding={rounding}" if rounding else "")
    tools.run("pike-opt", mlir_path, pipeline, "-o", integer_path)
    return integer_path


def pike_run(mlir_path, x, folder, repeat=0, threads=1):
    """Pike's output for `x` (a float array) and, with `repeat`, the best
    milliseconds per call reported by pike-run (the least disturbed by
    other work on the machine)."""
    from .. import tools

    x_path, y_path = os.path.join(folder, "x.npy"), os.path.join(folder, "y.npy")
    np.save(x_path, np.ascontiguousarray(x, dtype=np.float32))
    args = [mlir_path, f"--input={x_path}", f"--output={y_path}", f"--threads={threads}"]
    if repeat:
        args.append(f"--repeat={repeat}")
    result = subprocess.run([tools.find("pike-run"), *args], capture_output=True, text=True)
    if result.returncode != 0:
        raise tools.ToolError(result.stderr.strip(), result.returncode, from_tool=True)
    ms = None
    if repeat:
        match = re.search(r"time: [0-9.]+ ms mean, ([0-9.]+) ms best", result.stderr)
        ms = float(match.group(1)) if match else None
    return np.load(y_path), ms


def torch_ms(model, x, repeat, engine="onednn"):
    """Best milliseconds per call of PyTorch's int8 model on one thread, of
    `repeat` calls after a warm-up (as pike_run's)."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        run(model, x, engine)
        best = float("inf")
        for _ in range(repeat):
            start = time.perf_counter()
            run(model, x, engine)
            best = min(best, time.perf_counter() - start)
        return best * 1e3
    finally:
        torch.set_num_threads(threads)


def evaluate(name, resolution=None, repeat=0, faithful=True, seed=0, keep=None, layers=True,
             rounding=None):
    """One model through the zoo run: PyTorch's int8 model (oneDNN, and
    QNNPACK for how much PyTorch's engines disagree), its ONNX export, Pike's
    import and run of its integer form (`integer_form`, with `rounding`).
    Differences are in steps of the output quantizer.
    With `layers`, also each layer against PyTorch's own integers, fed
    PyTorch's inputs (pike compare --reference). `keep` names a folder to
    leave the .onnx and .mlir in."""
    import onnx

    from .. import compare, onnx_import, tools
    from . import quantized

    resolution = resolution or MODELS[name][3]
    reduce_range = needs_reduce_range()
    model = float_model(name, resolution, seed)
    calibration = images(16, resolution, seed + 1)
    x = images(1, resolution, seed + 2)
    prepared = prepare(model, name, calibration, reduce_range)
    onednn = convert(prepared, name, "onednn")
    qnnpack = convert(prepared, name, "qnnpack")
    y_onednn = run(onednn, x, "onednn").numpy()
    y_qnnpack = run(qnnpack, x, "qnnpack").numpy()
    row = {"model": name, "resolution": resolution, "reduce_range": reduce_range}
    with tempfile.TemporaryDirectory() as tmp:
        folder = keep or tmp
        os.makedirs(folder, exist_ok=True)
        onnx_path = os.path.join(folder, f"{name}.onnx")
        row["faithful"] = faithful
        try:
            export(onednn, x, onnx_path, faithful)
        except Exception as err:  # PyTorch's exporter raises many types
            row["status"] = f"PyTorch cannot export it: {str(err).splitlines()[0][:120]}"
            return row
        proto = onnx.load(onnx_path)
        scale = output_scale(proto)
        row["torch_vs_torch_steps"] = int(np.rint(np.max(np.abs(y_qnnpack - y_onednn)) / scale))
        try:
            text = onnx_import.import_model(proto, f"{name}.mlir")
        except onnx_import.OnnxImportError as err:
            row["status"] = f"refused: {err}"
            return row
        mlir_path = os.path.join(folder, f"{name}.mlir")
        with open(mlir_path, "w") as f:
            f.write(text)
        try:
            y_pike, ms = pike_run(integer_form(mlir_path, rounding), x.numpy(), folder, repeat)
        except tools.ToolError as err:
            row["status"] = f"fails to run: {str(err).splitlines()[0][:160]}"
            return row
        if layers:
            reference, row["unmatched"] = quantized.reference_integers(onednn, x, onnx_path)
            diffs = compare.compare_reference(mlir_path, [x.numpy()], reference,
                                              aliases=compare.onnx_aliases(proto))
            row["layers"] = len(diffs)
            row["layer_max_steps"] = max((d.max_steps for d in diffs), default=0)
            row["layers_identical"] = sum(d.max_steps == 0 for d in diffs)
    row["status"] = "runs"
    row["pike_vs_torch_steps"] = int(np.rint(np.max(np.abs(y_pike - y_onednn)) / scale))
    row["same_argmax"] = bool(np.argmax(y_pike) == np.argmax(y_onednn))
    if repeat:
        row["pike_ms"] = ms
        row["torch_ms"] = torch_ms(onednn, x, repeat)
    return row
