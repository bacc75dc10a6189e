// Layer normalisation over the rows of a contiguous x [R, S] (Backend.layerNorm, layerNormBackward):
// one work-group per row, its items striding along the row, the row sums reduced in local memory.

// The sum of every item's v over the work-group (a power-of-two size), returned to all items.
T group_sum(T v, __local T* red) {
    int l = get_local_id(0);
    barrier(CLK_LOCAL_MEM_FENCE);   // red may still be read from the previous call
    red[l] = v;
    barrier(CLK_LOCAL_MEM_FENCE);
    for (int h = get_local_size(0) / 2; h > 0; h >>= 1) {
        if (l < h) red[l] += red[l + h];
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    return red[0];
}

// mean[r], rstd[r] = 1 / sqrt(var + eps) (biased; centred on the row mean, so a large mean does not
// cancel the variance) and o[r, j] = (x - mean) * rstd * w[j] + b[j] (hasW / hasB 0: no w / b).
__kernel void layer_norm(__global const T* x, int xo, __global const T* w, int wo, int ws, int hasW,
                         __global const T* b, int bo, int bs, int hasB, T eps, __global T* o, int oo,
                         __global T* mean, int mo, __global T* rstd, int ro, int s, __local T* red) {
    int r = get_group_id(0), l = get_local_id(0), n = get_local_size(0);
    long base = (long) r * s;
    __global const T* row = x + xo + base;
    T acc = 0;
    for (int j = l; j < s; j += n) acc += row[j];
    T mu = group_sum(acc, red) / s;
    acc = 0;
    for (int j = l; j < s; j += n) {
        T d = row[j] - mu;
        acc += d * d;
    }
    T rs = 1 / sqrt(group_sum(acc, red) / s + eps);
    if (l == 0) {
        mean[mo + r] = mu;
        rstd[ro + r] = rs;
    }
    for (int j = l; j < s; j += n) {
        T v = (row[j] - mu) * rs;
        if (hasW) v *= w[wo + j * ws];
        if (hasB) v += b[bo + j * bs];
        o[oo + base + j] = v;
    }
}

// dx[r, j] = rstd * (gw - mean_j(gw) - xhat * mean_j(gw * xhat)), gw = g * w, xhat = (x - mean) * rstd,
// regrouped as gw * rstd + x * k2 + k3; g is read at g[go + r*grs + j*gcs] (any strides).
__kernel void layer_norm_dx(__global const T* g, int go, int grs, int gcs, __global const T* x, int xo,
                            __global const T* mean, int mo, __global const T* rstd, int ro, __global const T* w,
                            int wo, int ws, int hasW, __global T* dx, int dxo, int s, __local T* red) {
    int r = get_group_id(0), l = get_local_id(0), n = get_local_size(0);
    long base = (long) r * s;
    __global const T* row = x + xo + base;
    T mu = mean[mo + r], rs = rstd[ro + r], sa = 0, sd = 0;
    for (int j = l; j < s; j += n) {
        T gw = g[go + (long) r * grs + (long) j * gcs] * (hasW ? w[wo + j * ws] : (T) 1);
        sa += gw;
        sd += gw * (row[j] - mu);
    }
    sa = group_sum(sa, red);
    sd = group_sum(sd, red);
    T k2 = -rs * rs * rs * sd / s;
    T k3 = -rs * sa / s - k2 * mu;
    for (int j = l; j < s; j += n) {
        T gw = g[go + (long) r * grs + (long) j * gcs] * (hasW ? w[wo + j * ws] : (T) 1);
        dx[dxo + base + j] = gw * rs + row[j] * k2 + k3;
    }
}

// The parameter gradients, one work-item per column: dw[j] = sum_r g * xhat, db[j] = sum_r g
// (hasDw / hasDb 0: not wanted; dw and db contiguous).
__kernel void layer_norm_params(__global const T* g, int go, int grs, int gcs, __global const T* x, int xo,
                                __global const T* mean, int mo, __global const T* rstd, int ro, __global T* dw,
                                int dwo, int hasDw, __global T* db, int dbo, int hasDb, int rows, int s) {
    int j = get_global_id(0);
    if (j >= s) return;
    T aw = 0, ab = 0;
    for (int r = 0; r < rows; r++) {
        T gv = g[go + (long) r * grs + (long) j * gcs];
        aw += gv * (x[xo + (long) r * s + j] - mean[mo + r]) * rstd[ro + r];
        ab += gv;
    }
    if (hasDw) dw[dwo + j] = aw;
    if (hasDb) db[dbo + j] = ab;
}
