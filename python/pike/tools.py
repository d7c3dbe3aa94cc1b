"""Finding and driving the compiled tools (pike-opt, pike-run)."""

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import threading
import time

import numpy as np

_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


# The exit status of `pike` when a tool it ran crashed (sysexits' EX_SOFTWARE).
CRASH_STATUS = 70


class ToolError(RuntimeError):
    """A tool that failed: its own message (already "tool: error: ..." or
    located diagnostics) and exit status, passed on unchanged."""

    def __init__(self, message, status=2, from_tool=False):
        super().__init__(message)
        self.status = status
        self.from_tool = from_tool


def find(name):
    """$PIKE_OPT / $PIKE_RUN, then PATH, then the source tree's build/bin."""
    variable = name.upper().replace("-", "_")
    candidates = [os.environ.get(variable), shutil.which(name),
                  os.path.join(_ROOT, "build", "bin", name)]
    for path in candidates:
        if path and os.path.exists(path):
            return path
    raise ToolError(f"cannot find {name}: build Pike (scripts/build.sh), put it "
                    f"on PATH, or set ${variable}")


def run(name, *args, stdin=None, forward_stderr=False):
    """The tool's stdout; `forward_stderr` passes on what it reports on stderr
    when it succeeds (e.g. pike-run's timing)."""
    # A tool may quote bytes of a binary file it was given (e.g. a .onnx
    # passed as MLIR): undecodable bytes are shown escaped, never raised.
    result = subprocess.run([find(name), *args], input=stdin, capture_output=True,
                            text=True, errors="backslashreplace")
    if result.returncode == 0 and forward_stderr and result.stderr:
        sys.stderr.write(result.stderr)
    if result.returncode < 0:
        # Killed by a signal: a crash is a bug, never a verdict on the input.
        try:
            signal_name = signal.Signals(-result.returncode).name
        except ValueError:
            signal_name = f"signal {-result.returncode}"
        last = result.stderr.strip().splitlines()[-3:]
        raise ToolError(f"{name} crashed ({signal_name}): a bug in Pike, not a verdict on the "
                        "input; please report it with the input (docs/Security.md)"
                        + "".join("\n  " + line for line in last), CRASH_STATUS)
    if result.returncode != 0:
        raise ToolError(result.stderr.strip() or f"{name} failed with status {result.returncode}",
                        result.returncode, from_tool=True)
    return result.stdout


def generic_form(path, *passes):
    """The module at `path` (after `passes`) in generic form."""
    return run("pike-opt", path, *passes, "--mlir-print-op-generic")


def as_stored(value, ttype, unsigned=False):
    """A reference value as pike-run writes it: integers in the smallest
    NumPy integer type holding their width (unsigned for a result marked
    pike.unsigned), reals in their own type."""
    if not ttype.is_int:
        return np.asarray(value, dtype={"f16": np.float16, "f32": np.float32}.get(
            ttype.element, np.float64))
    bits = ttype.bits
    if bits == 1:
        return np.asarray(value, dtype=bool)
    dtype = np.int8 if bits <= 8 else np.int16 if bits <= 16 else np.int32 if bits <= 32 else np.int64
    if unsigned:
        masked = np.asarray(value).astype(np.int64) & ((1 << bits) - 1) if bits < 64 else value
        return np.asarray(masked).astype(np.dtype(dtype).str.replace("i", "u"))
    return np.asarray(value).astype(dtype)


@contextlib.contextmanager
def progress(label, stream=None):
    """A progress line on stderr for work that takes more than a second
    ($PIKE_PROGRESS_AFTER seconds): "label ... 2.4 s", updated in place and
    cleared at the end. Silent when stderr is not a terminal."""
    stream = stream or sys.stderr
    after = float(os.environ.get("PIKE_PROGRESS_AFTER", "1"))
    if not stream.isatty():
        yield
        return
    done = threading.Event()
    start = time.monotonic()
    shown = []

    def show():
        if done.wait(after):
            return
        while True:
            stream.write(f"\r{label} ... {time.monotonic() - start:.1f} s")
            stream.flush()
            shown.append(True)
            if done.wait(0.2):
                return

    thread = threading.Thread(target=show, daemon=True)
    thread.start()
    try:
        yield
    finally:
        done.set()
        thread.join()
        if shown:
            stream.write("\r\033[K")
            stream.flush()
