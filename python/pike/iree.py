"""Pike's integer form inside IREE: the model made integer by Pike and lowered
to upstream dialects only (`convert-pike-to-linalg`, `pike-expand-apply-scale`:
linalg, arith, tensor), its sub-byte integers stored in bytes
(`pike-widen-sub-byte`) and Pike's attributes taken off
(`pike-strip-attributes`), then compiled by `iree-compile` (the llvm-cpu
backend, for this CPU) and run by IREE's runtime. IREE reads LLVM 22's textual
IR as Pike writes it (docs/Embedding.md)."""

import os
import re
import tempfile

import numpy as np

from . import tools

UPSTREAM_PASSES = ("--pike-quantize-pipeline", "--convert-pike-to-linalg",
                   "--pike-expand-apply-scale", "--pike-widen-sub-byte",
                   "--pike-strip-attributes")


# Pike's linalg form widens a convolution's operands to i32 before the named
# op; IREE then tiles some of them (ResNet-18's strided 1x1 shortcut: 784 KiB)
# with more stack than its default 32 KiB limit allows. The compiler's limit
# and the task runtime's worker stacks are raised to match.
STACK_LIMIT_BYTES = 1 << 20
WORKER_STACK_FLAG = f"--task_worker_stack_size={2 * STACK_LIMIT_BYTES}"


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
                    extra_args=["--iree-llvmcpu-target-cpu=host",
                                f"--iree-llvmcpu-stack-allocation-limit={STACK_LIMIT_BYTES}"])
    except CompilerToolError as err:
        message = str(err)
        first = next((line for line in message.splitlines() if "error:" in line), message)
        if "emulate bit width" in message:
            # IREE 3.13 cannot put i4 tensors in buffers: text not made by
            # upstream_form (which stores them in bytes).
            raise IreeError("IREE cannot store sub-byte integer tensors; lower with "
                            f"--pike-widen-sub-byte: {first.strip()[:500]}") from None
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
