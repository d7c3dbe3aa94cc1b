"""Writing pike IR as text: SSA names, tensor types and dense constants."""


import numpy as np


def tensor_type(shape, element):
    dims = "x".join(str(d) for d in shape)
    return f"tensor<{dims}x{element}>" if dims else f"tensor<{element}>"


def real(value, bits=64):
    """An MLIR float literal with every bit of `value` (1e-05 -> 1.0e-05);
    NaN and infinities as the bit pattern of an f`bits` (MLIR has no
    spelling for them in decimal, and the hex form must fit the type)."""
    value = float(value)
    if value != value or value in (float("inf"), float("-inf")):
        import struct
        if bits == 32:
            return "0x%08X" % struct.unpack("<I", struct.pack("<f", value))[0]
        return "0x%016X" % struct.unpack("<Q", struct.pack("<d", value))[0]
    text = repr(value)
    if "e" in text and "." not in text.split("e")[0]:
        mantissa, exponent = text.split("e")
        text = f"{mantissa}.0e{exponent}"
    elif "." not in text and "e" not in text:
        text += ".0"
    return text


def f64_array(values):
    return "array<f64: " + ", ".join(real(v) for v in values) + ">"


def i64_array(values):
    return "array<i64: " + ", ".join(str(int(v)) for v in values) + ">"


def float_list(values):
    return "[" + ", ".join(real(v) for v in values) + "]"


def int_list(values):
    return "[" + ", ".join(str(int(v)) for v in values) + "]"


def _storage_bytes(bits):
    # MLIR stores every element of a non-i1 type in whole bytes.
    return max(1, (bits + 7) // 8)


def dense_int(array, bits):
    """A `dense<"0x..">` literal of signless `bits`-wide integers."""
    flat = np.asarray(array, dtype=np.int64).reshape(-1)
    width = _storage_bytes(bits)
    mask = (1 << (8 * width)) - 1
    data = b"".join((int(v) & mask).to_bytes(width, "little") for v in flat)
    return f'dense<"0x{data.hex().upper()}">'


def dense_f32(array):
    flat = np.asarray(array, dtype="<f4").reshape(-1)
    return f'dense<"0x{flat.tobytes().hex().upper()}">'


class FunctionWriter:
    """Collects the body of one func.func with fresh SSA names."""

    def __init__(self, name):
        self.name = name
        self.args = []
        self.lines = []
        self.counter = 0

    def arg(self, type_str):
        name = f"%arg{len(self.args)}"
        self.args.append((name, type_str))
        return name

    def op(self, text, loc=None):
        """Emits `%vN = text` and returns the new name. `loc` names the op;
        `module` adds the file position, so diagnostics point at the line."""
        name = f"%v{self.counter}"
        self.counter += 1
        self.lines.append((f"    {name} = {text}", loc))
        return name

    def constant(self, literal, type_str, loc=None):
        return self.op(f"arith.constant {literal} : {type_str}", loc)

    def render(self, results, file_name, first_line):
        """The function's text; its first line is line `first_line` of
        `file_name`."""
        args = ", ".join(f"{n}: {t}" for n, t in self.args)
        # A result is (name, type) or (name, type, attributes), e.g. "{pike.unsigned}".
        res_types = ", ".join(r[1] for r in results)
        res_decls = ", ".join(r[1] + (f" {r[2]}" if len(r) > 2 and r[2] else "") for r in results)
        res_names = ", ".join(r[0] for r in results)
        lines = [f"  func.func @{self.name}({args}) -> ({res_decls}) {{"]
        for text, loc in self.lines:
            line = first_line + len(lines)
            if loc:
                text += f' loc("{loc}"("{file_name}":{line}:5))'
            lines.append(text)
        lines.append(f"    return {res_names} : {res_types}")
        lines.append("  }")
        return "\n".join(lines) + "\n"


def module(function, results, file_name, comment=None, rounding=None):
    """A module holding one function, with named file locations. `rounding`
    names the requantization rule the model was built for (the module's
    pike.rounding, which the integer passes follow unless told otherwise)."""
    header = "".join(f"// {line}\n" for line in (comment or "").splitlines())
    first_line = header.count("\n") + 2
    attrs = f" attributes {{pike.rounding = #pike<rounding {rounding}>}}" if rounding else ""
    return (header + f"module{attrs} {{\n" +
            function.render(results, file_name, first_line) + "}\n")
