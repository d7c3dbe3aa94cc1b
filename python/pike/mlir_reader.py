"""Reads the generic form that `pike-opt --mlir-print-op-generic` prints.

Enough of MLIR's textual syntax for pike models: one block per function,
operations with properties, and the attributes the pike dialect, `arith`,
`tensor` and `func` use. Dense constants are read from hex or literal form.
"""

import re
from dataclasses import dataclass, field

import numpy as np

from .escape import mlir_unescape


class ParseError(ValueError):
    pass


@dataclass
class TensorType:
    shape: tuple
    element: str  # "i4", "f32", ...

    @property
    def is_int(self):
        return self.element.startswith("i")

    @property
    def bits(self):
        return int(self.element[1:])


@dataclass
class Op:
    name: str
    results: list
    operands: list
    attrs: dict
    operand_types: list
    result_types: list
    line: int = 0
    loc: str = None  # the location's name (an ONNX node), with --mlir-print-debuginfo


@dataclass
class Function:
    name: str
    args: list
    arg_types: list
    ops: list = field(default_factory=list)
    # Per result: marked pike.unsigned (the model declares an unsigned type).
    unsigned_results: list = field(default_factory=list)
    # Per result: its pike.name (an imported model's output name), or None.
    result_names: list = field(default_factory=list)


@dataclass
class Attr:
    """A dialect attribute such as #pike.quantizer<...>: its name and fields."""
    name: str
    fields: dict
    positional: list


def split_top(text, sep=","):
    """Splits at `sep` outside brackets and strings."""
    parts, depth, start, in_str = [], 0, 0, False
    i = 0
    while i < len(text):
        ch = text[i]
        if in_str:
            if ch == "\\":
                i += 1
            elif ch == '"':
                in_str = False
        elif ch == '"':
            in_str = True
        elif ch in "([{<":
            depth += 1
        elif ch in ")]}>":
            # '->' is not a bracket
            if not (ch == ">" and i > 0 and text[i - 1] == "-"):
                depth -= 1
        elif ch == sep and depth == 0:
            parts.append(text[start:i].strip())
            start = i + 1
        i += 1
    tail = text[start:].strip()
    if tail:
        parts.append(tail)
    return parts


def parse_type(text):
    text = text.strip()
    m = re.fullmatch(r"tensor<(.*)>", text)
    if not m:
        if re.fullmatch(r"[if]\d+|index|bf16", text):
            return TensorType((), text)
        raise ParseError(f"unsupported type '{text}'")
    # Leading `NxMx` dimensions; the element type may contain an x (index).
    dims = re.match(r"((?:(?:\d+|\?)x)*)(.*)", m.group(1))
    shape = tuple(-1 if d == "?" else int(d) for d in dims.group(1).split("x")[:-1])
    return TensorType(shape, dims.group(2))


def _numpy_dtype(element):
    if element.startswith("f"):
        return {"f16": "<f2", "f32": "<f4", "f64": "<f8"}[element]
    return None


def parse_dense(body, ttype):
    """The values of dense<body> : ttype, as int64 or float64 numpy arrays."""
    body = body.strip()
    count = int(np.prod(ttype.shape)) if ttype.shape else 1
    if body.startswith('"0x'):
        data = bytes.fromhex(body[3:-1])
        if ttype.is_int:
            bits = ttype.bits
            width = 1 if bits == 1 else (bits + 7) // 8
            raw = np.frombuffer(data, dtype=f"<u{width}" if width in (1, 2, 4, 8) else None)
            values = raw.astype(np.int64)
            mask = (1 << bits) - 1
            values = values & mask
            values = np.where(values >= (1 << (bits - 1)), values - (1 << bits), values)
        else:
            values = np.frombuffer(data, dtype=_numpy_dtype(ttype.element)).astype(np.float64)
        if values.size == 1 and count != 1:
            values = np.full(count, values[0])
        return values.reshape(ttype.shape)
    text = body.replace("[", " ").replace("]", " ").replace(",", " ")
    tokens = text.split()
    if ttype.is_int:
        vals = [int(t == "true") if t in ("true", "false") else int(t) for t in tokens]
        values = np.array(vals, dtype=np.int64)
    else:
        values = np.array([float(t) for t in tokens], dtype=np.float64)
    if values.size == 1 and count != 1:
        values = np.full(count, values[0])
    return values.reshape(ttype.shape)


def parse_list(text):
    """[1, 2] or [[0], [1, 2]] -> nested Python lists of numbers."""
    text = text.strip()
    assert text[0] == "[" and text[-1] == "]", text
    inner = text[1:-1].strip()
    if not inner:
        return []
    return [parse_value(p) for p in split_top(inner)]


def _float_literal(literal, kind):
    """A float as MLIR prints it: a decimal, or its bits in hex (when no
    short decimal reads back to it), as wide as `kind` (f32, f64)."""
    if literal.startswith("0x"):
        width = {"f16": "<f2", "f32": "<f4"}.get(kind, "<f8")
        return float(np.frombuffer(bytes.fromhex(literal[2:].zfill(int(width[2]) * 2))[::-1],
                                   width)[0])
    return float(literal)


def parse_value(text):
    text = text.strip()
    if text.startswith("["):
        return parse_list(text)
    if text.startswith('"'):
        return text[1:-1]
    if text in ("true", "false"):
        return text == "true"
    m = re.fullmatch(r"array<([if]\d+)(?::(.*))?>", text, re.S)
    if m:
        items = split_top(m.group(2) or "")
        if m.group(1).startswith("i"):
            return [int(x) for x in items]
        return [_float_literal(x.strip(), m.group(1)) for x in items]
    m = re.fullmatch(r"dense<(.*)>\s*:\s*(tensor<.*>)", text, re.S)
    if m:
        return parse_dense(m.group(1), parse_type(m.group(2)))
    m = re.fullmatch(r"#([\w.]+)<(.*)>", text, re.S)
    if m:
        fields, positional = {}, []
        for part in split_top(m.group(2)):
            if "=" in part and not part.startswith(("[", '"')):
                key, value = part.split("=", 1)
                fields[key.strip()] = parse_value(value)
            else:
                positional.append(part)
        return Attr(m.group(1), fields, positional)
    m = re.fullmatch(r"(-?[\d.]+(?:[eE][-+]?\d+)?|0x[0-9A-Fa-f]+)\s*:\s*(\w+)", text)
    if m:
        literal, kind = m.groups()
        if kind.startswith("f"):
            return _float_literal(literal, kind)
        return int(literal, 0)
    if re.fullmatch(r"-?\d+", text):
        return int(text)
    if re.fullmatch(r"-?[\d.]+(?:[eE][-+]?\d+)?", text):
        return float(text)
    return text  # enum keyword, type, symbol: kept as text


def parse_attr_dict(text):
    attrs = {}
    for part in split_top(text):
        if "=" not in part:
            attrs[part] = True  # unit attribute
            continue
        key, value = part.split("=", 1)
        attrs[key.strip()] = parse_value(value)
    return attrs


_OP_RE = re.compile(
    r'^\s*(?:(?P<results>%[\w]+(?::\d+)?(?:\s*,\s*%[\w]+)*)\s*=\s*)?"(?P<name>[\w.]+)"'
    r'\((?P<operands>[^)]*)\)\s*(?:<\{(?P<props>.*)\}>)?\s*(?:\{(?P<attrs>.*)\})?\s*:\s*'
    r'\((?P<in_types>.*?)\)\s*->\s*(?P<out_types>.*?)\s*$')


def _types(text):
    text = text.strip()
    if text in ("", "()"):
        return []
    if text.startswith("(") and text.endswith(")"):
        text = text[1:-1]
    return [parse_type(t) for t in split_top(text)]


_LOC_SUFFIX = re.compile(r"\s+loc\((.*)\)\s*$")
_LOC_ALIAS = re.compile(r"^#(loc\d*)\s*=\s*loc\((.*)\)\s*$")


def _loc_name(text, aliases):
    """The name of a location: `"conv1"`, `"conv1"(...)`, or an alias of one;
    its escapes decoded, so that it equals the name in the model."""
    text = text.strip()
    if text.startswith("#"):
        return aliases.get(text[1:])
    m = re.match(r'^"((?:[^"\\]|\\.)*)"\s*(\(|$)', text)
    if m:
        return mlir_unescape(m.group(1))  # the name as the model wrote it
    m = re.match(r"^fused\[(.*)\]$", text)
    if m:
        return _loc_name(split_top(m.group(1))[0], aliases)
    return None


def _strip_locs(text):
    """Removes `loc(...)` from block arguments: `%a: f32 loc("x")`."""
    return re.sub(r'\s+loc\((?:[^()"]|"(?:[^"\\]|\\.)*"|\([^()]*\))*\)', "", text)


def read_module(text):
    """All functions of a generic-form module, by name. Printed with
    --mlir-print-debuginfo, each op also gets its location's name."""
    aliases = {}
    for line in text.splitlines():
        m = _LOC_ALIAS.match(line.strip())
        if m:
            aliases[m.group(1)] = m.group(2)
    aliases = {k: _loc_name(v, aliases) if not v.startswith("#") else None
               for k, v in aliases.items()}
    functions = {}
    current = None
    region_op, region_depth = None, 0  # an op with a body (linalg.transpose)
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith("//"):
            continue
        if stripped.startswith("#loc"):
            continue
        loc = None
        m = _LOC_SUFFIX.search(line)
        if m and not stripped.startswith("^bb"):
            loc = _loc_name(m.group(1), aliases)
            line = line[:m.start()]
            stripped = line.strip()
        if region_op is not None:
            # The body of a structured op whose meaning its name and
            # attributes state: skip it, keep the op's signature.
            if stripped.endswith("({"):
                region_depth += 1
            if stripped.startswith("})"):
                region_depth -= 1
                if region_depth == 0:
                    line = region_op[1][:-2].rstrip() + " " + stripped[2:].strip()
                    number, region_op = region_op[0], None
                    stripped = line.strip()
                else:
                    continue
            else:
                # tensor.pad yields its padding value: read as a second operand.
                m = re.match(r'"tensor\.yield"\((%[\w#.$-]+)\)', stripped)
                if m and region_depth == 1 and '"tensor.pad"(' in region_op[1]:
                    head, rest = region_op[1].split('"tensor.pad"(', 1)
                    region_op = (region_op[0], f'{head}"tensor.pad"({m.group(1)}, {rest}')
                continue
        elif stripped.endswith("({") and not stripped.startswith('"func.func"') and current:
            region_op, region_depth = (number, line.rstrip()), 1
            continue
        if stripped.startswith('"func.func"'):
            m = re.search(r'sym_name = "([^"]+)"', stripped)
            current = Function(m.group(1), [], [])
            res_attrs = re.search(r"res_attrs = \[(.*?)\](?:,|\}>|\})", stripped)
            if res_attrs:
                parts = split_top(res_attrs.group(1))
                current.unsigned_results = ["pike.unsigned" in part for part in parts]
                current.result_names = [
                    (lambda m: m.group(1) if m else None)(re.search(r'pike\.name = "([^"]*)"', part))
                    for part in parts]
            functions[current.name] = current
            continue
        if stripped.startswith("^bb0("):
            stripped = _strip_locs(stripped)
            for arg in split_top(stripped[len("^bb0("):-2]):
                name, type_text = arg.split(":", 1)
                current.args.append(name.strip())
                current.arg_types.append(parse_type(type_text))
            continue
        if stripped.startswith(("})", '"builtin.module"')) or current is None:
            continue
        m = _OP_RE.match(line)
        if not m:
            raise ParseError(f"line {number}: cannot read operation: {stripped[:120]}")
        results = [r.strip() for r in (m.group("results") or "").split(",") if r.strip()]
        operands = [o.strip() for o in m.group("operands").split(",") if o.strip()]
        attrs = parse_attr_dict(m.group("props") or "")
        attrs.update(parse_attr_dict(m.group("attrs") or ""))
        current.ops.append(Op(m.group("name"), results, operands, attrs,
                              _types(m.group("in_types")), _types(m.group("out_types")),
                              number, loc))
    return functions
