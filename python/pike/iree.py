"""Pike's integer form inside IREE: the model made integer by Pike and lowered
to upstream dialects only (`convert-pike-to-linalg`, `pike-expand-apply-scale`:
linalg, arith, tensor; `pike-strip-attributes` takes Pike's attributes off), then compiled by `iree-compile` (the llvm-cpu backend,
for this CPU) and run by IREE's runtime. IREE reads LLVM 22's textual IR as
Pike writes it (docs/Embedding.md)."""

import os
import re
import tempfile

import numpy as np

from . import tools

UPSTREAM_PASSES = ("--pike-quantize-pipeline", "--convert-pike-to-linalg",
                   "--pike-expand-apply-scale", "--pike-strip-attributes")


class IreeError(RuntimeError):
    """A model IREE cannot take, or a failure in IREE, and why."""


def upstream_form(model, integer_passes=UPSTREAM_PASSES[:1]):
    """The model at `model` (pike IR) in integer form, in upstream dialects
    only, as MLIR text."""
    text = tools.run("pike-opt", model, "--pike-verify-model", *integer_passes,
                     *UPSTREAM_PASSES[1:])
    left = sorted(set(re.findall(r"(?:= |^\s*)(pike\.[a-z_0-9]+)\b", text, re.M)))
    if left:
        raise IreeError(f"pike ops left after lowering: {', '.join(left)}")
    return text


def compile_module(text, vmfb):
    """`text` (upstream MLIR) compiled by iree-compile for this CPU to `vmfb`."""
    from iree.compiler import CompilerToolError, compile_str
    try:
        compile_str(text, target_backends=["llvm-cpu"], output_file=vmfb,
                    extra_args=["--iree-llvmcpu-target-cpu=host"])
    except CompilerToolError as err:
        message = str(err)
        first = next((line for line in message.splitlines() if "error:" in line), message)
        if "emulate bit width" in message:
            # IREE 3.13 cannot put i4 tensors (Pike's 4-bit weights and
            # activations) in buffers.
            raise IreeError("IREE cannot store the model's sub-byte integer tensors "
                            f"(4-bit weights or activations): {first.strip()[:500]}") from None
        raise IreeError(f"iree-compile failed: {first.strip()[:2000]}") from None


class Module:
    """A compiled IREE module, called from NumPy on IREE's CPU runtime."""

    def __init__(self, vmfb):
        import iree.runtime as rt
        self.module = rt.load_vm_flatbuffer_file(vmfb, driver="local-sync")

    def run(self, inputs, entry="main"):
        result = self.module[entry](*[np.ascontiguousarray(x) for x in inputs])
        results = result if isinstance(result, (list, tuple)) else [result]
        return [np.asarray(r.to_host()) for r in results]


def run_model(model, inputs, entry="main", integer_passes=UPSTREAM_PASSES[:1]):
    """Outputs of the pike model at `model` on `inputs`, compiled and run by IREE."""
    with tempfile.TemporaryDirectory() as tmp:
        vmfb = os.path.join(tmp, "model.vmfb")
        compile_module(upstream_form(model, integer_passes), vmfb)
        return Module(vmfb).run(inputs, entry)
