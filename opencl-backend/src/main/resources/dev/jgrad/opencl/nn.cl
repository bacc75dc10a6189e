// Indexing and the fused training kernels.

__kernel void gather_k(__global const T* x, int xo, int8 sx8, int dim, __global const long* idx, int io, int8 si8,
                       __global T* o, int oo, int8 so8, int rank, int8 shape8, int n) {
    int i = get_global_id(0);
    if (i >= n) return;
    UNPACK(shape8, shape); UNPACK(sx8, sx); UNPACK(si8, si); UNPACK(so8, so);
    long j = idx[offset_of(i, rank, shape, si, io)];
    int dimStride = sx[dim];
    sx[dim] = 0;
    o[offset_of(i, rank, shape, so, oo)] = x[offset_of(i, rank, shape, sx, xo) + (int) j * dimStride];
}

// gather_k on I64 data (batches of labels, token ids): the same walk, with exact long copies.
__kernel void gather_long_k(__global const long* x, int xo, int8 sx8, int dim, __global const long* idx, int io,
                            int8 si8, __global long* o, int oo, int8 so8, int rank, int8 shape8, int n) {
    int i = get_global_id(0);
    if (i >= n) return;
    UNPACK(shape8, shape); UNPACK(sx8, sx); UNPACK(si8, si); UNPACK(so8, so);
    long j = idx[offset_of(i, rank, shape, si, io)];
    int dimStride = sx[dim];
    sx[dim] = 0;
    o[offset_of(i, rank, shape, so, oo)] = x[offset_of(i, rank, shape, sx, xo) + (int) j * dimStride];
}

// out[.., idx[.., j, ..], ..] += src[.., j, ..]: one work-item per position with j = 0, looping over
// j serially, so duplicate indices accumulate without atomics.
__kernel void scatter_add_k(__global const T* src, int so, int8 ss8, int dim, __global const long* idx, int io,
                            int8 si8, __global T* o, int oo, int8 sout8, int rank, int8 shape8, int n) {
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
        o[oBase + (int) t * oStep] += src[sBase + j * sStep];
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

__kernel void xent_backward(__global const T* lp, int lo, __global const long* labels, int labelOff, int labelStride,
                            T scale, __global T* o, int oo, int rows, int n) {
    int r = get_global_id(0);
    if (r >= rows) return;
    for (int j = 0; j < n; j++) {
        o[oo + r * n + j] = exp(lp[lo + r * n + j]) * scale;
    }
    o[oo + r * n + (int) labels[labelOff + r * labelStride]] -= scale;
}
