package dev.jgrad.opencl;

import static dev.jgrad.opencl.OpenClBackend.cl;

import dev.jgrad.DType;
import dev.jgrad.backend.Odometer;
import dev.jgrad.backend.ReduceOp;
import dev.jgrad.backend.UnaryOp;
import dev.jgrad.backend.View;
import java.util.Arrays;

/**
 * The compute-heavy primitives on OpenCL: reductions, batched GEMM (variant chosen by device type,
 * or by the system property {@code jgrad.opencl.gemm} = cpu | gpu | naive), indexing and the fused
 * training kernels. Called with the backend's lock held. Convolution (forward and both backward
 * passes) is {@code unfold}/{@code fold} around this GEMM, so it runs the variant chosen here too.
 */
final class ClMath {
    private static final int GROUP = 256;
    private static final int TREE_MIN = 1 << 14;
    private static final int TM = 8;
    private final OpenClBackend cl;
    private final String gemmVariant;

    ClMath(OpenClBackend cl) {
        this.cl = cl;
        String forced = System.getProperty("jgrad.opencl.gemm");
        this.gemmVariant = forced != null ? forced : cl.device.isGpu() ? "gpu" : "cpu";
    }

    /** @return the GEMM kernel family in use: {@code cpu}, {@code gpu} or {@code naive} */
    String gemmVariant() {
        return gemmVariant;
    }

    void reduce(ReduceOp op, View in, int[] axes, View out) {
        DType t = in.buffer().dtype();
        if (in.rank() > 8 || t == DType.I64) {
            HostFallback.run(cl, (ref, v) -> ref.reduce(op, v[0], axes, v[1]), in, out);
        } else if (!op.yieldsIndex() && in.isContiguous() && out.numel() == 1 && in.numel() >= TREE_MIN) {
            tree(op, in, out);
        } else {
            general(op, in, axes, out);
        }
    }

    /** Work-group tree reduction into per-group partials, then one group reduces the partials. */
    private void tree(ReduceOp op, View in, View out) {
        DType t = in.buffer().dtype();
        int groups = Math.min(GROUP, (in.numel() + GROUP - 1) / GROUP);
        ClBuffer partial = cl.buffer(t, groups);
        try (partial) {
            cl.launch(t, "reduce_partial").i32(op.ordinal()).buf(cl(in), in.offset()).i32(in.numel())
                    .buf(partial, 0).local((long) GROUP * t.byteSize()).run((long) groups * GROUP, GROUP);
            cl.launch(t, "reduce_partial").i32(op.ordinal()).buf(partial, 0).i32(groups)
                    .buf(cl(out), out.offset()).local((long) GROUP * t.byteSize()).run(GROUP, GROUP);
        }
    }

    private void general(ReduceOp op, View in, int[] axes, View out) {
        int rank = in.rank();
        boolean[] reduced = new boolean[rank];
        for (int a : axes) {
            reduced[a] = true;
        }
        int[] keptShape = new int[rank - axes.length], keptX = new int[keptShape.length], keptO = new int[keptShape.length];
        int[] redShape = new int[axes.length], redX = new int[axes.length];
        int k = 0, r = 0;
        for (int d = 0; d < rank; d++) {
            if (reduced[d]) {
                redShape[r] = in.shape()[d];
                redX[r++] = in.strides()[d];
            } else {
                keptShape[k] = in.shape()[d];
                keptX[k] = in.strides()[d];
                keptO[k++] = out.strides()[d];
            }
        }
        int nOut = Odometer.count(keptShape);
        cl.launch(in.buffer().dtype(), "reduce_general").i32(op.ordinal()).buf(cl(in), in.offset()).i32(nOut)
                .i32(keptShape.length).int8(keptShape).int8(keptX).int8(keptO).i32(Odometer.count(redShape))
                .i32(redShape.length).int8(redShape).int8(redX).mem(cl(out)).buf(cl(out), out.offset())
                .run(nOut);
    }

    void matmul(View a, View b, View out) {
        int r = out.rank();
        if (r > 8 + 2) {
            HostFallback.run(cl, (ref, v) -> ref.matmul(v[0], v[1], v[2]), a, b, out);
            return;
        }
        int m = out.shape()[r - 2], n = out.shape()[r - 1], k = a.shape()[r - 1];
        int[] batch = Arrays.copyOf(out.shape(), r - 2);
        if (Odometer.count(batch) == 0 || m == 0 || n == 0) {
            return;
        }
        View bb = b;
        ClBuffer staged = null;
        if (gemmVariant.equals("cpu") && b.strides()[r - 1] != 1) {
            // The CPU kernel loads 16-wide rows of B: stage a transposed B contiguously, once.
            staged = cl.buffer(b.buffer().dtype(), b.numel());
            bb = View.contiguous(staged, b.shape());
            cl.unary(UnaryOp.IDENTITY, 0, b, bb);
        }
        Odometer it = Odometer.of(batch, a, bb, out);
        do {
            gemm(a, bb, out, it.offsets, m, n, k);
        } while (it.next());
        if (staged != null) {
            staged.close();
        }
    }

    private void gemm(View a, View b, View c, int[] off, int m, int n, int k) {
        int r = c.rank();
        int ars = a.strides()[r - 2], acs = a.strides()[r - 1], brs = b.strides()[r - 2], bcs = b.strides()[r - 1];
        int crs = c.strides()[r - 2], ccs = c.strides()[r - 1];
        DType t = c.buffer().dtype();
        if (ccs != 1 || gemmVariant.equals("naive")) {
            cl.launch(t, "gemm_naive").i32(m).i32(n).i32(k).buf(cl(a), off[0]).i32(ars).i32(acs)
                    .buf(cl(b), off[1]).i32(brs).i32(bcs).buf(cl(c), off[2]).i32(crs).i32(ccs).run2(n, m, 8, 8);
        } else if (gemmVariant.equals("gpu")) {
            cl.launch(t, "gemm_gpu").i32(m).i32(n).i32(k).buf(cl(a), off[0]).i32(ars).i32(acs)
                    .buf(cl(b), off[1]).i32(brs).i32(bcs).buf(cl(c), off[2]).i32(crs)
                    .run2((n + 63) / 64 * 16L, (m + 63) / 64 * 16L, 16, 16);
        } else {
            cl.launch(t, "gemm_cpu").i32(m).i32(n).i32(k).buf(cl(a), off[0]).i32(ars).i32(acs)
                    .buf(cl(b), off[1]).i32(brs).buf(cl(c), off[2]).i32(crs)
                    .run2((n + 15) / 16, (m + TM - 1) / TM, 1, 1);
        }
    }

    void gather(View in, int dim, View index, View out) {
        DType t = in.buffer().dtype();
        if (in.rank() > 8) {
            HostFallback.run(cl, (ref, v) -> ref.gather(v[0], dim, v[1], v[2]), in, index, out);
            return;
        }
        cl.launch(t, t == DType.I64 ? "gather_long_k" : "gather_k").buf(cl(in), in.offset()).int8(in.strides()).i32(dim)
                .i32(in.shape()[dim])
                .buf(cl(index), index.offset()).int8(index.strides()).buf(cl(out), out.offset()).int8(out.strides())
                .i32(index.rank()).int8(index.shape()).i32(index.numel()).run(index.numel());
    }

    void scatterAdd(View src, int dim, View index, View out) {
        DType t = src.buffer().dtype();
        if (src.rank() > 8 || t == DType.I64) {
            HostFallback.run(cl, (ref, v) -> ref.scatterAdd(v[0], dim, v[1], v[2]), src, index, out);
            return;
        }
        int[] lanes = index.shape().clone();
        lanes[dim] = 1;
        int n = index.shape()[dim] == 0 ? 0 : Odometer.count(lanes);
        cl.launch(t, "scatter_add_k").buf(cl(src), src.offset()).int8(src.strides()).i32(dim).i32(out.shape()[dim])
                .buf(cl(index), index.offset()).int8(index.strides()).buf(cl(out), out.offset()).int8(out.strides())
                .i32(index.rank()).int8(index.shape()).i32(n).run(n);
    }

    /** @return false when the layout needs the composed default */
    boolean softmax(View in, boolean log, View out) {
        DType t = in.buffer().dtype();
        if (!in.isContiguous() || !out.isContiguous() || t == DType.I64 || in.numel() == 0) {
            return false;
        }
        int n = in.shape()[in.rank() - 1];
        int rows = in.numel() / n;
        cl.launch(t, "softmax_rows").buf(cl(in), in.offset()).buf(cl(out), out.offset()).i32(rows).i32(n)
                .i32(log ? 1 : 0).run(rows);
        return true;
    }

    boolean crossEntropyBackward(View logProbs, View labels, View gradOut, double scale, View out) {
        DType t = logProbs.buffer().dtype();
        if (!logProbs.isContiguous() || !out.isContiguous() || t == DType.I64) {
            return false;
        }
        int rows = logProbs.shape()[0], n = logProbs.shape()[1];
        cl.launch(t, "xent_backward").buf(cl(logProbs), logProbs.offset()).buf(cl(labels), labels.offset())
                .i32(labels.strides()[0]).buf(cl(gradOut), gradOut.offset()).real(scale).buf(cl(out), out.offset())
                .i32(rows).i32(n).run(rows);
        return true;
    }
}
