package dev.jgrad.spark;

import java.io.Serializable;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;

/**
 * What {@link SparkTrainer} needs besides the data and the driver's model and optimizer. Setters
 * validate and return {@code this}; the executor-side part (shapes, batch, k, loss, factories) is
 * serialised with each round's tasks.
 */
public final class TrainingConfig implements Serializable {
    private static final long serialVersionUID = 2L;
    /** Default of {@link #inlineWeightsBytes}: 256 KiB, 64k parameters. */
    public static final long DEFAULT_INLINE_WEIGHTS_BYTES = 256 * 1024;

    private final ModelFactory model;
    private final OptimizerFactory optimizer;
    private final int[] inputShape;
    private final int numClasses;
    private int batchPerPartition = 32;
    private int localSteps = 1;
    private int treeDepth = 2;
    private boolean averageState = true;
    private LossFunction loss = LossFunction.CROSS_ENTROPY;
    private double clipNorm;
    private int checkpointEvery;
    private transient Path checkpointFile;
    private long maxModelBytes = -1;
    private long inlineWeightsBytes = DEFAULT_INLINE_WEIGHTS_BYTES;

    /**
     * @param model      builds the architecture on executors
     * @param optimizer  builds the optimizer (driver; executors when {@code localSteps > 1})
     * @param numClasses labels must lie in {@code [0, numClasses)}
     * @param inputShape one example's shape, e.g. {@code {64}} or {@code {1, 8, 8}}; features per row = its product
     */
    public TrainingConfig(ModelFactory model, OptimizerFactory optimizer, int numClasses, int... inputShape) {
        this.model = Objects.requireNonNull(model, "TrainingConfig: model");
        this.optimizer = Objects.requireNonNull(optimizer, "TrainingConfig: optimizer");
        if (numClasses < 1) {
            throw new IllegalArgumentException("TrainingConfig: numClasses must be >= 1, got " + numClasses);
        }
        if (inputShape.length == 0 || Arrays.stream(inputShape).anyMatch(d -> d < 1)) {
            throw new IllegalArgumentException("TrainingConfig: inputShape must be non-empty with dims >= 1, got "
                    + Arrays.toString(inputShape));
        }
        this.numClasses = numClasses;
        this.inputShape = inputShape.clone();
    }

    /** Rows each partition contributes per round (b; the global batch is P·b). @return this */
    public TrainingConfig batchPerPartition(int b) {
        this.batchPerPartition = positive("batchPerPartition", b);
        return this;
    }

    /** Local optimizer steps per round (k); 1 = synchronous large-batch SGD, k &gt; 1 = parameter averaging. @return this */
    public TrainingConfig localSteps(int k) {
        this.localSteps = positive("localSteps", k);
        return this;
    }

    /**
     * With {@code localSteps > 1}: whether the executors' optimizer state (momentum buffers, Adam's
     * moments, Adagrad's and RMSprop's accumulators) is averaged across partitions with the weights
     * and continues next round (default true), or every round starts a fresh executor optimizer
     * (false: less traffic, but momentum and Adam's bias correction restart every k steps).
     * Averaging adds one model-sized vector per state tensor to the broadcast and to the aggregate.
     * @return this
     */
    public TrainingConfig averageOptimizerState(boolean on) {
        this.averageState = on;
        return this;
    }

    /** {@code treeAggregate} depth (2 = Spark's default; 1 = every partition sends to the driver). @return this */
    public TrainingConfig treeDepth(int depth) {
        this.treeDepth = positive("treeDepth", depth);
        return this;
    }

    /** The mean loss over a batch (default cross-entropy). @return this */
    public TrainingConfig loss(LossFunction fn) {
        this.loss = Objects.requireNonNull(fn, "TrainingConfig: loss");
        return this;
    }

    /** Clips the global gradient to this 2-norm before each step ({@code GradClip.clipNorm}); 0 = off. @return this */
    public TrainingConfig clipNorm(double maxNorm) {
        if (!(maxNorm >= 0) || Double.isInfinite(maxNorm)) {
            throw new IllegalArgumentException("TrainingConfig: clipNorm must be finite and >= 0, got " + maxNorm);
        }
        this.clipNorm = maxNorm;
        return this;
    }

    /** Writes {@code file} (SafeTensors) after every {@code everyRounds}-th round. @return this */
    public TrainingConfig checkpoint(Path file, int everyRounds) {
        this.checkpointFile = Objects.requireNonNull(file, "TrainingConfig: checkpoint file");
        this.checkpointEvery = positive("checkpoint everyRounds", everyRounds);
        return this;
    }

    /**
     * The largest flat model (4 bytes per parameter) accepted; it is broadcast and returned as a
     * gradient each round. Default: {@code spark.driver.maxResultSize} (1g unless set). @return this
     */
    public TrainingConfig maxModelBytes(long bytes) {
        if (bytes < 1) {
            throw new IllegalArgumentException("TrainingConfig: maxModelBytes must be >= 1, got " + bytes);
        }
        this.maxModelBytes = bytes;
        return this;
    }

    /**
     * Rounds whose weight vector (4 bytes per parameter, plus the optimizer state with local steps)
     * is at most this many bytes send it inside the round's task instead of in a broadcast of its
     * own. Spark ships every job's task (function and RDD) to the executors as one torrent broadcast
     * already, so a small vector there saves a second broadcast per round, whose creation and
     * clean-up cost driver round trips that dominate a small model's round. Large vectors keep their
     * own broadcast: each task deserialises its task, but an executor deserialises a broadcast once
     * for all its tasks. Default {@link #DEFAULT_INLINE_WEIGHTS_BYTES}; 0 always broadcasts.
     * @return this
     */
    public TrainingConfig inlineWeightsBytes(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("TrainingConfig: inlineWeightsBytes must be >= 0, got " + bytes);
        }
        this.inlineWeightsBytes = bytes;
        return this;
    }

    private static int positive(String what, int v) {
        if (v < 1) {
            throw new IllegalArgumentException("TrainingConfig: " + what + " must be >= 1, got " + v);
        }
        return v;
    }

    ModelFactory model() {
        return model;
    }

    OptimizerFactory optimizer() {
        return optimizer;
    }

    int[] inputShape() {
        return inputShape.clone();
    }

    int features() {
        return Arrays.stream(inputShape).reduce(1, Math::multiplyExact);
    }

    int numClasses() {
        return numClasses;
    }

    int batchPerPartition() {
        return batchPerPartition;
    }

    int localSteps() {
        return localSteps;
    }

    boolean averageOptimizerState() {
        return averageState;
    }

    int treeDepth() {
        return treeDepth;
    }

    LossFunction loss() {
        return loss;
    }

    double clipNorm() {
        return clipNorm;
    }

    int checkpointEvery() {
        return checkpointEvery;
    }

    Path checkpointFile() {
        return checkpointFile;
    }

    long maxModelBytes() {
        return maxModelBytes;
    }

    long inlineWeightsBytes() {
        return inlineWeightsBytes;
    }
}
