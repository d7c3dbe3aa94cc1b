"""Ahead-of-time libraries: a model compiled once into an object file or a
shared library with a C entry point per function, and a runner over it.

`compile_library` takes a pike module through the integer pipeline and
`pike-cpu-pipeline{workspace=true}` (every buffer in one caller-provided
workspace, so a call allocates nothing), then through LLVM's own tools
(`mlir-translate`, `llc`) and the C compiler. Beside the library it writes a
C header (one typed entry point per public function, shapes, element types,
names and the workspace size in comments and macros) and a JSON manifest,
which pike-translate emits from the lowered module with the C entry points.
The library needs only the C library, libm, and libomp when built with
threads; it checks at each call that the CPU has the instructions it was
built for and returns an error code instead of crashing.
"""

import glob
import hashlib
import json
import os
import re
import shutil
import subprocess
import tempfile

import numpy as np

from . import __version__, targets, tools

LLVM_BIN = "/usr/lib/llvm-22/bin"
ALIGNMENT = 64
# Status codes of a library's entry points, in its header and docs/Deploy.md.
ERROR_CPU, ERROR_WORKSPACE, ERROR_NULL = 1, 2, 3


def as_pike_run_writes(array, spec):
    """An output as pike-run writes it: a result narrower than its byte
    (i4) read from its own bits, signed unless the result is unsigned (the
    library leaves the byte's upper bits as the computation left them); a
    bfloat16 result (its bits) as the float32 that holds it."""
    element = spec.get("element", "")
    if element == "bf16":
        return (array.astype(np.uint32) << 16).view(np.float32)
    bits = int(element[1:]) if element.startswith("i") and element[1:].isdigit() else 0
    if not 1 < bits < 8:
        return array
    values = array.astype(np.int64) & ((1 << bits) - 1)
    if not spec["dtype"].startswith("u"):
        values = np.where(values >= 1 << (bits - 1), values - (1 << bits), values)
    return values.astype(spec["dtype"])


def as_input_bits(array, spec, label, where):
    """`array` as the bytes input `spec` takes. An integer input takes either
    reading of its bits, as pike-run does: int8 or uint8 for an i8 (an op may
    read it unsigned), and -8..15 for an i4, which is stored in a byte."""
    want = np.dtype(spec["dtype"])
    if not array.dtype.isnative:
        # Values, not bytes: a big-endian array in the library's order.
        array = array.astype(array.dtype.newbyteorder("="))
    have = np.dtype(array.dtype)
    element = spec.get("element", "")
    if element == "bf16" and have == np.float32:
        # As pike-run reads it: float32 values bfloat16 holds exactly.
        bits = np.ascontiguousarray(array).view(np.uint32)
        inexact = np.flatnonzero(bits & 0xFFFF)
        if inexact.size:
            raise AotError(f"{label}: element {inexact[0]} = {array.flat[inexact[0]]} is not "
                           f"a bfloat16 value")
        return np.ascontiguousarray((bits >> 16).astype(np.uint16))
    if element == "bf16" and have != want:
        raise AotError(f"{label} has dtype {have}, but {where} needs float32 (values bfloat16 "
                       f"holds) or uint16 (bfloat16 bits)")
    if have != want and not (have.kind in "iu" and want.kind in "iu"
                             and have.itemsize == want.itemsize):
        raise AotError(f"{label} has dtype {have}, but {where} needs {want}")
    bits = int(element[1:]) if element.startswith("i") and element[1:].isdigit() else 0
    if 1 < bits < 8 * want.itemsize and array.size:
        lo, hi = -(1 << (bits - 1)), (1 << bits) - 1
        values = array.astype(np.int64)
        bad = np.flatnonzero((values < lo) | (values > hi))
        if bad.size:
            raise AotError(f"{label}: element {bad[0]} = {values.flat[bad[0]]} does not fit "
                           f"{element}")
        return np.ascontiguousarray((values & ((1 << bits) - 1)).astype(want))
    return np.ascontiguousarray(array).view(want)


class AotError(RuntimeError):
    """A model or option the ahead-of-time path cannot build, and why."""


def find_function(manifest, entry, where):
    """The manifest's function named or with symbol `entry`. A name two
    functions share (bytes that are not UTF-8 read alike in the manifest)
    picks neither: their symbols do."""
    named = [f for f in manifest["functions"] if f["name"] == entry]
    if len(named) == 1:
        return named[0]
    by_symbol = [f for f in manifest["functions"] if f["symbol"] == entry]
    if by_symbol:
        return by_symbol[0]
    if named:
        raise AotError(f"{len(named)} functions are named {entry!r}; call one by its symbol: "
                       f"{', '.join(f['symbol'] for f in named)}")
    names = ", ".join(repr(f["name"]) for f in manifest["functions"])
    raise AotError(f"no function {entry!r} in {where} (functions: {names})")


def cpu_flags():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("flags"):
                    return set(line.split(":", 1)[1].split())
    except OSError:
        pass
    return set()


def _c_prefix(text):
    """The library prefix for an output file name (the user's, not the
    model's): a C identifier without `__`, which pike-name-entry-points
    puts every function under."""
    name = re.sub(r"_+", "_", re.sub(r"[^A-Za-z0-9_]", "_", text)).strip("_")
    return name if name and not name[0].isdigit() else "m_" + name


# LLVM's code generator can loop forever on some kernels (LLVM 22's X86
# shuffle lowering, llvm/llvm-project#224266): opt and llc run under this
# bound, and a kernel that does not compile is named (compile_library).
CODEGEN_TIMEOUT = 900


class _Timeout(RuntimeError):
    pass


def _run(cmd, what, timeout=None):
    try:
        result = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        raise _Timeout(f"{what} did not finish in {timeout:g} s") from None
    if result.returncode != 0:
        raise AotError(f"{what} failed: {(result.stderr or result.stdout).strip()[:2000]}")
    return result.stdout


def _stuck_functions(bitcode, llc_command, timeout, tmp):
    """The functions of `bitcode` that llc does not compile alone within
    `timeout` seconds (each with the declarations it calls)."""
    listed = _run([os.path.join(LLVM_BIN, "llvm-nm"), "--defined-only", "--just-symbol-name",
                   bitcode], "llvm-nm").splitlines()
    stuck = []
    for index, name in enumerate(listed):
        alone = os.path.join(tmp, f"alone{index}.bc")
        _run([os.path.join(LLVM_BIN, "llvm-extract"), f"--func={name}", bitcode, "-o", alone],
             "llvm-extract")
        try:
            _run([*llc_command, alone, "-o", os.devnull], "llc", timeout)
        except _Timeout:
            stuck.append(name)
        except AotError:
            pass
    return stuck


def _codegen(optimized, kernels, llc_flags, timeout, tmp):
    """llc on the optimized module, bounded: past `timeout` seconds, an
    AotError naming the kernels that do not compile."""
    llc = [os.path.join(LLVM_BIN, "llc"), "-O3", "-filetype=obj", "-relocation-model=pic",
           *llc_flags]
    try:
        _run([*llc, optimized, "-o", kernels], "llc", timeout)
    except _Timeout as e:
        alone = min(timeout, 60)
        stuck = _stuck_functions(optimized, llc, alone, tmp)
        if not stuck:
            raise AotError(f"{e} (--codegen-timeout), though each function alone compiles "
                           f"within {alone:g} s: allow more time") from None
        raise AotError(f"{e} (--codegen-timeout); compiled alone, "
                       f"{', '.join('@' + s for s in stuck)} also take{'s' if len(stuck) == 1 else ''}"
                       f" more than {alone:g} s: LLVM's code generator may loop on "
                       f"{'it' if len(stuck) == 1 else 'them'} (another --target may compile "
                       f"{'it' if len(stuck) == 1 else 'them'}), or the time is too short") from None


def _libomp():
    found = sorted(glob.glob("/usr/lib/llvm-22/lib/libomp.so*"))
    if not found:
        raise AotError("parallel libraries need libomp (Debian's libomp-22-dev)")
    return found[0]


def compile_library(model, output, emit="shared", target="host", parallel=False,
                    integer_passes=("--pike-quantize-pipeline",), prefix=None,
                    extra_cpu_checks=(), codegen_timeout=CODEGEN_TIMEOUT):
    """Compiles the pike module at `model` to `output` (.so or .o) with
    `<output stem>.h` and `<output stem>.json` beside it; returns the manifest.
    `extra_cpu_checks` are CPU features the library checks at each call
    besides its target's (__builtin_cpu_supports names). opt and llc each
    get `codegen_timeout` seconds."""
    if emit not in ("shared", "object"):
        raise AotError(f"emit must be shared or object, got {emit}")
    try:
        resolved = targets.describe(target)["name"]
    except targets.TargetError as e:
        raise AotError(str(e)) from None
    if targets.is_cross(resolved) and parallel:
        raise AotError(f"target {resolved}: a cross-compiled library runs one thread "
                       "(no OpenMP runtime for it here)")
    llc_flags = targets.llc_flags(resolved)
    stem = os.path.splitext(os.path.basename(output))[0]
    if not re.fullmatch(r"[A-Za-z0-9_][A-Za-z0-9_.+-]*", stem):
        raise AotError(f"output name {stem!r}: use letters, digits and _ . + - only "
                       "(it names the header the library includes)")
    prefix = _c_prefix(prefix or stem)
    out_dir = os.path.dirname(os.path.abspath(output))
    header_name = f"{stem}.h"
    with tempfile.TemporaryDirectory() as tmp:
        integer = os.path.join(tmp, "integer.mlir")
        # The model is untrusted (docs/Security.md): checked before any pass.
        # Locations are kept, so that later diagnostics name the model's layers.
        tools.run("pike-opt", model, "--pike-verify-model", *integer_passes,
                  f"--pike-name-entry-points=prefix={prefix}", "--mlir-print-debuginfo",
                  "-o", integer, forward_stderr=True)
        llvm_dialect = os.path.join(tmp, "model.llvm.mlir")
        pipeline = (f"--pike-cpu-pipeline=target={resolved} parallel={str(parallel).lower()} "
                    "workspace=true")
        # Layers that get no fast kernel are warnings the user should see.
        # Locations kept, so that pike-translate's errors name the model's layers.
        tools.run("pike-opt", integer, pipeline, "--mlir-print-debuginfo", "-o", llvm_dialect,
                  forward_stderr=True)
        with open(llvm_dialect) as f:
            lowered = f.read()
        if re.search(r"llvm\.call @(malloc|free|aligned_alloc)\b", lowered):
            raise AotError("the lowered model still allocates per call")
        ll = os.path.join(tmp, "model.ll")
        # Pike's own attributes (the model's rounding rule, names) ride along unread.
        _run([os.path.join(LLVM_BIN, "mlir-translate"), "--allow-unregistered-dialect",
              "--mlir-to-llvmir", llvm_dialect,
              "-o", ll], "mlir-translate")
        # LLVM's own optimizations first (what the JIT runs), then code for the target.
        optimized = os.path.join(tmp, "model.opt.bc")
        try:
            _run([os.path.join(LLVM_BIN, "opt"), "-O2", *llc_flags, ll, "-o", optimized], "opt",
                 codegen_timeout)
        except _Timeout as e:
            raise AotError(f"{e} (--codegen-timeout): allow more time, or LLVM's optimizer "
                           "loops on the model") from None
        kernels = os.path.join(tmp, "kernels.o")
        _codegen(optimized, kernels, llc_flags, codegen_timeout, tmp)
        # Header, wrapper and manifest come from the lowered module (pike-translate:
        # the entry points, names and workspace sizes its functions carry).
        manifest_path = os.path.join(out_dir, f"{stem}.json")
        build = [f"--target={resolved}", f"--parallel={str(parallel).lower()}",
                 f"--header-name={header_name}", *(f"--cpu-check={c}" for c in extra_cpu_checks)]
        wrapper = os.path.join(tmp, "wrapper.c")
        header = os.path.join(out_dir, header_name)
        tools.run("pike-translate", "--pike-c-header", llvm_dialect, *build, "-o", header)
        tools.run("pike-translate", "--pike-c-wrapper", llvm_dialect, *build, "-o", wrapper)
        tools.run("pike-translate", "--pike-library-manifest", llvm_dialect, *build,
                  f"--library={os.path.basename(output)}", f"--emit={emit}",
                  f"--source={os.path.abspath(model)}", "-o", manifest_path)
        with open(manifest_path) as f:
            manifest = json.load(f)
        functions = manifest["functions"]
        cc = shutil.which("cc") or "cc"
        if targets.is_cross(resolved):
            # A library for another architecture: its cross C compiler
            # (scripts/bootstrap.sh installs aarch64-linux-gnu-gcc).
            triple = targets.describe(resolved)["triple"]
            cc = shutil.which(f"{triple}-gcc")
            if not cc:
                raise AotError(f"target {resolved} needs the cross compiler {triple}-gcc "
                               "(Debian's gcc-" + triple + "; scripts/bootstrap.sh installs it)")
        wrapper_o = os.path.join(tmp, "wrapper.o")
        _run([cc, "-c", "-O2", "-fPIC", f"-I{out_dir}", wrapper, "-o", wrapper_o], "cc")
        if emit == "object":
            _run([cc, "-r", "-nostdlib", kernels, wrapper_o, "-o", output], "cc -r")
        else:
            libs = ["-lm"]
            if parallel:
                omp = _libomp()
                libs += [omp, f"-Wl,-rpath,{os.path.dirname(omp)}"]
            # Only the C API is exported: the model's own functions stay inside.
            script = os.path.join(tmp, "exports.map")
            with open(script, "w") as f:
                exported = [f"{manifest['prefix']}_check_cpu"] + [fn["symbol"] for fn in functions]
                f.write("{ global: " + "; ".join(exported) + "; local: *; };\n")
            _run([cc, "-shared", "-o", output, kernels, wrapper_o, "-Wl,--no-undefined",
                  f"-Wl,--version-script={script}", *libs], "cc -shared")
    return manifest


class Library:
    """A compiled shared library, called from NumPy through ctypes. One
    workspace per instance: use one instance per thread."""

    def __init__(self, path, manifest=None):
        import ctypes
        self.path = path
        if manifest is None:
            with open(os.path.splitext(path)[0] + ".json") as f:
                manifest = json.load(f)
        self.manifest = manifest
        self.lib = ctypes.CDLL(os.path.abspath(path))
        check = getattr(self.lib, f"{manifest['prefix']}_check_cpu")
        check.restype = ctypes.c_char_p
        message = check()
        if message:
            raise AotError(message.decode())
        self.functions = {}
        for f in manifest["functions"]:
            fn = getattr(self.lib, f["symbol"])
            fn.restype = ctypes.c_int
            fn.argtypes = ([ctypes.c_void_p] * (len(f["inputs"]) + len(f["outputs"]) + 1)
                           + [ctypes.c_size_t])
            raw = np.zeros(f["workspace_bytes"] + ALIGNMENT, np.uint8)
            start = (-raw.ctypes.data) % ALIGNMENT
            self.functions[f["symbol"]] = (fn, f, raw, raw[start:start + f["workspace_bytes"]])

    def _function(self, entry):
        return self.functions[find_function(self.manifest, entry, self.path)["symbol"]]

    def prepared(self, inputs, entry="main"):
        """A call of @entry on `inputs` with every argument made ready once:
        (call, outputs), where call() runs the compiled function alone (for
        timing it), writes `outputs` and returns them, raising on a failed
        status. The call holds the buffers its pointers name (the inputs, or
        their contiguous copies, and the outputs), so they live as long as
        it does."""
        fn, spec, _, workspace = self._function(entry)
        if len(inputs) != len(spec["inputs"]):
            raise AotError(f"@{entry} takes {len(spec['inputs'])} inputs, got {len(inputs)}")
        args, keep = [], []
        for i, (array, t) in enumerate(zip(inputs, spec["inputs"])):
            array = np.asarray(array)
            if list(array.shape) != t["shape"]:
                raise AotError(f"input #{i} '{t['name']}' has shape {tuple(array.shape)}, "
                               f"but @{entry} needs {tuple(t['shape'])}")
            array = as_input_bits(array, t, f"input #{i} '{t['name']}'", f"@{entry}")
            keep.append(array)
            args.append(array.ctypes.data)
        outputs = [np.empty(t["shape"], dtype=t["dtype"]) for t in spec["outputs"]]
        args += [o.ctypes.data for o in outputs]
        args += [workspace.ctypes.data if workspace.size else None, workspace.size]

        def call():
            status = fn(*args)
            if status == ERROR_CPU:
                raise AotError(f"{self.path}: this CPU lacks "
                               f"{', '.join(self.manifest['cpu_checks'])}")
            if status != 0:
                raise AotError(f"{self.path}: @{entry} returned status {status}")
            return outputs

        # The buffers the pointers in `args` name live as long as the call.
        call.buffers = keep + outputs
        return call, outputs

    def run(self, inputs, entry="main"):
        call, outputs = self.prepared(inputs, entry)
        call()
        spec = self._function(entry)[1]
        return [as_pike_run_writes(o, t) for o, t in zip(outputs, spec["outputs"])]


QEMU_SYSROOTS = {"aarch64-linux-gnu": "/usr/aarch64-linux-gnu"}

_RUNNER = r"""
#include <stdio.h>
#include <stdlib.h>
#include "%(header)s"
/* Runs %(symbol)s once: raw inputs from the files named first, raw outputs
   to the files named after them. */
int main(int argc, char **argv) {
  if (argc != %(argc)d) return 9;
%(buffers)s
  size_t bytes = (%(workspace)d + 63) / 64 * 64;
  void *workspace = aligned_alloc(64, bytes ? bytes : 64);
  int status = %(symbol)s(%(args)s, workspace, bytes);
  if (status) return 20 + status;
%(writes)s
  return 0;
}
"""


class CrossRunner:
    """A library for another architecture (`pike compile --target aarch64`)
    run under qemu-user: each call writes the inputs as raw files, runs a
    runner program linked with the library's object, and reads the outputs.
    For checking a build, not for timing it. `cpu` is the CPU qemu emulates
    (`-cpu`; `max` has every feature a target asks for)."""

    def __init__(self, model, target, integer_passes=("--pike-quantize-pipeline",),
                 entry="main", workdir=None, cpu="max"):
        self.tmp = tempfile.TemporaryDirectory(dir=workdir)
        self.cpu = cpu
        triple = targets.describe(target)["triple"]
        self.qemu = shutil.which(f"qemu-{triple.split('-')[0]}")
        if not self.qemu:
            raise AotError(f"running {target} code here needs qemu-user "
                           "(scripts/bootstrap.sh installs it)")
        self.sysroot = QEMU_SYSROOTS.get(triple, "/")
        obj = os.path.join(self.tmp.name, "model.o")
        self.manifest = compile_library(model, obj, "object", target,
                                        integer_passes=integer_passes)
        fn = self.function = find_function(self.manifest, entry, model)
        tensors = fn["inputs"] + fn["outputs"]
        buffers, writes, names = [], [], []
        for i, t in enumerate(tensors):
            var = f"t{i}"
            names.append(var)
            count = _elements_of(t)
            buffers.append(f"  static {t['c_type']} {var}[{max(count, 1)}];")
            if i < len(fn["inputs"]):
                buffers.append(f"  {{ FILE *f = fopen(argv[{i + 1}], \"rb\"); if (!f || "
                               f"fread({var}, sizeof({var}[0]), {count}, f) != {count}) return 10; "
                               f"fclose(f); }}")
            else:
                writes.append(f"  {{ FILE *f = fopen(argv[{i + 1}], \"wb\"); if (!f) return 11; "
                              f"fwrite({var}, sizeof({var}[0]), {count}, f); fclose(f); }}")
        source = os.path.join(self.tmp.name, "runner.c")
        with open(source, "w") as f:
            f.write(_RUNNER % dict(header=self.manifest["header"], symbol=fn["symbol"],
                                   argc=len(tensors) + 1, buffers="\n".join(buffers),
                                   workspace=fn["workspace_bytes"], args=", ".join(names),
                                   writes="\n".join(writes)))
        self.runner = os.path.join(self.tmp.name, "runner")
        _run([shutil.which(f"{triple}-gcc"), "-O2", "-static", f"-I{self.tmp.name}", source, obj,
              "-lm", "-o", self.runner], f"{triple}-gcc")

    def run(self, inputs):
        fn = self.function
        if len(inputs) != len(fn["inputs"]):
            raise AotError(f"{fn['name']} takes {len(fn['inputs'])} inputs, got {len(inputs)}")
        paths = []
        for i, (x, t) in enumerate(zip(inputs, fn["inputs"])):
            x = np.asarray(x)
            if list(x.shape) != t["shape"]:
                raise AotError(f"input #{i} must be {t['dtype']} {tuple(t['shape'])}, got "
                               f"{x.dtype} {tuple(x.shape)}")
            x = as_input_bits(x, t, f"input #{i}", fn["name"])
            path = os.path.join(self.tmp.name, f"in{i}.bin")
            x.tofile(path)
            paths.append(path)
        outs = [os.path.join(self.tmp.name, f"out{i}.bin") for i in range(len(fn["outputs"]))]
        result = subprocess.run([self.qemu, "-cpu", self.cpu, "-L", self.sysroot, self.runner,
                                 *paths, *outs], capture_output=True, text=True)
        if result.returncode == 20 + ERROR_CPU:
            raise AotError(f"{fn['symbol']}: the CPU qemu emulates lacks "
                           f"{', '.join(self.manifest['cpu_checks'])}")
        if result.returncode != 0:
            raise AotError(f"the {fn['symbol']} runner under qemu exited with "
                           f"{result.returncode}: {result.stderr.strip()[:500]}")
        return [as_pike_run_writes(np.fromfile(p, dtype=t["dtype"]).reshape(t["shape"]), t)
                for p, t in zip(outs, fn["outputs"])]


def _elements_of(tensor):
    count = 1
    for d in tensor["shape"]:
        count *= d
    return count


def cache_dir():
    base = os.environ.get("PIKE_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "pike")
    return os.path.join(base, "aot")


_CACHE_FILES = ("model.so", "model.h", "model.json")


def _sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _entry_record(directory, key):
    return {"key": key, "files": {name: _sha256(os.path.join(directory, name))
                                  for name in _CACHE_FILES}}


def _verified(directory, key):
    """Whether the cache entry at `directory` is whole and was written for
    `key`: its record, written last, names the key and each file's hash."""
    try:
        with open(os.path.join(directory, "entry.json")) as f:
            record = json.load(f)
        return record == _entry_record(directory, key)
    except (OSError, ValueError):
        return False


def _private_directory(path):
    """Creates `path` if needed; refuses one that others could write to,
    since its libraries are loaded into this process."""
    os.makedirs(path, mode=0o700, exist_ok=True)
    info = os.stat(path)
    if info.st_uid != os.getuid() or info.st_mode & 0o022:
        raise AotError(f"cache directory {path} is writable by others; "
                       "set PIKE_CACHE_DIR to a private one")


def cached_library(model, target="host", parallel=False,
                   integer_passes=("--pike-quantize-pipeline",)):
    """(Library, compiled now?) for `model`, compiled on first use and
    cached by the model's content, the options, the CPU's features and
    Pike's version (and pike-opt's build). An entry is loaded only after
    its files match the hashes recorded when it was written; one that does
    not is rebuilt. Entries are written in a staging folder and renamed
    into place, so a reader never sees half of one (docs/Security.md)."""
    with open(model, "rb") as f:
        content = f.read()
    resolved = targets.describe(target)["name"]
    key = hashlib.sha256(b"\0".join([
        content, resolved.encode(), str(parallel).encode(), " ".join(integer_passes).encode(),
        " ".join(sorted(cpu_flags())).encode(), __version__.encode(),
        str(os.stat(tools.find("pike-opt")).st_mtime_ns).encode()])).hexdigest()
    base = cache_dir()
    _private_directory(base)
    directory = os.path.join(base, key[:24])
    if _verified(directory, key):
        return Library(os.path.join(directory, "model.so")), False
    staging = tempfile.mkdtemp(dir=base, prefix=".staging-")
    try:
        compile_library(model, os.path.join(staging, "model.so"), "shared", resolved, parallel,
                        integer_passes)
        record = _entry_record(staging, key)
        with open(os.path.join(staging, "entry.json"), "w") as f:
            json.dump(record, f)
        shutil.rmtree(directory, ignore_errors=True)
        try:
            os.rename(staging, directory)
        except OSError:
            # Another process put an entry there first: use it if it is whole.
            if not _verified(directory, key):
                raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return Library(os.path.join(directory, "model.so")), True
