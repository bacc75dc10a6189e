package dev.jgrad.bench;

import dev.jgrad.Generator;
import dev.jgrad.Tensor;
import dev.jgrad.autograd.NoGrad;
import dev.jgrad.data.DataLoader;
import dev.jgrad.data.Datasets;
import dev.jgrad.data.TensorDataset;
import dev.jgrad.nn.Functional;
import dev.jgrad.nn.Functional.Activation;
import dev.jgrad.nn.Losses;
import java.nio.file.Files;
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
 * an MLP 784-256-10 step (linear + ReLU, cross-entropy, backward, SGD). {@code assemble} is one
 * shuffled batch gathered in the calling thread (one indexSelect per tensor); {@code step} trains on
 * a fixed batch; {@code stepFromLoader} takes each batch from a prefetching loader and
 * {@code stepFromSyncLoader} from one that assembles in the calling thread. Target: assemble under
 * 5% of step, and stepFromLoader equal to step within noise.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class DataLoaderBenchmark {
    /** Examples per batch. */
    @Param({"64"})
    public int batch;

    private TensorDataset train;
    private Tensor w1;
    private Tensor b1;
    private Tensor w2;
    private Tensor b2;
    private List<Tensor> fixed;
    private DataLoader prefetching;
    private DataLoader sync;
    private Iterator<List<Tensor>> prefetched;
    private Iterator<List<Tensor>> synced;
    private int[] order;
    private int at;

    /** Loads the data and the network, and warms the step up. */
    @Setup
    public void setup() {
        train = Files.isDirectory(Datasets.FASHION_MNIST_DIR) ? Datasets.fashionMnist().train() : synthetic();
        Generator g = new Generator(1);
        w1 = Tensor.randn(g, 256, 784).mul(Math.sqrt(2.0 / 784)).requiresGrad(true);
        b1 = Tensor.zeros(256).requiresGrad(true);
        w2 = Tensor.randn(g, 10, 256).mul(Math.sqrt(2.0 / 256)).requiresGrad(true);
        b2 = Tensor.zeros(10).requiresGrad(true);
        order = new int[train.size()];
        SplittableRandom rng = new SplittableRandom(2);
        for (int i = 0; i < order.length; i++) {
            order[i] = rng.nextInt(order.length);
        }
        fixed = assemble();
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

    /** @return the loss of one step on the next batch of a prefetching loader */
    @Benchmark
    public double stepFromLoader() {
        if (prefetched == null || !prefetched.hasNext()) {
            prefetched = prefetching.iterator();
        }
        return train(prefetched.next());
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
        Tensor h = Functional.linear(b.get(0), w1, b1, Activation.RELU);
        Tensor loss = Losses.crossEntropy(Functional.linear(h, w2, b2, Activation.NONE), b.get(1));
        loss.backward();
        try (var g = NoGrad.enter()) {
            for (Tensor p : new Tensor[] {w1, b1, w2, b2}) {
                p.addInPlace(p.grad(), -0.01);
                p.zeroGrad();
            }
        }
        return loss.item();
    }
}
