package dev.jgrad.io;

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

/**
 * The training run {@link CheckpointTest} resumes, and the child JVM that resumes it: {@code main}
 * builds the run with other weights and generator state, loads the checkpoint {@code args[0]}, trains
 * one more epoch and saves the model's state dict (and the schedule's lr) to {@code args[1]}.
 */
final class ResumeMain {
    record Run(Module model, Optimizer opt, LRScheduler sched, DataLoader loader) {
        void epoch() {
            for (List<Tensor> b : loader) {
                opt.zeroGrad();
                Losses.crossEntropy(model.forward(b.get(0)), b.get(1)).backward();
                opt.step();
            }
            sched.step();
        }
    }

    private ResumeMain() {
    }

    /** A run that uses all a checkpoint carries: Adam's moments, a StepLR, dropout, a shuffled loader. */
    static Run build(long seed) {
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

    public static void main(String[] args) {
        Run resumed = build(99);   // other initial weights and generator state, overwritten by the load
        Checkpoint.load(Path.of(args[0]), resumed.model(), resumed.opt(), resumed.sched());
        resumed.epoch();
        SafeTensors.save(resumed.model().stateDict(), Map.of("lr", Double.toString(resumed.sched().lastLr())),
                Path.of(args[1]));
        System.out.println("resumed");
    }
}
