"""PyTorch's converted int8 models (eager `convert`, FX `convert_fx`): an ONNX
export that holds each bias as PyTorch's kernels use it, and PyTorch's own
integers layer by layer, named as the export names them, for
`pike compare --reference` (docs/Frontends.md).

torch.onnx.export (1.13, symbolic_helper.requantize_bias_helper) writes each
conv/linear bias as Cast(Div(bias, s_x*s_w), INT32): a cast that truncates
toward zero. PyTorch's kernels do not truncate: fbgemm and oneDNN add the
float bias to the scaled accumulator, QNNPACK quantizes it with
quantize_per_tensor (round half to even). export_quantized writes the bias
real (Conv(DQ(x), DQ(w), bias), which Pike's requantization adds at its
multiplier's precision) or Cast(Round(Div(...)), INT32) (ONNX Round is half
to even, so any runtime reading the file agrees; the Round of each constant
is folded, as torch's folding leaves it).
"""

import contextlib
import functools
import os
import tempfile
import warnings

import numpy as np
import torch

# QFunctional's methods: run as calls of the module itself during export and
# capture, so each gets its own ONNX scope ("/layer1/layer1.0/add_relu/...")
# and its output a name, as a module's does.
_FUNCTIONAL_METHODS = ("add", "add_scalar", "add_relu", "mul", "mul_scalar", "cat", "matmul")


# How a conv/linear bias is written (export_quantized's `bias`), after the
# kernels that run it.
BIAS_RULES = ("float", "rounded", "exporter")


class _RealBias:
    """The bias as the module holds it, passed from requantize_bias_helper
    to the dequantize_helper that would have read the int32 tuple."""

    def __init__(self, value):
        self.value = value


@contextlib.contextmanager
def _bias_rule(rule):
    """torch.onnx writes each bias by `rule`: "rounded",
    Cast(Round(Div(bias, s_x*s_w)), INT32); "float", the real bias as the
    Conv's or Gemm's third input; "exporter", as torch.onnx does."""
    from torch._C import _onnx as _C_onnx
    from torch.onnx import symbolic_helper

    if rule not in BIAS_RULES:
        raise ValueError(f"bias must be one of {', '.join(BIAS_RULES)}, got {rule!r}")
    if rule == "exporter":
        yield
        return
    requantize, dequantize = symbolic_helper.requantize_bias_helper, \
        symbolic_helper.dequantize_helper

    def requantize_bias_rounded(g, bias, input_scale, weight_scale, axis=None):
        if rule == "float":
            return _RealBias(bias)
        bias_scale = g.op("Mul", weight_scale, input_scale)
        zero_point = g.op("ConstantOfShape", g.op("Shape", bias_scale),
                          value_t=torch.tensor([0], dtype=torch.int))
        q_bias = g.op("Cast", g.op("Round", g.op("Div", bias, bias_scale)),
                      to_i=_C_onnx.TensorProtoDataType.INT32)
        axis_args = [] if axis is None or symbolic_helper._is_none(axis) else [axis]
        return g.op("prim::TupleConstruct", q_bias, bias_scale, zero_point, *axis_args)

    def dequantize_real_bias(g, qtensor, *args, **kwargs):
        if isinstance(qtensor, _RealBias):
            return qtensor.value, None, None, None
        return dequantize(g, qtensor, *args, **kwargs)

    symbolic_helper.requantize_bias_helper = requantize_bias_rounded
    symbolic_helper.dequantize_helper = dequantize_real_bias
    try:
        yield
    finally:
        symbolic_helper.requantize_bias_helper = requantize
        symbolic_helper.dequantize_helper = dequantize


def _quantized_matmul(g, x, y, scale, zero_point):
    from torch.onnx import symbolic_helper
    x, _, _, _ = symbolic_helper.dequantize_helper(g, x)
    y, _, _, _ = symbolic_helper.dequantize_helper(g, y)
    return symbolic_helper.quantize_helper(g, g.op("MatMul", x, y), scale, zero_point)


def _quantized_softmax(g, x, dim, scale, zero_point):
    from torch.onnx import symbolic_helper
    x, _, _, _ = symbolic_helper.dequantize_helper(g, x)
    axis = symbolic_helper._get_const(dim, "i", "dim")
    return symbolic_helper.quantize_helper(g, g.op("Softmax", x, axis_i=axis), scale, zero_point)


def _cat(g, tensors, dim):
    """torch.cat of quantized tensors (FX keeps aten::cat, which has no
    quantized symbolic): each dequantized, concatenated, quantized as the
    first (FX gives them one quantizer; PyTorch's quantized cat keeps the
    first's). Other lists as torch.onnx writes them."""
    from torch.onnx import symbolic_helper, symbolic_opset11
    parts = symbolic_helper._unpack_list(tensors) \
        if symbolic_helper._is_packed_list(tensors) else []
    if not parts or not all(symbolic_helper._is_tuple_construct(t) for t in parts):
        return symbolic_opset11.cat(g, tensors, dim)
    values = [symbolic_helper.dequantize_helper(g, t) for t in parts]
    axis = symbolic_helper._get_const(dim, "i", "dim")
    joined = g.op("Concat", *[v[0] for v in values], axis_i=axis)
    return symbolic_helper.quantize_helper(g, joined, values[0][1], values[0][2])


def _size(g, tensor, dim=None):
    """tensor.shape of a quantized tensor (x.shape[i] in a traced model):
    the shape of its integers."""
    from torch.onnx import symbolic_helper, symbolic_opset11
    if symbolic_helper._is_tuple_construct(tensor):
        tensor = symbolic_helper._unpack_tuple(tensor)[0]
    return symbolic_opset11.size(g, tensor, dim)


# Quantized operators of FX-converted transformers that torch.onnx 1.13 has no
# symbolic for, written as its own quantized symbolics are (opset10's
# quantized_mul, quantized_layer_norm): DequantizeLinear, the float operator,
# QuantizeLinear with the operator's output quantizer.
_TRANSFORMER_SYMBOLICS = {"quantized::matmul": _quantized_matmul,
                          "quantized::softmax": _quantized_softmax, "aten::cat": _cat,
                          "aten::size": _size}


@contextlib.contextmanager
def _transformer_symbolics(opset_version):
    from torch.onnx import register_custom_op_symbolic, unregister_custom_op_symbolic
    for name, function in _TRANSFORMER_SYMBOLICS.items():
        register_custom_op_symbolic(name, function, opset_version)
    try:
        yield
    finally:
        for name in _TRANSFORMER_SYMBOLICS:
            unregister_custom_op_symbolic(name, opset_version)


@contextlib.contextmanager
def _functionals_as_modules(model):
    functional = torch.ao.nn.quantized.QFunctional
    patched = [m for m in model.modules() if isinstance(m, functional)]
    for module in patched:
        def forward(method, *args, _module=module, **kwargs):
            return getattr(functional, method)(_module, *args, **kwargs)
        module.forward = forward
        for name in _FUNCTIONAL_METHODS:
            setattr(module, name, functools.partial(module, name))
    try:
        yield
    finally:
        for module in patched:
            for name in ("forward",) + _FUNCTIONAL_METHODS:
                module.__dict__.pop(name, None)


def _fold_rounds(proto):
    """Each Round of a constant becomes the constant it computes (torch's
    constant folding does not evaluate Round): the file then holds int32
    biases, as the plain export does, rounded instead of truncated."""
    from onnx import helper, numpy_helper

    graph = proto.graph
    producers = {out: node for node in graph.node for out in node.output}
    initializers = {init.name: init for init in graph.initializer}
    readers = {}
    for node in graph.node:
        for name in node.input:
            readers[name] = readers.get(name, 0) + 1
    folded = 0
    for node in list(graph.node):
        if node.op_type != "Round":
            continue
        source = node.input[0]
        producer = producers.get(source)
        if producer is not None and producer.op_type == "Constant" \
                and [a.name for a in producer.attribute] == ["value"]:
            values = numpy_helper.to_array(producer.attribute[0].t)
        elif source in initializers:
            values = numpy_helper.to_array(initializers[source])
        else:
            continue
        rounded = np.round(values)  # half to even, as ONNX Round
        constant = helper.make_node("Constant", [], list(node.output), name=node.name + "/folded",
                                    value=numpy_helper.from_array(rounded.astype(values.dtype)))
        index = list(graph.node).index(node)
        graph.node.remove(node)
        graph.node.insert(index, constant)
        if producer is not None and readers.get(source) == 1:
            graph.node.remove(producer)
        folded += 1
    return folded


def kernel_bias_rule(engine=None):
    """The bias rule of PyTorch's int8 kernels for `engine` (default: the
    current torch.backends.quantized.engine): QNNPACK rounds the bias to
    int32 half to even; fbgemm and oneDNN add it in float."""
    engine = engine or torch.backends.quantized.engine
    return "rounded" if engine == "qnnpack" else "float"


def export_quantized(model, example, path, bias=None, input_names=("input",),
                     output_names=("output",), opset_version=13):
    """Writes PyTorch's converted int8 `model` to `path` (ONNX, opset 13 by
    default) with each conv/linear bias as PyTorch's kernels use it
    (`bias`, default kernel_bias_rule()): "float" keeps it real, the Conv's
    or Gemm's third input (fbgemm, oneDNN); "rounded" rounds it half to even
    to int32 (QNNPACK); "exporter" leaves torch.onnx's truncation.
    QFunctional operations (add, add_relu, mul, cat) are named by their
    module's scope, e.g. "/layer1/0/add_relu/QuantizeLinear". Returns the
    number of Round nodes folded into constants."""
    import onnx

    model.eval()
    with _bias_rule(bias or kernel_bias_rule()), _functionals_as_modules(model), \
            _transformer_symbolics(opset_version), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the tracer's notes on quantized modules
        torch.onnx.export(model, example, path, opset_version=opset_version,
                          input_names=list(input_names), output_names=list(output_names))
    proto = onnx.load(path)
    folded = _fold_rounds(proto)
    if folded:
        onnx.save(proto, path)
    return folded


# -- PyTorch's own integers, by ONNX name -------------------------------------

def _unqualified(name):
    """torch.onnx.utils._unqualified_variable_name: the last non-numeric atom
    of a module's qualified name onward."""
    atoms = name.split(".")
    for i in range(len(atoms) - 1, -1, -1):
        if not atoms[i].isnumeric():
            return ".".join(atoms[i:])
    return name


# The ways torch 1.13 names the scope of a module call in ONNX node names: the
# last atom of the module's qualified name ("/layer1/0/conv1"; from an FX
# graph, whose calls are all at the top, "/conv1", "/conv1_1", ...), or
# torch.onnx.utils._unqualified_variable_name ("/layer1/layer1.0/conv1"). A
# name called again under the same caller gets "_1", "_2", ...
_SCOPE_FORMS = (lambda name: name.split(".")[-1], _unqualified)


def _captures(model, example):
    """[(scopes, tensor)]: every quantized tensor a submodule call or a
    torch function (torch.flatten, adaptive_avg_pool2d, quantized.add_relu
    in an FX graph) returns, in the order PyTorch computes them. `scopes` are
    the ways the exporter may write the scope of the call (_SCOPE_FORMS; [""]
    at the top): a function is named in the scope of the module calling it."""
    from torch.overrides import TorchFunctionMode

    seen, stack, handles, calls = [], [], [], {}

    copying = []

    def record(scopes, tensor):
        # A copy: a later in-place module (torchvision's ReLU6(inplace=True)
        # after an unfused conv) would change the tensor, and with its version
        # the in-place result counts as a tensor of its own. The copy itself
        # is not a result of the model's.
        copying.append(True)
        try:
            # The tensor itself stays referenced, so that no later one reuses its id.
            seen.append((scopes, (id(tensor), tensor._version), tensor.clone(), tensor))
        finally:
            copying.pop()
    names = {module: name for name, module in model.named_modules() if name}
    computes = {module for module in names if not isinstance(module, torch.nn.Identity)}

    def push(module, args):
        scopes = []
        for form, base in enumerate(form(names[module]) for form in _SCOPE_FORMS):
            caller = stack[-1][form] if stack else ""
            count = calls.get((form, caller, base), 0)
            calls[(form, caller, base)] = count + 1
            scopes.append(f"{caller}/{base}" + (f"_{count}" if count else ""))
        stack.append(scopes)

    def pop(module, args, output):
        scopes = stack.pop()
        if module in computes and isinstance(output, torch.Tensor) and output.is_quantized:
            record(scopes, output)

    class Functions(TorchFunctionMode):
        def __torch_function__(self, func, types, args=(), kwargs=None):
            result = func(*args, **(kwargs or {}))
            if isinstance(result, torch.Tensor) and result.is_quantized and not copying:
                record(stack[-1] if stack else [""] * len(_SCOPE_FORMS), result)
            return result

    for module in names:
        handles.append(module.register_forward_pre_hook(push))
        handles.append(module.register_forward_hook(pop))
    try:
        with torch.no_grad(), _functionals_as_modules(model), Functions():
            output = model(example)
    finally:
        for handle in handles:
            handle.remove()
    # A container returns its last child's tensor: it is named once, deepest.
    unique, keys = [], set()
    for scopes, key, tensor, _ in seen:
        if key not in keys:
            keys.add(key)
            unique.append((scopes, tensor))
    return unique, output


def reference_integers(model, example, onnx_path):
    """({ONNX QuantizeLinear node name: PyTorch's integers}, unmatched) for a
    converted int8 `model` on `example` and its export at `onnx_path`
    (export_quantized). Within each scope, the module's or function's outputs
    are matched in order with the QuantizeLinear nodes the export writes
    directly in that scope; a scope whose counts differ is left out and its
    captures are listed in `unmatched`. Integers keep PyTorch's layout (NCHW)
    and type (uint8 for quint8, int8 for qint8)."""
    import onnx

    model.eval()
    captures, _ = _captures(model, example)
    proto = onnx.load(onnx_path, load_external_data=False)
    by_scope = {}
    for node in proto.graph.node:
        if node.op_type != "QuantizeLinear" or "/" not in node.name:
            continue
        scope, _, leaf = node.name.rpartition("/")
        if leaf == "QuantizeLinear" or leaf.startswith("QuantizeLinear_"):
            by_scope.setdefault(scope, []).append(node.name)
    captured = {}
    for index, (scopes, tensor) in enumerate(captures):
        scope = next((scope for scope in scopes if scope in by_scope), scopes[0])
        captured.setdefault(scope, []).append((index, tensor))
    reference, unmatched = {}, []
    # Deepest scopes first: a module called a second time may have its nodes
    # written in its caller's scope ("/blocks/0/QuantizeLinear", not
    # "/blocks/0/relu_1/..."), so what a scope cannot match moves up to its
    # caller's when the counts there then agree.
    for depth in range(max((s.count("/") for s in captured), default=0), -1, -1):
        for scope in [s for s in captured if s.count("/") == depth]:
            items = captured[scope]
            nodes = by_scope.get(scope, [])
            if len(nodes) == len(items):
                for name, (_, tensor) in zip(nodes, items):
                    reference[name] = tensor.int_repr().numpy().copy()
                continue
            caller = scope.rpartition("/")[0]
            above = captured.get(caller, [])
            if scope and len(by_scope.get(caller, [])) == len(above) + len(items):
                captured[caller] = sorted(above + items, key=lambda item: item[0])
            else:
                unmatched.extend(f"{scope or '/'} #{i}" for i in range(len(items)))
    return reference, unmatched


def save_reference(model, example, onnx_path, npz_path):
    """Writes reference_integers to `npz_path` for `pike compare --reference`;
    returns the names left unmatched."""
    reference, unmatched = reference_integers(model, example, onnx_path)
    np.savez(npz_path, **reference)
    return unmatched


def compare_layers(model, example, onnx_path=None, passes=(), bias=None):
    """Pike's integer form of `model`'s faithful export against PyTorch,
    layer by layer, each layer fed PyTorch's own input integers
    (pike.compare.compare_reference). Exports to `onnx_path` (a temporary
    file when None) first. Returns (layers, unmatched)."""
    import onnx

    from .. import compare, onnx_import

    with tempfile.TemporaryDirectory() as tmp:
        if onnx_path is None:
            onnx_path = os.path.join(tmp, "model.onnx")
        export_quantized(model, example, onnx_path, bias)
        reference, unmatched = reference_integers(model, example, onnx_path)
        mlir = os.path.join(tmp, "model.mlir")
        with open(mlir, "w") as f:
            f.write(onnx_import.import_file(onnx_path))
        x = example.detach().numpy() if isinstance(example, torch.Tensor) else example
        aliases = compare.onnx_aliases(onnx.load(onnx_path, load_external_data=False))
        layers = compare.compare_reference(mlir, [x], reference, passes=passes, aliases=aliases)
    return layers, unmatched
