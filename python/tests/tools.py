"""Running the built tools from the Python tests."""

import os
import tempfile

import numpy as np

from pike import onnx_import, tools


def pike_opt(text, *args):
    """Runs pike-opt on `text`; returns its generic-form output."""
    return tools.run("pike-opt", "-", "--mlir-print-op-generic", *args, stdin=text)


def run_onnx(model, inputs, passes=()):
    """Imports an onnx.ModelProto, applies `passes` with pike-opt and runs it
    with pike-run on `inputs`; returns the outputs."""
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "model.mlir")
        with open(path, "w") as f:
            f.write(onnx_import.import_model(model, "model.mlir"))
        if passes:
            lowered = os.path.join(tmp, "lowered.mlir")
            tools.run("pike-opt", path, *passes, "-o", lowered)
            path = lowered
        args = [path]
        for i, array in enumerate(inputs):
            name = os.path.join(tmp, f"in{i}.npy")
            np.save(name, array)
            args.append(f"--input={name}")
        outs = [os.path.join(tmp, f"out{i}.npy") for i in range(len(model.graph.output))]
        tools.run("pike-run", *args, *[f"--output={o}" for o in outs])
        return [np.load(o) for o in outs]
