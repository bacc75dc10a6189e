#!/usr/bin/python3
"""Time per epoch of PyTorch 1.13 on Fashion-MNIST for the models of ./jgrad demo fashion-mnist and
issue 13's targets: the MLP 784-256-10 and the demo's CNN (conv16-bn-relu-pool, conv32-bn-relu-pool,
dropout 0.25, linear), batch 64, Adam, cross-entropy, shuffled. Writes
benchmarks/results/train-compare.csv (framework,model,seconds_per_epoch,test_accuracy,epochs,examples),
which ./jgrad demo fashion-mnist prints beside its own time per epoch.

Usage: /usr/bin/python3 benchmarks/compare/train_compare.py [--epochs N] [--limit N]
--limit trains on the first N images per epoch (the time is then that of N images, as the jgrad demo's
--limit); torch uses its default thread count (the machine's cores), as jgrad does.
"""
import argparse
import gzip
import os
import time

import numpy as np
import torch
from torch import nn

HERE = os.path.dirname(os.path.abspath(__file__))
RESULTS = os.path.join(HERE, "..", "results", "train-compare.csv")
DATA = "/usr/share/datasets/fashion-mnist"


def idx(name):
    with gzip.open(os.path.join(DATA, name + ".gz"), "rb") as f:
        raw = f.read()
    dims = raw[3]
    shape = [int.from_bytes(raw[4 + 4 * i:8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def models():
    mlp = nn.Sequential(nn.Flatten(), nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 10))
    cnn = nn.Sequential(nn.Conv2d(1, 16, 3, 1, 1), nn.BatchNorm2d(16), nn.ReLU(), nn.MaxPool2d(2),
                        nn.Conv2d(16, 32, 3, 1, 1), nn.BatchNorm2d(32), nn.ReLU(), nn.MaxPool2d(2),
                        nn.Flatten(), nn.Dropout(0.25), nn.Linear(32 * 7 * 7, 10))
    return {"mlp": (mlp, 1e-3), "cnn": (cnn, 2e-3)}


def run(name, model, lr, x, y, xt, yt, epochs):
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    loss_fn = nn.CrossEntropyLoss()
    times = []
    for _ in range(epochs):
        model.train()
        order = torch.randperm(len(x))
        start = time.perf_counter()
        for i in range(0, len(x), 64):
            idx_ = order[i:i + 64]
            opt.zero_grad()
            loss = loss_fn(model(x[idx_]), y[idx_])
            loss.backward()
            opt.step()
        times.append(time.perf_counter() - start)
    model.eval()
    with torch.no_grad():
        acc = (model(xt).argmax(1) == yt).float().mean().item()
    print(f"torch {name}: {np.mean(times):.2f} s per epoch ({len(x)} images), test accuracy {100 * acc:.2f}%"
          f" after {epochs} epochs", flush=True)
    return np.mean(times), acc


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--epochs", type=int, default=1)
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--models", default="mlp,cnn")
    a = ap.parse_args()
    torch.manual_seed(0)
    x = torch.from_numpy(idx("train-images-idx3-ubyte").astype(np.float32) / 255).reshape(-1, 1, 28, 28)
    y = torch.from_numpy(idx("train-labels-idx1-ubyte").astype(np.int64))
    xt = torch.from_numpy(idx("t10k-images-idx3-ubyte").astype(np.float32) / 255).reshape(-1, 1, 28, 28)
    yt = torch.from_numpy(idx("t10k-labels-idx1-ubyte").astype(np.int64))
    if a.limit:
        x, y = x[:a.limit], y[:a.limit]
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads", flush=True)
    rows = []
    for name, (model, lr) in models().items():
        if name in a.models.split(","):
            seconds, acc = run(name, model, lr, x, y, xt, yt, a.epochs)
            rows.append(f"torch,{name},{seconds:.3f},{acc:.4f},{a.epochs},{len(x)}")
    os.makedirs(os.path.dirname(RESULTS), exist_ok=True)
    with open(RESULTS, "w") as f:
        f.write("framework,model,seconds_per_epoch,test_accuracy,epochs,examples\n" + "\n".join(rows) + "\n")
    print("wrote", os.path.abspath(RESULTS))


if __name__ == "__main__":
    main()
