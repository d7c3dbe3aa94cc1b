"""A small MobileNet-style PikeLPN network on scikit-learn's 8x8 digits.

    python3 examples/digits/digits.py train --out DIR [--plain]
    python3 examples/digits/digits.py evaluate --out DIR

`train` trains with fixed seeds on one thread, then writes DIR/digits.onnx
(QONNX Quant edges, metadata saying what it was trained for), the test set
(DIR/test_x.npy, DIR/test_y.npy) and the fake-quantized model's logits on it
(DIR/fake_quant_logits.npy, float32 as trained; DIR/exact_logits.npy, the
same forward in float64, which is Pike's integer arithmetic).
`evaluate` compares DIR/logits.npy (what `pike run` wrote) with them.
docs/Tutorial.md walks through it.
"""

import argparse
import json
import os
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "python"))

from pike.torch import (QuantConv2d, QuantGlobalAvgPool, QuantLinear, Quantizer,  # noqa: E402
                        configure, export)

TEST_SIZE = 360  # of 1,797 images; the rest train
SEED = 0


def load_data():
    """Digits scaled to [0, 1], split once by a fixed permutation."""
    from sklearn.datasets import load_digits

    digits = load_digits()
    x = (digits.images / 16.0).astype(np.float32)[:, None]
    y = digits.target.astype(np.int64)
    order = np.random.RandomState(SEED).permutation(len(y))
    test, train = order[:TEST_SIZE], order[TEST_SIZE:]
    return (x[train], y[train]), (x[test], y[test])


class DigitsNet(torch.nn.Module):
    """8-bit input and first layer, three depthwise-separable blocks with
    4-bit weights (DHQ: pow2 depthwise, uniform pointwise) and 4-bit
    activations, integer average pooling, 8-bit classifier."""

    def __init__(self, widths=(16, 32, 64, 64)):
        super().__init__()
        self.source = Quantizer(8, alpha=1.0, learn=False)
        act = Quantizer(4, alpha=3.0)
        self.stem = QuantConv2d(1, widths[0], 3, padding=1, input=self.source, output=act,
                                weight_bits=8)
        blocks, channels = [], widths[0]
        for width, stride in zip(widths[1:], (1, 2, 1)):
            mid, out = Quantizer(4, alpha=3.0), Quantizer(4, alpha=3.0)
            blocks += [QuantConv2d(channels, channels, 3, stride=stride, padding=1,
                                   groups=channels, input=act, output=mid,
                                   weight_scheme="pow2"),
                       QuantConv2d(channels, width, 1, input=mid, output=out)]
            act, channels = out, width
        self.blocks = torch.nn.Sequential(*blocks)
        self.pool = QuantGlobalAvgPool(input=act)
        self.head = QuantLinear(channels, 10, input=self.pool,
                                output=Quantizer(8, signed=True, alpha=16.0), weight_bits=8)

    def forward(self, x):
        return self.head(self.pool(self.blocks(self.stem(self.source(x)))))


def build(plain=False):
    """PikeLPN training (QuantNorm, 4-bit Double Quantization, 8-bit
    QuantNorm multipliers) or plain per-channel QAT (`plain`)."""
    torch.manual_seed(SEED)
    model = DigitsNet()
    if plain:
        return configure(model, quantnorm=False)
    return configure(model, quantnorm=True, double_quantize_bits=4, multiplier_bits=8)


def train(model, data, epochs=40, batch=64, lr=0.01, log=print):
    torch.manual_seed(SEED)
    x, y = (torch.from_numpy(a) for a in data)
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    steps = epochs * ((len(y) + batch - 1) // batch)
    schedule = torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=lr, total_steps=steps)
    model.train()
    for epoch in range(epochs):
        order = torch.randperm(len(y))
        total = 0.0
        for start in range(0, len(y), batch):
            index = order[start:start + batch]
            loss = F.cross_entropy(model(x[index]), y[index])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            schedule.step()
            total += float(loss) * len(index)
        if log and (epoch + 1) % 10 == 0:
            log(f"  epoch {epoch + 1:3d}: loss {total / len(y):.4f}")
    return model.eval()


def accuracy(logits, labels):
    return float(np.mean(np.argmax(logits, axis=1) == labels))


def cmd_train(args):
    torch.set_num_threads(1)
    os.makedirs(args.out, exist_ok=True)
    train_set, (test_x, test_y) = load_data()
    model = build(args.plain)
    kind = "plain per-channel QAT" if args.plain else "PikeLPN (QuantNorm, Double Quantization)"
    print(f"== training {kind} on {len(train_set[1])} digits, {args.epochs} epochs")
    start = time.time()
    train(model, train_set, epochs=args.epochs)
    print(f"   {time.time() - start:.0f} s")
    with torch.no_grad():
        fake = model(torch.from_numpy(test_x)).numpy()
        exact = model.double()(torch.from_numpy(test_x).double()).numpy().astype(np.float32)
    model.float()
    export(model, torch.from_numpy(test_x[:1]), os.path.join(args.out, "digits.onnx"),
           input_names=("digits",), output_names=("logits",))
    np.save(os.path.join(args.out, "test_x.npy"), test_x)
    np.save(os.path.join(args.out, "test_y.npy"), test_y)
    np.save(os.path.join(args.out, "fake_quant_logits.npy"), fake)
    np.save(os.path.join(args.out, "exact_logits.npy"), exact)
    print(f"   fake-quantized PyTorch test accuracy: {100 * accuracy(fake, test_y):.2f} %")
    print(f"   wrote {os.path.join(args.out, 'digits.onnx')}")
    return 0


def compare(out):
    """Accuracies and agreement of the compiled model's logits."""
    load = lambda name: np.load(os.path.join(out, name))  # noqa: E731
    labels, compiled = load("test_y.npy"), load("logits.npy")
    fake, exact = load("fake_quant_logits.npy"), load("exact_logits.npy")
    return {
        "images": int(len(labels)),
        "fake_quant_accuracy": accuracy(fake, labels),
        "compiled_accuracy": accuracy(compiled, labels),
        "prediction_agreement": float(np.mean(np.argmax(compiled, 1) == np.argmax(fake, 1))),
        "logits_identical_to_exact": float(np.mean(compiled == exact)),
    }


def cmd_evaluate(args):
    result = compare(args.out)
    print(f"== {result['images']} test digits")
    print(f"   fake-quantized PyTorch: {100 * result['fake_quant_accuracy']:.2f} %")
    print(f"   Pike integer form:      {100 * result['compiled_accuracy']:.2f} %")
    print(f"   same prediction:        {100 * result['prediction_agreement']:.2f} %")
    print(f"   logits identical to the float64 fake-quant forward: "
          f"{100 * result['logits_identical_to_exact']:.2f} %")
    with open(os.path.join(args.out, "evaluation.json"), "w") as f:
        json.dump(result, f, indent=2)
    return 0


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    p = commands.add_parser("train", help="train, export to ONNX, write the test set")
    p.add_argument("--out", required=True)
    p.add_argument("--plain", action="store_true",
                   help="plain per-channel 4-bit QAT, without QuantNorm/Double Quantization")
    p.add_argument("--epochs", type=int, default=40)
    p.set_defaults(func=cmd_train)
    p = commands.add_parser("evaluate", help="accuracy of DIR/logits.npy against PyTorch's")
    p.add_argument("--out", required=True)
    p.set_defaults(func=cmd_evaluate)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
