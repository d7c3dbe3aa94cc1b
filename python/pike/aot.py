"""Ahead-of-time libraries: a model compiled once into an object file or a
shared library with a C entry point per function, and a runner over it.

`compile_library` takes a pike module through the integer pipeline and
`pike-cpu-pipeline{workspace=true}` (every buffer in one caller-provided
workspace, so a call allocates nothing), then through LLVM's own tools
(`mlir-translate`, `llc`) and the C compiler. Beside the library it writes a
C header (one typed entry point per public function, shapes, element types,
names and the workspace size in comments and macros) and a JSON manifest.
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

from . import __version__, tools
from .mlir_reader import parse_type

LLVM_BIN = "/usr/lib/llvm-22/bin"
ALIGNMENT = 64
ERROR_CPU, ERROR_WORKSPACE = 1, 2

# Per instruction set: llc's CPU and features, and what the library checks
# at run time (GCC/clang __builtin_cpu_supports names).
TARGETS = {
    # 512-bit vectors on: x86-64-v4 alone tunes for 256 (prefer-256-bit).
    "avx512-vnni": (["-mcpu=x86-64-v4", "-mattr=+avx512vnni,-prefer-256-bit"],
                    ["x86-64-v4", "avx512vnni"]),
    "vector": (["-mcpu=x86-64-v3"], ["x86-64-v3"]),
    "scalar": (["-mcpu=x86-64"], []),
}

_C_TYPES = {"f32": ("float", "float32"), "f64": ("double", "float64"),
            "f16": ("uint16_t", "float16"), "i1": ("uint8_t", "bool"),
            "i4": ("int8_t", "int8"), "i8": ("int8_t", "int8"), "i16": ("int16_t", "int16"),
            "i32": ("int32_t", "int32"), "i64": ("int64_t", "int64")}


class AotError(RuntimeError):
    """A model or option the ahead-of-time path cannot build, and why."""


def cpu_flags():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("flags"):
                    return set(line.split(":", 1)[1].split())
    except OSError:
        pass
    return set()


def host_target():
    """What `target=host` resolves to here (as pike's C++ CpuTarget does)."""
    flags = cpu_flags()
    if {"avx512f", "avx512bw", "avx512vl", "avx512_vnni"} <= flags:
        return "avx512-vnni"
    return "vector" if "avx2" in flags else "scalar"


def _c_identifier(text):
    name = re.sub(r"[^A-Za-z0-9_]", "_", text)
    return name if name and not name[0].isdigit() else "m_" + name


def _signatures(generic_text):
    """Public functions of a generic-form module: name, argument and result
    types, names (pike.name) and unsigned results (pike.unsigned)."""
    functions = []
    for line in generic_text.splitlines():
        line = line.strip()
        if not line.startswith('"func.func"'):
            continue
        if 'sym_visibility = "private"' in line:
            continue
        name = re.search(r'sym_name = "([^"]+)"', line).group(1)
        ftype = re.search(r"function_type = \((.*?)\) -> (\(.*?\)|tensor<[^>]*>|memref<[^>]*>)", line)
        if ftype is None:
            raise AotError(f"@{name}: cannot read its signature")
        from .mlir_reader import split_top
        args = [parse_type(t) for t in split_top(ftype.group(1))] if ftype.group(1).strip() else []
        res_text = ftype.group(2)
        if res_text.startswith("("):
            res_text = res_text[1:-1]
        results = [parse_type(t) for t in split_top(res_text)] if res_text.strip() else []

        def attr_names(key, count):
            m = re.search(key + r" = \[(.*?)\](?:,|\}>|\})", line)
            names, unsigned = [None] * count, [False] * count
            if m:
                for i, part in enumerate(split_top(m.group(1))[:count]):
                    n = re.search(r'pike.name = "((?:[^"\\]|\\.)*)"', part)
                    names[i] = n.group(1) if n else None
                    unsigned[i] = "pike.unsigned" in part
            return names, unsigned

        arg_names, _ = attr_names("arg_attrs", len(args))
        res_names, res_unsigned = attr_names("res_attrs", len(results))
        functions.append({"name": name, "args": args, "results": results,
                          "arg_names": arg_names, "res_names": res_names,
                          "res_unsigned": res_unsigned})
    if not functions:
        raise AotError("the module has no public function to compile")
    return functions


def _describe(ttype, name, unsigned=False):
    if ttype.element not in _C_TYPES:
        raise AotError(f"element type {ttype.element} has no C type here")
    if any(d < 0 for d in ttype.shape):
        raise AotError(f"'{name}' has a dynamic shape {ttype.shape}; compile a static one "
                       "(e.g. pike import --batch N)")
    c_type, dtype = _C_TYPES[ttype.element]
    if unsigned and dtype.startswith("int"):
        c_type, dtype = "u" + c_type, "u" + dtype
    return {"name": name, "dtype": dtype, "c_type": c_type, "shape": list(ttype.shape),
            "element": ttype.element}


def _strides(shape):
    strides, step = [], 1
    for d in reversed(shape):
        strides.insert(0, step)
        step *= d
    return strides


def _wrapper_source(prefix, functions, checks, header_name):
    ranks = sorted({len(t["shape"]) for f in functions for t in f["inputs"] + f["outputs"]} | {1})
    lines = [f'#include "{header_name}"', "#include <stdint.h>", ""]
    for r in ranks:
        dims = f" int64_t sizes[{r}]; int64_t strides[{r}];" if r else ""
        lines.append(f"typedef struct {{ void *allocated; void *aligned; int64_t offset;{dims} }} "
                     f"pike_memref{r};")
    lines.append("")
    condition = " && ".join(f'__builtin_cpu_supports("{c}")' for c in checks) or "1"
    lines += ["static int cpu_supported(void) {",
              "  __builtin_cpu_init();",
              f"  return {condition};",
              "}", "",
              f"const char *{prefix}_check_cpu(void) {{",
              f'  return cpu_supported() ? 0 : "{prefix}: this CPU lacks {", ".join(checks)}, '
              f'which the library was built for";',
              "}", ""]
    for f in functions:
        tensors = f["inputs"] + f["outputs"]
        params = ", ".join(f"pike_memref{len(t['shape'])} *" for t in tensors)
        if f["workspace_bytes"]:
            params += ", pike_memref1 *, int64_t"
        lines.append(f"extern void _mlir_ciface_{f['mlir_symbol']}({params or 'void'});")
        c_params = [f"const {t['c_type']} *in{i}" for i, t in enumerate(f["inputs"])]
        c_params += [f"{t['c_type']} *out{i}" for i, t in enumerate(f["outputs"])]
        c_params.append("void *workspace")
        lines.append(f"int {f['symbol']}({', '.join(c_params)}) {{")
        lines.append("  if (!cpu_supported()) return PIKE_ERROR_CPU;")
        if f["workspace_bytes"]:
            lines.append("  if (!workspace) return PIKE_ERROR_WORKSPACE;")
        args = []
        for i, t in enumerate(tensors):
            var = f"in{i}" if i < len(f["inputs"]) else f"out{i - len(f['inputs'])}"
            r = len(t["shape"])
            dims = (f", {{{', '.join(map(str, t['shape']))}}}, "
                    f"{{{', '.join(map(str, _strides(t['shape'])))}}}") if r else ""
            lines.append(f"  pike_memref{r} m{i} = {{(void *){var}, (void *){var}, 0{dims}}};")
            args.append(f"&m{i}")
        if f["workspace_bytes"]:
            lines.append(f"  pike_memref1 ws = {{workspace, workspace, 0, "
                         f"{{{f['workspace_bytes']}}}, {{1}}}};")
            args += ["&ws", "0"]
        lines.append(f"  _mlir_ciface_{f['mlir_symbol']}({', '.join(args)});")
        lines.append("  return 0;")
        lines.append("}")
        lines.append("")
    return "\n".join(lines)


def _header_source(prefix, functions, target, parallel, source):
    guard = f"PIKE_{prefix.upper()}_H"
    lines = [f"/* {prefix}: generated by `pike compile` from {os.path.basename(source)}",
             f" * (pike {__version__}; target {target}"
             f"{', OpenMP threads' if parallel else ', one thread'}).",
             " * Tensors are dense, row-major, in each function's own dimension order",
             " * (an imported ONNX model keeps its NCHW interface). A call allocates",
             " * nothing: it works in the caller's workspace (64-byte aligned, one per",
             " * concurrent call), so calls on different buffers may run in parallel. */",
             f"#ifndef {guard}", f"#define {guard}", "", "#include <stddef.h>",
             "#include <stdint.h>", "", "#ifdef __cplusplus", 'extern "C" {', "#endif", "",
             "#ifndef PIKE_ERROR_CPU",
             f"#define PIKE_ERROR_CPU {ERROR_CPU}       /* the CPU lacks the library's instructions */",
             f"#define PIKE_ERROR_WORKSPACE {ERROR_WORKSPACE} /* no workspace given */",
             "#endif", "",
             "/* NULL if this CPU runs the library, else a message saying what is missing. */",
             f"const char *{prefix}_check_cpu(void);", ""]
    for f in functions:
        base = f"{prefix.upper()}_{_c_identifier(f['name']).upper()}"
        macro = f"{base}_WORKSPACE_BYTES"
        lines.append(f"#define {macro} {f['workspace_bytes']}")
        for kind, items in (("IN", f["inputs"]), ("OUT", f["outputs"])):
            for i, t in enumerate(items):
                count = int(np.prod(t["shape"])) if t["shape"] else 1
                lines.append(f"#define {base}_{kind}{i}_ELEMENTS {count}")
        lines.append(f"/* @{f['name']}:")
        for kind, items in (("input", f["inputs"]), ("output", f["outputs"])):
            for i, t in enumerate(items):
                label = f" '{t['name']}'" if t["name"] else ""
                lines.append(f" *   {kind} {i}{label}: {t['dtype']} {t['shape']}")
        lines.append(f" *   workspace: {macro} bytes")
        lines.append(" * Returns 0, PIKE_ERROR_CPU or PIKE_ERROR_WORKSPACE. */")
        params = [f"const {t['c_type']} *in{i}" for i, t in enumerate(f["inputs"])]
        params += [f"{t['c_type']} *out{i}" for i, t in enumerate(f["outputs"])]
        params.append("void *workspace")
        lines.append(f"int {f['symbol']}({', '.join(params)});")
        lines.append("")
    lines += ["#ifdef __cplusplus", "}", "#endif", "", f"#endif /* {guard} */", ""]
    return "\n".join(lines)


def _prefix_symbols(path, prefix):
    """Renames every function of the module at `path` to `<prefix>__<name>`,
    so that two libraries (or a program's own `main`) never collide."""
    with open(path) as f:
        text = f.read()
    names = set(re.findall(r"func\.func (?:private |public |nested )?@([A-Za-z0-9_$.]+)", text))
    for name in sorted(names, key=len, reverse=True):
        text = re.sub(r"@" + re.escape(name) + r"(?![A-Za-z0-9_$.])", f"@{prefix}__{name}", text)
    with open(path, "w") as f:
        f.write(text)


def _run(cmd, what):
    result = subprocess.run(cmd, capture_output=True, text=True)
    if result.returncode != 0:
        raise AotError(f"{what} failed: {(result.stderr or result.stdout).strip()[:2000]}")
    return result.stdout


def _libomp():
    found = sorted(glob.glob("/usr/lib/llvm-22/lib/libomp.so*"))
    if not found:
        raise AotError("parallel libraries need libomp (Debian's libomp-22-dev)")
    return found[0]


def compile_library(model, output, emit="shared", target="host", parallel=False,
                    integer_passes=("--pike-quantize-pipeline",), prefix=None):
    """Compiles the pike module at `model` to `output` (.so or .o) with
    `<output stem>.h` and `<output stem>.json` beside it; returns the manifest."""
    if emit not in ("shared", "object"):
        raise AotError(f"emit must be shared or object, got {emit}")
    resolved = host_target() if target == "host" else target
    if resolved not in TARGETS:
        raise AotError(f"unknown target {target}")
    llc_flags, checks = TARGETS[resolved]
    stem = os.path.splitext(os.path.basename(output))[0]
    prefix = _c_identifier(prefix or stem)
    out_dir = os.path.dirname(os.path.abspath(output))
    header_name = f"{stem}.h"
    with tempfile.TemporaryDirectory() as tmp:
        integer = os.path.join(tmp, "integer.mlir")
        tools.run("pike-opt", model, *integer_passes, "-o", integer)
        _prefix_symbols(integer, prefix)
        functions = []
        for sig in _signatures(tools.generic_form(integer)):
            inputs = [_describe(t, sig["arg_names"][i] or f"input{i}")
                      for i, t in enumerate(sig["args"])]
            outputs = [_describe(t, sig["res_names"][i] or f"output{i}", sig["res_unsigned"][i])
                       for i, t in enumerate(sig["results"])]
            name = sig["name"][len(prefix) + 2:]
            functions.append({"name": name, "mlir_symbol": sig["name"],
                              "symbol": f"{prefix}_{_c_identifier(name)}",
                              "inputs": inputs, "outputs": outputs})
        llvm_dialect = os.path.join(tmp, "model.llvm.mlir")
        pipeline = (f"--pike-cpu-pipeline=target={resolved} parallel={str(parallel).lower()} "
                    "workspace=true")
        tools.run("pike-opt", integer, pipeline, "-o", llvm_dialect)
        with open(llvm_dialect) as f:
            lowered = f.read()
        for fn in functions:
            m = re.search(r"llvm\.func @" + re.escape(fn["mlir_symbol"]) +
                          r"\(.*pike\.workspace_bytes = (\d+)", lowered)
            fn["workspace_bytes"] = int(m.group(1)) if m else 0
        if re.search(r"llvm\.call @(malloc|free|aligned_alloc)\b", lowered):
            raise AotError("the lowered model still allocates per call")
        ll = os.path.join(tmp, "model.ll")
        # Pike's own attributes (the model's rounding rule, names) ride along unread.
        _run([os.path.join(LLVM_BIN, "mlir-translate"), "--allow-unregistered-dialect",
              "--mlir-to-llvmir", llvm_dialect,
              "-o", ll], "mlir-translate")
        # LLVM's own optimizations first (what the JIT runs), then code for the target.
        optimized = os.path.join(tmp, "model.opt.bc")
        _run([os.path.join(LLVM_BIN, "opt"), "-O2", *llc_flags, ll, "-o", optimized], "opt")
        kernels = os.path.join(tmp, "kernels.o")
        _run([os.path.join(LLVM_BIN, "llc"), "-O3", "-filetype=obj", "-relocation-model=pic",
              *llc_flags, optimized, "-o", kernels], "llc")
        wrapper = os.path.join(tmp, "wrapper.c")
        header = os.path.join(out_dir, header_name)
        with open(header, "w") as f:
            f.write(_header_source(prefix, functions, resolved, parallel, model))
        with open(wrapper, "w") as f:
            f.write(_wrapper_source(prefix, functions, checks, header_name))
        cc = shutil.which("cc") or "cc"
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
                exported = [f"{prefix}_check_cpu"] + [fn["symbol"] for fn in functions]
                f.write("{ global: " + "; ".join(exported) + "; local: *; };\n")
            _run([cc, "-shared", "-o", output, kernels, wrapper_o, "-Wl,--no-undefined",
                  f"-Wl,--version-script={script}", *libs], "cc -shared")
    manifest = {"library": os.path.basename(output), "header": header_name, "emit": emit,
                "prefix": prefix,
                "target": resolved, "parallel": parallel, "cpu_checks": checks,
                "pike_version": __version__, "source": os.path.abspath(model),
                "alignment": ALIGNMENT, "functions": functions,
                "runtime": ["libc", "libm"] + (["libomp"] if parallel else [])}
    with open(os.path.join(out_dir, f"{stem}.json"), "w") as f:
        json.dump(manifest, f, indent=2)
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
            fn.argtypes = [ctypes.c_void_p] * (len(f["inputs"]) + len(f["outputs"]) + 1)
            raw = np.zeros(f["workspace_bytes"] + ALIGNMENT, np.uint8)
            start = (-raw.ctypes.data) % ALIGNMENT
            self.functions[f["name"]] = (fn, f, raw, raw[start:start + f["workspace_bytes"]])

    def run(self, inputs, entry="main"):
        fn, spec, _, workspace = self.functions[entry]
        if len(inputs) != len(spec["inputs"]):
            raise AotError(f"@{entry} takes {len(spec['inputs'])} inputs, got {len(inputs)}")
        args, keep = [], []
        for i, (array, t) in enumerate(zip(inputs, spec["inputs"])):
            array = np.asarray(array)
            if list(array.shape) != t["shape"]:
                raise AotError(f"input #{i} '{t['name']}' has shape {tuple(array.shape)}, "
                               f"but @{entry} needs {tuple(t['shape'])}")
            if np.dtype(array.dtype) != np.dtype(t["dtype"]):
                raise AotError(f"input #{i} '{t['name']}' has dtype {array.dtype}, "
                               f"but @{entry} needs {t['dtype']}")
            array = np.ascontiguousarray(array)
            keep.append(array)
            args.append(array.ctypes.data)
        outputs = [np.empty(t["shape"], dtype=t["dtype"]) for t in spec["outputs"]]
        args += [o.ctypes.data for o in outputs]
        args.append(workspace.ctypes.data if workspace.size else None)
        status = fn(*args)
        if status == ERROR_CPU:
            raise AotError(f"{self.path}: this CPU lacks {', '.join(self.manifest['cpu_checks'])}")
        if status != 0:
            raise AotError(f"{self.path}: @{entry} returned status {status}")
        return outputs


def cache_dir():
    base = os.environ.get("PIKE_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "pike")
    return os.path.join(base, "aot")


def cached_library(model, target="host", parallel=False,
                   integer_passes=("--pike-quantize-pipeline",)):
    """(Library, compiled now?) for `model`, compiled on first use and
    cached by the model's content, the options, the CPU's features and
    Pike's version (and pike-opt's build)."""
    with open(model, "rb") as f:
        content = f.read()
    resolved = host_target() if target == "host" else target
    key = hashlib.sha256(b"\0".join([
        content, resolved.encode(), str(parallel).encode(), " ".join(integer_passes).encode(),
        " ".join(sorted(cpu_flags())).encode(), __version__.encode(),
        str(os.stat(tools.find("pike-opt")).st_mtime_ns).encode()])).hexdigest()[:24]
    directory = os.path.join(cache_dir(), key)
    path = os.path.join(directory, "model.so")
    compiled = not os.path.exists(path)
    if compiled:
        os.makedirs(directory, exist_ok=True)
        staging = tempfile.mkdtemp(dir=directory)
        compile_library(model, os.path.join(staging, "model.so"), "shared", resolved, parallel,
                        integer_passes)
        for name in ("model.so", "model.h", "model.json"):
            os.replace(os.path.join(staging, name), os.path.join(directory, name))
        shutil.rmtree(staging, ignore_errors=True)
    return Library(path), compiled
