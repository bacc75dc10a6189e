package dev.jgrad;

import dev.jgrad.backend.View;
import java.util.Arrays;

/** NumPy/PyTorch broadcasting: shapes align at the right; a dim of 1 (or a missing dim) stretches. */
final class Broadcast {
    private Broadcast() {
    }

    /** @return the broadcast shape of {@code a} and {@code b} */
    static int[] shape(String op, int[] a, int[] b) {
        int rank = Math.max(a.length, b.length);
        int[] out = new int[rank];
        for (int i = 0; i < rank; i++) {
            int da = i < rank - a.length ? 1 : a[i - (rank - a.length)];
            int db = i < rank - b.length ? 1 : b[i - (rank - b.length)];
            if (da != db && da != 1 && db != 1) {
                throw new IllegalArgumentException(op + ": shapes " + Checks.str(a) + " and " + Checks.str(b)
                        + " cannot be broadcast: at dim " + (i - rank) + " sizes " + da + " and " + db
                        + " differ and neither is 1");
            }
            out[i] = da == 1 ? db : da;
        }
        Checks.shape(op, out);
        return out;
    }

    /** @return whether {@code from} broadcasts to exactly {@code to} */
    static boolean broadcastsTo(int[] from, int[] to) {
        if (from.length > to.length) {
            return false;
        }
        for (int i = 0; i < from.length; i++) {
            int f = from[from.length - 1 - i];
            if (f != 1 && f != to[to.length - 1 - i]) {
                return false;
            }
        }
        return true;
    }

    /** @return a view of {@code v} stretched to {@code shape} with stride 0 on broadcast dims */
    static View view(View v, int[] shape) {
        if (Arrays.equals(v.shape(), shape)) {
            return v;
        }
        int[] strides = new int[shape.length];
        int lead = shape.length - v.rank();
        for (int i = 0; i < v.rank(); i++) {
            strides[lead + i] = v.shape()[i] == 1 && shape[lead + i] != 1 ? 0 : v.strides()[i];
        }
        return new View(v.buffer(), v.offset(), shape, strides);
    }
}
