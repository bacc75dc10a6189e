package dev.jgrad.bench;

import dev.jgrad.Generator;
import dev.jgrad.MemoryScope;
import dev.jgrad.Tensor;
import dev.jgrad.autograd.NoGrad;
import dev.jgrad.data.DataLoader;
import dev.jgrad.data.Dataset;
import dev.jgrad.data.Datasets;
import dev.jgrad.data.TensorDataset;
import dev.jgrad.nn.Functional;
import dev.jgrad.nn.Functional.Activation;
import dev.jgrad.nn.Losses;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * What the DataLoader costs next to the training step it feeds: Fashion-MNIST (Debian's
 * {@code dataset-fashion-mnist}; random data of the same shape when it is absent), batches of 64,
 * an MLP step (linear + ReLU layers, cross-entropy, backward, SGD). The default network is PyTorch's
 * quickstart tutorial's, which trains this very data set with this batch size: 784-512-512-10;
 * {@code -p hidden=256} runs the smaller 784-256-10. {@code assemble} is one
 * shuffled batch gathered in the calling thread (one indexSelect per tensor); {@code step} trains on
 * a fixed batch; {@code stepFromLoader} takes each batch from a prefetching loader and
 * {@code stepFromSyncLoader} from one that assembles in the calling thread, and
 * {@code stepPreassembled} cycles through batches assembled in setup ({@code stepBesideLoader} too,
 * while the prefetching loader's thread works for nothing). Target: assemble under 5% of
 * step, and stepFromLoader equal to stepPreassembled within noise. {@code -p augment=true} augments
 * every example as it is loaded ({@link AugmentedImages}), a loader that costs a sizeable share of
 * the step, where hiding it shows above the noise.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class DataLoaderBenchmark {
    /** Batches {@link #stepPreassembled} cycles through: 25 MB, more than the caches hold. */
    private static final int POOL = 128;

    /** Examples per batch. */
    @Param({"64"})
    public int batch;
    /** Hidden layer widths, dash-separated (JMH splits {@code -p} values at commas). */
    @Param({"512-512"})
    public String hidden;
    /**
     * Whether each step runs in its own {@link MemoryScope}, as {@code Trainer} runs it: the step's
     * activations and gradients' temporaries are then reused by the next step. Batches come from
     * outside the step, as in {@code Trainer}, so the scope never releases them.
     */
    @Param({"false"})
    public boolean scoped;
    /**
     * Whether every example is augmented as it is loaded ({@link AugmentedImages}: a random rotation
     * and shift with bilinear sampling, then normalisation, one example at a time), which makes
     * loading a sizeable share of the step: the case where prefetching has something to hide.
     */
    @Param({"false"})
    public boolean augment;

    private Dataset train;
    /** Weight and bias of each layer, in order. */
    private Tensor[] params;
    private List<Tensor> fixed;
    private DataLoader prefetching;
    private DataLoader sync;
    private Iterator<List<Tensor>> prefetched;
    private Iterator<List<Tensor>> synced;
    private int[] order;
    private int at;
    private List<List<Tensor>> pool;
    private int pooled;
    /** Time {@link #stepFromLoader} spent waiting in the prefetching loader's {@code next()}, and how many calls. */
    private long waitNanos;
    private long waitCalls;

    /** Loads the data and the network, and warms the step up. */
    @Setup
    public void setup() {
        TensorDataset images = Files.isDirectory(Datasets.FASHION_MNIST_DIR) ? Datasets.fashionMnist().train()
                : synthetic();
        train = augment ? new AugmentedImages(images) : images;
        Generator g = new Generator(1);
        String[] widths = (hidden + "-10").split("-");
        params = new Tensor[2 * widths.length];
        int in = 784;
        for (int l = 0; l < widths.length; l++) {
            int out = Integer.parseInt(widths[l].trim());
            params[2 * l] = Tensor.randn(g, out, in).mul(Math.sqrt(2.0 / in)).requiresGrad(true);
            params[2 * l + 1] = Tensor.zeros(out).requiresGrad(true);
            in = out;
        }
        order = new int[train.size()];
        SplittableRandom rng = new SplittableRandom(2);
        for (int i = 0; i < order.length; i++) {
            order[i] = rng.nextInt(order.length);
        }
        fixed = assemble();
        pool = new ArrayList<>();
        for (int i = 0; i < POOL; i++) {
            pool.add(assemble());
        }
        prefetching = new DataLoader(train, batch, true, true, new Generator(3));
        sync = prefetching.prefetch(0);
        for (int i = 0; i < 2000; i++) {
            train(fixed);
        }
    }

    private static TensorDataset synthetic() {
        SplittableRandom rng = new SplittableRandom(4);
        long[] y = new long[60000];
        for (int i = 0; i < y.length; i++) {
            y[i] = rng.nextInt(10);
        }
        return new TensorDataset(Tensor.rand(new Generator(5), 60000, 784), Tensor.of(y, 60000));
    }

    /** @return one batch of random examples, gathered in this thread */
    @Benchmark
    public List<Tensor> assemble() {
        if (at + batch > order.length) {
            at = 0;
        }
        int[] idx = java.util.Arrays.copyOfRange(order, at, at + batch);
        at += batch;
        return train.batch(idx);
    }

    /** @return the loss of one step on a fixed batch */
    @Benchmark
    public double step() {
        return train(fixed);
    }

    /**
     * @return the loss of one step on the next of {@value #POOL} batches assembled in setup: the cost
     *         of a fresh batch (not in cache) without the cost of assembling it, the time a
     *         prefetching loader can at best reach
     */
    @Benchmark
    public double stepPreassembled() {
        pooled = (pooled + 1) % pool.size();
        return train(pool.get(pooled));
    }

    /** @return the loss of one step on the next batch of a prefetching loader */
    @Benchmark
    public double stepFromLoader() {
        long t0 = System.nanoTime();
        List<Tensor> b = nextPrefetched();
        waitNanos += System.nanoTime() - t0;
        waitCalls++;
        return train(b);
    }

    /**
     * @return the mean time, in microseconds, that {@link #stepFromLoader} waited for its batch since the last
     *         call (the loader's time the step did not hide), and resets the count; NaN if there was no call
     */
    double takeWaitMicros() {
        double us = waitCalls == 0 ? Double.NaN : waitNanos / 1e3 / waitCalls;
        waitNanos = 0;
        waitCalls = 0;
        return us;
    }

    /**
     * @return the loss of one step on a pre-assembled batch (as {@link #stepPreassembled}) while the
     *         prefetching loader's thread assembles a batch that is taken and dropped: what the
     *         loading thread's work costs the step without the step using its batches
     */
    @Benchmark
    public double stepBesideLoader() {
        nextPrefetched();
        return stepPreassembled();
    }

    /** @return the prefetching loader's next batch, a new epoch begun when one ends */
    private List<Tensor> nextPrefetched() {
        if (prefetched == null || !prefetched.hasNext()) {
            prefetched = prefetching.iterator();
        }
        return prefetched.next();
    }

    /** @return the loss of one step on the next batch of a loader without a background thread */
    @Benchmark
    public double stepFromSyncLoader() {
        if (synced == null || !synced.hasNext()) {
            synced = sync.iterator();
        }
        return train(synced.next());
    }

    private double train(List<Tensor> b) {
        try (var scope = scoped ? MemoryScope.open() : null) {
            return trainStep(b);
        }
    }

    private double trainStep(List<Tensor> b) {
        Tensor h = b.get(0);
        for (int l = 0; l < params.length; l += 2) {
            boolean last = l == params.length - 2;
            h = Functional.linear(h, params[l], params[l + 1], last ? Activation.NONE : Activation.RELU);
        }
        Tensor loss = Losses.crossEntropy(h, b.get(1));
        loss.backward();
        try (var g = NoGrad.enter()) {
            for (Tensor p : params) {
                p.addInPlace(p.grad(), -0.01);
                p.zeroGrad();
            }
        }
        return loss.item();
    }
}
