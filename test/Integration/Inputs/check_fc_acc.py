"""Checks @fc_acc's i16 output against the exact int64 sum of the weights and
bias written in the module: check_fc_acc.py MODULE X.npy ACC.npy"""

import re
import sys

import numpy as np

module, x_path, acc_path = sys.argv[1:]
text = open(module).read()
body = text[text.index("func.func @fc_acc"):]
weights = np.array(eval(re.search(r"dense<(\[\[.*?\]\])> : tensor<16x64xi4>", body).group(1)))
bias = np.array(eval(re.search(r"dense<(\[[^\[\]]*\])> : tensor<16xi16>", body).group(1)))
x = np.load(x_path).astype(np.int64)
exact = x @ weights.T.astype(np.int64) + bias
acc = np.load(acc_path).astype(np.int64)
assert (acc == exact).all(), "the i16 accumulator differs from the exact sum"
print(f"exact int64 sums, largest |acc| {int(np.abs(exact).max())}")
