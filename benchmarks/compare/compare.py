#!/usr/bin/python3
"""Times the shapes of jgrad's JMH benchmarks with NumPy/OpenBLAS and PyTorch (when installed) and
prints jgrad's figures from the newest benchmarks/results/jmh-*.json beside them, as ratios.

Usage: benchmarks/compare/compare.py [results.json]
Run ./jgrad bench first. SGEMM is timed single-threaded (OPENBLAS_NUM_THREADS=1) and with the
default thread count; PyTorch training steps use torch's default thread count. The references run on
2 MiB pages where the kernel offers them, as ./jgrad bench runs jgrad (see on_huge_pages).
Both sides are taken by the same two statistics: the best and the mean of 1 s windows (JMH's
measurement iterations, each itself a mean over its calls; the references' windows, three of them),
so that a slow stretch of a shared machine, which one side may meet and the other not, is not
compared with the other side's best.
"""
import glob
import json
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
RESULTS = os.path.join(HERE, "..", "results")


def window_times(fn, min_seconds=1.0, repeats=5, calls=None):
    """Mean time of one call in each of `repeats` windows of min_seconds / repeats (after one warm-up call);
    appends each call's own time to `calls` where given."""
    fn()
    times = []
    for _ in range(repeats):
        count, start = 0, time.perf_counter()
        while True:
            t0 = time.perf_counter()
            fn()
            t1 = time.perf_counter()
            if calls is not None:
                calls.append(t1 - t0)
            count += 1
            elapsed = t1 - start
            if elapsed >= min_seconds / repeats:
                break
        times.append(elapsed / count)
    return times


def best_time(fn, windows=3):
    """(best, mean) of `windows` windows of 1 s each: the statistics jgrad's JMH iterations give."""
    times = window_times(fn, min_seconds=float(windows), repeats=windows)
    return min(times), sum(times) / len(times)


def numpy_worker(threads):
    """Runs in a child so OPENBLAS_NUM_THREADS takes effect before NumPy loads."""
    import numpy as np
    out = {}
    for shape in ["512x512x512", "1024x1024x1024", "2048x2048x2048", "64x784x128", "256x2048x2048"]:
        m, k, n = map(int, shape.split("x"))
        a = np.random.rand(m, k).astype(np.float32)
        b = np.random.rand(k, n).astype(np.float32)
        out["matmul " + shape] = best_time(lambda: a @ b)
    if threads == "1":
        x = np.random.rand(1 << 24).astype(np.float32)
        y = np.random.rand(1 << 24).astype(np.float32)
        out["add 16M"] = best_time(lambda: x + y)
        out["exp 16M"] = best_time(lambda: np.exp(x))
    print(json.dumps(out))


def torch_mlp_step(torch, spec):
    """TrainStepBenchmark's step in PyTorch: Linear layers of the widths in spec ("a-b-c:batch"), ReLU
    between them, cross-entropy, backward, SGD lr 0.01; returns a function running one step."""
    widths, batch = spec.split(":")
    w = [int(v) for v in widths.split("-")]
    layers = [torch.nn.Linear(w[i], w[i + 1]) for i in range(len(w) - 1)]
    params = [p for layer in layers for p in layer.parameters()]
    opt = torch.optim.SGD(params, lr=0.01)
    x = torch.randn(int(batch), w[0])
    labels = torch.randint(0, w[-1], (int(batch),))

    def step():
        h = x
        for i, layer in enumerate(layers):
            h = layer(h)
            if i + 1 < len(layers):
                h = torch.relu(h)
        loss = torch.nn.functional.cross_entropy(h, labels)
        opt.zero_grad()
        loss.backward()
        opt.step()
        return loss.item()
    return step


def torch_times():
    try:
        import torch
    except ImportError:
        return {}
    out = {}
    for spec in ["2-16-16-2:32", "784-128-10:64", "1024-2048-2048-1024:256"]:
        step = torch_mlp_step(torch, spec)
        out["train " + spec] = best_time(step)
    out.update(torch_cnn_times(torch))
    out.update(torch_layer_times(torch))
    return out


def torch_cnn_times(torch, convs=True):
    """The CNN step of CnnTrainStepBenchmark and (convs) the passes of ConvBenchmark, in PyTorch."""
    nn, F = torch.nn, torch.nn.functional
    torch.manual_seed(0)
    model = nn.Sequential(nn.Conv2d(1, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                          nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
                          nn.Linear(3136, 128), nn.ReLU(), nn.Linear(128, 10))
    opt = torch.optim.SGD(model.parameters(), lr=0.01)
    x = torch.randn(64, 1, 28, 28)
    labels = torch.randint(0, 10, (64,))

    def step():
        loss = F.cross_entropy(model(x), labels)
        opt.zero_grad()
        loss.backward()
        opt.step()
        return loss.item()

    out = {"train cnn": best_time(step)}
    for shape in [] if not convs else ["64-1-28-28:32-3-1", "64-32-14-14:64-3-1", "32-64-28-28:128-3-1"]:
        n, c, h, w, o, k, pad = [int(v) for v in shape.replace(":", "-").split("-")]
        xs = torch.randn(n, c, h, w)
        ws = torch.randn(o, c, k, k) * 0.1
        bs = torch.zeros(o)
        with torch.no_grad():
            out["conv %s forward" % shape] = best_time(lambda: F.conv2d(xs, ws, bs, 1, pad))
        for pass_, leaf in [("backwardData", xs), ("backwardWeight", ws)]:
            xg, wg, bg = xs.clone(), ws.clone(), bs.clone()
            if leaf is xs:
                xg.requires_grad_(True)
            else:
                wg.requires_grad_(True)
                bg.requires_grad_(True)
            y = F.conv2d(xg, wg, bg, 1, pad)
            g = torch.randn_like(y)
            out["conv %s %s" % (shape, pass_)] = best_time(lambda: y.backward(g, retain_graph=True))
    return out


def torch_layer_times(torch):
    """The shapes of LayerBenchmark: forward + backward into the input and every parameter."""
    nn = torch.nn
    cases = {"batchNorm2d": (nn.BatchNorm2d(64), (64, 64, 28, 28)), "layerNorm": (nn.LayerNorm(1024), (256, 1024)),
             "lstm": (nn.LSTM(64, 128), (50, 32, 64)), "gru": (nn.GRU(64, 128), (50, 32, 64))}
    return {"layer " + name: best_time(torch_layer_step(torch, m, shape)) for name, (m, shape) in cases.items()}


def torch_layer_step(torch, m, shape):
    """One forward + backward of module m on a fresh input of the given shape, into the input and every
    parameter (LayerBenchmark's step); returns the step function."""
    x = torch.randn(*shape, requires_grad=True)

    def step():
        m.zero_grad()
        x.grad = None
        y = m(x)
        (y[0] if isinstance(y, tuple) else y).sum().backward()
        return x.grad.numel()
    return step


def clblast_times():
    """Compiles and runs clblast_sgemm.c when CLBlast's headers are installed (libclblast-dev)."""
    if not os.path.exists("/usr/include/clblast_c.h"):
        return {}
    exe = os.path.join("/tmp", "jgrad_clblast_sgemm")
    try:
        subprocess.run(["gcc", "-O2", os.path.join(HERE, "clblast_sgemm.c"), "-lclblast", "-lOpenCL", "-o", exe],
                       check=True, capture_output=True)
        res = subprocess.run([exe, "256", "1024"], check=True, capture_output=True, text=True, timeout=1200)
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as e:
        print("CLBlast comparison failed:", e)
        return {}
    out = {}
    for line in res.stdout.splitlines():
        _, _, n, seconds = line.split()
        out["opencl matmul %sx%sx%s" % (n, n, n)] = (float(seconds),) * 2  # one figure: the program's own best
    return out


def jgrad_times(path):
    with open(path) as f:
        runs = json.load(f)
    out = {}
    for r in runs:
        name = r["benchmark"].split(".")[-2] + "." + r["benchmark"].split(".")[-1]
        p = r.get("params", {})
        metric = r["primaryMetric"]
        scale = {"us/op": 1e-6, "ns/op": 1e-9, "ms/op": 1e-3}.get(metric["scoreUnit"], 1e-6)
        iterations = [v for fork in metric.get("rawData", []) for v in fork] or [metric["score"]]
        seconds = (min(iterations) * scale, metric["score"] * scale)
        if name == "MatMulBenchmark.matmul" and p.get("device") == "opencl":
            out["opencl matmul %s" % p["shape"]] = seconds
        elif name == "MatMulBenchmark.matmul":
            out["matmul %s t%s" % (p["shape"], p["threads"])] = seconds
        elif p.get("device", "cpu") != "cpu":
            continue
        elif name == "LayerBenchmark.forwardBackward":
            out["layer " + p["layer"]] = seconds
        elif name == "LayerBenchmark.forwardBackwardInScope":
            out["layer %s (scope)" % p["layer"]] = seconds
        elif name == "TrainStepBenchmark.step":
            out["train " + p["mlp"]] = seconds
        elif name == "CnnTrainStepBenchmark.step":
            out["train cnn"] = seconds
        elif name == "CnnTrainStepBenchmark.stepInScope":
            out["train cnn (scope)"] = seconds
        elif name == "ConvBenchmark.run":
            out["conv %s %s" % (p["shape"], p["pass"])] = seconds
        elif name == "ElementwiseBenchmark.add":
            out["add 16M"] = seconds
        elif name == "ActivationBenchmark.activation" and p.get("op") == "exp":
            out["exp 16M"] = seconds
    return out


def on_huge_pages():
    """Re-runs this script with glibc's malloc on transparent huge pages (GLIBC_TUNABLES
    glibc.malloc.hugetlb=1), where the kernel offers them to programs that ask, unless GLIBC_TUNABLES is
    already set (to anything, "" included): ./jgrad bench puts jgrad's heap on them, so both sides are
    timed on the same pages. JGRAD_HUGE_PAGES=0 leaves both on 4 KiB pages (pass the JVM
    -XX:-UseTransparentHugePages too)."""
    if "GLIBC_TUNABLES" in os.environ or os.environ.get("JGRAD_HUGE_PAGES") == "0":
        return
    try:
        with open("/sys/kernel/mm/transparent_hugepage/enabled") as f:
            mode = f.read()
    except OSError:
        return
    if "[always]" in mode or "[madvise]" in mode:
        env = dict(os.environ, GLIBC_TUNABLES="glibc.malloc.hugetlb=1")
        os.execve(sys.executable, [sys.executable, os.path.abspath(__file__)] + sys.argv[1:], env)


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "--numpy-worker":
        numpy_worker(sys.argv[2])
        return
    on_huge_pages()
    print("references' GLIBC_TUNABLES:", repr(os.environ.get("GLIBC_TUNABLES", "")))
    files = sorted(glob.glob(os.path.join(RESULTS, "jmh-*.json")))
    path = sys.argv[1] if len(sys.argv) > 1 else (files[-1] if files else None)
    jg = jgrad_times(path) if path else {}
    ref = {}
    for threads in ["1", str(os.cpu_count())]:
        env = dict(os.environ, OPENBLAS_NUM_THREADS=threads, OMP_NUM_THREADS=threads)
        try:
            res = subprocess.run([sys.executable, __file__, "--numpy-worker", threads], env=env,
                                 capture_output=True, text=True, check=True)
        except (subprocess.CalledProcessError, FileNotFoundError) as e:
            print("numpy unavailable:", e)
            break
        for key, v in json.loads(res.stdout).items():
            ref[(key + " t" + threads) if key.startswith("matmul") else key] = v
    ref.update(torch_times())
    ref.update(clblast_times())
    print("jgrad results:", path)
    print("%-38s %12s %12s %10s %12s %12s %10s" % ("case", "jgrad best", "ref best", "speed-up",
                                                     "jgrad mean", "ref mean", "speed-up"))
    fmt = lambda s: ("%.1f us" % (s * 1e6)) if s is not None else "-"
    for key in sorted(set(ref) | set(jg)):
        # a step run in a MemoryScope is compared with PyTorch's plain step: PyTorch recycles freed memory itself
        a, b = jg.get(key, (None, None)), ref.get(key, ref.get(key.replace(" (scope)", ""), (None, None)))
        cells = []
        for i in (0, 1):
            cells += [fmt(a[i]), fmt(b[i]), "%.2fx" % (b[i] / a[i]) if a[i] and b[i] else ""]
        print("%-38s %12s %12s %10s %12s %12s %10s" % (key, *cells))
    print("best and mean of 1 s windows on both sides; speed-up > 1 means jgrad is faster (reference:"
          " NumPy/OpenBLAS for matmul/add/exp, PyTorch for train, CLBlast for opencl matmul)")


if __name__ == "__main__":
    main()
