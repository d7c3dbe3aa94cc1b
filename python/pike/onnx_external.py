"""External data of an ONNX model, read by Pike itself and never outside
the model's folder.

onnx.load() resolves a tensor's `location` with little checking (onnx 1.12
strips only a leading `/` or `.`: CVE-2022-25882), so a model could put
another file's bytes into its weights, or name /dev/zero or a FIFO. Here a
location must resolve (symlinks followed) inside the model's directory, to
a regular file, with offset and length inside the file and the length
equal to the tensor's size; anything else is an error naming the tensor.
"""

import os
import stat

# Bytes per element of the ONNX types a tensor may store externally.
_ELEMENT_BYTES = {1: 4, 2: 1, 3: 1, 4: 2, 5: 2, 6: 4, 7: 8, 9: 1, 10: 2, 11: 8, 12: 4, 13: 8,
                  16: 2}
_MAX_BYTES = 1 << 40


class ExternalDataError(ValueError):
    """External data that is missing, outside the model's folder or of the
    wrong size, naming the tensor."""


def _tensors(graph):
    """Every TensorProto of a graph: initializers and node attributes, in
    subgraphs too."""
    for tensor in graph.initializer:
        yield tensor, f"initializer '{tensor.name}'"
    for node in graph.node:
        for attr in node.attribute:
            label = f"node '{node.name or node.op_type}' attribute '{attr.name}'"
            if attr.HasField("t"):
                yield attr.t, label
            for t in attr.tensors:
                yield t, label
            if attr.HasField("g"):
                yield from _tensors(attr.g)
            for g in attr.graphs:
                yield from _tensors(g)


def _byte_size(tensor, what):
    size = _ELEMENT_BYTES.get(tensor.data_type)
    if size is None:
        raise ExternalDataError(f"{what}: element type {tensor.data_type} cannot be external data")
    for d in tensor.dims:
        if d < 0:
            raise ExternalDataError(f"{what}: negative dimension {d}")
        size *= d
        if size > _MAX_BYTES:
            raise ExternalDataError(f"{what}: more than {_MAX_BYTES} bytes")
    return size


def _read(tensor, what, root):
    entries = {e.key: e.value for e in tensor.external_data}
    location = entries.get("location", "")
    if not location or "\0" in location or os.path.isabs(location):
        raise ExternalDataError(f"{what}: external data location {location!r} is not a "
                                "relative path")
    path = os.path.realpath(os.path.join(root, location))
    if os.path.commonpath([root, path]) != root:
        raise ExternalDataError(f"{what}: external data location {location!r} is outside the "
                                "model's folder")
    try:
        offset = int(entries.get("offset", "0"))
        length = int(entries["length"]) if "length" in entries else None
    except ValueError:
        raise ExternalDataError(f"{what}: external data offset or length is not an "
                                "integer") from None
    expected = _byte_size(tensor, what)
    try:
        # O_NONBLOCK: opening a FIFO must not wait for a writer.
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError as err:
        raise ExternalDataError(f"{what}: cannot open external data {location!r}: "
                                f"{err.strerror}") from None
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode):
        os.close(fd)
        raise ExternalDataError(f"{what}: external data {location!r} is not a regular file")
    if info.st_nlink != 1:
        # A hard link inside the folder can be another file outside it.
        os.close(fd)
        raise ExternalDataError(f"{what}: external data {location!r} has other hard links")
    with os.fdopen(fd, "rb") as f:
        if length is None:
            length = info.st_size - offset
        if offset < 0 or length != expected or offset + length > info.st_size:
            raise ExternalDataError(
                f"{what}: external data {location!r} offset {offset} length {length} does not "
                f"hold the tensor's {expected} bytes within the file's {info.st_size}")
        f.seek(offset)
        data = f.read(length)
    if len(data) != length:
        raise ExternalDataError(f"{what}: external data {location!r} ended early")
    return data


def load_external_data(model, directory):
    """Fills every external tensor of `model` from files inside
    `directory`, checked as the module says."""
    import onnx
    root = os.path.realpath(directory)
    for tensor, what in _tensors(model.graph):
        if tensor.data_location != onnx.TensorProto.EXTERNAL:
            continue
        tensor.raw_data = _read(tensor, what, root)
        del tensor.external_data[:]
        tensor.data_location = onnx.TensorProto.DEFAULT
