"""Export of a pike.torch network to ONNX that `pike import` reads as is.

Quantizers become QONNX `Quant` nodes (domain qonnx.custom_op.general):
Debian's ONNX 1.12 stops at opset 17, whose QuantizeLinear is 8-bit only,
and Quant carries any bit-width. Layers export their float graph (Conv,
BatchNormalization, Gemm, GlobalAveragePool); Pike derives the integer form
from it. What the model was trained for goes into `metadata_props`
(docs/Tutorial.md), so the importer turns on the same passes.
"""

import contextlib
import threading

import torch

QONNX_DOMAIN = "qonnx.custom_op.general"

_state = threading.local()


def exporting():
    return getattr(_state, "exporting", False)


@contextlib.contextmanager
def _exporting():
    _state.exporting = True
    try:
        yield
    finally:
        _state.exporting = False


class QuantOp(torch.autograd.Function):
    """QONNX Quant with zero point 0 and round-half-even rounding: the
    fake-quantized value in PyTorch, a `Quant` node in the export."""

    @staticmethod
    def forward(ctx, x, scale, bits, signed, narrow):
        if signed:
            lo, hi = -(2 ** (bits - 1)) + int(narrow), 2 ** (bits - 1) - 1
        else:
            lo, hi = 0, 2 ** bits - 1 - int(narrow)
        return torch.clamp(torch.round(x / scale), lo, hi) * scale

    @staticmethod
    def symbolic(g, x, scale, bits, signed, narrow):
        zero = g.op("Constant", value_t=torch.tensor(0.0))
        width = g.op("Constant", value_t=torch.tensor(float(bits)))
        return g.op(f"{QONNX_DOMAIN}::Quant", x, scale, zero, width, signed_i=int(signed),
                    narrow_i=int(narrow), rounding_mode_s="ROUND")

    @classmethod
    def apply(cls, x, scale, bits, signed, narrow):
        # A constant scale, not the computation that made it.
        constant = torch.tensor(scale.detach().to(torch.float32).cpu().numpy())
        return super().apply(x, constant, bits, signed, narrow)


def metadata(model):
    """The `pike.*` metadata_props of a configured model (pike.torch.configure)."""
    trained = getattr(model, "pike_trained_for", None) or {}
    props = {}
    if trained.get("quantnorm"):
        props["pike.quantnorm_multiplier_bits"] = str(trained["multiplier_bits"])
        if trained.get("double_quantize_bits") is not None:
            props["pike.double_quantize_bits"] = str(trained["double_quantize_bits"])
    return props


def export(model, example, path, input_names=("input",), output_names=("output",)):
    """Writes `model` (evaluated as in eval mode) to `path` as ONNX opset 13
    with QONNX Quant nodes and the metadata of what it was trained for."""
    import onnx
    import warnings

    was_training = model.training
    model.eval()
    try:
        with _exporting(), warnings.catch_warnings():
            warnings.simplefilter("ignore")  # tracer warnings on the constant scales
            torch.onnx.export(model, example, path, opset_version=13,
                              input_names=list(input_names), output_names=list(output_names),
                              custom_opsets={QONNX_DOMAIN: 1}, do_constant_folding=False,
                              dynamic_axes={input_names[0]: {0: "batch"},
                                            output_names[0]: {0: "batch"}})
    finally:
        model.train(was_training)
    proto = onnx.load(path)
    for key, value in metadata(model).items():
        entry = proto.metadata_props.add()
        entry.key, entry.value = key, value
    onnx.save(proto, path)
    return path
