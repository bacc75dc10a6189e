package dev.jgrad;

import java.util.Arrays;

/**
 * Constant padding, PyTorch's {@code F.pad(x, pad, value=value)}: {@code pad} holds
 * {@code (before, after)} pairs starting from the <em>last</em> dim. A negative amount crops. The
 * backward of {@code pad(p)} is {@code pad(-p)} with zeros: it crops what was added and zero-fills
 * what was cropped, so it differentiates again by the same rule.
 */
final class PadRules {
    private PadRules() {
    }

    static Tensor pad(Tensor x, int[] pad, double value) {
        int rank = x.dim();
        if (pad.length % 2 != 0 || pad.length / 2 > rank) {
            throw new IllegalArgumentException("pad: needs (before, after) pairs for at most " + rank
                    + " dims of shape " + Checks.str(x.shape) + ", got " + Arrays.toString(pad));
        }
        int[] outShape = x.shape.clone();
        int[] srcStart = new int[rank], dstStart = new int[rank], len = x.shape.clone();
        for (int k = 0; k < pad.length / 2; k++) {
            int d = rank - 1 - k;
            int before = pad[2 * k], after = pad[2 * k + 1];
            long size = (long) x.shape[d] + before + after;
            if (size > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("pad: padding " + Arrays.toString(pad) + " gives dim " + d
                        + " of shape " + Checks.str(x.shape) + " the size " + size + ", more than "
                        + Checks.MAX_ELEMENTS + " (2^31 - 1)");
            }
            outShape[d] = (int) size;
            if (outShape[d] < 0) {
                throw new IllegalArgumentException("pad: padding " + Arrays.toString(pad) + " gives dim " + d
                        + " of shape " + Checks.str(x.shape) + " the negative size " + outShape[d]);
            }
            srcStart[d] = Math.max(0, -before);
            dstStart[d] = Math.max(0, before);
            len[d] = Math.max(0, x.shape[d] - srcStart[d] - Math.max(0, -after));
        }
        Checks.shape("pad", outShape);
        Tensor out = Ops.full(x.device(), x.dtype, outShape, value);
        if (Checks.shape("pad", len) > 0) {
            Ops.copyInto(region(x, srcStart, len), region(out, dstStart, len).desc());
        }
        int[] back = new int[pad.length];
        for (int i = 0; i < pad.length; i++) {
            back[i] = -pad[i];
        }
        if (!x.dtype.isFloatingPoint()) {
            return out;
        }
        return Rule.unary("pad", out, x, (n, g) -> new Tensor[] {pad(g, back, 0)});
    }

    /** @return the view of {@code t} starting at {@code start} with extents {@code len} (no graph) */
    private static Tensor region(Tensor t, int[] start, int[] len) {
        int offset = t.offset;
        for (int d = 0; d < start.length; d++) {
            offset += start[d] * t.strides[d];
        }
        return t.alias(len, t.strides, offset);
    }
}
