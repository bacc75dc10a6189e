#!/usr/bin/python3
"""Fashion-MNIST time per epoch, jgrad beside PyTorch 1.13 in the same run, for issue 13's targets:
the MLP 784-256-10 and the nn issue's CNN (conv32-relu-pool, conv64-relu-pool, linear 3136-128-relu-10;
./jgrad demo fashion-mnist's default model), batch 64, Adam lr 1e-3 with a per-step cosine decay to 0 over the run (CosineAnnealingLR), cross-entropy,
shuffled.

The two alternate epoch by epoch (torch, jgrad, jgrad, torch, ... so neither always runs first), each
with the same number of threads (--threads, default: the machine's cores; jgrad.threads and
torch.set_num_threads). jgrad's side is dev.jgrad.examples.TrainCompare, a JVM that trains one epoch
per line it reads, built by `mvn -B -o -q package -pl examples -am -DskipTests`. After every epoch both
are tested on the 10,000 test images (not timed).

Writes benchmarks/results/train-compare.csv
(framework,model,seconds_per_epoch,best_seconds,test_accuracy,epochs,examples,threads): the median
epoch time, the best, the test accuracy after the last epoch. ./jgrad demo fashion-mnist prints the
torch row's median beside its own time per epoch.

Usage: /usr/bin/python3 benchmarks/compare/train_compare.py [--epochs N] [--limit N] [--models mlp,cnn]
"""
import argparse
import gzip
import os
import statistics
import subprocess
import sys
import time

import numpy as np
import torch
from torch import nn

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
RESULTS = os.path.join(ROOT, "benchmarks", "results", "train-compare.csv")
DATA = "/usr/share/datasets/fashion-mnist"


def idx(name):
    with gzip.open(os.path.join(DATA, name + ".gz"), "rb") as f:
        raw = f.read()
    dims = raw[3]
    shape = [int.from_bytes(raw[4 + 4 * i:8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def torch_model(name):
    if name == "mlp":
        return nn.Sequential(nn.Flatten(), nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 10))
    return nn.Sequential(nn.Conv2d(1, 32, 3, 1, 1), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Conv2d(32, 64, 3, 1, 1), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Flatten(), nn.Linear(3136, 128), nn.ReLU(), nn.Linear(128, 10))


class Torch:
    def __init__(self, name, x, y, xt, yt, epochs):
        self.model = torch_model(name)
        self.opt = torch.optim.Adam(self.model.parameters(), lr=1e-3)
        steps = epochs * ((len(x) + 63) // 64)
        self.sched = torch.optim.lr_scheduler.CosineAnnealingLR(self.opt, T_max=steps, eta_min=0)
        self.loss = nn.CrossEntropyLoss()
        self.x, self.y, self.xt, self.yt = x, y, xt, yt

    def epoch(self):
        self.model.train()
        order = torch.randperm(len(self.x))
        start = time.perf_counter()
        for i in range(0, len(self.x), 64):
            b = order[i:i + 64]
            self.opt.zero_grad()
            self.loss(self.model(self.x[b]), self.y[b]).backward()
            self.opt.step()
            self.sched.step()
        return time.perf_counter() - start

    def test(self):
        self.model.eval()
        with torch.no_grad():
            return (self.model(self.xt).argmax(1) == self.yt).float().mean().item()


class Jgrad:
    def __init__(self, name, epochs, limit, threads):
        java = os.path.join(os.environ.get("JAVA_HOME", ""), "bin", "java") if os.environ.get("JAVA_HOME") else "java"
        cp = os.path.join(ROOT, "examples/target/classes") + ":" + os.path.join(ROOT, "examples/target/lib/*")
        self.proc = subprocess.Popen(
            [java, "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "-Xmx3g",
             f"-Djgrad.threads={threads}", "-cp", cp, "dev.jgrad.examples.TrainCompare",
             name, str(epochs), str(limit)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, bufsize=1)
        ready = self.proc.stdout.readline().split()
        if not ready or ready[0] != "ready":
            sys.exit(f"TrainCompare did not start (got {ready}); build with mvn -B -o -q package -pl examples -am"
                     " -DskipTests and set JAVA_HOME to a JDK 25")

    def ask(self, cmd):
        self.proc.stdin.write(cmd + "\n")
        self.proc.stdin.flush()
        reply = self.proc.stdout.readline().split()
        if not reply or reply[0] != cmd:
            sys.exit(f"TrainCompare answered {reply} to {cmd}")
        return float(reply[1])

    def epoch(self):
        return self.ask("epoch")

    def test(self):
        return self.ask("test")

    def close(self):
        self.proc.stdin.write("quit\n")
        self.proc.stdin.flush()
        self.proc.wait()


def compare(name, data, a, threads):
    x, y, xt, yt = data
    runners = {"torch": Torch(name, x, y, xt, yt, a.epochs), "jgrad": Jgrad(name, a.epochs, a.limit, threads)}
    times = {"torch": [], "jgrad": []}
    acc = {}
    for e in range(a.epochs):
        order = ["torch", "jgrad"] if e % 2 == 0 else ["jgrad", "torch"]
        for fw in order:
            times[fw].append(runners[fw].epoch())
            acc[fw] = runners[fw].test()
            print(f"{name} epoch {e + 1} {fw}: {times[fw][-1]:.2f} s, test accuracy {100 * acc[fw]:.2f}%"
                  f"  (load {os.getloadavg()[0]:.1f})", flush=True)
    runners["jgrad"].close()
    rows = []
    for fw in ("jgrad", "torch"):
        med = statistics.median(times[fw])
        rows.append(f"{fw},{name},{med:.3f},{min(times[fw]):.3f},{acc[fw]:.4f},{a.epochs},{len(x)},{threads}")
    tm, jm = statistics.median(times["torch"]), statistics.median(times["jgrad"])
    print(f"{name}: median s/epoch jgrad {jm:.2f}, torch {tm:.2f}: jgrad {tm / jm:.2f}x faster;"
          f" best {min(times['jgrad']):.2f} vs {min(times['torch']):.2f};"
          f" accuracy after {a.epochs} epochs jgrad {100 * acc['jgrad']:.2f}%, torch {100 * acc['torch']:.2f}%",
          flush=True)
    return rows


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--epochs", type=int, default=3)
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--models", default="mlp,cnn")
    ap.add_argument("--threads", type=int, default=os.cpu_count())
    a = ap.parse_args()
    torch.manual_seed(0)
    torch.set_num_threads(a.threads)
    x = torch.from_numpy(idx("train-images-idx3-ubyte").astype(np.float32) / 255).reshape(-1, 1, 28, 28)
    y = torch.from_numpy(idx("train-labels-idx1-ubyte").astype(np.int64))
    xt = torch.from_numpy(idx("t10k-images-idx3-ubyte").astype(np.float32) / 255).reshape(-1, 1, 28, 28)
    yt = torch.from_numpy(idx("t10k-labels-idx1-ubyte").astype(np.int64))
    if a.limit:
        x, y = x[:a.limit], y[:a.limit]
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads; jgrad.threads={a.threads};"
          f" {len(x)} training images, {a.epochs} epochs each, alternating", flush=True)
    rows = []
    for name in a.models.split(","):
        rows += compare(name, (x, y, xt, yt), a, a.threads)
    os.makedirs(os.path.dirname(RESULTS), exist_ok=True)
    with open(RESULTS, "w") as f:
        f.write("framework,model,seconds_per_epoch,best_seconds,test_accuracy,epochs,examples,threads\n"
                + "\n".join(rows) + "\n")
    print("wrote", RESULTS)


if __name__ == "__main__":
    main()
