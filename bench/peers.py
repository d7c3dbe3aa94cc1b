"""Pike side by side with what users would run instead, in one run.

Each workload is one float network (random weights, batch-norm statistics
measured on images) quantized to 8 bits by each framework's own recipe:
  - PyTorch int8 (oneDNN): PyTorch's post-training quantization;
  - onnxruntime (CPU provider, graph optimizations on) and OpenVINO (CPU):
    the QDQ model onnxruntime's quantize_static writes (per channel, uint8
    activations, int8 weights);
  - Pike: that same QDQ file imported, made integer and JIT-compiled
    (pike-run; 2 threads are OpenMP rows); "Pike (onnxruntime's rounding)"
    the same with `--rounding float32`, onnxruntime's requantization
    arithmetic, whose epilogues run in float32 lanes;
  - IREE: Pike's integer form of that file lowered to upstream dialects and
    compiled by iree-compile for this CPU (python/pike/iree.py).
Every peer gets the same image; times are the session's own call (no
conversion of the input in the loop), median and best of --repeat calls
after a warm-up call (Pike's two JIT rows: the lower of two rounds, the
two alternating). Pike's output is compared with onnxruntime's (steps of
the output quantizer) to show both computed the same network. Pike's w4a4
zoo models run beside them where no peer runs 4 bits.

Not a test: `bash bench/peers.sh`; record the report in bench/RESULTS.md
(tests/test_peers.py runs a bounded version in CI).
"""

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import warnings

import numpy as np
import onnx
import torch

from pike import iree, onnx_import, targets, tools, zoo
from pike.torch import ort_quantizer, vision

WORKLOADS = ("mobilenet_v1", "mobilenet_v2", "resnet18", "resnet50")
QDQ = ("QDQ", True, "U8S8")


class MobileNetV1(torch.nn.Module):
    """MobileNetV1 (224, width 1.0, 1000 classes) as torchvision would
    write it; torchvision has none."""

    def __init__(self, classes=1000):
        super().__init__()

        def conv_bn(cin, cout, stride, groups=1, kernel=3):
            return torch.nn.Sequential(
                torch.nn.Conv2d(cin, cout, kernel, stride, kernel // 2, groups=groups,
                                bias=False),
                torch.nn.BatchNorm2d(cout), torch.nn.ReLU())

        layers = [conv_bn(3, 32, 2)]
        channels = 32
        for out, stride in zoo.MOBILENET_V1_BLOCKS:
            layers += [conv_bn(channels, channels, stride, groups=channels),
                       conv_bn(channels, out, 1, kernel=1)]
            channels = out
        self.features = torch.nn.Sequential(*layers)
        self.pool = torch.nn.AdaptiveAvgPool2d(1)
        self.classifier = torch.nn.Linear(channels, classes)

    def forward(self, x):
        return self.classifier(torch.flatten(self.pool(self.features(x)), 1))


def quantized_files(name, folder, tag):
    """The float network `name`, its calibration images and test image, the
    QDQ file onnxruntime's quantize_static writes for it, and that file
    imported by Pike."""
    calibration, x = vision.images(16, 224, 1), vision.images(1, 224, 2)
    model = float_model(name)
    qdq = os.path.join(folder, f"{name}.{tag}.qdq.onnx")
    float_path = os.path.join(folder, f"{name}.{tag}.float.onnx")
    ort_quantizer.export_float(model, 224, float_path)
    ort_quantizer.quantize(float_path, qdq, QDQ, calibration)
    mlir = os.path.join(folder, f"{name}.{tag}.mlir")
    with open(mlir, "w") as f:
        f.write(onnx_import.import_file(qdq, f"{name}.mlir"))
    return model, calibration, x, qdq, mlir


def float_model(name, seed=0):
    if name == "mobilenet_v1":
        torch.manual_seed(seed)
        return vision.measure_batch_norm(MobileNetV1(), 224, seed)
    return vision.float_model(name, 224, seed)


def torch_int8(model, name, calibration):
    """PyTorch's own int8 model: torchvision's eager recipe where it has
    one, FX otherwise (MobileNetV1)."""
    from torch.ao.quantization import quantize_fx

    reduce_range = vision.needs_reduce_range()
    if name in vision.MODELS:
        return vision.convert(vision.prepare(model, name, calibration, reduce_range), name)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        prepared = quantize_fx.prepare_fx(model.eval(), vision.qconfig_mapping(reduce_range),
                                          (calibration[:1],))
        with torch.no_grad():
            prepared(calibration)
        previous = torch.backends.quantized.engine
        torch.backends.quantized.engine = "onednn"
        try:
            return quantize_fx.convert_fx(prepared)
        finally:
            torch.backends.quantized.engine = previous


def timed(call, repeat):
    """Median and best milliseconds of `repeat` calls after a warm-up call."""
    call()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        call()
        times.append((time.perf_counter() - start) * 1e3)
    return statistics.median(times), min(times)


def child_json(peer, path, x_path, threads, repeat, out):
    """Runs `peer` in a process of its own, so that no framework's libraries
    or thread pools meet another's (OpenVINO carries its own oneDNN, next to
    PyTorch's), and returns the JSON it prints."""
    import pike
    paths = [os.path.dirname(os.path.dirname(os.path.abspath(pike.__file__))),
             os.path.dirname(os.path.abspath(__file__))]
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(
        paths + [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]))
    result = subprocess.run([sys.executable, os.path.abspath(__file__), "--child", peer, path,
                             x_path, str(threads), str(repeat), out],
                            capture_output=True, text=True, env=env)
    if result.returncode != 0:
        lines = result.stderr.strip().splitlines() or [f"status {result.returncode}"]
        raise RuntimeError(lines[-1])
    return json.loads(result.stdout.strip().splitlines()[-1])


def run_child(peer, path, x_path, threads, repeat, folder):
    """Times one peer in its own process: (median ms, best ms, output, kernels)."""
    out = os.path.join(folder, f"child-{len(os.listdir(folder))}.npy")
    report = child_json(peer, path, x_path, threads, repeat, out)
    return report["median_ms"], report["best_ms"], np.load(out), report.get("kernels", "")


def conv_shapes(qdq_path):
    """Per Conv node of the QDQ file: its shape in words ("dw 3x3/1 56x56x144",
    "1x1/1 28x28 32->192")."""
    from onnx import numpy_helper, shape_inference

    model = shape_inference.infer_shapes(onnx.load(qdq_path))
    graph = model.graph
    inits = {i.name: numpy_helper.to_array(i).shape for i in graph.initializer}
    producers = {o: n for n in graph.node for o in n.output}
    dims = {v.name: [d.dim_value for d in v.type.tensor_type.shape.dim]
            for v in list(graph.value_info) + list(graph.output)}
    shapes = {}
    for node in graph.node:
        if node.op_type != "Conv":
            continue
        weight = node.input[1]
        while weight in producers and weight not in inits:
            weight = producers[weight].input[0]
        cout, cin_g, kh, kw = inits.get(weight, (0, 0, 0, 0))
        attrs = {a.name: a for a in node.attribute}
        group = attrs["group"].i if "group" in attrs else 1
        stride = attrs["strides"].ints[0] if "strides" in attrs else 1
        out = dims.get(node.output[0], [0, 0, 0, 0])
        hw = f"{out[2]}x{out[3]}" if len(out) == 4 else "?"
        if group > 1 and group == cout:
            shapes[node.name] = ("depthwise", f"dw {kh}x{kw}/{stride} {hw}x{cout}")
        else:
            kind = "pointwise" if kh == kw == 1 else f"{kh}x{kw}"
            shapes[node.name] = (kind, f"{kh}x{kw}/{stride} {hw} {cin_g * group}->{cout}")
    return shapes


def layer_comparison(name, repeat, folder):
    """Every convolution of `name` on 1 thread, timed inside its network by
    each runtime's own profiler: Pike's instrumented JIT (pike-run
    --profile), onnxruntime's session profiling, OpenVINO's counters."""
    from pike import cost, measure

    _, _, x, qdq, mlir = quantized_files(name, folder, "layers")

    def pike_layers(rounding):
        passes = [cost.pipeline_option(rounding=rounding)]
        report = cost.analyze(mlir, passes)
        with tempfile.TemporaryDirectory() as work:
            measure.attach(report, measure.profile(mlir, passes, work, repeat))
        return {l["name"]: l["measured_us"] for l in measure.timed_layers(report)}
    own, float32 = pike_layers(None), pike_layers("float32")
    x_path = os.path.join(folder, f"{name}.layers.x.npy")
    np.save(x_path, x.numpy())
    unused = os.path.join(folder, "unused.npy")
    ort = child_json("onnxruntime-layers", qdq, x_path, 1, repeat, unused)
    openvino = child_json("openvino-layers", qdq, x_path, 1, repeat, unused)
    rows = []
    for node, (kind, shape) in conv_shapes(qdq).items():
        if node not in own:
            continue
        row = {"workload": name, "layer": node, "kind": kind, "shape": shape,
               "pike_us": own[node], "pike_float32_us": float32.get(node)}
        for peer, profile in (("onnxruntime", ort), ("openvino", openvino)):
            if node in profile:
                row[f"{peer}_us"], row[f"{peer}_kernel"] = profile[node]
        rows.append(row)
    return rows


def layer_table(rows):
    """Per layer, then per kind: Pike's integer form (its own rounding) and
    with onnxruntime's rounding (float32), beside each runtime's profile."""
    def f32(r):
        return f"{r['pike_float32_us']:.0f}" if r.get("pike_float32_us") else ""
    lines = ["| workload | layer | shape | Pike us | Pike, onnxruntime's rounding us "
             "| onnxruntime us | OpenVINO us (kernel) | Pike / fastest | float32 / fastest |",
             "|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        others = [r[k] for k in ("onnxruntime_us", "openvino_us") if r.get(k)]
        ratio = f"{r['pike_us'] / min(others):.2f}" if others else ""
        ratio32 = (f"{r['pike_float32_us'] / min(others):.2f}"
                   if others and r.get("pike_float32_us") else "")
        ort = f"{r['onnxruntime_us']:.0f}" if "onnxruntime_us" in r else ""
        ov = (f"{r['openvino_us']:.0f} ({r.get('openvino_kernel', '')})"
              if "openvino_us" in r else "")
        lines.append(f"| {r['workload']} | {r['layer']} | {r['shape']} | {r['pike_us']:.0f} "
                     f"| {f32(r)} | {ort} | {ov} | {ratio} | {ratio32} |")
    lines += ["", "| workload | kind | layers | Pike us | Pike, onnxruntime's rounding us "
                  "| onnxruntime us | OpenVINO us | Pike / fastest | float32 / fastest |",
              "|---|---|---|---|---|---|---|---|---|"]
    for workload in dict.fromkeys(r["workload"] for r in rows):
        for kind in dict.fromkeys(r["kind"] for r in rows if r["workload"] == workload):
            group = [r for r in rows if r["workload"] == workload and r["kind"] == kind
                     and "onnxruntime_us" in r and "openvino_us" in r]
            if not group:
                continue
            pike_total = sum(r["pike_us"] for r in group)
            f32_total = sum(r.get("pike_float32_us") or 0 for r in group)
            ort_total = sum(r["onnxruntime_us"] for r in group)
            ov_total = sum(r["openvino_us"] for r in group)
            fastest = min(ort_total, ov_total)
            lines.append(f"| {workload} | {kind} | {len(group)} | {pike_total:.0f} | "
                         f"{f32_total:.0f} | {ort_total:.0f} | {ov_total:.0f} | "
                         f"{pike_total / fastest:.2f} | {f32_total / fastest:.2f} |")
    return "\n".join(lines)


def child(peer, path, x_path, threads, repeat, out):
    """The --child side of run_child: load, time, write the output."""
    x = np.load(x_path)
    kernels = ""
    if peer == "torch":
        torch.set_num_threads(threads)
        torch.backends.quantized.engine = "onednn"
        model = torch.jit.load(path)
        tx = torch.from_numpy(x)
        with torch.no_grad():
            call = lambda: model(tx)
            median, best = timed(call, repeat)
            y = call().numpy()
    elif peer == "onnxruntime":
        session = ort_quantizer.ort_session(path, threads=threads)
        feed = {session.get_inputs()[0].name: x}
        call = lambda: session.run(None, feed)[0]
        median, best = timed(call, repeat)
        y = call()
    elif peer == "openvino":
        compiled = openvino_compiled(path, threads)
        request = compiled.create_infer_request()
        call = lambda: request.infer({0: x})
        median, best = timed(call, repeat)
        y = np.asarray(list(call().values())[0])
        kernels = openvino_kernels(compiled)
    elif peer == "iree":
        import iree.runtime as rt
        if threads > 1:
            rt.flags.parse_flags(f"--task_topology_max_group_count={threads}",
                                 iree.WORKER_STACK_FLAG)
        config = rt.Config("local-task" if threads > 1 else "local-sync")
        context = rt.SystemContext(config=config)
        with open(path, "rb") as f:
            context.add_vm_module(rt.VmModule.copy_buffer(context.instance, f.read()))
        main = context.modules.module["main"]
        device_x = rt.asdevicearray(config.device, np.ascontiguousarray(x))
        median, best = timed(lambda: main(device_x), repeat)
        y = np.asarray(main(device_x).to_host())
    elif peer == "pike-library":
        # libomp reads the thread count when the library first loads it.
        os.environ["OMP_NUM_THREADS"] = str(threads)
        from pike import aot
        so = os.path.splitext(out)[0] + ".so"
        aot.compile_library(path, so, "shared", "host", parallel=threads != 1,
                            integer_passes=())
        library = aot.Library(so)
        call, _ = library.prepared([x])
        median, best = timed(call, repeat)
        (y,) = library.run([x])
        kernels = f"target {library.manifest['target']}, one workspace"
    elif peer in ("onnxruntime-layers", "openvino-layers"):
        print(json.dumps(layer_profile(peer, path, x, threads, repeat)))
        return
    else:
        raise ValueError(f"unknown peer {peer}")
    np.save(out, y)
    print(json.dumps({"median_ms": median, "best_ms": best, "kernels": kernels}))


def layer_profile(peer, path, x, threads, repeat):
    """Median microseconds per node over `repeat` calls, from the runtime's
    own profiler (onnxruntime's session profiling, OpenVINO's performance
    counters), keyed by the ONNX node's name; with the kernel each ran."""
    import re
    samples, kernels = {}, {}
    if peer == "onnxruntime-layers":
        import onnxruntime
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = threads
        options.enable_profiling = True
        options.profile_file_prefix = os.path.join(os.path.dirname(path), "ort-profile")
        session = onnxruntime.InferenceSession(path, options,
                                               providers=["CPUExecutionProvider"])
        feed = {session.get_inputs()[0].name: x}
        for _ in range(repeat + 1):
            session.run(None, feed)
        with open(session.end_profiling()) as f:
            events = json.load(f)
        runs = 0
        for event in events:
            if event.get("cat") == "Session" and event.get("name") == "model_run":
                runs += 1
            if event.get("cat") != "Node" or not event["name"].endswith("_kernel_time"):
                continue
            if runs < 1:  # the warm-up call
                continue
            node = re.sub(r"(_token_\d+)?_kernel_time$", "", event["name"])
            samples.setdefault(node, []).append(event["dur"])
            kernels[node] = event["args"].get("op_name", "")
    else:
        compiled = openvino_compiled(path, threads, {"PERF_COUNT": True})
        request = compiled.create_infer_request()
        request.infer({0: x})
        for _ in range(repeat):
            request.infer({0: x})
            for info in request.profiling_info:
                node = info.node_name.replace("/WithoutBiases", "")
                samples.setdefault(node, []).append(info.real_time.total_seconds() * 1e6)
                kernels[node] = info.exec_type
    return {node: [statistics.median(times), kernels[node]] for node, times in samples.items()}


def onednn_isa(model_path, x_path):
    """The convolution kernels and ISA oneDNN names (ONEDNN_VERBOSE) for the
    traced int8 model, in a child process so the flag slows no timed run."""
    code = ("import numpy, torch; torch.backends.quantized.engine='onednn'; "
            f"m=torch.jit.load({model_path!r}); x=torch.from_numpy(numpy.load({x_path!r})); "
            "m(x); m(x)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env=dict(os.environ, ONEDNN_VERBOSE="1"))
    kernels, isa = {}, ""
    for line in out.stdout.splitlines():
        parts = line.split(",")
        if len(parts) > 4 and parts[1] == "exec" and parts[3] == "convolution":
            kernels[parts[4]] = kernels.get(parts[4], 0) + 1
        elif len(parts) > 3 and parts[1:3] == ["info", "cpu"] and parts[3].startswith("isa:"):
            isa = parts[3][4:]
    top = sorted(kernels.items(), key=lambda kv: -kv[1])[:2]
    return ", ".join(f"{k} x{n // 2}" for k, n in top) + (f" ({isa})" if isa else "")


def ort_kernels(path):
    """The operators onnxruntime runs after the optimizations a session
    makes by default (all of them)."""
    from pike.ort_reference import optimized_graph

    counts = {}
    for node in optimized_graph(onnx.load(path), "ORT_ENABLE_ALL").graph.node:
        counts[node.op_type] = counts.get(node.op_type, 0) + 1
    top = sorted(counts.items(), key=lambda kv: -kv[1])[:3]
    return ", ".join(f"{op} x{n}" for op, n in top)


def openvino_compiled(path, threads, extra=None):
    import openvino as ov

    core = ov.Core()
    return core.compile_model(core.read_model(path), "CPU",
                              {"INFERENCE_NUM_THREADS": threads, "NUM_STREAMS": 1,
                               "PERFORMANCE_HINT": "LATENCY", **(extra or {})})


def openvino_kernels(compiled):
    """The primitive types OpenVINO's CPU plugin chose for its convolutions."""
    counts = {}
    for op in compiled.get_runtime_model().get_ops():
        info = op.get_rt_info()
        if info["layerType"].astype(str) == "Convolution":
            kind = info["primitiveType"].astype(str)
            counts[kind] = counts.get(kind, 0) + 1
    return ", ".join(f"{k} x{n}" for k, n in sorted(counts.items(), key=lambda kv: -kv[1])[:3])


def pike_time(mlir, x, threads, repeat, folder):
    """Pike's JIT run: outputs, median and best ms (pike-run --repeat)."""
    x_path, y_path = os.path.join(folder, "x.npy"), os.path.join(folder, "y.npy")
    np.save(x_path, x)
    result = subprocess.run([tools.find("pike-run"), mlir, f"--input={x_path}",
                             f"--output={y_path}", f"--repeat={repeat}",
                             f"--threads={threads}"], capture_output=True, text=True)
    if result.returncode != 0:
        raise tools.ToolError(result.stderr.strip(), result.returncode, from_tool=True)
    import re
    m = re.search(r"ms mean, ([0-9.]+) ms best, ([0-9.]+) ms median", result.stderr)
    return np.load(y_path), float(m.group(2)), float(m.group(1))


LIBRARY = "Pike (compiled library)"
# The integer form with onnxruntime's requantization rounding (`float32`):
# its convolutions' integers are onnxruntime's, and its epilogues float32
# arithmetic.
ORT_ROUNDING = "Pike (onnxruntime's rounding)"


def workload(name, threads_list, repeat, folder):
    model, calibration, x, qdq, mlir = quantized_files(name, folder, "whole")
    rows = []
    integer = vision.integer_form(mlir)
    float32_copy = os.path.splitext(mlir)[0] + ".float32.mlir"
    shutil.copyfile(mlir, float32_copy)
    integer_float32 = vision.integer_form(float32_copy, "float32")
    int8 = torch_int8(model, name, calibration)
    scale = vision.output_scale(onnx.load(qdq))
    x_np = x.numpy()
    x_path = os.path.join(folder, f"{name}.x.npy")
    np.save(x_path, x_np)
    torch_path = os.path.join(folder, f"{name}.int8.pt")
    with torch.no_grad():
        torch.backends.quantized.engine = "onednn"
        torch.jit.save(torch.jit.trace(int8, x), torch_path)
    kernels = {"PyTorch int8 (oneDNN)": onednn_isa(torch_path, x_path),
               "onnxruntime": ort_kernels(qdq), "Pike": "target " + targets.host(),
               ORT_ROUNDING: "target " + targets.host() + ", rounding float32"}
    vmfb = os.path.join(folder, f"{name}.vmfb")
    try:
        iree.compile_module(iree.upstream_form(integer, ()), vmfb)
    except Exception as err:  # reported in the row, not fatal to the run
        kernels["IREE (Pike's linalg)"] = f"failed: {str(err).splitlines()[0][:100]}"
        vmfb = None
    children = [("PyTorch int8 (oneDNN)", "torch", torch_path),
                ("onnxruntime", "onnxruntime", qdq), ("OpenVINO", "openvino", qdq),
                ("IREE (Pike's linalg)", "iree", vmfb)]
    for threads in threads_list:
        times, outputs = {}, {}
        for peer, kind, path in children:
            if path is None:
                continue
            try:
                median, best, outputs[peer], named = run_child(kind, path, x_path, threads,
                                                               repeat, folder)
                times[peer] = (median, best)
                kernels[peer] = named or kernels.get(peer, "")
            except Exception as err:
                kernels[peer] = f"failed: {str(err)[:100]}"
        if "IREE (Pike's linalg)" in times:
            kernels["IREE (Pike's linalg)"] = "llvm-cpu, host CPU"
        # Two rounds, the two roundings alternating: the first process after
        # the peers' ran up to 30 % slow on a shared virtual machine.
        outputs_of = {}
        for _ in range(2):
            for row, path in (("Pike", integer), (ORT_ROUNDING, integer_float32)):
                y, median, best = pike_time(path, x_np, threads, repeat, folder)
                outputs_of[row] = y
                prev = times.get(row)
                times[row] = ((median, best) if prev is None
                              else (min(prev[0], median), min(prev[1], best)))
        y_pike, y_float32 = outputs_of["Pike"], outputs_of[ORT_ROUNDING]
        # The same integer form compiled ahead of time, its C function timed alone.
        library_same = None
        try:
            median, best, y_library, named = run_child("pike-library", integer, x_path, threads,
                                                       repeat, folder)
            times[LIBRARY] = (median, best)
            kernels[LIBRARY] = named
            library_same = bool(np.array_equal(y_library, y_pike))
        except Exception as err:
            kernels[LIBRARY] = f"failed: {str(err)[:100]}"
        fastest_peer = min(t[0] for k, t in times.items() if not k.startswith("Pike"))
        def steps_of(y):
            return (int(np.rint(np.max(np.abs(y - outputs["onnxruntime"])) / scale))
                    if "onnxruntime" in outputs else None)
        steps = {"Pike": steps_of(y_pike), ORT_ROUNDING: steps_of(y_float32)}
        iree_same = (bool(np.array_equal(outputs["IREE (Pike's linalg)"], y_pike))
                     if "IREE (Pike's linalg)" in outputs else None)
        for peer, (median, best) in times.items():
            rows.append({"workload": f"{name} w8a8", "threads": threads, "peer": peer,
                         "median_ms": median, "best_ms": best,
                         "ratio_to_fastest_peer": median / fastest_peer,
                         "kernels": kernels.get(peer, ""),
                         "steps_from_onnxruntime": steps.get(peer),
                         "same_output_as_pike": (iree_same if peer.startswith("IREE") else
                                                 library_same if peer == LIBRARY else None)})
        for peer in kernels:
            if peer not in times and kernels[peer].startswith("failed"):
                rows.append({"workload": f"{name} w8a8", "threads": threads, "peer": peer,
                             "median_ms": None, "best_ms": None, "ratio_to_fastest_peer": None,
                             "kernels": kernels[peer], "steps_from_onnxruntime": None,
                             "same_output_as_pike": None})
    return rows


def pike_w4a4(threads_list, repeat, folder):
    """Pike's 4-bit zoo models (no peer runs 4 bits)."""
    rows = []
    for net, write in (("mobilenet_v1", lambda: zoo.mobilenet_v1(weight_bits=4, act_bits=4)),
                       ("resnet50", lambda: zoo.resnet(weight_bits=4, act_bits=4))):
        path = os.path.join(folder, f"{net}.w4a4.mlir")
        with open(path, "w") as f:
            f.write(write())
        integer = os.path.join(folder, f"{net}.w4a4.int.mlir")
        tools.run("pike-opt", path, "--pike-quantize-pipeline", "-o", integer)
        x = np.random.default_rng(0).random((1, 224, 224, 3), dtype=np.float32)
        for threads in threads_list:
            _, median, best = pike_time(integer, x, threads, repeat, folder)
            rows.append({"workload": f"{net} w4a4 (Pike zoo)", "threads": threads,
                         "peer": "Pike", "median_ms": median, "best_ms": best,
                         "ratio_to_fastest_peer": None, "kernels": "target " + targets.host(),
                         "steps_from_onnxruntime": None})
    return rows


def table(rows, flags):
    lines = [f"CPU flags: {' '.join(flags)}", "",
             "| workload | threads | runtime | median ms | best ms | / fastest peer "
             "| kernels or ISA | output |",
             "|---|---|---|---|---|---|---|---|"]
    for r in rows:
        ratio = "" if r["ratio_to_fastest_peer"] is None else f"{r['ratio_to_fastest_peer']:.2f}"
        steps = "" if r["steps_from_onnxruntime"] is None else \
            f"{r['steps_from_onnxruntime']} steps"
        if r.get("same_output_as_pike") is not None:
            steps = "bit-identical to Pike" if r["same_output_as_pike"] else "differs from Pike"
        median, best = ((f"{r['median_ms']:.2f}", f"{r['best_ms']:.2f}")
                        if r["median_ms"] is not None else ("", ""))
        lines.append(f"| {r['workload']} | {r['threads']} | {r['peer']} | {median} | {best} "
                     f"| {ratio} | {r['kernels']} | {steps} |")
    return "\n".join(lines)


def chart(rows, path):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    groups = [(w, t) for w, t in dict.fromkeys((r["workload"], r["threads"]) for r in rows
                                               if r["ratio_to_fastest_peer"] is not None)]
    peers = list(dict.fromkeys(r["peer"] for r in rows if r["ratio_to_fastest_peer"] is not None))
    fig, ax = plt.subplots(figsize=(12, 4.5))
    width = 0.8 / len(peers)
    for i, peer in enumerate(peers):
        values = []
        for w, t in groups:
            match = [r for r in rows if (r["workload"], r["threads"], r["peer"]) == (w, t, peer)]
            values.append(match[0]["ratio_to_fastest_peer"] or 0 if match else 0)
        xs = [g + i * width for g in range(len(groups))]
        ax.bar(xs, values, width, label=peer)
        for x, value in zip(xs, values):
            if value == 0:
                ax.text(x, 0.55, "failed", rotation=90, fontsize=7, ha="center", va="bottom")
    ax.axhline(1.0, color="k", linewidth=0.8)
    ax.set_xticks([g + 0.4 - width / 2 for g in range(len(groups))])
    ax.set_xticklabels([f"{w}\n{t} thread(s)" for w, t in groups], fontsize=8)
    ax.set_ylabel("median time / fastest peer's (log)")
    ax.set_yscale("log")
    ax.set_ylim(0.5, None)
    ax.set_title("Time per image against the fastest peer (lower is faster)")
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--child"]:
        peer, path, x_path, threads, repeat, out = argv[1:7]
        child(peer, path, x_path, int(threads), int(repeat), out)
        return 0
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("workloads", nargs="*", default=list(WORKLOADS))
    parser.add_argument("--threads", default="1,2", help="thread counts (default 1,2)")
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--no-w4a4", action="store_true", help="leave out Pike's w4a4 rows")
    parser.add_argument("--layers", nargs="*", default=["mobilenet_v2", "resnet50"],
                        help="workloads whose convolutions are also compared one by one on 1 "
                             "thread, each timed by its runtime's profiler inside the network "
                             "(default: mobilenet_v2 resnet50)")
    parser.add_argument("--json", help="write the rows as JSON")
    parser.add_argument("--chart", help="write the ratios as a PNG chart")
    parser.add_argument("--from-json", help="a run written by --json: print its table (and "
                                            "with --chart draw it) without measuring again")
    args = parser.parse_args(argv)
    if args.from_json:
        with open(args.from_json) as f:
            recorded = json.load(f)
        print(table(recorded["rows"], recorded["flags"]))
        if recorded.get("layers"):
            print()
            print(layer_table(recorded["layers"]))
        if args.chart:
            chart(recorded["rows"], args.chart)
        return 0
    unknown = [w for w in args.workloads if w not in WORKLOADS]
    if unknown:
        parser.error(f"unknown workload(s): {', '.join(unknown)}")
    threads = [int(t) for t in args.threads.split(",")]
    from pike import aot
    flags = sorted(aot.cpu_flags() & {"avx2", "avx512f", "avx512bw", "avx512_vnni", "avx_vnni",
                                      "amx_int8", "amx_tile"})
    rows, layer_rows = [], []
    with tempfile.TemporaryDirectory() as folder:
        for name in args.workloads:
            print(f"{name} ...", file=sys.stderr, flush=True)
            rows += workload(name, threads, args.repeat, folder)
        if not args.no_w4a4:
            rows += pike_w4a4(threads, args.repeat, folder)
        for name in args.layers:
            print(f"{name}, layer by layer ...", file=sys.stderr, flush=True)
            layer_rows += layer_comparison(name, args.repeat, folder)
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"flags": flags, "rows": rows, "layers": layer_rows}, f, indent=1)
    print(table(rows, flags))
    if layer_rows:
        print()
        print(layer_table(layer_rows))
    if args.chart:
        chart(rows, args.chart)
    return 0


if __name__ == "__main__":
    sys.exit(main())
