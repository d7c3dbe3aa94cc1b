"""ONNX models as MLIR text in Pike's generic ONNX form (the pike_onnx dialect).

This is the whole Python side of ONNX import: each node becomes a
`pike_onnx.node` with its op type, domain, name and attributes, each
initializer a `pike_onnx.constant` holding a `dense_resource` blob, and the
graph's inputs and outputs the arguments and results of `func.func @main`.
Nothing is interpreted here; `pike-opt --convert-onnx-to-pike` (C++) gives
the graph its meaning, so a compiler that embeds Pike imports the same way.
"""

import re

import numpy as np

from . import emit
from .escape import shown

# ONNX TensorProto.DataType -> MLIR element type, keeping signedness.
ELEMENT_TYPES = {1: "f32", 10: "f16", 11: "f64", 2: "ui8", 3: "si8", 4: "ui16",
                 5: "si16", 6: "si32", 7: "si64", 9: "i1", 12: "ui32", 13: "ui64",
                 21: "ui4", 22: "si4"}

# 4-bit types: ONNX packs two per byte, the first element in the low nibble.
_PACKED_4BIT = {21: False, 22: True}   # data type -> signed

_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_$.]*$")


class SerializeError(ValueError):
    """A graph that is not well formed (an input nothing produces, an
    initializer of a type MLIR cannot hold), naming the node or tensor."""


def _string(text):
    """An MLIR string literal."""
    if isinstance(text, bytes):
        data = text
    else:
        data = str(text).encode("utf-8")
    out = []
    for byte in data:
        char = chr(byte)
        if char in '"\\' or byte < 0x20 or byte >= 0x7F:
            out.append(f"\\{byte:02X}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def _node_label(node):
    return node.name or (node.output[0] if node.output else "")


def _node_text(node):
    """How an error names a node: `node 'name' (OpType)`, escaped."""
    return f"node '{shown(_node_label(node))}' ({shown(node.op_type)})"


class _Writer:
    def __init__(self, model):
        import onnx
        self.onnx = onnx
        self.model = model
        self.graph = model.graph
        self.ssa = {}          # ONNX value name -> SSA name
        self.types = {}        # ONNX value name -> MLIR type
        self.lines = []
        self.blobs = []        # (key, hex)
        self.counter = 0
        self.none = None
        self._infer_types()

    # -- types ---------------------------------------------------------------

    def _tensor_type(self, ttype):
        """An MLIR tensor type for an ONNX TypeProto.Tensor, or None."""
        element = ELEMENT_TYPES.get(ttype.elem_type)
        if element is None or not ttype.HasField("shape"):
            return None
        dims = ["?" if not (d.HasField("dim_value") and d.dim_value > 0) else str(d.dim_value)
                for d in ttype.shape.dim]
        return emit.tensor_type(dims, element)

    def _infer_types(self):
        # Only what the model declares: ONNX's own shape inference is not
        # run, as it crashes the process on some malformed models, and
        # --convert-onnx-to-pike derives every shape itself.
        graph = self.graph
        for info in list(graph.value_info) + list(graph.output):
            if info.type.HasField("tensor_type"):
                t = self._tensor_type(info.type.tensor_type)
                if t is not None:
                    self.types[info.name] = t

    # -- values --------------------------------------------------------------

    def _fresh(self, prefix):
        self.counter += 1
        return f"%{prefix}{self.counter}"

    def _blob(self, array, hint):
        array = np.ascontiguousarray(array)
        data = array.astype(array.dtype.newbyteorder("<")).tobytes()
        alignment = max(1, array.dtype.itemsize)
        # A resource key is an MLIR identifier: no leading digit ("13" is a
        # common ONNX tensor name).
        if isinstance(hint, bytes):  # a name that is not UTF-8 comes as its bytes
            hint = hint.decode("utf-8", "replace")
        key = re.sub(r"[^A-Za-z0-9_]", "_", hint)[:40] or "blob"
        key = f"{'_' if key[0].isdigit() else ''}{key}_{len(self.blobs)}"
        self.blobs.append((key, alignment.to_bytes(4, "little").hex() + data.hex()))
        return key

    def _unpack_4bit(self, tensor, what):
        """The elements of an INT4/UINT4 tensor, one per int8/uint8, read with
        the sizes checked: the model's byte count is not trusted."""
        signed = _PACKED_4BIT[tensor.data_type]
        if tensor.data_location == self.onnx.TensorProto.EXTERNAL:
            raise SerializeError(f"{what}: external data is not supported for 4-bit tensors")
        if any(d < 0 for d in tensor.dims):
            raise SerializeError(f"{what} has a negative dimension {list(tensor.dims)}")
        count = int(np.prod(tensor.dims, dtype=object)) if tensor.dims else 1
        if count > 1 << 31:
            raise SerializeError(f"{what} has {count} elements, more than 2^31")
        need = (count + 1) // 2
        if tensor.HasField("raw_data"):
            data = np.frombuffer(tensor.raw_data, dtype=np.uint8)
            source = "raw_data"
        else:
            words = np.asarray(tensor.int32_data, dtype=np.int64)
            if words.size and (words.min() < 0 or words.max() > 255):
                raise SerializeError(f"{what}: int32_data holds values outside a byte "
                                     f"(two packed 4-bit elements)")
            data = words.astype(np.uint8)
            source = "int32_data"
        if data.size != need:
            raise SerializeError(f"{what}: {source} has {data.size} bytes, but "
                                 f"{count} packed 4-bit elements need {need}")
        nibbles = np.empty(2 * need, dtype=np.uint8)
        nibbles[0::2] = data & 0x0F
        nibbles[1::2] = data >> 4
        values = nibbles[:count]
        if signed:
            values = (values.astype(np.int8) ^ 8) - 8
        else:
            values = values.astype(np.uint8)
        return values.reshape(tuple(tensor.dims))

    def _elements(self, tensor, what):
        """`dense_resource<key> : tensor<...>` for an ONNX TensorProto."""
        from onnx import numpy_helper
        element = ELEMENT_TYPES.get(tensor.data_type)
        if element is None:
            name = self.onnx.TensorProto.DataType.Name(tensor.data_type)
            raise SerializeError(f"{what} has unsupported element type {name}")
        if tensor.data_type in _PACKED_4BIT:
            # Stored unpacked, one element per byte (si4/ui4 in a byte blob).
            array = self._unpack_4bit(tensor, what)
            key = self._blob(array, tensor.name or what)
            return f"dense_resource<{key}> : {emit.tensor_type(array.shape, element)}"
        try:
            array = numpy_helper.to_array(tensor)
        except Exception as err:
            raise SerializeError(f"{what} cannot be read: {shown(err, 300)}") from None
        key = self._blob(array, tensor.name or what)
        return f"dense_resource<{key}> : {emit.tensor_type(array.shape, element)}"

    def _attribute(self, attr, node):
        A = self.onnx.AttributeProto
        if attr.type == A.FLOAT:
            return f"{emit.real(attr.f, 32)} : f32"
        if attr.type == A.INT:
            return f"{attr.i} : i64"
        if attr.type == A.STRING:
            return _string(attr.s)
        if attr.type == A.INTS:
            return "array<i64" + (": " + ", ".join(str(v) for v in attr.ints) if attr.ints else "") + ">"
        if attr.type == A.FLOATS:
            return "array<f32" + (": " + ", ".join(emit.real(v, 32) for v in attr.floats) if attr.floats else "") + ">"
        if attr.type == A.TENSOR:
            return self._elements(attr.t, f"{_node_text(node)}: "
                                          f"attribute '{attr.name}'")
        if attr.type == A.STRINGS:
            return "[" + ", ".join(_string(s) for s in attr.strings) + "]"
        return "unit"

    # -- the graph -----------------------------------------------------------

    def write(self, batch_hint=None):
        graph = self.graph
        body = self.lines
        for init in graph.initializer:
            if init.name in self.ssa:
                raise SerializeError(f"initializer '{shown(init.name)}' is defined twice")
            name = self._fresh("c")
            what = f"initializer '{shown(init.name)}'"
            body.append(f"    {name} = pike_onnx.constant {_string(init.name)} = "
                        f"{self._elements(init, what)}")
            self.ssa[init.name] = name
            self.types[init.name] = body[-1].rsplit(" : ", 1)[1]
        args, inputs = [], set()
        for inp in graph.input:
            if inp.name in inputs:
                raise SerializeError(f"graph input '{shown(inp.name)}' is listed twice")
            inputs.add(inp.name)
            if inp.name in self.ssa:
                continue  # an initializer also listed as an input
            name = f"%arg{len(args)}"
            attrs = f"pike_onnx.name = {_string(inp.name)}"
            ttype = inp.type.tensor_type if inp.type.HasField("tensor_type") else None
            t = self._tensor_type(ttype) if ttype is not None else None
            if t is None:
                if ttype is not None and ttype.elem_type in ELEMENT_TYPES:
                    raise SerializeError(f"graph input '{shown(inp.name)}' needs a static shape, "
                                         f"got none")
                kind = (self.onnx.TensorProto.DataType.Name(ttype.elem_type)
                        if ttype is not None else "not a tensor")
                t = "none"
                attrs += f", pike_onnx.elem_type = {_string(kind)}"
            args.append(f"{name}: {t} {{{attrs}}}")
            self.ssa[inp.name] = name
            self.types[inp.name] = t
        for node in graph.node:
            self._node(node)
        results, result_types = [], []
        for out in graph.output:
            if out.name not in self.ssa:
                raise SerializeError(f"graph output '{shown(out.name)}' is not produced by any node, "
                                     f"input or initializer")
            results.append(self.ssa[out.name])
            result_types.append(f"{self.types[out.name]} {{pike_onnx.name = {_string(out.name)}}}")
        plain_types = [self.types[out.name] for out in graph.output]
        opset = max((o.version for o in self.model.opset_import if o.domain in ("", "ai.onnx")),
                    default=0)
        producer = self.model.producer_name or "unknown"
        module_attrs = [f"pike_onnx.producer = {_string(producer)}",
                        f"pike_onnx.opset = {opset} : i64"]
        if self.model.metadata_props:
            entries = ", ".join(f"{_string(p.key)} = {_string(p.value)}"
                                for p in self.model.metadata_props)
            module_attrs.append(f"pike_onnx.metadata = {{{entries}}}")
        text = [f"module attributes {{{', '.join(module_attrs)}}} {{",
                f"  func.func @main({', '.join(args)}) -> ({', '.join(result_types)}) {{"]
        text += body
        text.append(f"    return {', '.join(results)} : {', '.join(plain_types)}"
                    if results else "    return")
        text += ["  }", "}"]
        if self.blobs:
            text.append("{-#\n  dialect_resources: {\n    builtin: {")
            text.append(",\n".join(f'      {key}: "0x{data}"' for key, data in self.blobs))
            text.append("    }\n  }\n#-}")
        return "\n".join(text) + "\n"

    def _node(self, node):
        label = _node_label(node)
        operands, operand_types = [], []
        for name in node.input:
            if name == "":
                if self.none is None:
                    self.none = "%none"
                    self.lines.insert(0, "    %none = pike_onnx.none")
                operands.append(self.none)
                operand_types.append("none")
                continue
            if name not in self.ssa:
                raise SerializeError(f"{_node_text(node)}: input '{shown(name)}' is not "
                                     f"produced by any node, input or initializer")
            operands.append(self.ssa[name])
            operand_types.append(self.types.get(name, "none"))
        outputs = list(node.output)
        while outputs and outputs[-1] == "":
            outputs.pop()
        results = [self._fresh("v") for _ in outputs]
        result_types = [self.types.get(name, "none") if name else "none" for name in outputs]
        for name in outputs:
            if name and (name in self.ssa or outputs.count(name) > 1):
                raise SerializeError(f"{_node_text(node)}: output '{shown(name)}' is "
                                     f"already produced (by a node, an input or an initializer)")
        for name, ssa, t in zip(outputs, results, result_types):
            if name:
                self.ssa[name] = ssa
                self.types[name] = t
        attrs = [f"node_name = {_string(label)}"]
        if node.domain not in ("", "ai.onnx"):
            attrs.insert(0, f"domain = {_string(node.domain)}")
        if node.attribute:
            entries = []
            for attr in node.attribute:
                key = attr.name if _IDENTIFIER.match(attr.name) else _string(attr.name)
                entries.append(f"{key} = {self._attribute(attr, node)}")
            attrs.append("node_attributes = {" + ", ".join(entries) + "}")
        lhs = (", ".join(results) + " = ") if results else ""
        rtypes = (result_types[0] if len(result_types) == 1
                  else "(" + ", ".join(result_types) + ")")
        self.lines.append(
            f"    {lhs}pike_onnx.node {_string(node.op_type)}({', '.join(operands)}) "
            f"{{{', '.join(attrs)}}} : ({', '.join(operand_types)}) -> {rtypes} "
            f"loc({_string(label)})")


def serialize(model):
    """MLIR text of an onnx.ModelProto in the generic pike_onnx form."""
    if not model.HasField("graph"):
        raise SerializeError("model: no graph (an empty file or not an ONNX model)")
    return _Writer(model).write()
