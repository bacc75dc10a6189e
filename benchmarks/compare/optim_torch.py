#!/usr/bin/python3
"""PyTorch 1.13 timings of the shapes in jgrad's OptimizerBenchmark and TrainStepBenchmark (optimizer = adam):
an Adam step on 1 x 10M, 200 x 1,000 and 1 x 200,000 F32 parameters with gradients present, and one
784-512-512-10 batch-128 training step (forward, cross-entropy, backward, Adam). Prints milliseconds.

Usage: /usr/bin/python3 benchmarks/compare/optim_torch.py  (torch's default thread count; foreach as torch
chooses by default, i.e. the single-tensor loop on the CPU in 1.13; each figure the mean of compare.py's 1 s
windows, as JMH's avgt score)
"""
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from compare import best_time  # noqa: E402  (one timing loop for every comparison script)


def adam_step(count, n, foreach=None):
    params = [torch.randn(n) * 0.1 for _ in range(count)]
    for p in params:
        p.requires_grad_(True)
        p.grad = torch.randn(n)
    opt = torch.optim.Adam(params, lr=1e-3, foreach=foreach)
    return best_time(opt.step)[1]


def mlp_step():
    torch.manual_seed(1)
    widths, batch = [784, 512, 512, 10], 128
    layers = []
    for i in range(len(widths) - 1):
        layers.append(torch.nn.Linear(widths[i], widths[i + 1]))
        if i + 2 < len(widths):
            layers.append(torch.nn.ReLU())
    model = torch.nn.Sequential(*layers)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    x = torch.randn(batch, widths[0])
    y = torch.randint(0, widths[-1], (batch,))

    def step():
        loss = torch.nn.functional.cross_entropy(model(x), y)
        loss.backward()
        opt.step()
        opt.zero_grad(set_to_none=True)
    for _ in range(20):
        step()
    return best_time(step, windows=2)[1]


if __name__ == "__main__":
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads")
    for count, n in [(1, 10_000_000), (200, 1000), (1, 200_000)]:
        print(f"adam step {count}x{n}: {1e3 * adam_step(count, n):.3f} ms"
              f" (foreach=True: {1e3 * adam_step(count, n, foreach=True):.3f} ms)")
    print(f"mlp 784-512-512-10:128 adam train step: {1e3 * mlp_step():.3f} ms")
