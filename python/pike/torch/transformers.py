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
            self.qkv = nn.Linear(width, 3 * width)
            self.proj = nn.Linear(width, width)
            self.norm1, self.norm2 = nn.LayerNorm(width), nn.LayerNorm(width)
            self.fc1, self.fc2 = nn.Linear(width, 4 * width), nn.Linear(4 * width, width)
            self.gelu = nn.GELU()

        def attention(self, x):
            b, s, w = x.shape
            d = w // self.heads
            q, k, v = self.qkv(x).split(w, dim=-1)
            q, k, v = (t.reshape(b, s, self.heads, d).transpose(1, 2) for t in (q, k, v))
            a = torch.softmax(q @ k.transpose(-1, -2) / math.sqrt(d), dim=-1)
            return self.proj((a @ v).transpose(1, 2).reshape(b, s, w))

        def forward(self, x):
            mlp = lambda t: self.fc2(self.gelu(self.fc1(t)))  # noqa: E731
            if self.post_norm:
                x = self.norm1(x + self.attention(x))
                return self.norm2(x + mlp(x))
            x = x + self.attention(self.norm1(x))
            return x + mlp(self.norm2(x))

    return Block


def bert_tiny(seed=0, layers=2, width=128, heads=2, sequence=128, vocabulary=1000, classes=2):
    """Token ids [1, sequence] -> logits [1, classes]: embeddings (a Gather
    of token ids) plus positions, `layers` post-norm blocks, a classifier on
    the first token."""
    torch, nn = _torch()
    Block = _block_class()

    class BertTiny(nn.Module):
        def __init__(self):
            super().__init__()
            self.tokens = nn.Embedding(vocabulary, width)
            self.positions = nn.Parameter(0.1 * torch.randn(1, sequence, width))
            self.norm = nn.LayerNorm(width)
            self.blocks = nn.Sequential(*[Block(width, heads, True) for _ in range(layers)])
            self.head = nn.Linear(width, classes)

        def forward(self, ids):
            x = self.blocks(self.norm(self.tokens(ids) + self.positions))
            return self.head(x[:, 0])

    torch.manual_seed(seed)
    return BertTiny().eval()


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


def digits_model(seed=0, layers=2, width=32, heads=2):
    """sklearn's digits, each 8x8 image as 16 tokens of a 2x2 patch (row
    major), -> 10 logits: a linear patch embedding, a class token,
    positions, pre-norm blocks, a final LayerNorm, a classifier."""
    torch, nn = _torch()
    Block = _block_class()

    class Digits(nn.Module):
        def __init__(self):
            super().__init__()
            self.embed = nn.Linear(4, width)
            self.cls = nn.Parameter(0.1 * torch.randn(1, 1, width))
            self.positions = nn.Parameter(0.1 * torch.randn(1, 17, width))
            self.blocks = nn.Sequential(*[Block(width, heads, False) for _ in range(layers)])
            self.norm = nn.LayerNorm(width)
            self.head = nn.Linear(width, 10)

        def forward(self, patches):
            # One example (as exported): the class token as it is, no Expand.
            batch = len(patches)
            cls = self.cls if batch == 1 else self.cls.expand(batch, -1, -1)
            x = torch.cat([cls, self.embed(patches)], dim=1) + self.positions
            return self.head(self.norm(self.blocks(x))[:, 0])

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


def export(model, example, path, opset=OPSET):
    """ONNX (opset 17 by default; before 17 LayerNorm is written out as
    ReduceMean, Sub, Pow, ...) with one input `input` and one output `logits`."""
    torch, _ = _torch()
    with torch.no_grad():
        torch.onnx.export(model, (torch.from_numpy(example),), path, opset_version=opset,
                          input_names=["input"], output_names=["logits"])


def quantize(float_path, path, calibration, per_channel=True):
    """onnxruntime's quantize_static (QDQ, uint8 activations, int8 weights)."""
    from onnxruntime.quantization import (CalibrationDataReader, QuantFormat, QuantType,
                                          quantize_static)

    class Reader(CalibrationDataReader):
        def __init__(self):
            self.batches = iter([{"input": x} for x in calibration])

        def get_next(self):
            return next(self.batches, None)

    quantize_static(float_path, path, Reader(), quant_format=QuantFormat.QDQ,
                    per_channel=per_channel, activation_type=QuantType.QUInt8,
                    weight_type=QuantType.QInt8)


class Compiled:
    """A quantized ONNX file imported by Pike and compiled (integer form,
    with `rounding`: float32 reproduces onnxruntime's requantization and its
    softmax kernel) into a shared library, beside onnxruntime's session of
    the same file."""

    def __init__(self, qdq_path, folder, rounding="float32"):
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
        self.session = ort_quantizer.ort_session(qdq_path)

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
        return self.library.run([x])[0]

    def ort(self, x):
        return self.session.run(None, {"input": x})[0]


def compare(compiled, inputs):
    """Pike against onnxruntime on each input: the largest difference at
    the logits in steps of their quantizer, the share of inputs with the same
    argmax, and both runtimes' logits."""
    pike = np.stack([compiled.pike(x) for x in inputs])
    ort = np.stack([compiled.ort(x) for x in inputs])
    steps = np.abs(pike.astype(np.float64) - ort) / compiled.scale
    same = np.argmax(pike, axis=-1) == np.argmax(ort, axis=-1)
    return {"max_steps": int(np.rint(steps.max())), "same_argmax": float(np.mean(same)),
            "pike": pike, "ort": ort}


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


def images(count, size=224, seed=0):
    rng = np.random.default_rng(seed)
    return [rng.standard_normal((1, 3, size, size)).astype(np.float32) for _ in range(count)]


def scratch():
    return tempfile.TemporaryDirectory()
