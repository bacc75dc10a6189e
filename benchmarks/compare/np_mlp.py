"""TrainStepBenchmark's MLP step (F32 linear layers with bias + ReLU, cross-entropy on the last,
backward into every parameter but not the input, SGD lr 0.01) in NumPy, for a same-machine
comparison with OpenBLAS where the installed PyTorch links another BLAS:
np_mlp.py WIDTHS BATCH SECONDS, e.g. np_mlp.py 1024-2048-2048-1024 256 10; set
OPENBLAS_NUM_THREADS and OPENBLAS_CORETYPE (Haswell, SkylakeX) as for np_gemm.py."""
import os
import sys
import time

import numpy as np

w = [int(v) for v in sys.argv[1].split("-")]
batch, secs = int(sys.argv[2]), float(sys.argv[3])
rng = np.random.default_rng(0)
ws = [(rng.standard_normal((w[i + 1], w[i])) / np.sqrt(w[i])).astype(np.float32) for i in range(len(w) - 1)]
bs = [np.zeros(w[i + 1], np.float32) for i in range(len(w) - 1)]
x = rng.standard_normal((batch, w[0])).astype(np.float32)
labels = rng.integers(0, w[-1], batch)


def step():
    hs = [x]
    for i, (wt, b) in enumerate(zip(ws, bs)):
        h = hs[-1] @ wt.T + b
        hs.append(np.maximum(h, 0, out=h) if i + 1 < len(ws) else h)
    z = hs[-1] - hs[-1].max(axis=1, keepdims=True)
    e = np.exp(z)
    p = e / e.sum(axis=1, keepdims=True)
    loss = -np.log(p[np.arange(batch), labels]).mean()
    g = p
    g[np.arange(batch), labels] -= 1
    g /= batch
    for i in range(len(ws) - 1, -1, -1):
        dw, db = g.T @ hs[i], g.sum(axis=0)
        if i > 0:
            g = g @ ws[i]
            g *= hs[i] > 0
        ws[i] -= 0.01 * dw
        bs[i] -= 0.01 * db
    return loss


step()
best = 1e9
end = time.perf_counter() + secs
it = 0
while time.perf_counter() < end or it < 3:
    t0 = time.perf_counter()
    step()
    best = min(best, time.perf_counter() - t0)
    it += 1
print(f"numpy mlp {sys.argv[1]}:{batch} threads={os.environ.get('OPENBLAS_NUM_THREADS')} "
      f"best {best * 1e3:.2f} ms {it} it")
