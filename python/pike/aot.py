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

from . import __version__, targets, tools
from .escape import c_string, json_text, mlir_unescape
from .mlir_reader import parse_type

LLVM_BIN = "/usr/lib/llvm-22/bin"
ALIGNMENT = 64
# Status codes of a library's entry points, in its header and docs/Deploy.md.
ERROR_CPU, ERROR_WORKSPACE, ERROR_NULL = 1, 2, 3

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


def _c_prefix(text):
    """The library prefix for an output file name (the user's, not the
    model's): a C identifier without `__`, which pike-name-entry-points
    puts every function under."""
    name = re.sub(r"_+", "_", re.sub(r"[^A-Za-z0-9_]", "_", text)).strip("_")
    return name if name and not name[0].isdigit() else "m_" + name


def _mask_strings(line):
    """`line` with the inside of every string literal replaced by `x`, same
    length: searches run on it, so a name from a model that spells
    `function_type = (...)` or a bracket is never read as syntax."""
    out, in_string, escaped = [], False, False
    for ch in line:
        if in_string:
            if escaped:
                escaped = False
                out.append("x")
            elif ch == "\\":
                escaped = True
                out.append("x")
            elif ch == '"':
                in_string = False
                out.append(ch)
            else:
                out.append("x")
        else:
            in_string = ch == '"'
            out.append(ch)
    return "".join(out)


def _bracketed(line, masked, opener):
    """The text inside the brackets that `opener` opens, or None."""
    start = masked.find(opener)
    if start < 0:
        return None
    depth = 1
    for i in range(start + len(opener), len(masked)):
        if masked[i] == "[":
            depth += 1
        elif masked[i] == "]":
            depth -= 1
            if depth == 0:
                return line[start + len(opener):i]
    return None


def _signatures(generic_text):
    """Public functions of a generic-form module: name, argument and result
    types, names (pike.name) and unsigned results (pike.unsigned)."""
    functions = []
    lines = generic_text.splitlines()
    for index, raw in enumerate(lines):
        line = raw.strip()
        if not line.startswith('"func.func"'):
            continue
        masked = _mask_strings(line)
        if 'sym_visibility = "private"' in masked:
            continue
        # Discardable attributes follow the body, on the line that closes it
        # at the function's own indentation.
        indent = raw[:len(raw) - len(raw.lstrip())]
        closing = next((l.strip() for l in lines[index + 1:] if l.startswith(indent + "})")), "")
        closing_masked = _mask_strings(closing)

        def field(pattern):
            m = re.search(pattern, masked)
            return m and (lambda g: line[m.start(g):m.end(g)])

        name = field(r'sym_name = "([A-Za-z0-9_]+)"')(1)
        m = re.search(r'pike\.source_name = "([^"]*)"', closing_masked)
        source = m and (lambda g: closing[m.start(g):m.end(g)])
        ftype = field(r"function_type = \((.*?)\) -> (\(.*?\)|tensor<[^>]*>|memref<[^>]*>)")
        if ftype is None or source is None:
            raise AotError(f"@{name}: cannot read its signature")
        from .mlir_reader import split_top
        args = [parse_type(t) for t in split_top(ftype(1))] if ftype(1).strip() else []
        res_text = ftype(2)
        if res_text.startswith("("):
            res_text = res_text[1:-1]
        results = [parse_type(t) for t in split_top(res_text)] if res_text.strip() else []

        def attr_names(key, count):
            body = _bracketed(line, masked, key + " = [")
            names, unsigned = [None] * count, [False] * count
            if body is not None:
                for i, part in enumerate(split_top(body)[:count]):
                    n = re.search(r'pike\.name = "([^"]*)"', _mask_strings(part))
                    names[i] = mlir_unescape(part[n.start(1):n.end(1)]) if n else None
                    unsigned[i] = "pike.unsigned" in _mask_strings(part)
            return names, unsigned

        arg_names, _ = attr_names("arg_attrs", len(args))
        res_names, res_unsigned = attr_names("res_attrs", len(results))
        functions.append({"name": name, "source_name": mlir_unescape(source(1)),
                          "args": args, "results": results,
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


_MAX_ELEMENTS = 1 << 62


def _elements(shape):
    """Elements of a static shape, refused before it leaves int64."""
    count = 1
    for d in shape:
        count *= d
        if count > _MAX_ELEMENTS:
            raise AotError(f"a tensor of shape {list(shape)} has more than 2^62 elements")
    return count


def _strides(shape):
    strides, step = [], 1
    for d in reversed(shape):
        strides.insert(0, step)
        step *= d
    return strides


def _parameters(f):
    params = [f"const {t['c_type']} *in{i}" for i, t in enumerate(f["inputs"])]
    params += [f"{t['c_type']} *out{i}" for i, t in enumerate(f["outputs"])]
    return ", ".join(params + ["void *workspace", "size_t workspace_bytes"])


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
        lines.append(f"int {f['symbol']}({_parameters(f)}) {{")
        lines.append("  if (!cpu_supported()) return PIKE_ERROR_CPU;")
        pointers = [f"in{i}" for i in range(len(f["inputs"]))]
        pointers += [f"out{i}" for i in range(len(f["outputs"]))]
        if pointers:
            lines.append(f"  if ({' || '.join('!' + p for p in pointers)}) return PIKE_ERROR_NULL;")
        if f["workspace_bytes"]:
            lines.append(f"  if (!workspace || workspace_bytes < {f['workspace_bytes']}u || "
                         f"((uintptr_t)workspace & {ALIGNMENT - 1}u)) return PIKE_ERROR_WORKSPACE;")
        else:
            lines.append("  (void)workspace; (void)workspace_bytes;")
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


def _header_source(prefix, functions, target, parallel):
    # Comments hold only Pike's own words; a model's names are string
    # literals made by c_string (docs/Security.md).
    guard = f"PIKE_{prefix.upper()}_H"
    lines = [f"/* {prefix}: generated by `pike compile`",
             f" * (pike {__version__}; target {target}"
             f"{', OpenMP threads' if parallel else ', one thread'}).",
             " * Tensors are dense, row-major, in each function's own dimension order",
             " * (an imported ONNX model keeps its NCHW interface). A call allocates",
             " * nothing: it works in the caller's workspace (64-byte aligned, at least",
             " * the function's _WORKSPACE_BYTES, one per concurrent call), so calls on",
             " * different buffers may run in parallel. */",
             f"#ifndef {guard}", f"#define {guard}", "", "#include <stddef.h>",
             "#include <stdint.h>", "", "#ifdef __cplusplus", 'extern "C" {', "#endif", "",
             "#ifndef PIKE_ERROR_CPU",
             f"#define PIKE_ERROR_CPU {ERROR_CPU}       /* the CPU lacks the library's instructions */",
             f"#define PIKE_ERROR_WORKSPACE {ERROR_WORKSPACE} /* workspace NULL, not 64-byte aligned, "
             "or smaller than _WORKSPACE_BYTES */",
             f"#define PIKE_ERROR_NULL {ERROR_NULL}      /* an input or output pointer is NULL */",
             "#endif", "",
             "/* NULL if this CPU runs the library, else a message saying what is missing. */",
             f"const char *{prefix}_check_cpu(void);", ""]
    for f in functions:
        base = f"{prefix.upper()}_{f['symbol'][len(prefix) + 1:].upper()}"
        macro = f"{base}_WORKSPACE_BYTES"
        # _FUNCTION_NAME, not _NAME: function `a_in0`'s would be `a`'s input 0's.
        lines.append(f"#define {base}_FUNCTION_NAME {c_string(f['name'])}")
        lines.append(f"#define {macro} {f['workspace_bytes']}")
        for kind, items in (("IN", f["inputs"]), ("OUT", f["outputs"])):
            for i, t in enumerate(items):
                lines.append(f"#define {base}_{kind}{i}_ELEMENTS {_elements(t['shape'])}")
                lines.append(f"#define {base}_{kind}{i}_NAME {c_string(t['name'])}")
        lines.append(f"/* {f['symbol']}:")
        for kind, items in (("input", f["inputs"]), ("output", f["outputs"])):
            for i, t in enumerate(items):
                lines.append(f" *   {kind} {i}: {t['dtype']} {t['shape']}")
        lines.append(f" *   workspace: {macro} bytes")
        lines.append(" * Returns 0, PIKE_ERROR_CPU, PIKE_ERROR_NULL or PIKE_ERROR_WORKSPACE. */")
        lines.append(f"int {f['symbol']}({_parameters(f)});")
        lines.append("")
    lines += ["#ifdef __cplusplus", "}", "#endif", "", f"#endif /* {guard} */", ""]
    return "\n".join(lines)


def _for_json(functions):
    """The functions with every name from the model as valid Unicode."""
    out = []
    for f in functions:
        f = dict(f, name=json_text(f["name"]))
        for kind in ("inputs", "outputs"):
            f[kind] = [dict(t, name=json_text(t["name"])) for t in f[kind]]
        out.append(f)
    return out


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
    try:
        resolved = targets.describe(target)["name"]
    except targets.TargetError as e:
        raise AotError(str(e)) from None
    llc_flags, checks = targets.llc_flags(resolved), targets.runtime_checks(resolved)
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
                  "-o", integer)
        functions = []
        for sig in _signatures(tools.generic_form(integer)):
            inputs = [_describe(t, sig["arg_names"][i] or f"input{i}")
                      for i, t in enumerate(sig["args"])]
            outputs = [_describe(t, sig["res_names"][i] or f"output{i}", sig["res_unsigned"][i])
                       for i, t in enumerate(sig["results"])]
            # pike-name-entry-points named it <prefix>__<C identifier>.
            functions.append({"name": sig["source_name"], "mlir_symbol": sig["name"],
                              "symbol": f"{prefix}_{sig['name'][len(prefix) + 2:]}",
                              "inputs": inputs, "outputs": outputs})
        llvm_dialect = os.path.join(tmp, "model.llvm.mlir")
        pipeline = (f"--pike-cpu-pipeline=target={resolved} parallel={str(parallel).lower()} "
                    "workspace=true")
        # Layers that get no fast kernel are warnings the user should see.
        tools.run("pike-opt", integer, pipeline, "-o", llvm_dialect, forward_stderr=True)
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
            f.write(_header_source(prefix, functions, resolved, parallel))
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
                "alignment": ALIGNMENT, "functions": _for_json(functions),
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
            fn.argtypes = ([ctypes.c_void_p] * (len(f["inputs"]) + len(f["outputs"]) + 1)
                           + [ctypes.c_size_t])
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
        args += [workspace.ctypes.data if workspace.size else None, workspace.size]
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
