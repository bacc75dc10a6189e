#!/usr/bin/env python3
"""Refits the F32 coefficients of Erfc.java (numpy + mpmath): prints K0..K7, Q0..Q4, S0..S4.

Each fit is near-minimax in relative error (Lawson's iteratively reweighted least squares on
Chebyshev nodes); coefficients are rounded to F32 one at a time, lowest first, the rest refitted
after each rounding, so the rounding of one is absorbed by the others.
"""
import mpmath as mp
import numpy as np

mp.mp.dps = 30


def fit(xs, target, basis, degree, weight):
    """Coefficients c_k (F32) of sum c_k basis(x)^k ~ target, minimizing max |error| * weight."""
    v = np.vander(basis, degree + 1, increasing=True)
    fixed = []
    for k in range(degree + 1):
        rest = target - (v[:, :k] @ np.array(fixed) if k else 0)
        w = np.ones_like(xs)
        for _ in range(60):
            sw = np.sqrt(w) * weight
            c, *_ = np.linalg.lstsq(v[:, k:] * sw[:, None], rest * sw, rcond=None)
            err = np.abs(v[:, k:] @ c - rest) * weight
            w = w * (err + 1e-20)
            w /= w.sum()
        fixed.append(float(np.float32(c[0])))
    c = np.array(fixed)
    return c, np.max(np.abs(v @ c - target) * weight)


def nodes(lo, hi, n=3000):
    return lo + (hi - lo) * (1 - np.cos(np.linspace(0, np.pi, n))) / 2


def show(name, c, err):
    print(f"{name}: max relative error {err:.2e}")
    print("   ", ", ".join(f"{name[0]}{i} = {str(np.float32(x))}f" for i, x in enumerate(c)))


# erfc(z) = t exp(-z^2) H(w), t = 1/(1 + z/2), w = 1 - t, on 0 <= z <= 10.3: H = 1 + w K(w).
ws = nodes(0, 1 - 1 / (1 + 10.3 / 2))
hs = np.array([float(mp.erfc(2 * w / (1 - w)) * mp.exp((2 * w / (1 - w)) ** 2) / (1 - w)) for w in ws])
c, err = fit(ws, (hs - 1) / np.where(ws > 0, ws, 1), ws, 7, ws / hs)
show("K (H = 1 + w K(w))", c, err)
# exp(r) = 1 + r + r^2 Q(r) on |r| <= ln2/2 (with a little margin).
rs = nodes(-0.3468, 0.3468)
qs = np.array([float((mp.exp(r) - 1 - r) / r ** 2) if r != 0 else 0.5 for r in rs])
show("Q (exp(r) = 1 + r + r^2 Q(r))", *fit(rs, qs, rs, 4, rs ** 2 / np.exp(rs)))
# erf(x) = x S(x^2) on |x| < 0.75.
xs = nodes(1e-9, 0.75)
es = np.array([float(mp.erf(x) / x) for x in xs])
show("S (erf(x) = x S(x^2))", *fit(xs, es, xs ** 2, 4, 1 / es))
