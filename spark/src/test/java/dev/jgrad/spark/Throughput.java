package dev.jgrad.spark;

import dev.jgrad.Tensor;
import dev.jgrad.data.Datasets;
import dev.jgrad.data.TensorDataset;
import dev.jgrad.nn.Conv2d;
import dev.jgrad.nn.Flatten;
import dev.jgrad.nn.Linear;
import dev.jgrad.nn.Losses;
import dev.jgrad.nn.MaxPool2d;
import dev.jgrad.nn.Module;
import dev.jgrad.nn.ReLU;
import dev.jgrad.nn.Sequential;
import dev.jgrad.optim.Optimizer;
import dev.jgrad.optim.SGD;
import java.util.List;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * Not a test (Surefire skips it): examples per second of the {@code ./jgrad demo spark} job (digits
 * CNN, SGD with momentum; or, with a fifth argument {@code fashion}, the same CNN on Fashion-MNIST's
 * 28 × 28 images, 12 times the compute per example) in one of three modes, each meant for its own
 * JVM so that jgrad's thread pool is sized for it:
 * <ul>
 *   <li>{@code spark b k rounds}: {@code local[2]}, 2 partitions × b rows, k local steps per round;
 *       run with {@code -Djgrad.threads=1} (two tasks on two cores, one thread each);</li>
 *   <li>{@code local b k rounds}: the same model and examples in this process, {@code rounds·k} steps
 *       of batch 2·b; run with {@code -Djgrad.threads=2};</li>
 *   <li>{@code twin b k rounds}: the spark job's compute without Spark: two plain threads, each
 *       stepping its own model replica on its half of the rows (batch b); run with
 *       {@code -Djgrad.threads=1}. spark / twin is what Spark's per-round machinery costs, twin /
 *       local what splitting the batch over two single-threaded replicas costs.</li>
 * </ul>
 * The spark mode also prints where a round's time goes ({@link RoundTimeline}): run time well above
 * CPU time means the task threads wait for a core.
 * Both count examples whose gradient was computed, over the timed rounds after untimed ones
 * that take at least 300 steps (see {@link #warmup}), and
 * print one line {@code <mode> data=.. b=.. k=.. examples/s=..}.
 */
final class Throughput {
    private static final int P = 2;

    private Throughput() {
    }

    /** @param args mode (spark|local|twin), b, k, rounds, and optionally the data: digits (default) or fashion */
    public static void main(String[] args) {
        String mode = args[0];
        int b = Integer.parseInt(args[1]);
        int k = Integer.parseInt(args[2]);
        int rounds = Integer.parseInt(args[3]);
        String data = args.length > 4 ? args[4] : "digits";
        if (!data.equals("digits") && !data.equals("fashion")) {
            throw new IllegalArgumentException("Throughput: data must be digits or fashion, got " + data);
        }
        boolean fashion = data.equals("fashion");
        TensorDataset train = trainSet(fashion);
        double eps = switch (mode) {
            case "spark" -> spark(train, fashion, b, k, rounds);
            case "local" -> local(train, side(fashion), b, k, rounds);
            case "twin" -> twin(train, side(fashion), b, k, rounds);
            default -> throw new IllegalArgumentException("Throughput: mode must be spark, local or twin, got " + mode);
        };
        System.out.printf("%s data=%s b=%d k=%d rounds=%d threads=%s examples/s=%.0f%n", mode, data, b, k, rounds,
                System.getProperty("jgrad.threads", "default"), eps);
    }

    /** The demo's digits (8 × 8) or, heavier per example, Fashion-MNIST (28 × 28, needs {@code dataset-fashion-mnist}). */
    private static TensorDataset trainSet(boolean fashion) {
        return fashion ? Datasets.fashionMnist().train() : Datasets.digits().train();
    }

    private static int side(boolean fashion) {
        return fashion ? 28 : 8;
    }

    /** The demo's CNN for {@code side × side} images: conv 3×3 to 8 channels, ReLU, 2×2 max pool, linear to 10. */
    private static ModelFactory model(int side) {
        int pooled = side / 2;
        return () -> new Sequential(new Conv2d(1, 8, 3, 1, 1), new ReLU(), new MaxPool2d(2), new Flatten(),
                new Linear(8 * pooled * pooled, 10));
    }

    private static OptimizerFactory sgd() {
        return ps -> new SGD(ps, 0.05, 0.9, 0, 0, false);
    }

    private static double spark(TensorDataset train, boolean fashion, int b, int k, int rounds) {
        int side = side(fashion);
        try (JavaSparkContext jsc = new JavaSparkContext(new SparkConf().setMaster("local[" + P + "]")
                .setAppName("throughput").set("spark.ui.enabled", "false").set("spark.driver.host", "127.0.0.1"))) {
            jsc.setLogLevel("ERROR");
            RoundTimeline timeline = new RoundTimeline();
            jsc.sc().addSparkListener(timeline);
            Tensor.manualSeed(1);
            TrainingConfig cfg = new TrainingConfig(model(side), sgd(), 10, 1, side, side).batchPerPartition(b).localSteps(k);
            // Each partition reads its half of the rows on the executor, as from files: a jsc.parallelize(list)
            // partition holds its rows, and Spark ships the partition object (rows included) with every task,
            // i.e. every round, although the shards are cached.
            int n = train.tensors().get(1).shape()[0];
            JavaRDD<Example> data = jsc.parallelize(java.util.stream.IntStream.range(0, P).boxed().toList(), P).flatMap(p -> {
                List<Example> all = Examples.fromTensors(trainSet(fashion));
                return all.subList(p * n / P, (p + 1) * n / P).iterator();
            });
            long examples;
            long ns;
            try (SparkTrainer t = new SparkTrainer(data, model(side).create(), cfg)) {
                t.fit(warmup(k));
                timeline.timed(true);
                examples = 0;
                long t0 = System.nanoTime();
                for (int r = 0; r < rounds; r++) {
                    long start = System.currentTimeMillis();
                    examples += t.round().examples();
                    timeline.round(start, System.currentTimeMillis());
                }
                ns = System.nanoTime() - t0;
                timeline.timed(false);
            }
            jsc.close(); // drains the listener bus, so the timeline is complete
            timeline.print();
            return examples / (ns / 1e9);
        }
    }

    private static double twin(TensorDataset train, int side, int b, int k, int rounds) {
        Tensor x = train.tensors().get(0).reshape(-1, 1, side, side);
        Tensor y = train.tensors().get(1);
        int half = x.shape()[0] / P;
        long[] examples = new long[P];
        long[] t0 = new long[P];
        long[] t1 = new long[P];
        Thread[] ts = new Thread[P];
        for (int p = 0; p < P; p++) {
            int pp = p;
            Tensor xp = x.narrow(0, p * half, half);
            Tensor yp = y.narrow(0, p * half, half);
            ts[p] = new Thread(() -> examples[pp] = steps(xp, yp, side, b, k, rounds, t0, t1, pp));
            ts[p].start();
        }
        for (Thread t : ts) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Throughput: interrupted", e);
            }
        }
        long ns = Math.max(t1[0], t1[1]) - Math.min(t0[0], t0[1]);
        return (examples[0] + examples[1]) / (ns / 1e9);
    }

    /** One twin: its own replica and optimizer, k steps per round of batch b over its rows; records its timed window. */
    private static long steps(Tensor x, Tensor y, int side, int b, int k, int rounds, long[] t0, long[] t1, int p) {
        Module m = model(side).create();
        Optimizer opt = sgd().create(m.parameters());
        long examples = train(m, opt, x, y, b, Math.max(1, (x.shape()[0] + b - 1) / b), k, rounds, t0, p);
        t1[p] = System.nanoTime();
        return examples;
    }

    private static double local(TensorDataset train, int side, int b, int k, int rounds) {
        Tensor.manualSeed(1);
        Module m = model(side).create();
        Optimizer opt = sgd().create(m.parameters());
        Tensor x = train.tensors().get(0).reshape(-1, 1, side, side);
        Tensor y = train.tensors().get(1);
        int batch = P * b;
        long[] t0 = new long[1];
        long examples = train(m, opt, x, y, batch, Math.max(1, x.shape()[0] / batch), k, rounds, t0, 0);
        return examples / ((System.nanoTime() - t0[0]) / 1e9);
    }

    /**
     * {@code (warmup(k) + rounds) * k} SGD steps over {@code batches} consecutive batches of {@code x};
     * records in {@code t0[slot]} when the timed steps begin.
     *
     * @return the examples of the timed steps
     */
    private static long train(Module m, Optimizer opt, Tensor x, Tensor y, int batch, int batches, int k, int rounds,
                              long[] t0, int slot) {
        long examples = 0;
        for (int s = 0; s < (warmup(k) + rounds) * k; s++) {
            if (s == warmup(k) * k) {
                t0[slot] = System.nanoTime();
                examples = 0;
            }
            int start = (s % batches) * batch;
            int n = Math.min(batch, x.shape()[0] - start);
            opt.zeroGrad();
            Losses.crossEntropy(m.forward(x.narrow(0, start, n)), y.narrow(0, start, n)).backward();
            opt.step();
            examples += n;
        }
        return examples;
    }

    /**
     * Untimed rounds: at least {@code -Dthroughput.warmupSteps} steps (default 300), so that the JIT has
     * compiled the kernels and Spark's per-job paths. After the former 60 steps, on this 2-core machine C2
     * was still compiling jgrad kernels and Spark's serialisation code (JFR: 100-500 ms compilations inside
     * the timed rounds, taking cores from the tasks), which halved the spark mode's figure.
     */
    private static int warmup(int k) {
        int steps = Integer.getInteger("throughput.warmupSteps", 300);
        return Math.max(3, (steps + k - 1) / k);
    }
}
