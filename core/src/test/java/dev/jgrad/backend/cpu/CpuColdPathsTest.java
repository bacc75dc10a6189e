package dev.jgrad.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jgrad.DType;
import dev.jgrad.backend.Backend;
import dev.jgrad.backend.BinaryOp;
import dev.jgrad.backend.HeapBuffer;
import dev.jgrad.backend.ReduceOp;
import dev.jgrad.backend.UnaryOp;
import dev.jgrad.backend.View;
import dev.jgrad.backend.Window;
import dev.jgrad.backend.reference.ReferenceBackend;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The cpu backend's own loops for the primitives the op table reaches only in a few layouts
 * (where, gather, scatterAdd, fill, I64 data, reductions no fast path covers), compared at the
 * primitive level with the reference backend over every layout: contiguous, offset, transposed,
 * every-other-element, broadcast and empty; F32, F64 and I64; values with NaN and infinities.
 * The whole output buffer is compared, so a write outside the view fails too.
 */
class CpuColdPathsTest {
    private static final Backend CPU = CpuBackend.INSTANCE;
    private static final Backend REF = ReferenceBackend.INSTANCE;
    private static final int LAYOUTS = 5;

    /** A view of {@code shape} in layout {@code kind} over a buffer of random values (same seed, same values). */
    private static View view(Backend owner, DType dt, int[] shape, int kind, long seed, boolean specials) {
        int n = View.contiguous(HeapBuffer.allocate(owner, dt, 0), shape).numel();
        int[] strides = View.contiguousStrides(shape);
        int offset = 0, length = n;
        switch (kind) {
            case 1 -> {
                offset = 3;
                length = n + 5;
            }
            case 2 -> {
                int[] rev = new int[shape.length];
                for (int d = 0; d < shape.length; d++) {
                    rev[d] = shape[shape.length - 1 - d];
                }
                int[] rs = View.contiguousStrides(rev);
                for (int d = 0; d < shape.length; d++) {
                    strides[d] = rs[shape.length - 1 - d];
                }
            }
            case 3 -> {
                for (int d = 0; d < shape.length; d++) {
                    strides[d] *= 2;
                }
                length = 2 * n + 1;
            }
            case 4 -> {
                if (shape.length > 0) {
                    strides[0] = 0;
                }
            }
            default -> {
            }
        }
        HeapBuffer b = HeapBuffer.allocate(owner, dt, length);
        SplittableRandom rng = new SplittableRandom(seed);
        for (int i = 0; i < length; i++) {
            double v = dt == DType.I64 ? rng.nextInt(-9, 10) : rng.nextGaussian();
            if (specials && dt != DType.I64) {
                int r = rng.nextInt(12);
                v = r == 0 ? Double.NaN : r == 1 ? Double.POSITIVE_INFINITY : r == 2 ? Double.NEGATIVE_INFINITY : v;
            }
            b.set(i, v);
        }
        return new View(b, offset, shape, strides);
    }

    private static double[] all(View v) {
        HeapBuffer b = (HeapBuffer) v.buffer();
        double[] out = new double[(int) b.length()];
        for (int i = 0; i < out.length; i++) {
            out[i] = b.get(i);
        }
        return out;
    }

    private static void same(View expected, View actual, String what) {
        assertArrayEquals(all(expected), all(actual), what);
    }

    private static List<int[]> shapes() {
        return List.of(new int[] {7}, new int[] {3, 5}, new int[] {2, 3, 4}, new int[] {0, 3}, new int[] {4, 1, 19},
                new int[] {1}, new int[] {2, 33});
    }

    @Test
    void whereMatchesReferenceForEveryConditionDtypeAndLayout() {
        long seed = 1;
        for (int[] shape : shapes()) {
            for (DType dt : DType.values()) {
                for (DType ct : DType.values()) {
                    for (int kind = 0; kind < LAYOUTS; kind++) {
                        View[] r = {view(REF, ct, shape, kind, seed, true), view(REF, dt, shape, 0, seed + 1, true),
                            view(REF, dt, shape, kind, seed + 2, true), view(REF, dt, shape, kind == 4 ? 0 : kind, seed + 3, false)};
                        View[] c = {view(CPU, ct, shape, kind, seed, true), view(CPU, dt, shape, 0, seed + 1, true),
                            view(CPU, dt, shape, kind, seed + 2, true), view(CPU, dt, shape, kind == 4 ? 0 : kind, seed + 3, false)};
                        REF.where(r[0], r[1], r[2], r[3]);
                        CPU.where(c[0], c[1], c[2], c[3]);
                        same(r[3], c[3], "where " + dt + " cond " + ct + " layout " + kind + " " + r[3]);
                        seed += 4;
                    }
                }
            }
        }
    }

    @Test
    void fillCopyAndIntegerArithmeticMatchReference() {
        long seed = 100;
        for (int[] shape : shapes()) {
            for (int kind = 0; kind < 4; kind++) {
                for (DType dt : DType.values()) {
                    View r = view(REF, dt, shape, kind, seed, false), c = view(CPU, dt, shape, kind, seed, false);
                    REF.fill(r, -2.5);
                    CPU.fill(c, -2.5);
                    same(r, c, "fill " + dt + " " + r);
                }
                View ri = view(REF, DType.I64, shape, kind, seed + 1, false), ci = view(CPU, DType.I64, shape, kind, seed + 1, false);
                View ro = view(REF, DType.I64, shape, 0, seed + 2, false), co = view(CPU, DType.I64, shape, 0, seed + 2, false);
                REF.unary(UnaryOp.IDENTITY, 0, ri, ro);
                CPU.unary(UnaryOp.IDENTITY, 0, ci, co);
                same(ro, co, "I64 copy " + ri);
                for (BinaryOp op : BinaryOp.values()) {
                    View[] r = {view(REF, DType.I64, shape, kind, seed + 3, false), positive(view(REF, DType.I64, shape, 0, seed + 4, false)),
                        view(REF, DType.I64, shape, 0, seed + 5, false)};
                    View[] c = {view(CPU, DType.I64, shape, kind, seed + 3, false), positive(view(CPU, DType.I64, shape, 0, seed + 4, false)),
                        view(CPU, DType.I64, shape, 0, seed + 5, false)};
                    REF.binary(op, r[0], r[1], r[2]);
                    CPU.binary(op, c[0], c[1], c[2]);
                    same(r[2], c[2], "I64 " + op + " " + r[0]);
                }
                seed += 6;
            }
        }
    }

    /** Divisors and exponents in 1..4, so DIV and POW stay finite in every formula. */
    private static View positive(View v) {
        long[] a = ((HeapBuffer) v.buffer()).i64;
        for (int i = 0; i < a.length; i++) {
            a[i] = 1 + Math.floorMod(a[i], 4);
        }
        return v;
    }

    @Test
    void gatherAndScatterAddMatchReferenceAlongEveryDim() {
        long seed = 1000;
        for (int[] shape : shapes()) {
            for (int dim = 0; dim < shape.length; dim++) {
                for (DType dt : DType.values()) {
                    for (int kind = 0; kind < 4; kind++) {
                        compareIndexing(shape, dim, dt, kind, seed);
                        seed += 10;
                    }
                }
            }
        }
    }

    private static void compareIndexing(int[] shape, int dim, DType dt, int kind, long seed) {
        int[] idxShape = shape.clone();
        idxShape[dim] = shape[dim] == 0 ? 0 : shape[dim] + 2; // more picks than the dim: duplicates
        for (int d = 0; d < idxShape.length; d++) {
            idxShape[d] = d != dim && idxShape[d] > 1 ? idxShape[d] - 1 : idxShape[d];
        }
        View ri = indices(REF, idxShape, shape[dim], seed), ci = indices(CPU, idxShape, shape[dim], seed);
        View rin = view(REF, dt, shape, kind, seed + 1, true), cin = view(CPU, dt, shape, kind, seed + 1, true);
        View rout = view(REF, dt, idxShape, 0, seed + 2, false), cout = view(CPU, dt, idxShape, 0, seed + 2, false);
        REF.gather(rin, dim, ri, rout);
        CPU.gather(cin, dim, ci, cout);
        String what = " " + dt + " dim " + dim + " of " + rin + " index " + ri;
        same(rout, cout, "gather" + what);
        View rsrc = view(REF, dt, idxShape, kind == 4 ? 0 : kind, seed + 3, false);
        View csrc = view(CPU, dt, idxShape, kind == 4 ? 0 : kind, seed + 3, false);
        View rt = view(REF, dt, shape, kind == 4 ? 0 : kind, seed + 4, false);
        View ct = view(CPU, dt, shape, kind == 4 ? 0 : kind, seed + 4, false);
        REF.scatterAdd(rsrc, dim, ri, rt);
        CPU.scatterAdd(csrc, dim, ci, ct);
        same(rt, ct, "scatterAdd" + what);
    }

    private static View indices(Backend owner, int[] shape, int bound, long seed) {
        View v = view(owner, DType.I64, shape, 0, seed, false);
        long[] a = ((HeapBuffer) v.buffer()).i64;
        for (int i = 0; i < a.length; i++) {
            a[i] = bound == 0 ? 0 : Math.floorMod(a[i], bound);
        }
        return v;
    }

    @Test
    void reductionsMatchReferenceOverEveryAxisSetLayoutAndNonFiniteValue() {
        long seed = 5000;
        List<int[]> shapes = new ArrayList<>(shapes());
        shapes.add(new int[] {3, 4100});   // a row longer than one F32 block
        for (int[] shape : shapes) {
            for (int mask = 0; mask < 1 << shape.length; mask++) {
                int[] axes = axes(mask, shape.length);
                int[] outShape = shape.clone();
                for (int a : axes) {
                    outShape[a] = 1;
                }
                for (ReduceOp op : ReduceOp.values()) {
                    for (DType dt : List.of(DType.F32, DType.F64)) {
                        for (int kind = 0; kind < LAYOUTS; kind++) {
                            boolean specials = kind % 2 == 0;
                            DType ot = op.yieldsIndex() ? DType.I64 : dt;
                            View rin = view(REF, dt, shape, kind, seed, specials);
                            View cin = view(CPU, dt, shape, kind, seed, specials);
                            View rout = view(REF, ot, outShape, 0, seed + 1, false);
                            View cout = view(CPU, ot, outShape, 0, seed + 1, false);
                            REF.reduce(op, rin, axes, rout);
                            CPU.reduce(op, cin, axes, cout);
                            compareReduced(all(rout), all(cout), op + " " + dt + " axes " + java.util.Arrays.toString(axes)
                                    + " of " + rin);
                            seed += 2;
                        }
                    }
                }
            }
        }
    }

    private static void compareReduced(double[] e, double[] a, String what) {
        assertEquals(e.length, a.length, what);
        for (int i = 0; i < e.length; i++) {
            boolean ok = Double.compare(e[i], a[i]) == 0 || e[i] == a[i]
                    || Math.abs(e[i] - a[i]) <= 1e-4 * (1 + Math.abs(e[i]));
            assertTrue(ok, what + ": element " + i + " expected " + e[i] + " but was " + a[i]);
        }
    }

    private static int[] axes(int mask, int rank) {
        return java.util.stream.IntStream.range(0, rank).filter(d -> (mask & (1 << d)) != 0).toArray();
    }

    @Test
    void unfoldAndFoldOfIndicesMatchReference() {
        Window w = new Window(2, 3, 1, 2, 1, 0, 1, 1);
        int[] in = {2, 3, 5, 7};
        int[] cols = {2, 3, 2, 3, w.outH(5), w.outW(7)};
        for (int kind = 0; kind < 4; kind++) {
            View rx = view(REF, DType.I64, in, kind, 9000 + kind, false), cx = view(CPU, DType.I64, in, kind, 9000 + kind, false);
            View ro = view(REF, DType.I64, cols, 0, 9100, false), co = view(CPU, DType.I64, cols, 0, 9100, false);
            REF.unfold(rx, w, ro);
            CPU.unfold(cx, w, co);
            same(ro, co, "I64 unfold of " + rx);
            View rf = view(REF, DType.I64, in, kind == 2 ? 2 : 0, 9200, false), cf = view(CPU, DType.I64, in, kind == 2 ? 2 : 0, 9200, false);
            REF.fold(ro, w, rf);
            CPU.fold(co, w, cf);
            same(rf, cf, "I64 fold into " + rf);
        }
    }

    /** The point of these loops: the cpu backend's sources never call into the oracle they are checked against. */
    @Test
    void cpuSourcesDoNotUseTheReferenceBackend() throws IOException {
        Path dir = Path.of("src/main/java/dev/jgrad/backend/cpu");
        assertTrue(Files.isDirectory(dir), "run from the core module: " + dir.toAbsolutePath());
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.toList()) {
                String src = Files.readString(f);
                assertTrue(!src.contains("ReferenceBackend") && !src.contains("backend.reference"),
                        f + " uses the reference backend");
            }
        }
    }
}
