// Sliding windows for convolution and pooling: unfold (im2col) and its adjoint fold (col2im).
// A window geometry arrives as int8 (kH, kW, sH, sW, padH, padW, dH, dW), as dev.jgrad.backend.Window.

// One work-item per column entry (n, c, i, j, p, q) of out [N, C, kH, kW, oH, oW] (any strides).
__kernel void unfold_k(__global const T* x, int xo, int8 xs8, int h, int w, __global T* o, int oo, int8 os8,
                       int8 shape8, int8 win8, T pad, int total) {
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
    o[at] = inside ? x[xo + idx[0] * xs[0] + idx[1] * xs[1] + row * xs[2] + col * xs[3]] : pad;
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
