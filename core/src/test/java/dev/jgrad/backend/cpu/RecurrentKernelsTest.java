package dev.jgrad.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jgrad.DType;
import dev.jgrad.backend.Backend;
import dev.jgrad.backend.HeapBuffer;
import dev.jgrad.backend.View;
import dev.jgrad.backend.reference.ReferenceBackend;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The cpu LSTM and GRU sequence kernels against the composed defaults (run by the reference
 * backend) at the primitive level, with what the layer tests cannot reach: outside gradients on
 * every step's hidden and cell state, weights read through a transposed view, operands at nonzero
 * offsets, hidden sizes on and off the vector width, and a batch the threads split. Whole buffers
 * are compared, so a write outside a view fails too.
 */
class RecurrentKernelsTest {
    private static final Backend CPU = CpuBackend.INSTANCE;
    private static final Backend REF = ReferenceBackend.INSTANCE;
    private static final int OFF = 3;

    /** A contiguous view at offset {@link #OFF} over random values in [-1, 1) (same seed, same values). */
    private static View rand(Backend owner, long seed, int... shape) {
        int n = View.contiguous(HeapBuffer.allocate(owner, DType.F32, 0), shape).numel();
        float[] data = new float[n + 2 * OFF];
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = 0; i < data.length; i++) {
            data[i] = (float) (2 * r.nextDouble() - 1);
        }
        return new View(HeapBuffer.wrap(owner, data), OFF, shape, View.contiguousStrides(shape));
    }

    /** {@code w [gates*H, H]} read through the transpose of a {@code [H, gates*H]} buffer. */
    private static View transposedWeight(Backend owner, long seed, int rows, int cols) {
        View t = rand(owner, seed, cols, rows);
        return new View(t.buffer(), t.offset(), new int[] {rows, cols}, new int[] {1, rows});
    }

    private static void same(String what, View expected, View actual) {
        float[] e = ((HeapBuffer) expected.buffer()).f32, a = ((HeapBuffer) actual.buffer()).f32;
        assertEquals(e.length, a.length, what);
        for (int i = 0; i < e.length; i++) {
            assertEquals(e[i], a[i], 2e-5 * (1 + Math.abs(e[i])), what + " at " + i);
        }
    }

    /** 5 rows; at H = 64, 21 rows: enough work that the threads split the batch (10 and 11 rows). */
    private static int batch(int h) {
        return h == 64 ? 21 : 5;
    }

    @Test
    void lstmMatchesComposed() {
        for (int h : new int[] {1, 7, 16, 20, 33, 64}) {
            int t = 4, n = batch(h);
            View[][] v = new View[2][];
            for (int k = 0; k < 2; k++) {
                Backend b = k == 0 ? REF : CPU;
                View xp = rand(b, 1, t, n, 4 * h), w = transposedWeight(b, 2, 4 * h, h);
                View h0 = rand(b, 3, n, h), c0 = rand(b, 4, n, h);
                View gates = rand(b, 5, t, n, 4 * h), cells = rand(b, 6, t, n, h), hs = rand(b, 7, t, n, h);
                b.lstmForward(xp, w, h0, c0, gates, cells, hs);
                View dG = rand(b, 8, t, n, 4 * h), dh0 = rand(b, 9, n, h), dc0 = rand(b, 10, n, h);
                b.lstmBackward(gates, cells, c0, w, rand(b, 11, t, n, h), rand(b, 12, t, n, h), dG, dh0, dc0);
                v[k] = new View[] {gates, cells, hs, dG, dh0, dc0};
            }
            String[] names = {"gates", "cells", "hiddens", "gradGates", "gradH0", "gradC0"};
            for (int i = 0; i < names.length; i++) {
                same("lstm H=" + h + " " + names[i], v[0][i], v[1][i]);
            }
        }
    }

    @Test
    void gruMatchesComposed() {
        for (int h : new int[] {1, 7, 16, 20, 33, 64}) {
            int t = 4, n = batch(h);
            View[][] v = new View[2][];
            for (int k = 0; k < 2; k++) {
                Backend b = k == 0 ? REF : CPU;
                View xp = rand(b, 1, t, n, 3 * h), w = transposedWeight(b, 2, 3 * h, h), bias = rand(b, 3, 3 * h);
                View h0 = rand(b, 4, n, h), gates = rand(b, 5, t, n, 4 * h), hs = rand(b, 6, t, n, h);
                b.gruForward(xp, w, bias, h0, gates, hs);
                View dIn = rand(b, 7, t, n, 3 * h), dHid = rand(b, 8, t, n, 3 * h), dh0 = rand(b, 9, n, h);
                b.gruBackward(gates, hs, h0, w, rand(b, 10, t, n, h), dIn, dHid, dh0);
                v[k] = new View[] {gates, hs, dIn, dHid, dh0};
            }
            String[] names = {"gates", "hiddens", "gradInputGates", "gradHiddenGates", "gradH0"};
            for (int i = 0; i < names.length; i++) {
                same("gru H=" + h + " " + names[i], v[0][i], v[1][i]);
            }
        }
    }
}
