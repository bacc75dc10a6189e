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
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * Not a test (Surefire skips it): examples per second of the {@code ./jgrad demo spark} job (digits
 * CNN, SGD with momentum) in one of two modes, each meant for its own JVM so that jgrad's thread
 * pool is sized for it:
 * <ul>
 *   <li>{@code spark b k rounds}: {@code local[2]}, 2 partitions × b rows, k local steps per round;
 *       run with {@code -Djgrad.threads=1} (two tasks on two cores, one thread each);</li>
 *   <li>{@code local b k rounds}: the same model and examples in this process, {@code rounds·k} steps
 *       of batch 2·b; run with {@code -Djgrad.threads=2}.</li>
 * </ul>
 * Both count examples whose gradient was computed, over the timed rounds after untimed ones
 * that take at least 60 steps, and
 * print one line {@code <mode> b=.. k=.. examples/s=..}.
 */
final class Throughput {
    private static final int P = 2;

    private Throughput() {
    }

    /** @param args mode (spark|local), b, k, rounds */
    public static void main(String[] args) {
        String mode = args[0];
        int b = Integer.parseInt(args[1]);
        int k = Integer.parseInt(args[2]);
        int rounds = Integer.parseInt(args[3]);
        TensorDataset train = Datasets.digits().train();
        double eps = mode.equals("spark") ? spark(train, b, k, rounds) : local(train, b, k, rounds);
        System.out.printf("%s b=%d k=%d rounds=%d threads=%s examples/s=%.0f%n", mode, b, k, rounds,
                System.getProperty("jgrad.threads", "default"), eps);
    }

    private static ModelFactory model() {
        return () -> new Sequential(new Conv2d(1, 8, 3, 1, 1), new ReLU(), new MaxPool2d(2), new Flatten(),
                new Linear(8 * 4 * 4, 10));
    }

    private static OptimizerFactory sgd() {
        return ps -> new SGD(ps, 0.05, 0.9, 0, 0, false);
    }

    private static double spark(TensorDataset train, int b, int k, int rounds) {
        try (JavaSparkContext jsc = new JavaSparkContext(new SparkConf().setMaster("local[" + P + "]")
                .setAppName("throughput").set("spark.ui.enabled", "false").set("spark.driver.host", "127.0.0.1"))) {
            jsc.setLogLevel("ERROR");
            Tensor.manualSeed(1);
            TrainingConfig cfg = new TrainingConfig(model(), sgd(), 10, 1, 8, 8).batchPerPartition(b).localSteps(k);
            // Each partition reads its half of the rows on the executor, as from files: a jsc.parallelize(list)
            // partition holds its rows, and Spark ships the partition object (rows included) with every task,
            // i.e. every round, although the shards are cached.
            int n = train.tensors().get(1).shape()[0];
            JavaRDD<Example> data = jsc.parallelize(java.util.stream.IntStream.range(0, P).boxed().toList(), P).flatMap(p -> {
                List<Example> all = rows(Datasets.digits().train());
                return all.subList(p * n / P, (p + 1) * n / P).iterator();
            });
            try (SparkTrainer t = new SparkTrainer(data, model().create(), cfg)) {
                t.fit(warmup(k));
                long t0 = System.nanoTime();
                long examples = t.fit(rounds).stream().mapToLong(RoundStats::examples).sum();
                return examples / ((System.nanoTime() - t0) / 1e9);
            }
        }
    }

    private static double local(TensorDataset train, int b, int k, int rounds) {
        Tensor.manualSeed(1);
        Module m = model().create();
        Optimizer opt = sgd().create(m.parameters());
        Tensor x = train.tensors().get(0).reshape(-1, 1, 8, 8);
        Tensor y = train.tensors().get(1);
        int batch = P * b;
        int batches = Math.max(1, x.shape()[0] / batch);
        long t0 = 0;
        long examples = 0;
        for (int s = 0; s < (warmup(k) + rounds) * k; s++) {
            if (s == warmup(k) * k) {
                t0 = System.nanoTime();
                examples = 0;
            }
            int start = (s % batches) * batch;
            int n = Math.min(batch, x.shape()[0] - start);
            opt.zeroGrad();
            Losses.crossEntropy(m.forward(x.narrow(0, start, n)), y.narrow(0, start, n)).backward();
            opt.step();
            examples += n;
        }
        return examples / ((System.nanoTime() - t0) / 1e9);
    }

    /** Untimed rounds: at least 60 steps, so that the JIT has compiled the kernels (slow on a loaded machine). */
    private static int warmup(int k) {
        return Math.max(3, (60 + k - 1) / k);
    }

    private static List<Example> rows(TensorDataset ds) {
        float[] x = ds.tensors().get(0).toFloatArray();
        long[] y = ds.tensors().get(1).toLongArray();
        int f = x.length / y.length;
        List<Example> out = new ArrayList<>(y.length);
        for (int i = 0; i < y.length; i++) {
            float[] row = new float[f];
            System.arraycopy(x, i * f, row, 0, f);
            out.add(new Example(row, (int) y[i]));
        }
        return out;
    }
}
