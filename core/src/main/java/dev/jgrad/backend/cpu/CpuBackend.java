package dev.jgrad.backend.cpu;

import dev.jgrad.DType;
import dev.jgrad.backend.BinaryOp;
import dev.jgrad.backend.HeapBackend;
import dev.jgrad.backend.HeapBuffer;
import dev.jgrad.backend.ReduceOp;
import dev.jgrad.backend.UnaryOp;
import dev.jgrad.backend.UpdateStep;
import dev.jgrad.backend.View;
import dev.jgrad.backend.Window;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The {@code cpu} device: heap buffers shared with {@code reference}, Vector API kernels for the
 * hot primitives (elementwise, reductions, GEMM), and typed strided loops of its own for the cold
 * ones (where, gather, scatter, I64 data, reductions no fast path covers): none of them borrows
 * the reference backend's, so the conformance kit compares two implementations.
 */
public final class CpuBackend extends HeapBackend {
    /** The single instance; kernels are stateless apart from per-thread packing buffers. */
    public static final CpuBackend INSTANCE = new CpuBackend();

    private CpuBackend() {
    }

    @Override
    public String name() {
        return "cpu";
    }

    @Override
    public void fill(View out, double value) {
        HeapBuffer b = (HeapBuffer) out.buffer();
        if (out.isContiguous() && b.dtype() == DType.F32) {
            int o = out.offset();
            Parallel.chunks(out.numel(), Parallel.STREAM_GRAIN,
                    (from, to) -> Arrays.fill(b.f32, o + from, o + to, (float) value));
        } else {
            Strided.fill(out, value);
        }
    }

    @Override
    public void unary(UnaryOp op, double arg, View in, View out) {
        if (out.numel() == 0) {
            return;
        }
        if (in.buffer().dtype() == DType.I64) {
            Strided.copyLong(in, out);
        } else {
            Elementwise.unary(op, arg, in, out);
        }
    }

    @Override
    public void binary(BinaryOp op, View a, View b, View out) {
        if (out.numel() == 0) {
            return;
        }
        if (a.buffer().dtype() == DType.I64) {
            Strided.binaryLong(op, a, b, out);
        } else {
            Elementwise.binary(op, a, b, out);
        }
    }

    @Override
    public void where(View cond, View a, View b, View out) {
        Strided.where(cond, a, b, out);
    }

    @Override
    public void reduce(ReduceOp op, View in, int[] axes, View out) {
        Reductions.reduce(op, in, axes, out);
    }

    @Override
    public void matmul(View a, View b, View out) {
        MatMul.matmul(a, b, out);
    }

    @Override
    public void matmuls(View[] a, View[] b, View[] out) {
        MatMul.matmuls(a, b, out);
    }

    @Override
    public void gather(View in, int dim, View index, View out) {
        if (RowGather.tryRun(in, dim, index, out)) {
            return;
        }
        if (out.numel() > 0 && RowIndexing.fast(in, dim, index, out)) {
            RowIndexing.gather(in, index, out);
        } else {
            Indexing.gather(in, dim, index, out);
        }
    }

    @Override
    public void scatterAdd(View src, int dim, View index, View out) {
        if (src.numel() > 0 && RowIndexing.fast(out, dim, index, src)) {
            RowIndexing.scatterAdd(src, index, out);
        } else {
            Indexing.scatterAdd(src, dim, index, out);
        }
    }

    @Override
    public void unfold(View x, Window window, View out) {
        Unfold.unfold(x, window, out);
    }

    @Override
    public void fold(View cols, Window window, View out) {
        Unfold.fold(cols, window, out);
    }

    @Override
    public void pool2d(boolean max, View x, Window window, View out, View argmax) {
        Pool.pool2d(max, x, window, out, argmax);
    }

    @Override
    public void softmax(View in, boolean log, View out) {
        if (in.buffer().dtype() != DType.F32 || !in.isContiguous() || !out.isContiguous() || in.numel() == 0) {
            super.softmax(in, log, out);
            return;
        }
        int n = in.shape()[in.rank() - 1];
        Fused.softmaxRows(((HeapBuffer) in.buffer()).f32, in.offset(), ((HeapBuffer) out.buffer()).f32, out.offset(),
                in.numel() / n, n, log);
    }

    @Override
    public void crossEntropyBackward(View logProbs, View labels, View gradOut, double scale, View out) {
        if (logProbs.buffer().dtype() != DType.F32 || !logProbs.isContiguous() || !out.isContiguous()) {
            super.crossEntropyBackward(logProbs, labels, gradOut, scale, out);
            return;
        }
        float s = (float) (((HeapBuffer) gradOut.buffer()).get(gradOut.offset()) * scale);
        Fused.crossEntropyBackward(((HeapBuffer) logProbs.buffer()).f32, logProbs.offset(),
                ((HeapBuffer) labels.buffer()).i64, labels.offset(), labels.strides()[0], s,
                ((HeapBuffer) out.buffer()).f32, out.offset(), logProbs.shape()[0], logProbs.shape()[1]);
    }

    @Override
    public void axpy(double alpha, View x, View y) {
        if (x.buffer().dtype() != DType.F32 || !x.isContiguous() || !y.isContiguous()) {
            super.axpy(alpha, x, y);
            return;
        }
        float[] xs = ((HeapBuffer) x.buffer()).f32, ys = ((HeapBuffer) y.buffer()).f32;
        int xo = x.offset(), yo = y.offset();
        Parallel.chunks(y.numel(), Parallel.STREAM_GRAIN,
                (from, to) -> Fused.axpy((float) alpha, xs, xo + from, ys, yo + from, to - from));
    }

    /**
     * Contiguous F32/F64 rows run as one multi-tensor pass of the fused kernels ({@link Updates});
     * other layouts (strided parameters) take the composed default, row by row.
     */
    @Override
    public void update(UpdateStep step, View[][] rows) {
        List<View[]> fast = new ArrayList<>(rows.length), slow = new ArrayList<>();
        long total = 0;
        for (View[] row : rows) {
            boolean fits = Updates.fusable(row) && total + row[0].numel() <= Integer.MAX_VALUE;
            total += fits ? row[0].numel() : 0;
            (fits ? fast : slow).add(row);
        }
        if (!fast.isEmpty()) {
            Updates.run(step, fast.toArray(View[][]::new));
        }
        if (!slow.isEmpty()) {
            super.update(step, slow.toArray(View[][]::new));
        }
    }

    @Override
    public void biasActivation(UnaryOp act, View x, View bias, View out) {
        if (x.buffer().dtype() != DType.F32 || bias.strides()[0] != 1) {
            super.biasActivation(act, x, bias, out);
            return;
        }
        int c = bias.shape()[0];
        int rows = c == 0 ? 0 : x.numel() / c;
        Fused.biasActivation(act, ((HeapBuffer) x.buffer()).f32, x.offset(), ((HeapBuffer) bias.buffer()).f32,
                bias.offset(), ((HeapBuffer) out.buffer()).f32, out.offset(), rows, c);
    }

    @Override
    public void channelMoments(View x, View mean, View var) {
        if (x.buffer().dtype() != DType.F32 || !x.isContiguous()) {
            super.channelMoments(x, mean, var);
            return;
        }
        int[] s = x.shape();
        ChannelNorm.moments(f32(x), x.offset(), s[0], s[1], s[2], f32(mean), mean.offset(), mean.strides()[0],
                f32(var), var.offset(), var.strides()[0]);
    }

    @Override
    public void channelAffine(View a, View sa, View x, View sx, View shift, View out) {
        if (a.buffer().dtype() != DType.F32 || !a.isContiguous() || !out.isContiguous()
                || x != null && !x.isContiguous()) {
            super.channelAffine(a, sa, x, sx, shift, out);
            return;
        }
        int[] s = a.shape();
        ChannelNorm.affine(f32(a), a.offset(), f32(sa), sa.offset(), sa.strides()[0], x == null ? null : f32(x),
                x == null ? 0 : x.offset(), x == null ? null : f32(sx), x == null ? 0 : sx.offset(),
                x == null ? 0 : sx.strides()[0], f32(shift), shift.offset(), shift.strides()[0], f32(out),
                out.offset(), s[0], s[1], s[2]);
    }

    @Override
    public void channelSums(View g, View x, View center, View sums, View dots) {
        if (g.buffer().dtype() != DType.F32 || !g.isContiguous() || !x.isContiguous()) {
            super.channelSums(g, x, center, sums, dots);
            return;
        }
        int[] s = g.shape();
        ChannelNorm.sums(f32(g), g.offset(), f32(x), x.offset(), f32(center), center.offset(), center.strides()[0],
                f32(sums), sums.offset(), sums.strides()[0], f32(dots), dots.offset(), dots.strides()[0], s[0], s[1],
                s[2]);
    }

    @Override
    public void layerNorm(View x, View weight, View bias, double eps, View out, View mean, View rstd) {
        if (x.buffer().dtype() != DType.F32 || !x.isContiguous() || !out.isContiguous() || x.numel() == 0) {
            super.layerNorm(x, weight, bias, eps, out, mean, rstd);
            return;
        }
        int rows = x.shape()[0], cols = x.shape()[1];
        LayerNormKernel.forward(f32(x), x.offset(), dense(weight, cols, 1), dense(bias, cols, 0), eps, f32(out),
                out.offset(), f32(mean), mean.offset(), f32(rstd), rstd.offset(), rows, cols);
    }

    @Override
    public void layerNormBackward(View g, View x, View mean, View rstd, View weight, View dx, View dweight,
                                  View dbias) {
        if (x.buffer().dtype() != DType.F32 || !x.isContiguous() || x.numel() == 0 || dx != null && !dx.isContiguous()
                || dweight != null && dweight.strides()[0] != 1 || dbias != null && dbias.strides()[0] != 1) {
            super.layerNormBackward(g, x, mean, rstd, weight, dx, dweight, dbias);
            return;
        }
        int rows = x.shape()[0], cols = x.shape()[1];
        LayerNormKernel.backward(f32(g), g.offset(), g.strides()[0], g.strides()[1], f32(x), x.offset(), f32(mean),
                mean.offset(), f32(rstd), rstd.offset(), dense(weight, cols, 1), dx == null ? null : f32(dx),
                dx == null ? 0 : dx.offset(), dweight == null ? null : f32(dweight),
                dweight == null ? 0 : dweight.offset(), dbias == null ? null : f32(dbias),
                dbias == null ? 0 : dbias.offset(), rows, cols);
    }

    /** @return the F32 parameter {@code p [n]} as a dense array from index 0, or {@code n} copies of {@code fill} when null */
    private static float[] dense(View p, int n, float fill) {
        float[] d = new float[n];
        if (p == null) {
            Arrays.fill(d, fill);
            return d;
        }
        float[] src = f32(p);
        for (int i = 0, o = p.offset(), s = p.strides()[0]; i < n; i++) {
            d[i] = src[o + i * s];
        }
        return d;
    }

    @Override
    public void lstmForward(View xProj, View wHh, View h0, View c0, View gates, View cells, View hiddens) {
        if (xProj.buffer().dtype() != DType.F32) {
            super.lstmForward(xProj, wHh, h0, c0, gates, cells, hiddens);
            return;
        }
        LstmSequence.forward(xProj, wHh, h0, c0, gates, cells, hiddens);
    }

    @Override
    public void lstmBackward(View gates, View cells, View c0, View wHh, View gradHidden, View gradCells,
            View gradGates, View gradH0, View gradC0) {
        if (gates.buffer().dtype() != DType.F32) {
            super.lstmBackward(gates, cells, c0, wHh, gradHidden, gradCells, gradGates, gradH0, gradC0);
            return;
        }
        LstmSequence.backward(gates, cells, c0, wHh, gradHidden, gradCells, gradGates, gradH0, gradC0);
    }

    @Override
    public void gruForward(View xProj, View wHh, View bHh, View h0, View gates, View hiddens) {
        if (xProj.buffer().dtype() != DType.F32 || bHh.strides()[0] != 1) {
            super.gruForward(xProj, wHh, bHh, h0, gates, hiddens);
            return;
        }
        GruSequence.forward(xProj, wHh, bHh, h0, gates, hiddens);
    }

    @Override
    public void gruBackward(View gates, View hiddens, View h0, View wHh, View gradHidden, View gradInputGates,
            View gradHiddenGates, View gradH0) {
        if (gates.buffer().dtype() != DType.F32) {
            super.gruBackward(gates, hiddens, h0, wHh, gradHidden, gradInputGates, gradHiddenGates, gradH0);
            return;
        }
        GruSequence.backward(gates, hiddens, h0, wHh, gradHidden, gradInputGates, gradHiddenGates, gradH0);
    }

    private static float[] f32(View v) {
        return ((HeapBuffer) v.buffer()).f32;
    }
}
