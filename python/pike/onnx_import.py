"""ONNX to pike IR in quantized-graph form.

Two steps: `onnx_serialize` writes the graph as it is in the generic
pike_onnx form, and `pike-opt --convert-onnx-to-pike` (C++, see
docs/Frontends.md for the operators) gives it Pike's semantics. A model Pike
cannot import is an OnnxImportError naming the node, its op type and the
reason; nothing is dropped silently.
"""

import os
import re

from . import onnx_serialize, tools


class OnnxImportError(ValueError):
    """An ONNX model Pike cannot import, naming the node and op type."""


def _diagnostic(message):
    """The first error of a tool's located diagnostics, without the location."""
    for line in message.splitlines():
        if "error: " in line:
            text = line.split("error: ", 1)[1].strip()
            # Errors at a node's location read `loc("conv1"): node 'conv1' ...`.
            return re.sub(r'^loc\(.*?\):\s*', "", text)
    return message.strip().splitlines()[0] if message.strip() else "import failed"


def generic_form(model):
    """The model in the generic pike_onnx form (MLIR text)."""
    try:
        return onnx_serialize.serialize(model)
    except onnx_serialize.SerializeError as err:
        raise OnnxImportError(str(err)) from None


def import_model(model, file_name="model.mlir", batch=None):
    """pike IR text for an onnx.ModelProto; `batch` fixes a symbolic batch
    dimension of the graph inputs."""
    if not model.HasField("graph"):
        raise OnnxImportError("model: no graph (an empty file or not an ONNX model)")
    if not model.graph.output:
        raise OnnxImportError("model: the graph has no outputs, so there is nothing to compute")
    text = generic_form(model)
    option = f"=batch={batch}" if batch else ""
    try:
        converted = tools.run("pike-opt", "-", f"--convert-onnx-to-pike{option}",
                              "--mlir-print-debuginfo", stdin=text)
    except tools.ToolError as err:
        if not err.from_tool:
            raise
        raise OnnxImportError(_diagnostic(str(err))) from None
    # The producer stays in the module's pike_onnx.producer attribute: no
    # text from the model is written into a comment (docs/Security.md).
    return "// Imported from ONNX by `pike import`.\n" + converted


def import_file(path, file_name="model.mlir", batch=None):
    import onnx

    from .onnx_external import ExternalDataError, load_external_data
    try:
        # External data is read by load_external_data, inside the model's folder.
        model = onnx.load(path, load_external_data=False)
    except Exception as err:  # onnx raises several types for a bad file
        raise OnnxImportError(f"cannot read '{path}' as an ONNX model: {err}") from None
    try:
        load_external_data(model, os.path.dirname(os.path.abspath(path)))
    except ExternalDataError as err:
        raise OnnxImportError(str(err)) from None
    return import_model(model, file_name, batch)
