"""Compares pike-acev2 JSON reports op by op.

  compare_costs.py lowering BEFORE.json AFTER.json
      Every location (layer) costs the same in both reports: the ops one
      pike op lowers to carry its location, so their sum must equal it.
  compare_costs.py pairs REPORT.json
      Consecutive ops (a pike op, then the upstream op computing the same
      function) cost the same.
  compare_costs.py layers REPORT.json
      Prints each layer's line:column and ACEv2 (summed over its ops), for
      checking against counts derived by hand.
Prints one line per layer or pair; exits 1 on the first disagreement."""

import json
import sys
from collections import OrderedDict

KEYS = ("macs", "muls", "adds", "others", "ace", "acev2")


def load(path):
    with open(path) as f:
        return json.load(f)["ops"]


def by_location(ops):
    layers = OrderedDict()
    for op in ops:
        layer = layers.setdefault(op["loc"], dict.fromkeys(KEYS, 0))
        for key in KEYS:
            layer[key] += op[key]
    return layers


def main(mode, *paths):
    if mode == "lowering":
        before, after = (by_location(load(p)) for p in paths)
        if list(before) != list(after):
            print(f"layers differ: {sorted(set(before) ^ set(after))}")
            return 1
        for loc, cost in before.items():
            if cost != after[loc]:
                print(f"MISMATCH {loc}: {cost} before, {after[loc]} after")
                return 1
        print(f"{len(before)} layers agree")
        return 0
    if mode == "layers":
        for loc, cost in by_location(load(paths[0])).items():
            print(f"{loc.split(':', 1)[1]} acev2 {cost['acev2']}")
        return 0
    ops = load(paths[0])
    if len(ops) % 2:
        print("odd number of ops")
        return 1
    for a, b in zip(ops[0::2], ops[1::2]):
        costs = [{k: op[k] for k in KEYS} for op in (a, b)]
        if costs[0] != costs[1]:
            print(f"MISMATCH {a['op']} {a['loc']}: {costs[0]}; {b['op']} {b['loc']}: {costs[1]}")
            return 1
        print(f"{a['op']} == {b['op']}: acev2 {a['acev2']}")
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
