// Fused optimizer updates, one work-item per element: each reads p, g and its states once and
// writes p and the states once. The formulas (PyTorch 1.13's, in its order of operations) are
// documented on dev.jgrad.backend.UpdateStep; coefficients that are the same for every element
// (bias corrections, decayed rates) arrive precomputed. Unused state pointers alias p and are
// never touched.

__kernel void update_sgd(__global T* p, int po, __global const T* g, int go, __global T* buf, int bo, int n,
                         T neg_lr, T wd, T mu, T keep, int momentum, int nesterov, int first) {
    int i = get_global_id(0);
    if (i >= n) {
        return;
    }
    T x = p[po + i];
    T d = g[go + i];
    if (wd != 0) {
        d = d + x * wd;
    }
    if (momentum) {
        T b = first ? d : buf[bo + i] * mu + d * keep;
        buf[bo + i] = b;
        d = nesterov ? d + b * mu : b;
    }
    p[po + i] = x + d * neg_lr;
}

__kernel void update_adam(__global T* p, int po, __global const T* g, int go, __global T* m, int mo,
                          __global T* v, int vo, __global T* vmax, int xo, int n, T neg_step, T beta1,
                          T one_minus_beta1, T beta2, T one_minus_beta2, T eps, T wd, T shrink, T bias2_sqrt,
                          int amsgrad) {
    int i = get_global_id(0);
    if (i >= n) {
        return;
    }
    T x = p[po + i] * shrink;
    T d = g[go + i];
    if (wd != 0) {
        d = d + x * wd;
    }
    T mi = m[mo + i] * beta1 + d * one_minus_beta1;
    T vi = v[vo + i] * beta2 + d * d * one_minus_beta2;
    m[mo + i] = mi;
    v[vo + i] = vi;
    if (amsgrad) {
        T old = vmax[xo + i];
        vi = isnan(old) || isnan(vi) ? old + vi : fmax(old, vi); // NaN propagates, as torch.maximum
        vmax[xo + i] = vi;
    }
    T denom = sqrt(vi) / bias2_sqrt + eps;
    p[po + i] = x + mi / denom * neg_step;
}

__kernel void update_rmsprop(__global T* p, int po, __global const T* g, int go, __global T* sq, int so,
                             __global T* ga, int gao, __global T* buf, int bo, int n, T neg_lr, T alpha,
                             T one_minus_alpha, T eps, T wd, T mu, int centered, int momentum) {
    int i = get_global_id(0);
    if (i >= n) {
        return;
    }
    T x = p[po + i];
    T d = g[go + i];
    if (wd != 0) {
        d = d + x * wd;
    }
    T s = sq[so + i] * alpha + d * d * one_minus_alpha;
    sq[so + i] = s;
    T avg = s;
    if (centered) {
        T a = ga[gao + i] * alpha + d * one_minus_alpha;
        ga[gao + i] = a;
        avg = s - a * a;
    }
    T q = d / (sqrt(avg) + eps);
    if (momentum) {
        q = buf[bo + i] * mu + q;
        buf[bo + i] = q;
    }
    p[po + i] = x + q * neg_lr;
}

__kernel void update_adagrad(__global T* p, int po, __global const T* g, int go, __global T* sum, int so, int n,
                             T neg_clr, T wd, T eps) {
    int i = get_global_id(0);
    if (i >= n) {
        return;
    }
    T x = p[po + i];
    T d = g[go + i];
    if (wd != 0) {
        d = d + x * wd;
    }
    T s = sum[so + i] + d * d;
    sum[so + i] = s;
    p[po + i] = x + d / (sqrt(s) + eps) * neg_clr;
}
