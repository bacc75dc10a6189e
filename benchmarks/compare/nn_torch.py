#!/usr/bin/python3
"""PyTorch 1.13 timings of single cases of jgrad's nn benchmarks, for same-run pairing (nn-same-run.sh):
LayerBenchmark's layers (batchNorm2d, layerNorm, lstm, gru: forward + backward into the input and every
parameter), CnnTrainStepBenchmark's step (cnn) and ConvBenchmark's passes (conv, with GFLOP/s).
Prints "torch <case> <milliseconds> ms" per case.

Usage: /usr/bin/python3 benchmarks/compare/nn_torch.py batchNorm2d layerNorm lstm cnn conv
(torch's default thread count; the timing loop is compare.py's best_time, of which the mean of the 1 s
windows is printed, as JMH's avgt score on jgrad's side)

The case "steady" times LayerBenchmark's four layers one after another in this one process, on 1 and
then 2 threads (compare.torch_layer_times, batchNorm2d first): PyTorch's steady state, in which glibc
reuses freed blocks instead of mapping fresh memory for every large tensor as a fresh process does.
Prints "torch steady t<threads> <layer> <milliseconds> ms".
"""
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from compare import best_time, torch_cnn_times, torch_layer_step, torch_layer_times  # noqa: E402  (one timing loop, one definition each)

LAYERS = {"batchNorm2d": (lambda: torch.nn.BatchNorm2d(64), (64, 64, 28, 28)),
          "layerNorm": (lambda: torch.nn.LayerNorm(1024), (256, 1024)),
          "lstm": (lambda: torch.nn.LSTM(64, 128), (50, 32, 64)),
          "gru": (lambda: torch.nn.GRU(64, 128), (50, 32, 64))}


def conv_flops(shape):
    """Multiply-adds times two of one stride-1 pass, as ConvBenchmark.flops."""
    n, c, h, w, o, k, pad = [int(v) for v in shape.replace(":", "-").split("-")]
    return 2.0 * n * o * (h + 2 * pad - k + 1) * (w + 2 * pad - k + 1) * c * k * k


def layer_time(name):
    make, shape = LAYERS[name]
    return best_time(torch_layer_step(torch, make(), shape), windows=2)[1]


if __name__ == "__main__":
    for case in sys.argv[1:]:
        if case == "steady":
            for threads in (1, 2):
                torch.set_num_threads(threads)
                for key, sec in torch_layer_times(torch).items():
                    print("torch steady t%d %s %.3f ms" % (threads, key.split(" ")[1], sec[1] * 1e3), flush=True)
            continue
        if case == "cnn":
            seconds = torch_cnn_times(torch, convs=False)["train cnn"][1]
        elif case == "conv":
            for key, sec in torch_cnn_times(torch).items():
                if key.startswith("conv "):
                    _, shape, pass_ = key.split(" ")
                    print("torch conv %s %s %.3f ms %.1f GFLOP/s" % (shape, pass_, sec[1] * 1e3, conv_flops(shape) / sec[1] / 1e9))
            continue
        else:
            seconds = layer_time(case)
        print("torch %s %.3f ms" % (case, seconds * 1e3), flush=True)
