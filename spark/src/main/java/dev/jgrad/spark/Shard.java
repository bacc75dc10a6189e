package dev.jgrad.spark;

import dev.jgrad.MemoryScope;
import dev.jgrad.Tensor;
import dev.jgrad.nn.Module;
import dev.jgrad.optim.GradClip;
import dev.jgrad.optim.Optimizer;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;

/**
 * One partition's rows as tensors (built once, then kept by Spark's cache) plus the executor's model
 * replica. Lives only on executors; rounds reach it through {@code treeAggregate}. Synchronised so
 * that two attempts of the same task (speculation) never share the replica at once.
 */
final class Shard {
    private final int partition;
    private final Tensor x;
    private final Tensor y;
    private final int rows;
    private Module replica;

    private Shard(int partition, Tensor x, Tensor y, int rows) {
        this.partition = partition;
        this.x = x;
        this.y = y;
        this.rows = rows;
    }

    /**
     * Validates and converts a partition's rows.
     *
     * @throws IllegalArgumentException naming the partition and row: wrong feature count, label out of
     *                                  range, or no rows at all
     */
    static Shard build(int partition, Iterator<Example> it, TrainingConfig cfg) {
        int f = cfg.features();
        float[] xs = new float[Math.max(f, 1) * 64];
        long[] ys = new long[64];
        int n = 0;
        while (it.hasNext()) {
            Example e = it.next();
            if (e.features().length != f) {
                throw new IllegalArgumentException("SparkTrainer: partition " + partition + " row " + n + " has "
                        + e.features().length + " features, but the model's input " + Arrays.toString(cfg.inputShape())
                        + " needs " + f);
            }
            if (e.label() < 0 || e.label() >= cfg.numClasses()) {
                throw new IllegalArgumentException("SparkTrainer: partition " + partition + " row " + n + " has label "
                        + e.label() + ", outside [0, " + cfg.numClasses() + ")");
            }
            if (n == ys.length) {
                ys = Arrays.copyOf(ys, Math.multiplyExact(n, 2));
                xs = Arrays.copyOf(xs, Math.multiplyExact(xs.length, 2));
            }
            System.arraycopy(e.features(), 0, xs, n * f, f);
            ys[n++] = e.label();
        }
        if (n == 0) {
            throw new IllegalArgumentException("SparkTrainer: partition " + partition + " is empty; every partition"
                    + " must hold at least one row (repartition or coalesce the RDD)");
        }
        int[] shape = new int[cfg.inputShape().length + 1];
        shape[0] = n;
        System.arraycopy(cfg.inputShape(), 0, shape, 1, shape.length - 1);
        return new Shard(partition, Tensor.of(Arrays.copyOf(xs, n * f), shape), Tensor.of(Arrays.copyOf(ys, n), n), n);
    }

    /**
     * k = 1: loads {@code w}, takes this round's batch and returns {@code m·∇L}, m and {@code m·L}.
     */
    synchronized RoundResult gradient(float[] w, long round, TrainingConfig cfg) {
        List<Tensor> params = load(w, cfg);
        int b = cfg.batchPerPartition();
        int start = batchStart(round, b);
        int m = Math.min(b, rows - start);
        double loss = step(params, start, m, cfg);
        return new RoundResult(Flat.grads(params, m), m, loss * m);
    }

    /**
     * k &gt; 1: loads {@code w} (the weights, then the optimizer state laid out by {@code in} when it is
     * non-null), takes k steps of an executor optimizer at learning rate {@code lr} on the next k
     * batches and returns {@code m·w'} (m = rows seen; followed by {@code m·state'} when averaging
     * state), m and the summed loss × rows.
     */
    synchronized RoundResult localSteps(float[] w, OptState in, double lr, long round, TrainingConfig cfg) {
        List<Tensor> params = load(w, cfg);
        Optimizer opt = cfg.optimizer().create(params);
        if (in != null) {
            in.load(opt, params, w, Flat.count(params));
        }
        opt.setLr(lr);
        int b = cfg.batchPerPartition();
        long seen = 0;
        double lossSum = 0;
        for (int s = 0; s < cfg.localSteps(); s++) {
            int start = batchStart(round * cfg.localSteps() + s, b);
            int m = Math.min(b, rows - start);
            lossSum += step(params, start, m, cfg) * m;
            if (cfg.clipNorm() > 0) {
                GradClip.clipNorm(params, cfg.clipNorm());
            }
            opt.step();
            seen += m;
        }
        OptState out = in == null ? null : OptState.of(opt, params);
        float[] wNew = out == null ? Flat.weights(params) : out.pack(Flat.weights(params), opt, params);
        for (int i = 0; i < wNew.length; i++) {
            wNew[i] *= seen;
        }
        return new RoundResult(wNew, seen, lossSum, out);
    }

    /** Batch i = step mod ceil(rows / b) starts at row i·b: each partition walks its rows in order, epoch after epoch. */
    private int batchStart(long step, int b) {
        long batches = (rows + (long) b - 1) / b;
        return (int) ((step % batches) * b);
    }

    private List<Tensor> load(float[] w, TrainingConfig cfg) {
        if (replica == null) {
            replica = cfg.model().create();
        }
        List<Tensor> params = replica.parameters();
        Flat.load(params, w, Flat.count(params));
        replica.train();
        return params;
    }

    /**
     * Forward and backward of rows [start, start + m), in a {@link MemoryScope} as {@code Trainer} runs
     * a step, so the next step reuses this one's activation arrays; grads are left on the parameters.
     * @return the mean loss
     */
    private double step(List<Tensor> params, int start, int m, TrainingConfig cfg) {
        for (Tensor p : params) {
            p.zeroGrad();
        }
        try (var scope = MemoryScope.open("SparkTrainer's per-step MemoryScope")) {
            return forwardBackward(start, m, cfg);
        }
    }

    private double forwardBackward(int start, int m, TrainingConfig cfg) {
        Tensor out = replica.forward(x.narrow(0, start, m));
        Tensor loss = cfg.loss().loss(out, y.narrow(0, start, m));
        if (loss.numel() != 1) {
            throw new IllegalArgumentException("SparkTrainer: partition " + partition + ": the loss must be a scalar"
                    + " (mean over the batch), got shape " + Arrays.toString(loss.shape()));
        }
        loss.backward();
        return loss.item();
    }
}
