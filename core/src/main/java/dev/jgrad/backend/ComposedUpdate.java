package dev.jgrad.backend;

/**
 * The default of {@link Backend#update}: each {@link UpdateStep} as the sequence of elementwise
 * primitives PyTorch 1.13's single-tensor optimizers run, with their temporaries. It serves every
 * layout and is the oracle the fused kernels are tested against; it reads and writes memory several
 * times per step, which is what the fused kernels avoid.
 */
final class ComposedUpdate {
    private final Backend b;

    ComposedUpdate(Backend b) {
        this.b = b;
    }

    /** Applies {@code step} to one row {@code {p, g, states...}}. */
    void run(UpdateStep step, View[] t) {
        switch (step) {
            case UpdateStep.Sgd s -> sgd(s, t[0], t[1], s.momentum() != 0 ? t[2] : null);
            case UpdateStep.Adam a -> adam(a, t[0], t[1], t[2], t[3], a.amsgrad() ? t[4] : null);
            case UpdateStep.RmsProp r -> rmsProp(r, t);
            case UpdateStep.Adagrad a -> adagrad(a, t[0], t[1], t[2]);
        }
    }

    private void sgd(UpdateStep.Sgd s, View p, View g, View buf) {
        View d = decayed(g, s.weightDecay(), p);
        if (buf != null) {
            if (s.first()) {
                b.unary(UnaryOp.IDENTITY, 0, d, buf);
            } else {
                b.unary(UnaryOp.MUL_SCALAR, s.momentum(), buf, buf);
                b.axpy(1 - s.dampening(), d, buf);
            }
            if (s.nesterov()) {
                View n = copy(d);
                b.axpy(s.momentum(), buf, n);
                d = n;
            } else {
                d = buf;
            }
        }
        b.axpy(-s.lr(), d, p);
    }

    private void adam(UpdateStep.Adam a, View p, View g, View m, View v, View vmax) {
        if (a.shrink() != 1) {
            b.unary(UnaryOp.MUL_SCALAR, a.shrink(), p, p);
        }
        View d = decayed(g, a.weightDecay(), p);
        b.unary(UnaryOp.MUL_SCALAR, a.beta1(), m, m);
        b.axpy(1 - a.beta1(), d, m);
        b.unary(UnaryOp.MUL_SCALAR, a.beta2(), v, v);
        b.axpy(1 - a.beta2(), square(d), v);
        View second = v;
        if (vmax != null) {
            b.binary(BinaryOp.MAX, vmax, v, vmax);
            second = vmax;
        }
        View denom = temp(p);
        b.unary(UnaryOp.SQRT, 0, second, denom);
        b.unary(UnaryOp.DIV_SCALAR, a.bias2Sqrt(), denom, denom);
        b.unary(UnaryOp.ADD_SCALAR, a.eps(), denom, denom);
        b.binary(BinaryOp.DIV, m, denom, denom);
        b.axpy(-a.stepSize(), denom, p);
    }

    private void rmsProp(UpdateStep.RmsProp r, View[] t) {
        View p = t[0], sq = t[2];
        View ga = r.centered() ? t[3] : null;
        View buf = r.momentum() > 0 ? t[r.centered() ? 4 : 3] : null;
        View d = decayed(t[1], r.weightDecay(), p);
        b.unary(UnaryOp.MUL_SCALAR, r.alpha(), sq, sq);
        b.axpy(1 - r.alpha(), square(d), sq);
        View avg = copy(sq);
        if (ga != null) {
            b.unary(UnaryOp.MUL_SCALAR, r.alpha(), ga, ga);
            b.axpy(1 - r.alpha(), d, ga);
            b.axpy(-1, square(ga), avg);
        }
        b.unary(UnaryOp.SQRT, 0, avg, avg);
        b.unary(UnaryOp.ADD_SCALAR, r.eps(), avg, avg);
        b.binary(BinaryOp.DIV, d, avg, avg);
        if (buf != null) {
            b.unary(UnaryOp.MUL_SCALAR, r.momentum(), buf, buf);
            b.binary(BinaryOp.ADD, buf, avg, buf);
            b.axpy(-r.lr(), buf, p);
        } else {
            b.axpy(-r.lr(), avg, p);
        }
    }

    private void adagrad(UpdateStep.Adagrad a, View p, View g, View sum) {
        View d = decayed(g, a.weightDecay(), p);
        b.binary(BinaryOp.ADD, sum, square(d), sum);
        View std = temp(p);
        b.unary(UnaryOp.SQRT, 0, sum, std);
        b.unary(UnaryOp.ADD_SCALAR, a.eps(), std, std);
        b.binary(BinaryOp.DIV, d, std, std);
        b.axpy(-a.clr(), std, p);
    }

    /** @return {@code g + weightDecay * p} in a temporary, or {@code g} itself when there is no decay */
    private View decayed(View g, double weightDecay, View p) {
        if (weightDecay == 0) {
            return g;
        }
        View d = copy(g);
        b.axpy(weightDecay, p, d);
        return d;
    }

    private View square(View x) {
        View s = temp(x);
        b.binary(BinaryOp.MUL, x, x, s);
        return s;
    }

    private View copy(View x) {
        View c = temp(x);
        b.unary(UnaryOp.IDENTITY, 0, x, c);
        return c;
    }

    private View temp(View like) {
        return View.contiguous(b.allocateUninitialized(like.buffer().dtype(), like.numel()), like.shape());
    }
}
