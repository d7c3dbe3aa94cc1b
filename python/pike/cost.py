"""`python3 -m pike cost`: the ACEv2 report of a model, as a table and a chart."""

import json
import os
import tempfile

from . import tools


def pipeline_option(double_quantize=None, dq_bits=None, multiplier_bits=None, rounding=None):
    """The pike-quantize-pipeline flag with only the options given (None:
    the pipeline's own default, defined once in C++; the rounding then
    follows the model's pike.rounding, Double Quantization what the model
    was trained for)."""
    options = []
    if multiplier_bits is not None:
        options.append(f"multiplier-bits={multiplier_bits}")
    if rounding is not None:
        options.append(f"rounding={rounding}")
    if double_quantize is not None:
        options.append(f"double-quantize={'true' if double_quantize else 'false'}")
    if dq_bits is not None and double_quantize is not False:
        options.append(f"dq-bits={dq_bits}")
    if not options:
        return "--pike-quantize-pipeline"
    return f"--pike-quantize-pipeline={' '.join(options)}"


def analyze(model, passes=(), float_bits=0, other_ops="add"):
    """The pike-acev2 JSON report of `model` after `passes`."""
    with tempfile.TemporaryDirectory() as tmp:
        report = os.path.join(tmp, "report.json")
        tools.run("pike-opt", model, *passes,
                  f"--pike-acev2=report={report} float-bits={float_bits} other-ops={other_ops}",
                  "-o", os.devnull)
        with open(report) as f:
            return json.load(f)


def format_table(report, title):
    lines = [title, f"{'layer':<34} {'op':<22} {'MACs':>12} {'lookups':>8} {'ACE':>14} "
                    f"{'ACEv2':>14} {'elem%':>6}"]
    for op in report["ops"]:
        share = 100.0 * op["elementwise"] / op["acev2"] if op["acev2"] else 0.0
        lines.append(f"{op['loc'][:34]:<34} {op['op'][:22]:<22} {op['macs']:>12} "
                     f"{op.get('lookups', 0):>8} {op['ace']:>14.0f} {op['acev2']:>14.0f} "
                     f"{share:>5.1f}%")
    t = report["total"]
    lines.append(f"{'total':<34} {'':<22} {t['macs']:>12} {t.get('lookups', 0):>8} "
                 f"{t['ace']:>14.0f} {t['acev2']:>14.0f} {100.0 * t['elementwise_share']:>5.1f}%")
    lines.append(f"  G-ACE {t['ace'] / 1e9:.4f}   G-ACEv2 {t['acev2'] / 1e9:.4f}   "
                 f"energy {t['energy_pj'] / 1e6:.3f} uJ   "
                 f"elementwise share of ACEv2 {100.0 * t['elementwise_share']:.1f}%")
    return "\n".join(lines)


def _layers(report):
    """ACE and elementwise ACEv2 per layer (ops grouped by layer name)."""
    names, macs, elementwise = [], {}, {}
    mac_layer, module = None, None
    for op in report["ops"]:
        # A MAC op names its layer. The ops after it in the same module
        # (PyTorch's "/stem/norm/..." after "/stem/Conv") belong to it;
        # other ops group by their name less its last component.
        loc = op["loc"]
        if op["macs"]:
            layer = mac_layer = loc
            module = loc.rsplit("/", 1)[0] + "/" if "/" in loc.strip("/") else None
        elif module and loc.startswith(module):
            layer = mac_layer
        else:
            layer = loc if "/" not in loc else loc.rsplit("/", 1)[0]
        if layer not in macs:
            names.append(layer)
            macs[layer] = elementwise[layer] = 0.0
        macs[layer] += op["ace"]
        elementwise[layer] += op["elementwise"]
    return names, [macs[n] for n in names], [elementwise[n] for n in names]


def bar_label(name, index, width=24):
    """A bar's label: the layer name, its end kept when long (the distinctive
    part of "/features/features.3/conv/Conv"), "#index" when it has none."""
    name = name.strip()
    if not name:
        return f"#{index}"
    if len(name) > width:
        return "..." + name[-(width - 3):]
    return name


def plot(reports, path):
    """Per-layer stacked bars of MAC (ACE) and elementwise ACEv2, one panel
    per report, on one scale."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(len(reports), 1, figsize=(12, 3.6 * len(reports)),
                             squeeze=False, sharey=True)
    panels = []  # the labels of each panel, for the caller to check
    for ax, (title, report) in zip(axes[:, 0], reports):
        names, mac, elem = _layers(report)
        x = range(len(names))
        ax.bar(x, [m / 1e6 for m in mac], label="MACs (ACE)", color="#3a6ea5")
        ax.bar(x, [e / 1e6 for e in elem], bottom=[m / 1e6 for m in mac],
               label="elementwise", color="#e07a2f")
        t = report["total"]
        ax.set_title(f"{title}: {t['acev2'] / 1e9:.3f} G-ACEv2, elementwise "
                     f"{100 * t['elementwise_share']:.1f}%")
        ax.set_ylabel("ACEv2 (M bit-ops)")
        ax.set_xticks(list(x))
        labels = [bar_label(name, i) for i, name in enumerate(names)]
        ax.set_xticklabels(labels, rotation=70, fontsize=7)
        ax.legend(loc="upper right")
        panels.append(labels)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return panels


def format_timed_table(layers, title, measured=None, cpu_target=None):
    """Per layer (a MAC op and the ops after it): ACE, ACEv2, the CPU cost
    model's prediction where `cpu_target` is given, and the measured time
    where `measured` (the report's summary) is."""
    head = f"{'layer':<34} {'ops':>3} {'MACs':>12} {'ACE':>14} {'ACEv2':>14} {'elem%':>6}"
    if cpu_target:
        head += f" {'cpu us':>9}"
    if measured:
        head += f" {'measured us':>11} {'time%':>6}"
    lines = [title, head]
    total_us = sum(l["measured_us"] for l in layers) or 1.0

    def row(name, ops, macs, ace, acev2, predicted_us, measured_us, time_share):
        share = 100.0 * (acev2 - ace) / acev2 if acev2 else 0.0
        line = f"{name[:34]:<34} {ops:>3} {macs:>12} {ace:>14.0f} {acev2:>14.0f} {share:>5.1f}%"
        if cpu_target:
            line += f" {predicted_us:>9.1f}"
        if measured:
            line += f" {measured_us:>11.1f}" + (f" {time_share:>5.1f}%" if time_share else "")
        return line

    for l in layers:
        lines.append(row(l["name"], l["ops"], l["macs"], l["ace"], l["acev2"],
                         l.get("predicted_us", 0.0), l["measured_us"],
                         100.0 * l["measured_us"] / total_us))
    lines.append(row("total", *(sum(l.get(k, 0.0) for l in layers)
                                for k in ("ops", "macs", "ace", "acev2", "predicted_us",
                                          "measured_us")), None))
    if cpu_target:
        lines.append(f"  cpu us: the CPU cost model for target {cpu_target} "
                     f"(docs/ACEv2.md; bench/acev2_clock.py calibrates another CPU)")
    if measured:
        layer_ms = sum(l["measured_us"] for l in layers) / 1000.0
        network = measured["network_ms"]
        lines.append(
            f"  measured: JIT, target {measured['target']}, {measured['threads']} thread(s), "
            f"median of {measured['calls']} calls; the layers sum to {layer_ms:.3f} ms, the "
            f"whole network takes {network:.3f} ms without the timer marks "
            f"({100.0 * (layer_ms - network) / network:+.1f}%)")
    return "\n".join(lines)


def plot_timed(panels, path):
    """Per layer: ACEv2 (bars, MAC and elementwise parts) and the measured
    or predicted microseconds (points, right axis), one panel per report."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(len(panels), 1, figsize=(12, 3.8 * len(panels)), squeeze=False)
    for ax, (title, layers, series) in zip(axes[:, 0], panels):
        x = range(len(layers))
        ax.bar(x, [l["ace"] / 1e6 for l in layers], label="MACs (ACE)", color="#3a6ea5")
        ax.bar(x, [l["elementwise"] / 1e6 for l in layers],
               bottom=[l["ace"] / 1e6 for l in layers], label="elementwise", color="#e07a2f")
        ax.set_ylabel("ACEv2 (M bit-ops)")
        ax.set_title(title)
        ax.set_xticks(list(x))
        ax.set_xticklabels([bar_label(l["name"], i) for i, l in enumerate(layers)],
                           rotation=70, fontsize=7)
        right = ax.twinx()
        for (key, label, marker), color in zip(series, ("k", "#2a9d4a")):
            right.plot(list(x), [l[key] for l in layers], marker, color=color, label=label,
                       markersize=4)
        right.set_ylabel("microseconds")
        handles = ax.get_legend_handles_labels()
        more = right.get_legend_handles_labels()
        ax.legend(handles[0] + more[0], handles[1] + more[1], loc="upper right")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
