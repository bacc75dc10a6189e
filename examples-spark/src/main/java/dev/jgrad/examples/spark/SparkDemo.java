package dev.jgrad.examples.spark;

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
import dev.jgrad.spark.Example;
import dev.jgrad.spark.Examples;
import dev.jgrad.spark.ModelFactory;
import dev.jgrad.spark.OptimizerFactory;
import dev.jgrad.spark.RoundStats;
import dev.jgrad.spark.SparkJvmOptions;
import dev.jgrad.spark.SparkTrainer;
import dev.jgrad.spark.TrainingConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * {@code ./jgrad demo spark}: the digits CNN trained data-parallel in Spark {@code local[2]} (2
 * partitions × 32 rows per round by default), then the same number of steps with batch 64 in this process, with
 * per-round time, examples per second and both test accuracies. It lives in its own module
 * (jgrad-examples-spark) so that the other demos do not depend on Spark; the {@code jgrad} script
 * runs {@link #main} for {@code demo spark}.
 */
public final class SparkDemo {
    private static final int PARTITIONS = 2;
    /** Rows per partition per round; {@code -Djgrad.demo.spark.batch=N} (e.g. through JDK_JAVA_OPTIONS) changes it. */
    private static final int BATCH = Integer.getInteger("jgrad.demo.spark.batch", 32);
    private static final long SEED = 42;
    private static final int ROUNDS = 120;

    private SparkDemo() {
    }

    /**
     * Runs the demo and exits with its status.
     *
     * @param args none
     * @throws IOException          if the relaunch with Spark's JVM options cannot start
     * @throws InterruptedException if interrupted while waiting for the relaunched JVM
     */
    public static void main(String[] args) throws IOException, InterruptedException {
        if (args.length != 0) {
            System.err.println("demo spark takes no options (got " + String.join(" ", args)
                    + "); -Djgrad.demo.spark.batch=N in JDK_JAVA_OPTIONS sets the rows per partition per round");
            System.exit(2);
        }
        System.exit(run(System.out, ROUNDS));
    }

    static ModelFactory model() {
        return () -> new Sequential(new Conv2d(1, 8, 3, 1, 1), new ReLU(), new MaxPool2d(2), new Flatten(),
                new Linear(8 * 4 * 4, 10));
    }

    static OptimizerFactory sgd() {
        return ps -> new SGD(ps, 0.05, 0.9, 0, 0, false);
    }

    /** Runs the demo; re-executes this JVM with Spark's options when they are missing. @return the exit code */
    static int run(PrintStream out, int rounds) throws IOException, InterruptedException {
        if (!SparkJvmOptions.missing().isEmpty()) {
            return relaunch();
        }
        Datasets.Split d = Datasets.digits();
        Tensor.manualSeed(SEED);
        Module distributed = model().create();
        double sparkSeconds;
        long sparkExamples = 0;
        try (JavaSparkContext jsc = new JavaSparkContext(new SparkConf().setMaster("local[2]").setAppName("jgrad digits")
                .set("spark.ui.enabled", "false"))) {
            jsc.setLogLevel("WARN");
            TrainingConfig cfg = new TrainingConfig(model(), sgd(), 10, 1, 8, 8).batchPerPartition(BATCH);
            List<Example> rows = Examples.fromTensors(d.train());
            try (SparkTrainer t = new SparkTrainer(jsc.parallelize(rows, PARTITIONS), distributed, cfg)) {
                t.round(); // builds and caches the shards, warms up the JIT: not timed
                long t0 = System.nanoTime();
                for (int r = 1; r < rounds; r++) {
                    RoundStats s = t.round();
                    sparkExamples += s.examples();
                    if (s.round() % 20 == 0 || r == rounds - 1) {
                        out.printf("round %4d  loss %.4f  %6.1f ms/round  %8.0f examples/s%n", s.round(), s.loss(),
                                s.seconds() * 1e3, s.examplesPerSecond());
                    }
                }
                sparkSeconds = (System.nanoTime() - t0) / 1e9;
            }
        }
        LocalRun local = local(d.train(), rounds);
        long examples = (long) (rounds - 1) * PARTITIONS * BATCH;
        out.printf("spark local[%d]: %d rounds of <= %d examples, %.0f examples/s, test accuracy %.3f%n", PARTITIONS,
                rounds, PARTITIONS * BATCH, sparkExamples / sparkSeconds, accuracy(distributed, d.test()));
        out.printf("one process   : %d steps of batch %d, %.0f examples/s, test accuracy %.3f (spark/local throughput %.2f)%n",
                rounds, PARTITIONS * BATCH, examples / local.seconds(), accuracy(local.model(), d.test()),
                (sparkExamples / sparkSeconds) / (examples / local.seconds()));
        return 0;
    }

    private record LocalRun(Module model, double seconds) {
    }

    /** The same job in this process: batch P·b, the same model, seed and optimizer; times steps 2..rounds. */
    private static LocalRun local(TensorDataset train, int rounds) {
        Tensor.manualSeed(SEED);
        Module localModel = model().create();
        Optimizer opt = sgd().create(localModel.parameters());
        Tensor x = train.tensors().get(0).reshape(-1, 1, 8, 8);
        Tensor y = train.tensors().get(1);
        int b = PARTITIONS * BATCH;
        int batches = Math.max(1, x.shape()[0] / b);
        long t0 = 0;
        for (int r = 0; r < rounds; r++) {
            t0 = r == 1 ? System.nanoTime() : t0;
            int start = (r % batches) * b;
            opt.zeroGrad();
            Losses.crossEntropy(localModel.forward(x.narrow(0, start, b)), y.narrow(0, start, b)).backward();
            opt.step();
        }
        return new LocalRun(localModel, (System.nanoTime() - t0) / 1e9);
    }

    private static double accuracy(Module m, TensorDataset test) {
        m.eval();
        Tensor x = test.tensors().get(0).reshape(-1, 1, 8, 8);
        long[] pred = m.forward(x).argmax(1).toLongArray();
        long[] y = test.tensors().get(1).toLongArray();
        int right = 0;
        for (int i = 0; i < y.length; i++) {
            right += pred[i] == y[i] ? 1 : 0;
        }
        return (double) right / y.length;
    }

    /** Starts this demo again in a JVM with {@link SparkJvmOptions#OPTIONS}, which only take effect at start-up. */
    private static int relaunch() throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse(System.getProperty("java.home") + "/bin/java"));
        cmd.addAll(java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments());
        cmd.addAll(SparkJvmOptions.OPTIONS);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), SparkDemo.class.getName()));
        return new ProcessBuilder(cmd).inheritIO().start().waitFor();
    }
}
