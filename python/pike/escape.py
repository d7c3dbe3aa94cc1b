"""Text from a model or IR file as Python shows or reads it.

Generated C and the JSON manifest are escaped in C++ (lib/Aot/CLibrary.cpp,
by pike-translate). Here: `shown` (names in error messages and reports),
`mlir_unescape` (MLIR string literals decoded where Python meets the
model's names), and `c_string` and `json_text`, the Python spellings of the
C++ rules, which the tests use as an independent oracle for pike-translate's
output. docs/Security.md lists the rules.
"""

import re


def c_string(text):
    """A C string literal holding exactly the UTF-8 bytes of `text`:
    printable ASCII stays, except `"`, `\\` and `?` (trigraphs); every other
    byte is a three-digit octal escape, which no following digit extends."""
    data = text if isinstance(text, bytes) else str(text).encode("utf-8", "surrogateescape")
    out = []
    for byte in data:
        if 0x20 <= byte < 0x7F and chr(byte) not in '"\\?':
            out.append(chr(byte))
        else:
            out.append(f"\\{byte:03o}")
    return '"' + "".join(out) + '"'


_MLIR_ESCAPE = re.compile(r'\\([0-9A-Fa-f]{2}|["\\nt])')
_SIMPLE = {'"': b'"', "\\": b"\\", "n": b"\n", "t": b"\t"}


def mlir_unescape(body):
    """The text of an MLIR string literal's body (between the quotes), as the
    model wrote it: `in\\22put` is `in"put`. Bytes that are not UTF-8 are
    kept as surrogates, so that c_string gives them back unchanged."""
    data = bytearray()
    position = 0
    for match in _MLIR_ESCAPE.finditer(body):
        data += body[position:match.start()].encode("utf-8")
        code = match.group(1)
        data += _SIMPLE[code] if code in _SIMPLE else bytes([int(code, 16)])
        position = match.end()
    data += body[position:].encode("utf-8")
    return data.decode("utf-8", "surrogateescape")


def json_text(text):
    """`text` made safe for a JSON manifest (json.dump escapes the rest):
    undecodable bytes as U+FFFD."""
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def shown(text, limit=120):
    """Text from a file as an error message shows it, as the C++ importer's
    diagnostics do (llvm::printEscapedString): printable ASCII stays, except
    `"`, `'` and `\\`; every other byte is `\\XX`; at most `limit`
    characters, then "...". No name can write to a terminal."""
    data = str(text).encode("utf-8", "surrogateescape")
    out = []
    for byte in data[:limit]:
        if byte == 0x5C:
            out.append("\\\\")
        elif 0x20 <= byte < 0x7F and chr(byte) not in "\"'":
            out.append(chr(byte))
        else:
            out.append(f"\\{byte:02X}")
    return "".join(out) + ("..." if len(data) > limit else "")
