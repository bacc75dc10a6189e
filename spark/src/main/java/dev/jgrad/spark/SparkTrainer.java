package dev.jgrad.spark;

import dev.jgrad.Tensor;
import dev.jgrad.io.Checkpoint;
import dev.jgrad.nn.Module;
import dev.jgrad.optim.GradClip;
import dev.jgrad.optim.Optimizer;
import dev.jgrad.optim.lr.LRScheduler;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.StorageLevel;

/**
 * Synchronous data-parallel training of a driver-side {@link Module} over a {@code JavaRDD<Example>};
 * the algorithm is stated in the {@linkplain dev.jgrad.spark package documentation}. The driver
 * owns the model, the optimizer (built by the config's {@link OptimizerFactory}), an optional LR
 * scheduler (stepped once per round) and the checkpoints; executors own cached tensor shards and
 * model replicas. {@link #close()} unpersists the shards.
 */
public final class SparkTrainer implements AutoCloseable {
    private final JavaSparkContext jsc;
    private final Module model;
    private final List<Tensor> params;
    private final Optimizer optimizer;
    private final TrainingConfig cfg;
    private final JavaRDD<Shard> shards;
    private LRScheduler scheduler;
    private long rounds;

    /**
     * Prepares the shards lazily (they are built and validated by the first round).
     *
     * @param data  the training rows; P = its partition count
     * @param model the driver's model (updated in place each round)
     * @param cfg   shapes, batch, k, loss, factories, clipping, checkpoints
     * @throws IllegalArgumentException if the flat model exceeds {@link TrainingConfig#maxModelBytes}
     *                                  (default {@code spark.driver.maxResultSize}) or the RDD has no partitions
     */
    public SparkTrainer(JavaRDD<Example> data, Module model, TrainingConfig cfg) {
        this.model = Objects.requireNonNull(model, "SparkTrainer: model");
        this.cfg = Objects.requireNonNull(cfg, "SparkTrainer: cfg");
        this.jsc = JavaSparkContext.fromSparkContext(Objects.requireNonNull(data, "SparkTrainer: data").context());
        this.params = model.parameters();
        checkSize(Flat.count(params), jsc, cfg);
        if (data.getNumPartitions() == 0) {
            throw new IllegalArgumentException("SparkTrainer: the RDD has no partitions, so there is nothing to train on");
        }
        this.optimizer = cfg.optimizer().create(params);
        TrainingConfig c = cfg;
        this.shards = data.mapPartitionsWithIndex(
                (p, it) -> Collections.singletonList(Shard.build(p, it, c)).iterator(), true)
                .persist(StorageLevel.MEMORY_ONLY());
    }

    private static void checkSize(int count, JavaSparkContext jsc, TrainingConfig cfg) {
        long bytes = 4L * count;
        long limit = cfg.maxModelBytes() > 0 ? cfg.maxModelBytes()
                : jsc.getConf().getSizeAsBytes("spark.driver.maxResultSize", "1g");
        if (limit > 0 && bytes > limit) {
            throw new IllegalArgumentException("SparkTrainer: the model has " + count + " parameters (" + bytes
                    + " bytes as F32), over the limit of " + limit + " bytes that one round broadcasts and returns"
                    + " (TrainingConfig.maxModelBytes, default spark.driver.maxResultSize); raise the limit or shrink the model");
        }
    }

    /**
     * Steps {@code s} once after every round (PyTorch's per-step schedulers, e.g. OneCycleLR).
     *
     * @param s a scheduler over {@link #optimizer()}
     * @return this
     */
    public SparkTrainer scheduler(LRScheduler s) {
        if (Objects.requireNonNull(s, "SparkTrainer: scheduler").optimizer() != optimizer) {
            throw new IllegalArgumentException("SparkTrainer.scheduler: the scheduler must drive this trainer's optimizer()");
        }
        this.scheduler = s;
        return this;
    }

    /**
     * Runs one round: broadcast, per-partition gradients (or k local steps), tree-aggregate, then the
     * driver's update, scheduler step and checkpoint. Atomic: if the Spark job fails (after Spark's
     * task retries) nothing on the driver changes and the round is not counted.
     *
     * @return the round's statistics
     * @throws IllegalArgumentException for bad rows (naming partition and row) or a loss of wrong shape
     * @throws IllegalStateException    if the job failed for another reason
     */
    public RoundStats round() {
        long t0 = System.nanoTime();
        RoundResult res = aggregate(rounds);
        if (res.examples == 0 || res.sum == null) {
            throw new IllegalStateException("SparkTrainer: round " + (rounds + 1) + " returned no examples");
        }
        float[] mean = res.sum;
        float inv = (float) (1.0 / res.examples);
        for (int i = 0; i < mean.length; i++) {
            mean[i] *= inv;
        }
        if (cfg.localSteps() == 1) {
            Flat.setGrads(params, mean);
            if (cfg.clipNorm() > 0) {
                GradClip.clipNorm(params, cfg.clipNorm());
            }
            optimizer.step();
        } else {
            int n = Flat.count(params);
            Flat.load(params, mean, n);
            if (res.state != null) {
                res.state.load(optimizer, params, mean, n);
            }
        }
        rounds++;
        if (scheduler != null) {
            scheduler.step();
        }
        if (cfg.checkpointEvery() > 0 && rounds % cfg.checkpointEvery() == 0) {
            TrainingCheckpoint.save(cfg.checkpointFile(), model, optimizer, scheduler, rounds);
        }
        return new RoundStats(rounds, res.examples, res.lossSum / res.examples, (System.nanoTime() - t0) / 1e9);
    }

    private RoundResult aggregate(long r) {
        TrainingConfig c = cfg;
        double lr = optimizer.lr();
        OptState in = c.localSteps() > 1 && c.averageOptimizerState() ? OptState.of(optimizer, params) : null;
        float[] w = Flat.weights(params);
        Floats vec = new Floats(in == null ? w : in.pack(w, optimizer, params));
        // Small vectors ride in the task, which Spark broadcasts anyway: one broadcast (and its block
        // registration round trips) per round instead of two.
        boolean inline = 4L * vec.values().length <= c.inlineWeightsBytes();
        Broadcast<Floats> bw = inline ? null : jsc.broadcast(vec);
        try {
            RoundJob.Compute compute = new RoundJob.Compute(bw, inline ? vec : null, in, lr, r, c);
            return RoundJob.run(shards, compute, c.treeDepth());
        } catch (Exception e) {
            throw failure(r + 1, e);
        } finally {
            if (bw != null) {
                bw.destroy();
            }
        }
    }

    /** An executor's IllegalArgumentException (bad rows) keeps its type and message; anything else says the round failed. */
    private static RuntimeException failure(long round, Exception e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof IllegalArgumentException iae) {
                return new IllegalArgumentException(iae.getMessage(), e);
            }
        }
        return new IllegalStateException("SparkTrainer: round " + round + " failed, so the model and optimizer were"
                + " left unchanged: " + e.getMessage(), e);
    }

    /**
     * Runs {@code n} rounds.
     *
     * @return each round's statistics
     */
    public List<RoundStats> fit(int n) {
        List<RoundStats> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(round());
        }
        return out;
    }

    /** Writes a checkpoint now (model and optimizer state dicts, the round count). */
    public void saveCheckpoint(Path file) {
        TrainingCheckpoint.save(Objects.requireNonNull(file, "SparkTrainer: checkpoint file"), model, optimizer, scheduler,
                rounds);
    }

    /**
     * Continues from a checkpoint ({@code dev.jgrad.io.Checkpoint.load}): the model's, optimizer's and
     * scheduler's (set it first) state and the generator's, then the round count, so the next round
     * continues the batch order where the checkpointed job left it. Only on a trainer that has not run a round.
     *
     * @throws IllegalArgumentException if the file is not a SparkTrainer checkpoint or does not fit the
     *                                  model, optimizer or scheduler (see {@code Checkpoint.load})
     */
    public void resume(Path file) {
        if (rounds != 0) {
            throw new IllegalStateException("SparkTrainer.resume: this trainer already ran " + rounds
                    + " rounds; resume on a fresh trainer");
        }
        long r = TrainingCheckpoint.round(file);
        Checkpoint.load(file, model, optimizer, scheduler);
        rounds = r;
    }

    /** @return rounds completed (including those restored by {@link #resume}) */
    public long rounds() {
        return rounds;
    }

    /** @return the driver's optimizer */
    public Optimizer optimizer() {
        return optimizer;
    }

    /** @return the driver's model */
    public Module model() {
        return model;
    }

    /** Unpersists the cached shards (executors drop the tensors and replicas). */
    @Override
    public void close() {
        shards.unpersist(false);
    }
}
