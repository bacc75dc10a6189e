// Sliding windows for convolution and pooling: unfold (im2col) and its adjoint fold (col2im).
// A window geometry arrives as int8 (kH, kW, sH, sW, padH, padW, dH, dW), as dev.jgrad.backend.Window.

// One work-item per column entry (n, c, i, j, p, q) of out [N, C, kH, kW, oH, oW] (any strides).
__kernel void unfold_k(__global const T* x, int xo, int8 xs8, int h, int w, __global T* o, int oo, int8 os8,
                       int8 shape8, int8 win8, int total) {
    int g = get_global_id(0);
    if (g >= total) return;
    UNPACK(shape8, s); UNPACK(os8, os); UNPACK(xs8, xs); UNPACK(win8, win);
    int idx[6];
    int r = g;
    for (int d = 5; d >= 0; d--) {
        idx[d] = r % s[d];
        r /= s[d];
    }
    int row = idx[4] * win[2] - win[4] + idx[2] * win[6];
    int col = idx[5] * win[3] - win[5] + idx[3] * win[7];
    int at = oo;
    for (int d = 0; d < 6; d++) at += idx[d] * os[d];
    bool inside = row >= 0 && row < h && col >= 0 && col < w;
    o[at] = inside ? x[xo + idx[0] * xs[0] + idx[1] * xs[1] + row * xs[2] + col * xs[3]] : 0;
}

// One work-item per output element (n, c, y, x): gathers every window entry that reads it, so no
// two work-items write the same place and no atomics are needed.
__kernel void fold_k(__global const T* cols, int co, int8 cs8, int8 shape8, int8 win8, __global T* o, int oo,
                     int8 ostride8, int c, int h, int w, int total) {
    int g = get_global_id(0);
    if (g >= total) return;
    UNPACK(shape8, s); UNPACK(cs8, cs); UNPACK(win8, win); UNPACK(ostride8, ost);
    int xw = g % w, t = g / w;
    int yh = t % h;
    t /= h;
    int ch = t % c, n = t / c;
    T sum = 0;
    for (int i = 0; i < s[2]; i++) {
        int r = yh + win[4] - i * win[6];
        if (r < 0 || r % win[2] != 0 || r / win[2] >= s[4]) continue;
        int p = r / win[2];
        for (int j = 0; j < s[3]; j++) {
            int q = xw + win[5] - j * win[7];
            if (q < 0 || q % win[3] != 0 || q / win[3] >= s[5]) continue;
            sum += cols[co + n * cs[0] + ch * cs[1] + i * cs[2] + j * cs[3] + p * cs[4] + (q / win[3]) * cs[5]];
        }
    }
    o[oo + n * ost[0] + ch * ost[1] + yh * ost[2] + xw * ost[3]] = sum;
}

// Max (maxMode = 1; argmax receives h*W + w of the first maximum, a NaN wins) or average pooling
// (sum over kH*kW, padding counted as zeros); one work-item per output cell of out [N, C, oH, oW].
__kernel void pool2d_k(int maxMode, __global const T* x, int xo, int8 xs8, int h, int w, __global T* o, int oo,
                       int8 os8, __global long* am, int ao, int8 as8, int8 shape8, int8 win8, int total) {
    int g = get_global_id(0);
    if (g >= total) return;
    UNPACK(shape8, s); UNPACK(os8, os); UNPACK(xs8, xs); UNPACK(win8, win); UNPACK(as8, as);
    int q = g % s[3], t = g / s[3];
    int p = t % s[2];
    t /= s[2];
    int ch = t % s[1], n = t / s[1];
    T best = maxMode ? -INFINITY : 0;
    int where = -1;
    for (int i = 0; i < win[0]; i++) {
        int row = p * win[2] - win[4] + i * win[6];
        if (row < 0 || row >= h) continue;
        for (int j = 0; j < win[1]; j++) {
            int col = q * win[3] - win[5] + j * win[7];
            if (col < 0 || col >= w) continue;
            T v = x[xo + n * xs[0] + ch * xs[1] + row * xs[2] + col * xs[3]];
            if (!maxMode) {
                best += v;
            } else if (where < 0 || v > best || (isnan(v) && !isnan(best))) {
                best = v;
                where = row * w + col;
            }
        }
    }
    o[oo + n * os[0] + ch * os[1] + p * os[2] + q * os[3]] = maxMode ? best : best / (T) (win[0] * win[1]);
    if (maxMode) am[ao + n * as[0] + ch * as[1] + p * as[2] + q * as[3]] = where;
}
