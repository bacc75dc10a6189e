// Reductions. General case: one work-item per output element walks the reduced sub-space (the
// layouts training produces have many outputs). Full reductions of contiguous data use a
// work-group tree in local memory, then a second pass over the per-group partials.

// Every op of ReduceOp has a case in each switch below: Programs refuses to build the kernels when
// one is missing, so a new op cannot fall through to a silent default.
inline T reduce_identity(int op) {
    switch (op) {
        case R_SUM: return (T) 0;
        case R_MAX: case R_ARGMAX: return (T) -INFINITY;
        case R_MIN: case R_ARGMIN: return (T) INFINITY;
        default: return NAN;
    }
}

// True when v should replace best (first occurrence wins ties; NaN counts as the extreme).
inline bool better(int op, T v, T best) {
    switch (op) {
        case R_MAX: case R_ARGMAX: return v > best || (isnan(v) && !isnan(best));
        case R_MIN: case R_ARGMIN: return v < best || (isnan(v) && !isnan(best));
        case R_SUM: default: return false;
    }
}

__kernel void reduce_general(int op, __global const T* x, int xo, int nOut, int keptRank, int8 keptShape8,
                             int8 keptX8, int8 keptO8, int redCount, int redRank, int8 redShape8, int8 redX8,
                             __global T* o, __global long* oIndex, int oo) {
    int i = get_global_id(0);
    if (i >= nOut) return;
    UNPACK(keptShape8, keptShape); UNPACK(keptX8, keptX); UNPACK(keptO8, keptO);
    UNPACK(redShape8, redShape); UNPACK(redX8, redX);
    int base = offset_of(i, keptRank, keptShape, keptX, xo);
    T acc = reduce_identity(op);
    T comp = (T) 0;
    long pos = 0;
    bool seen = false;
    for (int r = 0; r < redCount; r++) {
        T v = x[offset_of(r, redRank, redShape, redX, base)];
        if (op == R_SUM) {
            T y = v - comp;          // Kahan summation: long float rows do not drift
            T t = acc + y;
            // Once the sum is infinite or NaN the correction term is meaningless ((Inf - Inf) - y
            // is NaN): drop it, so sums follow IEEE (1 + Inf + 2 is Inf, Inf + -Inf is NaN).
            comp = isfinite(t) ? (t - acc) - y : (T) 0;
            acc = t;
        } else if (!seen || better(op, v, acc)) {
            seen = true;
            acc = v;
            pos = r;
        }
    }
    int out = offset_of(i, keptRank, keptShape, keptO, oo);
    if (op == R_ARGMAX || op == R_ARGMIN) {
        oIndex[out] = pos;
    } else {
        o[out] = redCount == 0 && op != R_SUM ? NAN : acc;
    }
}

__kernel void reduce_partial(int op, __global const T* x, int xo, int n, __global T* partial, int po,
                             __local T* scratch) {
    int lid = get_local_id(0);
    int ls = get_local_size(0);
    T acc = reduce_identity(op);
    for (int i = get_global_id(0); i < n; i += get_global_size(0)) {
        T v = x[xo + i];
        acc = op == R_SUM ? acc + v : (better(op, v, acc) ? v : acc);
    }
    scratch[lid] = acc;
    barrier(CLK_LOCAL_MEM_FENCE);
    for (int s = ls / 2; s > 0; s >>= 1) {
        if (lid < s) {
            T v = scratch[lid + s];
            scratch[lid] = op == R_SUM ? scratch[lid] + v : (better(op, v, scratch[lid]) ? v : scratch[lid]);
        }
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    if (lid == 0) {
        partial[po + get_group_id(0)] = scratch[0];
    }
}
