"""onnxruntime for the tests that take it as the arbiter of ONNX semantics.
It comes with the project's virtual environment (scripts/bootstrap.sh);
without it those tests fail rather than skip."""

import numpy as np
from onnx import TensorProto

try:
    import onnxruntime as ort
except ImportError as err:
    raise ImportError("onnxruntime is missing: scripts/bootstrap.sh installs it into .venv, "
                      "which the tests run with") from err

ELEM8 = {np.dtype(np.uint8): TensorProto.UINT8, np.dtype(np.int8): TensorProto.INT8}
# Pike's integer form with onnxruntime's arithmetic.
FLOAT32 = ["--pike-quantize-pipeline=rounding=float32"]


def run(model, feed):
    """onnxruntime's CPU provider on `model` (a ModelProto) and `feed`."""
    session = ort.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"])
    return session.run(None, feed)


def integer_form(model, name="model.mlir"):
    """Pike's float32-rounding integer form of `model`, in generic form
    (what the NumPy reference reads)."""
    from pike import onnx_import, tools

    return tools.run("pike-opt", "-", *FLOAT32, "--mlir-print-op-generic",
                     stdin=onnx_import.import_model(model, name))


def assert_float32_form(test, model, x, op, label):
    """onnxruntime's integers for `model` on its one input `x`, which Pike's
    float32 form (holding `op`) gives too, run by pike-run and by the NumPy
    reference: asserted on `test` (a TestCase). Returns onnxruntime's."""
    from pike import reference
    from tests.tools import run_onnx

    want = run(model, {"x": x})[0]
    got = run_onnx(model, [x], FLOAT32)[0]
    test.assertEqual(np.count_nonzero(got != want), 0, ("pike-run", label))
    integer = integer_form(model)
    test.assertIn(op, integer)
    ours = np.asarray(reference.Interpreter.from_text(integer).run("main", [x])[0])
    ours = ours.astype(np.int64).astype(want.dtype)  # the signed reading of the bits
    test.assertEqual(np.count_nonzero(ours != want), 0, ("reference", label))
    return want


def run_both(text, x):
    """The one-function module `text` (entry main) run on `x` by pike-run
    and by the NumPy reference: (pike-run's result, the reference's, read
    as pike-run's type)."""
    import os
    import tempfile

    from pike import reference, tools
    with tempfile.TemporaryDirectory() as tmp:
        path, xin, out = (os.path.join(tmp, f) for f in ("model.mlir", "x.npy", "y.npy"))
        with open(path, "w") as f:
            f.write(text)
        np.save(xin, x)
        tools.run("pike-run", path, f"--input={xin}", f"--output={out}")
        got = np.load(out)
    generic = tools.run("pike-opt", "-", "--mlir-print-op-generic", stdin=text)
    want = np.asarray(reference.Interpreter.from_text(generic).run("main", [x])[0])
    return got, want.astype(np.int64).astype(got.dtype)
