package dev.jgrad;

import dev.jgrad.backend.Backend;
import dev.jgrad.backend.BinaryOp;
import dev.jgrad.backend.ReduceOp;
import dev.jgrad.backend.UnaryOp;
import dev.jgrad.backend.UpdateStep;
import dev.jgrad.backend.View;
import java.util.Arrays;

/**
 * The one gateway from the front end to the backend: computations on tensors that record nothing
 * (allocate the output, call one backend primitive), and the kernel half of in-place writes, whose
 * checks {@link InPlace} runs first. Rules call these for their forward halves; arguments are already
 * validated. No other class in this package calls a {@code Backend} compute method.
 */
final class Ops {
    private Ops() {
    }

    /** @return a contiguous tensor with unspecified contents, for outputs a primitive fully overwrites */
    static Tensor empty(Device device, DType dtype, int[] shape) {
        int n = Checks.shape("empty", shape);
        return new Tensor(new Storage(device.backend().allocateUninitialized(dtype, n), device), shape.clone(),
                View.contiguousStrides(shape), 0, dtype);
    }

    static Tensor full(Device device, DType dtype, int[] shape, double value) {
        int n = Checks.shape("full", shape);
        Tensor t = new Tensor(new Storage(device.backend().allocate(dtype, n), device), shape.clone(),
                View.contiguousStrides(shape), 0, dtype);
        if (value != 0) {
            device.backend().fill(t.desc(), value);
        }
        return t;
    }

    static Tensor unary(UnaryOp op, double arg, Tensor x) {
        Tensor out = empty(x.device(), x.dtype(), x.shape());
        x.backend().unary(op, arg, x.desc(), out.desc());
        return out;
    }

    static Tensor contiguous(Tensor x) {
        return x.isContiguous() ? x : unary(UnaryOp.IDENTITY, 0, x);
    }

    static Tensor binary(String name, BinaryOp op, Tensor a, Tensor b) {
        int[] shape = Arrays.equals(a.shape, b.shape) ? a.shape : Broadcast.shape(name, a.shape, b.shape);
        Tensor out = empty(a.device(), a.dtype(), shape);
        a.backend().binary(op, Broadcast.view(a.desc(), shape), Broadcast.view(b.desc(), shape), out.desc());
        return out;
    }

    static Tensor where(Tensor cond, Tensor a, Tensor b) {
        int[] shape = Broadcast.shape("where", Broadcast.shape("where", cond.shape(), a.shape()), b.shape());
        Tensor out = empty(a.device(), a.dtype(), shape);
        a.backend().where(Broadcast.view(cond.desc(), shape), Broadcast.view(a.desc(), shape),
                Broadcast.view(b.desc(), shape), out.desc());
        return out;
    }

    /** @return the reduction with extent 1 on each reduced axis (keepDim form) */
    static Tensor reduce(ReduceOp op, Tensor x, int[] axes) {
        int[] shape = x.shape();
        for (int a : axes) {
            shape[a] = 1;
        }
        Tensor out = empty(x.device(), op.yieldsIndex() ? DType.I64 : x.dtype(), shape);
        x.backend().reduce(op, x.desc(), axes, out.desc());
        return out;
    }

    /** Batched product of operands of equal rank >= 2 and equal batch extents. */
    static Tensor matmul(Tensor a, Tensor b) {
        Tensor out = productOutput(a, b);
        a.backend().matmul(a.desc(), b.desc(), out.desc());
        return out;
    }

    /**
     * @return {@code a[i]·b[i]} for each {@code i} (operands as for {@link #matmul}, all on one
     *     device), in one backend call that may compute the products at the same time
     */
    static Tensor[] matmuls(Tensor[] a, Tensor[] b) {
        Tensor[] out = new Tensor[a.length];
        View[] va = new View[a.length], vb = new View[a.length], vo = new View[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = productOutput(a[i], b[i]);
            va[i] = a[i].desc();
            vb[i] = b[i].desc();
            vo[i] = out[i].desc();
        }
        a[0].backend().matmuls(va, vb, vo);
        return out;
    }

    private static Tensor productOutput(Tensor a, Tensor b) {
        int r = a.dim();
        int[] shape = Arrays.copyOf(a.shape(), r);
        shape[r - 1] = b.shape()[r - 1];
        return empty(a.device(), a.dtype(), shape);
    }

    static Tensor gather(Tensor x, int dim, Tensor index) {
        Tensor out = empty(x.device(), x.dtype(), index.shape());
        x.backend().gather(x.desc(), dim, index.desc(), out.desc());
        return out;
    }

    /** @return a copy of {@code base} with {@code src} scatter-added along {@code dim} */
    static Tensor scatterAdd(Tensor base, int dim, Tensor index, Tensor src) {
        Tensor out = unary(UnaryOp.IDENTITY, 0, base);
        base.backend().scatterAdd(src.desc(), dim, index.desc(), out.desc());
        return out;
    }

    /** @return the backend's one-pass (log-)softmax along the last dim of {@code x} */
    static Tensor softmax(Tensor x, boolean log) {
        Tensor out = empty(x.device(), x.dtype(), x.shape);
        x.backend().softmax(contiguous(x).desc(), log, out.desc());
        return out;
    }

    /** @return {@code act(x + bias)} with {@code bias [C]} broadcast over the rows of {@code x [..., C]} */
    static Tensor biasActivation(UnaryOp act, Tensor x, Tensor bias) {
        Tensor out = empty(x.device(), x.dtype(), x.shape);
        x.backend().biasActivation(act, contiguous(x).desc(), bias.desc(), out.desc());
        return out;
    }

    /**
     * @return {@code g * scale * (softmax - onehot(labels))} from log-probabilities {@code [N, C]} and
     *         the scalar upstream gradient {@code g}, read on the device (no host round trip)
     */
    static Tensor crossEntropyBackward(Tensor logProbs, Tensor labels, Tensor g, double scale) {
        Tensor out = empty(logProbs.device(), logProbs.dtype(), logProbs.shape);
        logProbs.backend().crossEntropyBackward(contiguous(logProbs).desc(), labels.desc(), g.desc(), scale,
                out.desc());
        return out;
    }

    /** @return {@code {mean, biasedVar}}, each {@code [C]}, of the channels of a contiguous {@code x [N, C, S]} */
    static Tensor[] channelMoments(Tensor x) {
        int c = x.shape[1];
        Tensor mean = empty(x.device(), x.dtype(), new int[] {c});
        Tensor var = empty(x.device(), x.dtype(), new int[] {c});
        x.backend().channelMoments(x.desc(), mean.desc(), var.desc());
        return new Tensor[] {mean, var};
    }

    /** @return {@code a * sa[c] + x * sx[c] + shift[c]} over contiguous {@code [N, C, S]}; {@code x, sx} may be null */
    static Tensor channelAffine(Tensor a, Tensor sa, Tensor x, Tensor sx, Tensor shift) {
        Tensor out = empty(a.device(), a.dtype(), a.shape);
        a.backend().channelAffine(a.desc(), sa.desc(), x == null ? null : x.desc(), sx == null ? null : sx.desc(),
                shift.desc(), out.desc());
        return out;
    }

    /** @return {@code {Σ g, Σ g * (x - center)}} per channel of contiguous {@code g, x [N, C, S]} */
    static Tensor[] channelSums(Tensor g, Tensor x, Tensor center) {
        int c = x.shape[1];
        Tensor sums = empty(x.device(), x.dtype(), new int[] {c});
        Tensor dots = empty(x.device(), x.dtype(), new int[] {c});
        x.backend().channelSums(g.desc(), x.desc(), center.desc(), sums.desc(), dots.desc());
        return new Tensor[] {sums, dots};
    }

    /**
     * @return {@code {y, mean, rstd}} of layer norm over the rows of a contiguous {@code x [R, S]},
     *         {@code y [R, S]}, the statistics {@code [R]}; {@code weight} and {@code bias} {@code [S]} or null
     */
    static Tensor[] layerNorm(Tensor x, Tensor weight, Tensor bias, double eps) {
        int r = x.shape[0];
        Tensor y = empty(x.device(), x.dtype(), x.shape);
        Tensor mean = empty(x.device(), x.dtype(), new int[] {r});
        Tensor rstd = empty(x.device(), x.dtype(), new int[] {r});
        x.backend().layerNorm(x.desc(), weight == null ? null : weight.desc(), bias == null ? null : bias.desc(), eps,
                y.desc(), mean.desc(), rstd.desc());
        return new Tensor[] {y, mean, rstd};
    }

    /**
     * @param g     the upstream gradient, of {@code x}'s element count in any layout
     * @param wants which of {@code {dx, dweight, dbias}} to compute
     * @return {@code {dx [R, S], dweight [S], dbias [S]}}, null where not wanted
     */
    static Tensor[] layerNormBackward(Tensor g, Tensor x, Tensor mean, Tensor rstd, Tensor weight, boolean[] wants) {
        int s = x.shape[1];
        Tensor dx = wants[0] ? empty(x.device(), x.dtype(), x.shape) : null;
        Tensor dw = wants[1] ? empty(x.device(), x.dtype(), new int[] {s}) : null;
        Tensor db = wants[2] ? empty(x.device(), x.dtype(), new int[] {s}) : null;
        x.backend().layerNormBackward(rows(g, x.shape), x.desc(), mean.desc(), rstd.desc(),
                weight == null ? null : weight.desc(), dx == null ? null : dx.desc(), dw == null ? null : dw.desc(),
                db == null ? null : db.desc());
        return new Tensor[] {dx, dw, db};
    }

    /**
     * @return {@code t} as a {@code [R, S]} view without a copy where it is 2-D already (any strides,
     *         e.g. a row broadcast from {@code sum(0)}), contiguous, or one value broadcast everywhere
     *         (the gradient of a sum); else a contiguous copy of it
     */
    private static View rows(Tensor t, int[] shape) {
        if (Arrays.equals(t.shape, shape)) {
            return t.desc();
        }
        boolean broadcast = true;
        for (int st : t.strides) {
            broadcast &= st == 0;
        }
        if (broadcast) {
            return new View(t.desc().buffer(), t.offset, shape.clone(), new int[] {0, 0});
        }
        Tensor c = contiguous(t);
        return new View(c.desc().buffer(), c.offset, shape.clone(), new int[] {shape[1], 1});
    }

    /**
     * Runs {@link Backend#lstmForward} on contiguous operands; {@code gates}, {@code cells} and
     * {@code hiddens} are written (they may be slices of larger contiguous tensors).
     */
    static void lstmForward(Tensor xProj, Tensor wHh, Tensor h0, Tensor c0, Tensor gates, Tensor cells,
            Tensor hiddens) {
        xProj.backend().lstmForward(xProj.desc(), wHh.desc(), h0.desc(), c0.desc(), gates.desc(), cells.desc(),
                hiddens.desc());
    }

    /** Runs {@link Backend#lstmBackward}; {@code gradGates}, {@code gradH0} and {@code gradC0} are written. */
    static void lstmBackward(Tensor gates, Tensor cells, Tensor c0, Tensor wHh, Tensor gradHidden, Tensor gradCells,
            Tensor gradGates, Tensor gradH0, Tensor gradC0) {
        gates.backend().lstmBackward(gates.desc(), cells.desc(), c0.desc(), wHh.desc(), gradHidden.desc(),
                gradCells.desc(), gradGates.desc(), gradH0.desc(), gradC0.desc());
    }

    /** Runs {@link Backend#gruForward}; {@code gates} and {@code hiddens} are written. */
    static void gruForward(Tensor xProj, Tensor wHh, Tensor bHh, Tensor h0, Tensor gates, Tensor hiddens) {
        xProj.backend().gruForward(xProj.desc(), wHh.desc(), bHh.desc(), h0.desc(), gates.desc(), hiddens.desc());
    }

    /** Runs {@link Backend#gruBackward}; the two gate gradients and {@code gradH0} are written. */
    static void gruBackward(Tensor gates, Tensor hiddens, Tensor h0, Tensor wHh, Tensor gradHidden,
            Tensor gradInputGates, Tensor gradHiddenGates, Tensor gradH0) {
        gates.backend().gruBackward(gates.desc(), hiddens.desc(), h0.desc(), wHh.desc(), gradHidden.desc(),
                gradInputGates.desc(), gradHiddenGates.desc(), gradH0.desc());
    }

    /** Checks every element of {@code t} lies in {@code [lo, hi]}: now on host backends, at the next sync on devices. */
    static void checkRange(Tensor t, double lo, double hi, Backend.RangeFailure failure) {
        t.backend().checkRange(t.desc(), lo, hi, failure);
    }

    // ---- kernels of in-place writes (InPlace validates and bumps the version)

    /** {@code target = op(target, src)}, {@code src} already broadcast-compatible and not overlapping. */
    static void binaryInto(BinaryOp op, Tensor target, Tensor src) {
        target.backend().binary(op, target.desc(), Broadcast.view(src.desc(), target.shape), target.desc());
    }

    /** {@code target = op(target, arg)}. */
    static void unaryInto(UnaryOp op, double arg, Tensor target) {
        target.backend().unary(op, arg, target.desc(), target.desc());
    }

    /** {@code target += alpha * src}. */
    static void axpy(double alpha, Tensor src, Tensor target) {
        target.backend().axpy(alpha, Broadcast.view(src.desc(), target.shape), target.desc());
    }

    /** One fused optimizer step over validated rows {@code {p, g, states...}} on {@code backend}. */
    static void update(Backend backend, UpdateStep step, View[][] rows) {
        backend.update(step, rows);
    }

    /** Sets every element of {@code target} to {@code value}. */
    static void fill(Tensor target, double value) {
        target.backend().fill(target.desc(), value);
    }

    /** Copies {@code src} (broadcast to {@code dst}'s shape) into the view {@code dst}. */
    static void copyInto(Tensor src, View dst) {
        Backend b = src.backend();
        b.unary(UnaryOp.IDENTITY, 0, Broadcast.view(src.desc(), dst.shape()), dst);
    }
}
