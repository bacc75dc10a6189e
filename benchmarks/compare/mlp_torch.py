#!/usr/bin/python3
"""TrainStepBenchmark's MLP step in PyTorch at a chosen thread count, for a same-run comparison with
`TrainStepBenchmark -p mlp=SPEC -p device=cpu` (jgrad uses both cores by default).

Usage: /usr/bin/python3 benchmarks/compare/mlp_torch.py [threads] [spec] [seconds] [windows]
(default 2, 1024-2048-2048-1024:256, 3 s in 5 windows). Prints the best and the median window's mean
step, and the median of single steps.
Install libopenblas0-pthread first, or Debian's torch runs its Linear layers on the reference BLAS.
torch.set_num_threads sets ATen's threads only: OpenBLAS runs its products on OPENBLAS_NUM_THREADS
(default: all cores). OPENBLAS_CORETYPE=Haswell ATEN_CPU_CAPABILITY=avx2 restrict both to AVX2.
"""
import os
import statistics
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from compare import torch_mlp_step, window_times  # noqa: E402  (one timing loop, one step definition)

threads = int(sys.argv[1]) if len(sys.argv) > 1 else 2
spec = sys.argv[2] if len(sys.argv) > 2 else "1024-2048-2048-1024:256"
seconds = float(sys.argv[3]) if len(sys.argv) > 3 else 3.0
windows = int(sys.argv[4]) if len(sys.argv) > 4 else 5
torch.set_num_threads(threads)
torch.manual_seed(0)
calls = []
ms = [t * 1000 for t in window_times(torch_mlp_step(torch, spec), seconds, windows, calls)]
print(f"torch {torch.__version__}, {torch.get_num_threads()} threads: train {spec} {min(ms):.3f} ms"
      f" (median window {statistics.median(ms):.3f} ms; median step {statistics.median(calls) * 1000:.3f} ms)")
