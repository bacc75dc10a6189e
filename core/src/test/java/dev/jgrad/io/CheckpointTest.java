package dev.jgrad.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jgrad.Tensor;
import dev.jgrad.data.DataLoader;
import dev.jgrad.data.TensorDataset;
import dev.jgrad.nn.Dropout;
import dev.jgrad.nn.Linear;
import dev.jgrad.nn.Losses;
import dev.jgrad.nn.Module;
import dev.jgrad.nn.ReLU;
import dev.jgrad.nn.Sequential;
import dev.jgrad.optim.Adam;
import dev.jgrad.optim.Optimizer;
import dev.jgrad.optim.lr.LRScheduler;
import dev.jgrad.optim.lr.StepLR;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run resumed from a checkpoint continues bit-identically: two epochs straight against one epoch,
 * a checkpoint, fresh objects (built after reseeding elsewhere), a load and one more epoch. The run
 * uses everything a checkpoint must carry: Adam's moments and step, a StepLR, dropout masks and a
 * shuffled loader drawing from the default generator.
 */
class CheckpointTest {
    @TempDir
    Path dir;

    private record Run(Module model, Optimizer opt, LRScheduler sched, DataLoader loader) {
        void epoch() {
            for (List<Tensor> b : loader) {
                opt.zeroGrad();
                Losses.crossEntropy(model.forward(b.get(0)), b.get(1)).backward();
                opt.step();
            }
            sched.step();
        }
    }

    private static Run build(long seed) {
        Tensor.manualSeed(seed);
        SplittableRandom data = new SplittableRandom(7);
        float[] x = new float[64 * 8];
        long[] y = new long[64];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) data.nextGaussian();
        }
        for (int i = 0; i < y.length; i++) {
            y[i] = data.nextInt(3);
        }
        Module model = new Sequential(new Linear(8, 16), new ReLU(), new Dropout(0.2), new Linear(16, 3));
        Optimizer opt = new Adam(model.parameters(), 0.01);
        LRScheduler sched = new StepLR(opt, 1, 0.5);
        DataLoader loader = new DataLoader(new TensorDataset(Tensor.of(x, 64, 8), Tensor.of(y, 64)), 16, true);
        return new Run(model, opt, sched, loader);
    }

    @Test
    void aResumedRunContinuesBitIdentically() {
        Run straight = build(1);
        straight.epoch();
        straight.epoch();

        Run first = build(1);
        first.epoch();
        Path file = dir.resolve("run.safetensors");
        Checkpoint.save(file, first.model(), first.opt(), first.sched(), Map.of("epoch", "1"));

        Run resumed = build(99);   // other initial weights and generator state, overwritten by the load
        Map<String, String> meta = Checkpoint.load(file, resumed.model(), resumed.opt(), resumed.sched());
        assertEquals(Map.of("epoch", "1"), meta);
        resumed.epoch();

        assertEquals(straight.sched().lastLr(), resumed.sched().lastLr());
        Map<String, Tensor> a = straight.model().stateDict(), b = resumed.model().stateDict();
        assertEquals(a.keySet(), b.keySet());
        for (String k : a.keySet()) {
            assertArrayEquals(a.get(k).toFloatArray(), b.get(k).toFloatArray(), k + " differs after resuming");
        }
    }

    @Test
    void aPlainSafetensorsFileOrAMissingPartIsRefusedBeforeAnythingChanges() {
        Run run = build(3);
        Path plain = dir.resolve("plain.safetensors");
        SafeTensors.save(run.model().stateDict(), plain);
        float[] before = run.model().parameters().get(0).toFloatArray();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Checkpoint.load(plain, run.model(), run.opt(), run.sched()));
        assertTrue(e.getMessage().contains("not a jgrad checkpoint"), e.getMessage());

        Path modelOnly = dir.resolve("model-only.safetensors");
        Checkpoint.save(modelOnly, run.model(), null, null, null);
        run.model().parameters().get(0).requiresGrad(false).fillInPlace(0.5);
        run.model().parameters().get(0).requiresGrad(true);
        float[] changed = run.model().parameters().get(0).toFloatArray();
        e = assertThrows(IllegalArgumentException.class,
                () -> Checkpoint.load(modelOnly, run.model(), run.opt(), run.sched()));
        assertTrue(e.getMessage().contains("optimizer state") && e.getMessage().contains("schedule state"),
                e.getMessage());
        assertArrayEquals(changed, run.model().parameters().get(0).toFloatArray(), "nothing may change");
        Checkpoint.load(modelOnly, run.model(), null, null);
        assertArrayEquals(before, run.model().parameters().get(0).toFloatArray());
    }
}
