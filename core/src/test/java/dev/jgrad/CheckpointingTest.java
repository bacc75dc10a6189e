package dev.jgrad;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jgrad.autograd.Autograd;
import dev.jgrad.autograd.NoGrad;
import dev.jgrad.autograd.Transforms;
import dev.jgrad.backend.HeapMemory;
import dev.jgrad.nn.Dropout;
import dev.jgrad.nn.Linear;
import dev.jgrad.nn.Module;
import dev.jgrad.nn.ReLU;
import dev.jgrad.nn.Sequential;
import dev.jgrad.nn.Tanh;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.function.IntConsumer;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

/** Checkpointed segments give the plain run's gradients bit for bit, replay random ops, and save memory. */
class CheckpointingTest {

    /** A SplitMix64 generator whose state checkpointing can capture and replay. */
    static final class Replayable implements RandomGenerator, Checkpointing.RandomState {
        private long state;

        Replayable(long seed) {
            state = seed;
        }

        @Override
        public long nextLong() {
            long z = (state += 0x9E3779B97F4A7C15L);
            z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
            z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
            return z ^ (z >>> 31);
        }

        @Override
        public Object snapshot() {
            return state;
        }

        @Override
        public void restore(Object snapshot) {
            state = (Long) snapshot;
        }
    }

    /** A small MLP with inverted dropout drawn from {@code rng}; {@code every} > 0 checkpoints that many layers at a time. */
    private record Mlp(List<Tensor> weights, List<Tensor> biases, RandomGenerator rng, double dropout, IntConsumer probe) {
        static Mlp of(int layers, int width, long seed, RandomGenerator rng, double dropout, IntConsumer probe) {
            SplittableRandom init = new SplittableRandom(seed);
            List<Tensor> w = new ArrayList<>(), b = new ArrayList<>();
            for (int i = 0; i < layers; i++) {
                w.add(Tensor.randn(init, width, width).mul(1 / Math.sqrt(width)).detach().requiresGrad(true));
                b.add(Tensor.randn(init, width).mul(0.1).detach().requiresGrad(true));
            }
            return new Mlp(w, b, rng, dropout, probe);
        }

        Tensor layer(int i, Tensor h) {
            Tensor out = h.matmul(weights.get(i)).add(biases.get(i)).relu();
            if (dropout > 0) {
                Tensor keep = Tensor.rand(rng, out.dtype(), out.shape()).gt(Tensor.scalar(dropout, out.dtype()));
                out = out.mul(keep).mul(1 / (1 - dropout));
            }
            probe.accept(i);
            return out;
        }

        Tensor forward(Tensor x, int every) {
            Tensor h = x;
            for (int start = 0; start < weights.size(); start += Math.max(every, 1)) {
                int from = start, to = Math.min(weights.size(), start + Math.max(every, 1));
                Function<Tensor, Tensor> segment = t -> {
                    for (int i = from; i < to; i++) {
                        t = layer(i, t);
                    }
                    return t;
                };
                h = every > 0 ? Checkpointing.checkpoint(segment, h) : segment.apply(h);
            }
            return h;
        }

        List<float[]> grads() {
            List<float[]> g = new ArrayList<>();
            for (int i = 0; i < weights.size(); i++) {
                g.add(weights.get(i).grad().toFloatArray());
                g.add(biases.get(i).grad().toFloatArray());
            }
            return g;
        }
    }

    private static void assertBitIdentical(List<float[]> expected, List<float[]> actual) {
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++) {
            assertArrayEquals(expected.get(i), actual.get(i), "gradient " + i);
        }
    }

    /** Runs forward and backward; @return the parameters' gradients, then the input's */
    private static List<float[]> run(Mlp m, Tensor x, int every) {
        Tensor loss = m.forward(x, every).mul(m.forward(x, 0).detach().add(1)).sum();
        loss.backward();
        List<float[]> g = m.grads();
        if (x.requiresGrad()) {
            g.add(x.grad().toFloatArray());
        }
        return g;
    }

    @Test
    void gradientsMatchThePlainRunBitForBitWithDropoutReplayed() {
        Replayable rng = new Replayable(7);
        Checkpointing.registerRandomState(rng);
        try {
            Tensor x = Tensor.randn(new SplittableRandom(1), 16, 24).requiresGrad(true);
            Mlp plain = Mlp.of(8, 24, 3, rng, 0.3, i -> { });
            List<float[]> expected = run(plain, x, 0);
            long nextAfterPlain = rng.nextLong();
            for (int every : new int[] {1, 2, 3, 8}) {
                rng.restore(7L);
                x.zeroGrad();
                Mlp ck = Mlp.of(8, 24, 3, rng, 0.3, i -> { });
                assertBitIdentical(expected, run(ck, x, every));
                assertEquals(nextAfterPlain, rng.nextLong(), "recomputation leaves the generator where the forward left it");
            }
        } finally {
            Checkpointing.unregisterRandomState(rng);
        }
    }

    /** nn blocks with Dropout drawing from the default generator: replayed without registration. */
    @Test
    void moduleBlocksWithDropoutOnTheDefaultGeneratorMatchThePlainRun() {
        List<List<float[]>> runs = new ArrayList<>();
        for (boolean ck : new boolean[] {false, true}) {
            Tensor.manualSeed(21);
            List<Module> blocks = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                blocks.add(new Sequential(new Linear(12, 12), new ReLU(), new Dropout(0.25), new Linear(12, 12), new Tanh()));
            }
            Tensor h = Tensor.randn(new SplittableRandom(8), 5, 12);
            for (Module b : blocks) {
                h = ck ? Checkpointing.checkpoint(b::forward, h) : b.forward(h);
            }
            h.pow(2).sum().backward();
            List<float[]> g = new ArrayList<>();
            for (Module b : blocks) {
                b.parameters().forEach(p -> g.add(p.grad().toFloatArray()));
            }
            g.add(new float[] {(float) Tensor.defaultGenerator().nextDouble()});
            runs.add(g);
        }
        assertBitIdentical(runs.get(0), runs.get(1));
    }

    @Test
    void anUnregisteredGeneratorIsNotReplayedSoTheMasksDiffer() {
        Replayable rng = new Replayable(7);
        Tensor x = Tensor.randn(new SplittableRandom(1), 16, 24);
        List<float[]> plain = run(Mlp.of(4, 24, 3, rng, 0.5, i -> { }), x, 0);
        rng.restore(7L);
        List<float[]> ck = run(Mlp.of(4, 24, 3, rng, 0.5, i -> { }), x, 2);
        assertFalse(Arrays.equals(plain.get(0), ck.get(0)), "without replay the recomputed dropout mask differs");
    }

    @Test
    void parametersGetGradientsWhenTheInputNeedsNoneAndGradAndCreateGraphWork() {
        Tensor w = Tensor.randn(new SplittableRandom(2), DType.F64, 3, 3).requiresGrad(true);
        Function<Tensor, Tensor> seg = t -> t.matmul(w).tanh().matmul(w).sigmoid();
        Tensor x = Tensor.randn(new SplittableRandom(4), DType.F64, 2, 3);
        Tensor y = Checkpointing.checkpoint(seg, x);
        assertEquals("checkpoint", y.gradFn().name());
        List<Tensor> viaCheckpoint = Autograd.grad(y.sum(), List.of(w), null, false);
        List<Tensor> plain = Autograd.grad(seg.apply(x).sum(), List.of(w), null, false);
        assertArrayEquals(plain.get(0).toDoubleArray(), viaCheckpoint.get(0).toDoubleArray());
        assertNull(w.grad(), "Autograd.grad across a checkpoint writes no .grad");
        // Second order through the recomputation: the Hessian of sum(seg(x)) in x.
        Tensor xg = x.detach().requiresGrad(true);
        Tensor hPlain = Transforms.hessian(t -> seg.apply(t).sum(), xg);
        Tensor hCk = Transforms.hessian(t -> Checkpointing.checkpoint(seg, t).sum(), xg);
        assertArrayEquals(hPlain.toDoubleArray(), hCk.toDoubleArray());
    }

    @Test
    void misuseIsReported() {
        Tensor x = Tensor.randn(new SplittableRandom(5), 2, 2).requiresGrad(true);
        try (var g = NoGrad.enter()) {
            assertFalse(Checkpointing.checkpoint(t -> t.exp(), x).requiresGrad(), "no recording under NoGrad");
        }
        assertThrows(IllegalArgumentException.class, () -> Checkpointing.checkpoint((Function<Tensor, Tensor>) null, x));
        assertThrows(IllegalArgumentException.class, () -> Checkpointing.checkpoint(t -> null, x));
        int[] calls = {0};
        Tensor y = Checkpointing.checkpoint(t -> calls[0]++ == 0 ? t.exp() : t.exp().sum(), x);
        var e = assertThrows(IllegalStateException.class, () -> y.sum().backward());
        assertTrue(e.getMessage().contains("[2, 2]") && e.getMessage().contains("deterministic"), e.getMessage());
        Tensor base = Tensor.randn(new SplittableRandom(6), 2, 2).requiresGrad(true);
        Tensor h = base.mul(1.0);
        Tensor z = Checkpointing.checkpoint(Tensor::exp, h);
        try (var g = NoGrad.enter()) {
            h.addInPlace(Tensor.ones(2, 2));
        }
        var v = assertThrows(IllegalStateException.class, () -> z.sum().backward());
        assertTrue(v.getMessage().contains("modified by an in-place operation"), v.getMessage());
    }

    /** A ReLU output as the checkpoint's input is saved compressed; second order still flows into it. */
    @Test
    void aSparseInputIsRestoredExactlyAndStaysDifferentiableTwice() {
        Tensor w = Tensor.randn(new SplittableRandom(12), DType.F64, 6, 6).requiresGrad(true);
        Function<Tensor, Tensor> seg = t -> t.matmul(w).tanh().matmul(w).sigmoid();
        double[] v = Tensor.randn(new SplittableRandom(13), DType.F64, 4, 6).toDoubleArray();
        v[0] = -0.0;
        Tensor xg = Tensor.of(v, 4, 6).requiresGrad(true);
        Tensor hPlain = Transforms.hessian(t -> seg.apply(t.relu()).pow(2).sum(), xg);
        Tensor hCk = Transforms.hessian(t -> Checkpointing.checkpoint(seg, t.relu()).pow(2).sum(), xg);
        // Second order adds the two paths through w in another order than the plain graph (so for a dense
        // input too): equal to rounding; a stand-in cut off from x would lose whole terms.
        assertArrayEquals(hPlain.toDoubleArray(), hCk.toDoubleArray(), 1e-12);
        assertTrue(Arrays.stream(hCk.toDoubleArray()).filter(d -> Math.abs(d) > 1e-3).count() > 24,
                "the Hessian in x has off-diagonal terms, so second order flowed through the checkpoint's input");
        // -0.0 passes relu unchanged only if relu keeps it; whatever it gives, the recomputation sees the same bits.
        Tensor h = Tensor.of(v, 4, 6).relu().requiresGrad(true);
        Checkpointing.checkpoint(t -> {
            seen.add(t.toDoubleArray());
            return t.exp();
        }, h).sum().backward();
        assertEquals(2, seen.size());
        assertArrayEquals(bits(seen.get(0)), bits(seen.get(1)), "the recomputation's input has the forward's exact bits");
        assertArrayEquals(h.exp().toDoubleArray(), h.grad().toDoubleArray());
        seen.clear();
    }

    private final List<double[]> seen = new ArrayList<>();

    private static long[] bits(double[] v) {
        return Arrays.stream(v).mapToLong(Double::doubleToRawLongBits).toArray();
    }

    @Test
    void anInPlaceChangeOfASparseInputIsStillReported() {
        Tensor base = Tensor.randn(new SplittableRandom(14), 8, 8).requiresGrad(true);
        Tensor h = base.relu();
        Tensor z = Checkpointing.checkpoint(Tensor::exp, h);
        try (var g = NoGrad.enter()) {
            h.addInPlace(Tensor.ones(8, 8));
        }
        var v = assertThrows(IllegalStateException.class, () -> z.sum().backward());
        assertTrue(v.getMessage().contains("modified by an in-place operation"), v.getMessage());
    }

    /** @return {peak plain, peak checkpointed} live bytes above the parameters and input */
    private static long[] peakLiveBytes(double dropout) {
        long[] peak = {0, 0};
        long[] baseline = {0};
        int[] which = {0};
        boolean[] inBackward = {false};
        Runnable sample = () -> peak[which[0]] = Math.max(peak[which[0]], HeapMemory.settledLiveBytes() - baseline[0]);
        // Forward only grows the live set, so one sample at its end covers it (the plain run's peak, less
        // the first gradients in flight); in backward every layer samples itself when recomputed.
        IntConsumer probe = i -> {
            if (inBackward[0]) {
                sample.run();
            }
        };
        HeapMemory.setTracking(true);
        Replayable rng = new Replayable(13);
        Checkpointing.registerRandomState(rng);
        try {
            Tensor x = Tensor.randn(new SplittableRandom(9), 1024, 64);
            List<List<float[]>> grads = new ArrayList<>();
            for (int every : new int[] {0, 4}) {
                rng.restore(13L);
                Mlp m = Mlp.of(32, 64, 11, rng, dropout, probe);
                baseline[0] = HeapMemory.settledLiveBytes();
                inBackward[0] = false;
                Tensor loss = m.forward(x, every).mean();
                sample.run();
                inBackward[0] = true;
                loss.backward();
                sample.run();
                grads.add(m.grads());
                which[0]++;
            }
            assertBitIdentical(grads.get(0), grads.get(1));
            System.out.printf("checkpointing 32 layers every 4 (1024x64 F32, dropout %.1f): peak live bytes above"
                    + " params+input: plain %d, checkpointed %d (%.2f)%n", dropout, peak[0], peak[1],
                    peak[1] / (double) peak[0]);
            return peak;
        } finally {
            Checkpointing.unregisterRandomState(rng);
            HeapMemory.setTracking(false);
        }
    }

    /**
     * A 32-layer MLP checkpointed every 4 layers against the plain run, live tensor bytes sampled
     * (garbage collector settled) at the end of forward and after every layer recomputed. With dropout a
     * layer keeps three activations (ReLU output, mask, dropped output). Without, a layer keeps one (the
     * ReLU output, which is also the next product's input): the plain run keeps 32 activations. Were the
     * checkpoints' inputs kept whole, the checkpointed peak, while the next-to-last segment is recomputed,
     * would be its 4 activations, the 6 segment inputs still ahead of it (the first is the user's input),
     * the gradient coming in and 4 layers' parameter gradients: 11.25 activations, 0.35, over a third
     * (measured so before the inputs were compressed). The inputs are ReLU outputs, about half zeros, kept
     * as a bitmap and the non-zero values (about 0.53 of an activation each): 0.30. The bound also
     * catches a segment input kept past its backward (the backward closure once captured the inputs).
     */
    @Test
    void checkpointingEveryFourOf32LayersCutsThePeakLiveBytes() {
        long activation = 1024 * 64 * 4;
        long[] dropout = peakLiveBytes(0.2);
        assertTrue(dropout[0] >= 90 * activation, "plain run with dropout keeps three activations a layer");
        assertTrue(dropout[1] * 3 <= dropout[0], "checkpointed " + dropout[1] + " vs plain " + dropout[0]);
        long[] relu = peakLiveBytes(0);
        assertTrue(relu[0] >= 32 * activation, "plain run keeps an activation a layer");
        assertTrue(relu[1] * 3 <= relu[0], "checkpointed " + relu[1] + " vs plain " + relu[0]);
    }
}
