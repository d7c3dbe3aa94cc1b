"""Encoder transformers on Pike's transformer path (docs/Frontends.md,
"Transformers"): a BERT-tiny-shaped encoder, a ViT-tiny-shaped classifier and
a small classifier of sklearn's digits (8x8 images as 16 patches of 2x2)
trained here. Each is written in PyTorch, exported to ONNX (opset 17:
LayerNormalization, GELU as Erf), quantized by onnxruntime's quantize_static
(QDQ), imported by Pike, made integer (softmax and LayerNorm included) and
compiled; `compare` runs it beside onnxruntime on the same inputs."""

import math
import os
import tempfile

import numpy as np

OPSET = 17


def _torch():
    import torch
    from torch import nn

    return torch, nn


def _block_class():
    torch, nn = _torch()

    class Block(nn.Module):
        """Multi-head self-attention and a GELU MLP, each with a residual
        add; LayerNorm after each (BERT, `post_norm`) or before (ViT)."""

        def __init__(self, width, heads, post_norm):
            super().__init__()
            self.heads, self.post_norm = heads, post_norm
            self.root = math.sqrt(width // heads)
            self.qkv = nn.Linear(width, 3 * width)
            self.proj = nn.Linear(width, width)
            self.norm1, self.norm2 = nn.LayerNorm(width), nn.LayerNorm(width)
            self.fc1, self.fc2 = nn.Linear(width, 4 * width), nn.Linear(4 * width, width)
            self.gelu, self.softmax = nn.GELU(), nn.Softmax(dim=-1)

        def attention(self, x, mask=None):
            # Shapes and parts indexed, not unpacked: torch.fx traces this
            # for PyTorch's quantization (quantize_pytorch).
            b, s, w = x.shape[0], x.shape[1], x.shape[2]
            d = w // self.heads
            parts = self.qkv(x).split(w, dim=-1)
            heads = lambda t: t.reshape(b, s, self.heads, d).transpose(1, 2)  # noqa: E731
            # 1/sqrt(d) on q, not on the scores: PyTorch's FX quantization
            # gives a scalar Div before Softmax the softmax's fixed output
            # quantizer (scores clipped to [0, 1)).
            q, k, v = heads(parts[0] / self.root), heads(parts[1]), heads(parts[2])
            scores = torch.matmul(q, k.transpose(-1, -2))
            if mask is not None:
                # Padding keys dropped, as nn.MultiheadAttention's key
                # padding mask does.
                scores = scores.masked_fill(mask[:, None, None, :] == 0, float("-inf"))
            a = self.softmax(scores)
            return self.proj(torch.matmul(a, v).transpose(1, 2).reshape(b, s, w))

        def forward(self, x, mask=None):
            mlp = lambda t: self.fc2(self.gelu(self.fc1(t)))  # noqa: E731
            if self.post_norm:
                x = self.norm1(x + self.attention(x, mask))
                return self.norm2(x + mlp(x))
            x = x + self.attention(self.norm1(x), mask)
            return x + mlp(self.norm2(x))

    return Block


def bert_tiny(seed=0, layers=2, width=128, heads=2, sequence=128, vocabulary=1000, classes=2,
              masked=False):
    """Token ids [1, sequence] -> logits [1, classes]: embeddings (a Gather
    of token ids) plus positions, `layers` post-norm blocks, a classifier on
    the first token. With `masked`, a second input [1, sequence] (int64, 0
    at padding) drops padding tokens from every attention."""
    torch, nn = _torch()
    Block = _block_class()

    class BertTiny(nn.Module):
        def __init__(self):
            super().__init__()
            self.tokens = nn.Embedding(vocabulary, width)
            self.positions = nn.Parameter(0.1 * torch.randn(1, sequence, width))
            self.norm = nn.LayerNorm(width)
            self.blocks = nn.ModuleList([Block(width, heads, True) for _ in range(layers)])
            self.head = nn.Linear(width, classes)

        def encode(self, ids, mask):
            x = self.norm(self.tokens(ids) + self.positions)
            for block in self.blocks:
                x = block(x, mask)
            return self.head(x[:, 0])

    # One signature each: torch.fx and the exporter take every parameter
    # of forward as an input.
    class Plain(BertTiny):
        def forward(self, ids):
            return self.encode(ids, None)

    class Masked(BertTiny):
        def forward(self, ids, mask):
            return self.encode(ids, mask)

    torch.manual_seed(seed)
    return (Masked if masked else Plain)().eval()


def vit_tiny(seed=0, layers=12, width=192, heads=3, image=224, patch=16, classes=1000):
    """Image [1, 3, image, image] -> logits [1, classes]: a patch
    convolution, a class token and positions, `layers` pre-norm blocks, a
    final LayerNorm and a classifier on the class token."""
    torch, nn = _torch()
    Block = _block_class()
    tokens = (image // patch) ** 2 + 1

    class VitTiny(nn.Module):
        def __init__(self):
            super().__init__()
            self.patches = nn.Conv2d(3, width, patch, stride=patch)
            self.cls = nn.Parameter(0.1 * torch.randn(1, 1, width))
            self.positions = nn.Parameter(0.1 * torch.randn(1, tokens, width))
            self.blocks = nn.Sequential(*[Block(width, heads, False) for _ in range(layers)])
            self.norm = nn.LayerNorm(width)
            self.head = nn.Linear(width, classes)

        def forward(self, x):
            x = self.patches(x).flatten(2).transpose(1, 2)
            x = torch.cat([self.cls, x], dim=1) + self.positions
            return self.head(self.norm(self.blocks(x))[:, 0])

    torch.manual_seed(seed)
    return VitTiny().eval()


def _class_token_class():
    torch, nn = _torch()

    class ClassToken(nn.Module):
        """The class token for each example: as it is for one example (as
        exported: no Expand). A leaf for torch.fx, which cannot trace len()."""

        def __init__(self, width):
            super().__init__()
            self.token = nn.Parameter(0.1 * torch.randn(1, 1, width))

        def forward(self, patches):
            batch = len(patches)
            return self.token if batch == 1 else self.token.expand(batch, -1, -1)

    return ClassToken


def digits_model(seed=0, layers=2, width=32, heads=2):
    """sklearn's digits, each 8x8 image as 16 tokens of a 2x2 patch (row
    major), -> 10 logits: a linear patch embedding, a class token,
    positions, pre-norm blocks, a final LayerNorm, a classifier."""
    torch, nn = _torch()
    Block, ClassToken = _block_class(), _class_token_class()

    class Digits(nn.Module):
        def __init__(self):
            super().__init__()
            self.embed = nn.Linear(4, width)
            self.cls = ClassToken(width)
            self.positions = nn.Parameter(0.1 * torch.randn(1, 17, width))
            self.blocks = nn.Sequential(*[Block(width, heads, False) for _ in range(layers)])
            self.norm = nn.LayerNorm(width)
            self.head = nn.Linear(width, 10)

        def forward(self, patches):
            x = torch.cat([self.cls(patches), self.embed(patches)], dim=1)
            return self.head(self.norm(self.blocks(x + self.positions))[:, 0])

    torch.manual_seed(seed)
    return Digits()


def digits_data(seed=0):
    """sklearn's digits as (train, test) pairs of (patches [n, 16, 4] in
    [0, 1], labels), a fixed 80/20 split."""
    from sklearn.datasets import load_digits

    data = load_digits()
    images = data.images.astype(np.float32) / 16.0
    patches = images.reshape(-1, 4, 2, 4, 2).transpose(0, 1, 3, 2, 4).reshape(-1, 16, 4)
    order = np.random.default_rng(seed).permutation(len(patches))
    cut = len(order) * 4 // 5
    train, test = order[:cut], order[cut:]
    return (patches[train], data.target[train]), (patches[test], data.target[test])


def train_digits(model, train, epochs=40, seed=0):
    """Adam on the cross-entropy, batches of 64; returns the model in eval mode."""
    torch, nn = _torch()
    torch.manual_seed(seed)
    x, y = torch.from_numpy(train[0]), torch.from_numpy(train[1]).long()
    optimizer = torch.optim.Adam(model.parameters(), lr=3e-3)
    model.train()
    for _ in range(epochs):
        order = torch.randperm(len(x))
        for start in range(0, len(x), 64):
            batch = order[start:start + 64]
            optimizer.zero_grad()
            loss = nn.functional.cross_entropy(model(x[batch]), y[batch])
            loss.backward()
            optimizer.step()
    return model.eval()


# The models' inputs: `input`, and a padding mask after it when there is one.
INPUT_NAMES = ("input", "mask")


def arrays(example):
    """An example as the list of its input arrays (one array, or a tuple)."""
    return list(example) if isinstance(example, tuple) else [example]


def feed(example):
    """An example as onnxruntime's feed: {input name: array}."""
    return dict(zip(INPUT_NAMES, arrays(example)))


def export(model, example, path, opset=OPSET):
    """ONNX (opset 17 by default; before 17 LayerNorm is written out as
    ReduceMean, Sub, Pow, ...) with inputs `input` [and `mask`] and one
    output `logits`."""
    torch, _ = _torch()
    tensors = tuple(torch.from_numpy(a) for a in arrays(example))
    with torch.no_grad():
        torch.onnx.export(model, tensors, path, opset_version=opset,
                          input_names=list(INPUT_NAMES[:len(tensors)]), output_names=["logits"])


def quantize(float_path, path, calibration, per_channel=True):
    """onnxruntime's quantize_static (QDQ, uint8 activations, int8 weights).
    A masked attention's Where and Softmax are left out: quantizing the
    Where's output would calibrate on its -inf (a NaN scale, every score
    lost); the softmax's output is still quantized, as the next MatMul reads
    it quantized."""
    import onnx
    from onnxruntime.quantization import (CalibrationDataReader, QuantFormat, QuantType,
                                          quantize_static)

    class Reader(CalibrationDataReader):
        def __init__(self):
            self.batches = iter([feed(x) for x in calibration])

        def get_next(self):
            return next(self.batches, None)

    nodes = onnx.load(float_path).graph.node
    masked = {n.output[0] for n in nodes if n.op_type == "Where"}
    excluded = [n.name for n in nodes
                if n.op_type == "Where" or (n.op_type == "Softmax" and n.input[0] in masked)]
    # 7-bit weights where onnxruntime's uint8 x int8 kernels add product
    # pairs in saturating 16-bit arithmetic (no VNNI): else its integers are
    # not the model's, and no exact compiler can match them.
    from .vision import needs_reduce_range

    quantize_static(float_path, path, Reader(), quant_format=QuantFormat.QDQ,
                    per_channel=per_channel, activation_type=QuantType.QUInt8,
                    weight_type=QuantType.QInt8, nodes_to_exclude=excluded,
                    reduce_range=needs_reduce_range())


def quantize_pytorch(model, calibration, engine="onednn"):
    """PyTorch's own int8 model (FX graph mode, `engine`'s default qconfig
    mapping, calibrated on each array of `calibration`): linear layers,
    attention products, softmax, LayerNorm and residual adds quantized; GELU
    and the token embedding stay float, as PyTorch leaves them."""
    import copy
    import warnings

    torch, _ = _torch()
    import torch.ao.quantization as tq
    from torch.ao.quantization import quantize_fx
    from torch.ao.quantization.fx.custom_config import PrepareCustomConfig

    leaves = {type(m) for m in model.modules() if type(m).__name__ == "ClassToken"}
    config = PrepareCustomConfig().set_non_traceable_module_classes(list(leaves))
    from .vision import needs_reduce_range, qconfig_mapping, quantized_engine

    # 7-bit activations where PyTorch's kernels saturate u8 x s8 pairs (no
    # VNNI), as for the vision models.
    mapping = (qconfig_mapping(needs_reduce_range()) if engine == "onednn"
               else tq.get_default_qconfig_mapping(engine))
    with quantized_engine(engine), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        example = (torch.from_numpy(calibration[0]),)
        prepared = quantize_fx.prepare_fx(copy.deepcopy(model).eval(), mapping, example,
                                          prepare_custom_config=config)
        with torch.no_grad():
            for x in calibration:
                prepared(torch.from_numpy(x))
        return quantize_fx.convert_fx(prepared)


def pytorch_file(name, quantized, example, folder):
    """PyTorch's int8 `quantized` exported (pike.torch.quantized's
    export_quantized: opset 13, biases as PyTorch's kernels use them, the
    attention products and softmax written as DequantizeLinear, the float
    operator, QuantizeLinear) into `folder`/`name`.torch.onnx."""
    from .quantized import export_quantized

    torch, _ = _torch()
    path = os.path.join(folder, name + ".torch.onnx")
    export_quantized(quantized, (torch.from_numpy(example),), path, output_names=("logits",))
    return path


class Compiled:
    """A quantized ONNX file imported by Pike and compiled (integer form,
    with `rounding`: float32 reproduces onnxruntime's requantization and its
    softmax kernel) into a shared library, beside the runtime the file came
    from: onnxruntime's session of the same file, or `pytorch`, PyTorch's
    int8 model it was exported from (run on `engine`)."""

    def __init__(self, qdq_path, folder, rounding="float32", pytorch=None, engine="onednn"):
        import onnx

        from .. import aot, onnx_import
        from . import ort_quantizer, vision

        proto = onnx.load(qdq_path)
        self.scale = vision.output_scale(proto)
        stem = os.path.splitext(os.path.basename(qdq_path))[0]
        mlir_path = os.path.join(folder, stem + ".mlir")
        with open(mlir_path, "w") as f:
            f.write(onnx_import.import_model(proto, stem + ".mlir"))
        library = os.path.join(folder, stem.replace(".", "_") + ".so")
        pipeline = "--pike-quantize-pipeline" + (f"=rounding={rounding}" if rounding else "")
        aot.compile_library(mlir_path, library, integer_passes=(pipeline,))
        self.library = aot.Library(library)
        self.pytorch, self.engine = pytorch, engine
        self.session = None if pytorch is not None else ort_quantizer.ort_session(qdq_path)

        self.proto, self.mlir_path, self.rounding = proto, mlir_path, rounding

    def layers(self, x):
        """Layer by layer against onnxruntime's integers for input `x`, each
        layer fed onnxruntime's own inputs (pike compare --reference
        onnxruntime): [LayerDiff]."""
        from .. import compare as compare_module
        from .. import ort_reference

        reference = ort_reference.layer_integers(self.proto, [x])
        passes = ["--pike-quantize-pipeline" +
                  (f"=rounding={self.rounding}" if self.rounding else "")]
        return compare_module.compare_reference(self.mlir_path, [x], reference, "main", passes,
                                                compare_module.onnx_aliases(self.proto))

    def pike(self, x):
        return self.library.run(arrays(x))[0]

    def reference(self, x):
        """The file's own runtime on `x`: onnxruntime, or PyTorch's int8 model."""
        if self.session is not None:
            return self.session.run(None, feed(x))[0]
        from . import vision

        torch, _ = _torch()
        with torch.no_grad():
            return vision.run(self.pytorch, torch.from_numpy(x), self.engine).numpy()


def compare(compiled, inputs):
    """Pike against the file's own runtime (onnxruntime or PyTorch) on each
    input: the largest difference at the logits in steps of their
    quantizer, the share of inputs with the same argmax, and both runtimes'
    logits ("reference")."""
    pike = np.stack([compiled.pike(x) for x in inputs])
    reference = np.stack([compiled.reference(x) for x in inputs])
    steps = np.abs(pike.astype(np.float64) - reference) / compiled.scale
    same = np.argmax(pike, axis=-1) == np.argmax(reference, axis=-1)
    return {"max_steps": int(np.rint(steps.max())), "mean_steps": float(np.rint(steps).mean()),
            "same_argmax": float(np.mean(same)), "pike": pike, "reference": reference}


def ort_disagreement(path, inputs):
    """How far onnxruntime's run of `path` with basic graph optimizations
    (the float operators between quantizers, as the file writes them) is
    from its default run (QLinear kernels, all optimizations), at the logits
    in steps of their quantizer: the model's own runtime against itself."""
    import onnx

    from . import ort_quantizer, vision

    basic = ort_quantizer.ort_session(path, basic=True)
    default = ort_quantizer.ort_session(path)
    a = np.stack([basic.run(None, feed(x))[0] for x in inputs])
    b = np.stack([default.run(None, feed(x))[0] for x in inputs])
    steps = np.abs(a.astype(np.float64) - b) / vision.output_scale(onnx.load(path))
    same = np.argmax(a, axis=-1) == np.argmax(b, axis=-1)
    return {"max_steps": int(np.rint(steps.max())), "mean_steps": float(np.rint(steps).mean()),
            "same_argmax": float(np.mean(same))}


def quantized_file(name, model, example, calibration, folder, opset=OPSET):
    """`model` exported and quantized into `folder`/`name`.qdq.onnx."""
    float_path = os.path.join(folder, name + ".float.onnx")
    export(model, example, float_path, opset)
    path = os.path.join(folder, name + ".qdq.onnx")
    quantize(float_path, path, calibration)
    return path


def token_ids(count, sequence=128, vocabulary=1000, seed=0):
    rng = np.random.default_rng(seed)
    return [rng.integers(0, vocabulary, (1, sequence)).astype(np.int64) for _ in range(count)]


def padded_token_ids(count, sequence=128, vocabulary=1000, seed=0):
    """(ids, mask) pairs: each a random length of 8 to `sequence` tokens,
    padded with random ids, the mask 1 at tokens and 0 at padding."""
    rng = np.random.default_rng(seed)
    pairs = []
    for ids in token_ids(count, sequence, vocabulary, seed):
        mask = (np.arange(sequence) < rng.integers(8, sequence + 1)).astype(np.int64)[None]
        pairs.append((ids, mask))
    return pairs


def images(count, size=224, seed=0):
    rng = np.random.default_rng(seed)
    return [rng.standard_normal((1, 3, size, size)).astype(np.float32) for _ in range(count)]


def scratch():
    return tempfile.TemporaryDirectory()
