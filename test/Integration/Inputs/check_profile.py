"""Checks a pike-run --profile file against the ACEv2 report of the same IR:
one timed row per report row, in order, with the same op; times that are
real durations. Prints a summary line for FileCheck."""

import json
import sys

profile, report = (json.load(open(path)) for path in sys.argv[1:3])
rows, ops = profile["ops"], report["ops"]
assert [r["index"] for r in rows] == list(range(len(ops))), "rows are not the report's"
assert [r["op"] for r in rows] == [o["op"] for o in ops], "ops differ from the report's"
assert all(0 <= r["best_us"] <= r["median_us"] for r in rows), "a time is not a duration"
assert profile["network"]["median_ms"] > 0 and profile["instrumented"]["median_ms"] > 0
assert profile["ops_sum_us"] > 0, "no time charged to any op"
print(f"profile: {len(rows)} rows match the ACEv2 report; "
      f"{profile['calls']} calls; target {profile['target']}")
