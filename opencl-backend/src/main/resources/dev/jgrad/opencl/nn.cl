// Indexing and the fused training kernels.

// Indices are validated by a device-side check reported at the next read; until then an index out
// of range reads nothing (NaN) and scatters nothing, so no kernel touches memory outside its view.
__kernel void gather_k(__global const T* x, int xo, int8 sx8, int dim, int dimSize, __global const long* idx, int io,
                       int8 si8, __global T* o, int oo, int8 so8, int rank, int8 shape8, int n) {
    int i = get_global_id(0);
    if (i >= n) return;
    UNPACK(shape8, shape); UNPACK(sx8, sx); UNPACK(si8, si); UNPACK(so8, so);
    long j = idx[offset_of(i, rank, shape, si, io)];
    int dimStride = sx[dim];
    sx[dim] = 0;
    T v = NAN;
    if (j >= 0 && j < dimSize) v = x[offset_of(i, rank, shape, sx, xo) + (int) j * dimStride];
    o[offset_of(i, rank, shape, so, oo)] = v;
}

// gather_k on I64 data (batches of labels, token ids): the same walk, with exact long copies.
__kernel void gather_long_k(__global const long* x, int xo, int8 sx8, int dim, int dimSize, __global const long* idx,
                            int io, int8 si8, __global long* o, int oo, int8 so8, int rank, int8 shape8, int n) {
    int i = get_global_id(0);
    if (i >= n) return;
    UNPACK(shape8, shape); UNPACK(sx8, sx); UNPACK(si8, si); UNPACK(so8, so);
    long j = idx[offset_of(i, rank, shape, si, io)];
    int dimStride = sx[dim];
    sx[dim] = 0;
    long v = 0;
    if (j >= 0 && j < dimSize) v = x[offset_of(i, rank, shape, sx, xo) + (int) j * dimStride];
    o[offset_of(i, rank, shape, so, oo)] = v;
}

// out[.., idx[.., j, ..], ..] += src[.., j, ..]: one work-item per position with j = 0, looping over
// j serially, so duplicate indices accumulate without atomics.
__kernel void scatter_add_k(__global const T* src, int so, int8 ss8, int dim, int dimSize, __global const long* idx,
                            int io, int8 si8, __global T* o, int oo, int8 sout8, int rank, int8 shape8, int n) {
    int i = get_global_id(0);
    if (i >= n) return;
    UNPACK(shape8, shape); UNPACK(ss8, ss); UNPACK(si8, si); UNPACK(sout8, sout);
    int len = shape[dim];
    shape[dim] = 1;
    int sStep = ss[dim], iStep = si[dim], oStep = sout[dim];
    sout[dim] = 0;
    int sBase = offset_of(i, rank, shape, ss, so);
    int iBase = offset_of(i, rank, shape, si, io);
    int oBase = offset_of(i, rank, shape, sout, oo);
    for (int j = 0; j < len; j++) {
        long t = idx[iBase + j * iStep];
        if (t >= 0 && t < dimSize) o[oBase + (int) t * oStep] += src[sBase + j * sStep];
    }
}

// Row softmax (or log-softmax) of contiguous rows, max subtracted first.
__kernel void softmax_rows(__global const T* x, int xo, __global T* o, int oo, int rows, int n, int logMode) {
    int r = get_global_id(0);
    if (r >= rows) return;
    __global const T* in = x + xo + r * n;
    __global T* out = o + oo + r * n;
    T m = -INFINITY;
    for (int j = 0; j < n; j++) {
        m = isnan(in[j]) || isnan(m) ? in[j] + m : fmax(m, in[j]);
    }
    T s = 0;
    for (int j = 0; j < n; j++) {
        T e = exp(in[j] - m);
        if (!logMode) out[j] = e;
        s += e;
    }
    if (logMode) {
        T lse = log(s);
        for (int j = 0; j < n; j++) out[j] = (in[j] - m) - lse;
    } else {
        for (int j = 0; j < n; j++) out[j] = out[j] / s;
    }
}

// The incoming gradient g[go] is read here, on the device, so a backward never waits for it.
__kernel void xent_backward(__global const T* lp, int lo, __global const long* labels, int labelOff, int labelStride,
                            __global const T* g, int go, T factor, __global T* o, int oo, int rows, int n) {
    int r = get_global_id(0);
    if (r >= rows) return;
    T scale = g[go] * factor;
    for (int j = 0; j < n; j++) {
        o[oo + r * n + j] = exp(lp[lo + r * n + j]) * scale;
    }
    long label = labels[labelOff + r * labelStride];
    if (label >= 0 && label < n) o[oo + r * n + (int) label] -= scale;
}

// Device-side assertions (DeviceChecks): the first row-major position whose value lies outside
// [lo, hi] (NaN included) is kept with atomic_min; a single work-item then stores that element
// beside it, so the host learns both from one non-blocking read.
__kernel void check_range(__global const T* x, int xo, int n, int rank, int8 shape8, int8 sx8, T lo, T hi,
                          __global int* bad, int bo) {
    int i = get_global_id(0);
    if (i >= n) return;
    UNPACK(shape8, shape); UNPACK(sx8, sx);
    T v = x[offset_of(i, rank, shape, sx, xo)];
    if (!(v >= lo && v <= hi)) atomic_min(bad + bo, i);
}

__kernel void check_range_long(__global const long* x, int xo, int n, int rank, int8 shape8, int8 sx8, long lo,
                               long hi, __global int* bad, int bo) {
    int i = get_global_id(0);
    if (i >= n) return;
    UNPACK(shape8, shape); UNPACK(sx8, sx);
    long v = x[offset_of(i, rank, shape, sx, xo)];
    if (v < lo || v > hi) atomic_min(bad + bo, i);
}

__kernel void check_value(__global const T* x, int xo, int n, int rank, int8 shape8, int8 sx8, __global const int* bad,
                          int bo, __global T* value, int vo) {
    if (get_global_id(0) != 0) return;
    int p = bad[bo];
    UNPACK(shape8, shape); UNPACK(sx8, sx);
    if (p < n) value[vo] = x[offset_of(p, rank, shape, sx, xo)];
}

__kernel void check_value_long(__global const long* x, int xo, int n, int rank, int8 shape8, int8 sx8,
                               __global const int* bad, int bo, __global long* value, int vo) {
    if (get_global_id(0) != 0) return;
    int p = bad[bo];
    UNPACK(shape8, shape); UNPACK(sx8, sx);
    if (p < n) value[vo] = x[offset_of(p, rank, shape, sx, xo)];
}

// Batch-norm statistics of a contiguous x [N, C, S]: one work-item per channel; each row of S is
// centred on its own mean and the rows are combined pairwise (Chan's update), as the cpu kernel does,
// so a large mean does not cancel the variance.
__kernel void channel_moments(__global const T* x, int xo, int n, int c, int s, __global T* mean, int mo, int ms,
                              __global T* var, int vo, int vs) {
    int ch = get_global_id(0);
    if (ch >= c) return;
    T m = 0, m2 = 0;
    long count = 0;
    for (int i = 0; i < n; i++) {
        __global const T* row = x + xo + (i * c + ch) * s;
        T sum = 0, rm2 = 0;
        for (int j = 0; j < s; j++) sum += row[j];
        T rm = sum / s;
        for (int j = 0; j < s; j++) {
            T d = row[j] - rm;
            rm2 += d * d;
        }
        long total = count + s;
        T delta = rm - m;
        m += delta * s / total;
        m2 += rm2 + delta * delta * ((T) count * s / total);
        count = total;
    }
    mean[mo + ch * ms] = m;
    var[vo + ch * vs] = m2 / count;
}

// out = a * sa[c] + x * sx[c] + shift[c] over contiguous [N, C, S] (hasX = 0: no middle term).
__kernel void channel_affine(__global const T* a, int ao, __global const T* sa, int sao, int sas,
                             __global const T* x, int xo, __global const T* sx, int sxo, int sxs, int hasX,
                             __global const T* shift, int sho, int shs, __global T* o, int oo, int c, int s,
                             int total) {
    int i = get_global_id(0);
    if (i >= total) return;
    int ch = (i / s) % c;
    T v = a[ao + i] * sa[sao + ch * sas] + shift[sho + ch * shs];
    if (hasX) v += x[xo + i] * sx[sxo + ch * sxs];
    o[oo + i] = v;
}

// sums[c] = sum of g, dots[c] = sum of g * (x - center[c]) over channel c of contiguous [N, C, S].
__kernel void channel_sums(__global const T* g, int go, __global const T* x, int xo, __global const T* center, int co,
                           int cs, __global T* sums, int so, int ss, __global T* dots, int d0, int ds, int n, int c,
                           int s) {
    int ch = get_global_id(0);
    if (ch >= c) return;
    T mu = center[co + ch * cs], a = 0, d = 0;
    for (int i = 0; i < n; i++) {
        int off = (i * c + ch) * s;
        for (int j = 0; j < s; j++) {
            T gv = g[go + off + j];
            a += gv;
            d += gv * (x[xo + off + j] - mu);
        }
    }
    sums[so + ch * ss] = a;
    dots[d0 + ch * ds] = d;
}
