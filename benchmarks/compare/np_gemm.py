"""NumPy's twin of GemmTiming.java: np_gemm.py MxKxN SECONDS [wt|ta]; set OPENBLAS_NUM_THREADS and
OPENBLAS_CORETYPE (Haswell, SkylakeX, ...) in the environment to pick threads and kernels. Prints the
best wall and CPU times, then the mean, median and 90th percentile of the wall times."""
import os
import sys
import time

import numpy as np

m, k, n = map(int, sys.argv[1].split('x'))
secs = float(sys.argv[2])
wt = len(sys.argv) > 3 and sys.argv[3] == 'wt'
ta = len(sys.argv) > 3 and sys.argv[3] == 'ta'
a = np.random.rand(k, m).astype(np.float32).T if ta else np.random.rand(m, k).astype(np.float32)
b = np.random.rand(n, k).astype(np.float32).T if wt else np.random.rand(k, n).astype(np.float32)
a @ b
best_wall = best_cpu = 1e9
walls = []
end = time.perf_counter() + secs
it = 0
while time.perf_counter() < end or it < 5:
    t0, c0 = time.perf_counter(), time.thread_time()
    a @ b
    c1, t1 = time.thread_time(), time.perf_counter()
    it += 1
    walls.append(t1 - t0)
    best_wall, best_cpu = min(best_wall, t1 - t0), min(best_cpu, c1 - c0)
f = 2.0 * m * n * k


def quantile(q):
    """The q-quantile of the wall times in ms, as GemmTiming.java takes it."""
    t = sorted(walls)
    return t[min(len(t) - 1, round(q * (len(t) - 1)))] * 1e3


print(f"numpy {sys.argv[1]} {'wt' if wt else 'ta' if ta else ''} threads={os.environ.get('OPENBLAS_NUM_THREADS')} "
      f"wall {best_wall * 1e3:.3f} ms ({f / best_wall / 1e9:.1f} GF/s) cpu {best_cpu * 1e3:.3f} ms "
      f"({f / best_cpu / 1e9:.1f} GF/s) {it} it, mean wall {sum(walls) / len(walls) * 1e3:.3f} ms, "
      f"median {quantile(0.5):.3f}, p90 {quantile(0.9):.3f}")
