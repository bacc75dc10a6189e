#!/usr/bin/python3
"""TrainStepBenchmark's MLP step in PyTorch at a chosen thread count, for a same-run comparison with
`TrainStepBenchmark -p mlp=SPEC -p device=cpu` (jgrad uses both cores by default).

Usage: /usr/bin/python3 benchmarks/compare/mlp_torch.py [threads] [spec]   (default 2, 1024-2048-2048-1024:256)
Install libopenblas0-pthread first, or Debian's torch runs its Linear layers on the reference BLAS.
"""
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from compare import best_time, torch_mlp_step  # noqa: E402  (one timing loop, one step definition)

threads = int(sys.argv[1]) if len(sys.argv) > 1 else 2
spec = sys.argv[2] if len(sys.argv) > 2 else "1024-2048-2048-1024:256"
torch.set_num_threads(threads)
torch.manual_seed(0)
ms = best_time(torch_mlp_step(torch, spec), min_seconds=3.0) * 1000
print(f"torch {torch.__version__}, {torch.get_num_threads()} threads: train {spec} {ms:.3f} ms")
