package dev.jgrad.opencl;

import static dev.jgrad.opencl.OpenClBackend.cl;

import dev.jgrad.DType;
import dev.jgrad.backend.View;

/**
 * The normalisation primitives on OpenCL. Per channel ({@code nn.cl}): statistics and sums one
 * work-item per channel (each reads its channel once), the affine pass one work-item per element.
 * Layer norm ({@code layernorm.cl}): one work-group per row for the forward and {@code dx}, one
 * work-item per column for the parameter gradients.
 * Called with the backend's lock held; each returns false for layouts it does not take (the caller
 * then runs the composed default).
 */
final class ClNorm {
    private final OpenClBackend cl;

    ClNorm(OpenClBackend cl) {
        this.cl = cl;
    }

    boolean moments(View x, View mean, View var) {
        DType t = x.buffer().dtype();
        if (!x.isContiguous() || t == DType.I64 || x.numel() == 0) {
            return false;
        }
        int[] s = x.shape();
        cl.launch(t, "channel_moments").buf(cl(x), x.offset()).i32(s[0]).i32(s[1]).i32(s[2])
                .buf(cl(mean), mean.offset()).i32(mean.strides()[0]).buf(cl(var), var.offset()).i32(var.strides()[0])
                .run(s[1]);
        return true;
    }

    boolean affine(View a, View sa, View x, View sx, View shift, View out) {
        DType t = a.buffer().dtype();
        if (!a.isContiguous() || !out.isContiguous() || x != null && !x.isContiguous() || t == DType.I64) {
            return false;
        }
        int[] s = a.shape();
        View xx = x == null ? a : x, sxx = x == null ? sa : sx;
        if (out.numel() > 0) {
            cl.launch(t, "channel_affine").buf(cl(a), a.offset()).buf(cl(sa), sa.offset()).i32(sa.strides()[0])
                    .buf(cl(xx), xx.offset()).buf(cl(sxx), sxx.offset()).i32(sxx.strides()[0]).i32(x == null ? 0 : 1)
                    .buf(cl(shift), shift.offset()).i32(shift.strides()[0]).buf(cl(out), out.offset()).i32(s[1])
                    .i32(s[2]).i32(out.numel()).run(out.numel());
        }
        return true;
    }

    boolean sums(View g, View x, View center, View sums, View dots) {
        DType t = g.buffer().dtype();
        if (!g.isContiguous() || !x.isContiguous() || t == DType.I64) {
            return false;
        }
        int[] s = g.shape();
        if (s[1] > 0) {
            cl.launch(t, "channel_sums").buf(cl(g), g.offset()).buf(cl(x), x.offset()).buf(cl(center), center.offset())
                    .i32(center.strides()[0]).buf(cl(sums), sums.offset()).i32(sums.strides()[0])
                    .buf(cl(dots), dots.offset()).i32(dots.strides()[0]).i32(s[0]).i32(s[1]).i32(s[2]).run(s[1]);
        }
        return true;
    }

    /** The local size of the row kernels: a power of two (their tree reduction needs one) every device takes. */
    private static final int ROW_GROUP = 256;

    boolean layerNorm(View x, View w, View b, double eps, View out, View mean, View rstd) {
        DType t = x.buffer().dtype();
        if (!x.isContiguous() || !out.isContiguous() || t == DType.I64) {
            return false;
        }
        int rows = x.shape()[0], s = x.shape()[1];
        if (rows == 0) {
            return true;
        }
        View ww = w == null ? x : w, bb = b == null ? x : b;
        cl.launch(t, "layer_norm").buf(cl(x), x.offset()).buf(cl(ww), ww.offset()).i32(stride(w)).i32(w == null ? 0 : 1)
                .buf(cl(bb), bb.offset()).i32(stride(b)).i32(b == null ? 0 : 1).real(eps).buf(cl(out), out.offset())
                .buf(cl(mean), mean.offset()).buf(cl(rstd), rstd.offset()).i32(s).local((long) ROW_GROUP * t.byteSize())
                .run((long) rows * ROW_GROUP, ROW_GROUP);
        return true;
    }

    boolean layerNormBackward(View g, View x, View mean, View rstd, View w, View dx, View dw, View db) {
        DType t = x.buffer().dtype();
        if (!x.isContiguous() || dx != null && !dx.isContiguous() || t == DType.I64
                || dw != null && dw.strides()[0] != 1 || db != null && db.strides()[0] != 1) {
            return false;
        }
        int rows = x.shape()[0], s = x.shape()[1];
        if (rows == 0 || s == 0) {
            return false;
        }
        int grs = g.strides()[0], gcs = g.strides()[1];
        if (dx != null) {
            View ww = w == null ? x : w;
            cl.launch(t, "layer_norm_dx").buf(cl(g), g.offset()).i32(grs).i32(gcs).buf(cl(x), x.offset())
                    .buf(cl(mean), mean.offset()).buf(cl(rstd), rstd.offset()).buf(cl(ww), ww.offset()).i32(stride(w))
                    .i32(w == null ? 0 : 1).buf(cl(dx), dx.offset()).i32(s).local((long) ROW_GROUP * t.byteSize())
                    .run((long) rows * ROW_GROUP, ROW_GROUP);
        }
        if (dw != null || db != null) {
            View dww = dw == null ? db : dw, dbb = db == null ? dw : db;
            cl.launch(t, "layer_norm_params").buf(cl(g), g.offset()).i32(grs).i32(gcs).buf(cl(x), x.offset())
                    .buf(cl(mean), mean.offset()).buf(cl(rstd), rstd.offset()).buf(cl(dww), dww.offset())
                    .i32(dw == null ? 0 : 1).buf(cl(dbb), dbb.offset()).i32(db == null ? 0 : 1).i32(rows).i32(s).run(s);
        }
        return true;
    }

    private static int stride(View p) {
        return p == null ? 0 : p.strides()[0];
    }
}
