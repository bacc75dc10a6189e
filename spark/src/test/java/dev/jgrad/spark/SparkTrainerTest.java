package dev.jgrad.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jgrad.Tensor;
import dev.jgrad.nn.Linear;
import dev.jgrad.nn.Losses;
import dev.jgrad.nn.Module;
import dev.jgrad.nn.Sequential;
import dev.jgrad.nn.Tanh;
import dev.jgrad.optim.Adam;
import dev.jgrad.optim.Optimizer;
import dev.jgrad.optim.SGD;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.SparkConf;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One SparkContext, local[2, 2] (two threads, two attempts per task), shared by every test: starting one costs seconds. */
class SparkTrainerTest {
    private static final int FEATURES = 6;
    private static final int CLASSES = 3;
    /** Failures the loss injects in partition 1 (first attempts only unless EVERY_ATTEMPT); a static works because local mode runs tasks in this JVM. */
    private static final AtomicInteger INJECT = new AtomicInteger();
    /** Rows read from the source RDD (counted in this JVM, as INJECT). */
    private static final AtomicInteger ROWS_READ = new AtomicInteger();
    private static volatile boolean everyAttempt;
    private static JavaSparkContext jsc;

    @BeforeAll
    static void start() {
        jsc = new JavaSparkContext(new SparkConf().setMaster("local[2, 2]").setAppName("SparkTrainerTest")
                .set("spark.ui.enabled", "false").set("spark.driver.host", "127.0.0.1"));
        jsc.setLogLevel("ERROR");
    }

    @AfterAll
    static void stop() {
        jsc.stop();
    }

    private static ModelFactory factory() {
        return () -> new Sequential(new Linear(FEATURES, 8), new Tanh(), new Linear(8, CLASSES));
    }

    private static OptimizerFactory sgd() {
        return ps -> new SGD(ps, 0.1, 0.9, 0, 0, false);
    }

    /** Cross-entropy that throws in partition 1 while INJECT > 0 (first attempts only, unless everyAttempt). */
    private static LossFunction faulty() {
        return (out, y) -> {
            TaskContext tc = TaskContext.get();
            if (tc.partitionId() == 1 && (everyAttempt || tc.attemptNumber() == 0) && INJECT.getAndDecrement() > 0) {
                throw new RuntimeException("injected failure, attempt " + tc.attemptNumber());
            }
            return Losses.crossEntropy(out, y);
        };
    }

    private static List<Example> rows(int n, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        List<Example> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            float[] f = new float[FEATURES];
            for (int j = 0; j < FEATURES; j++) {
                f[j] = (float) rnd.nextGaussian();
            }
            out.add(new Example(f, rnd.nextInt(CLASSES)));
        }
        return out;
    }

    private static Module model(long seed) {
        Tensor.manualSeed(seed);
        return factory().create();
    }

    /** Local reference: batch r = the concatenation of each partition's r-th batch of b rows, one SGD step on its mean loss. */
    private static float[] local(List<Example> data, int partitions, int b, int rounds) {
        Module m = model(7);
        Optimizer opt = sgd().create(m.parameters());
        int perPart = data.size() / partitions;
        for (int r = 0; r < rounds; r++) {
            int start = (r % (perPart / b)) * b;
            float[] x = new float[partitions * b * FEATURES];
            long[] y = new long[partitions * b];
            for (int p = 0, k = 0; p < partitions; p++) {
                for (int i = 0; i < b; i++, k++) {
                    Example e = data.get(p * perPart + start + i);
                    System.arraycopy(e.features(), 0, x, k * FEATURES, FEATURES);
                    y[k] = e.label();
                }
            }
            opt.zeroGrad();
            Losses.crossEntropy(m.forward(Tensor.of(x, y.length, FEATURES)), Tensor.of(y, y.length)).backward();
            opt.step();
        }
        return Flat.weights(m.parameters());
    }

    private static float[] spark(List<Example> data, int partitions, TrainingConfig cfg, int rounds) {
        Module m = model(7);
        JavaRDD<Example> rdd = jsc.parallelize(data, partitions).map(e -> {
            ROWS_READ.incrementAndGet();
            return e;
        });
        try (SparkTrainer t = new SparkTrainer(rdd, m, cfg)) {
            t.fit(rounds);
        }
        return Flat.weights(m.parameters());
    }

    private static void assertClose(float[] want, float[] got, double rel) {
        double scale = 0;
        for (float v : want) {
            scale = Math.max(scale, Math.abs(v));
        }
        for (int i = 0; i < want.length; i++) {
            double err = Math.abs(want[i] - got[i]);
            assertTrue(err <= rel * scale, "weight " + i + ": local " + want[i] + ", spark " + got[i] + ", |diff| " + err);
        }
    }

    @Test
    void kEqualsOneMatchesLocalTrainingWithBatchPTimesB() {
        List<Example> data = rows(48, 1);
        // P = 2, 4: the partition sums go straight to the driver (RoundJob); P = 6 at depth 2: treeAggregate adds a level
        for (int p : new int[] {2, 4, 6}) {
            int b = 12 / p * 2 / 2;
            // rounds > batches per epoch, so each partition wraps around its data once
            int rounds = 48 / p / b + 2;
            ROWS_READ.set(0);
            // P = 4 sends the weights in a broadcast of their own, P = 2 and 6 inside the task (small model)
            TrainingConfig cfg = new TrainingConfig(factory(), sgd(), CLASSES, FEATURES).batchPerPartition(b)
                    .inlineWeightsBytes(p == 4 ? 0 : TrainingConfig.DEFAULT_INLINE_WEIGHTS_BYTES);
            float[] got = spark(data, p, cfg, rounds);
            assertEquals(data.size(), ROWS_READ.get(), "rows are turned into tensors once, then the cached shards serve every round");
            float[] want = local(data, p, b, rounds);
            assertClose(want, got, 1e-5);
            assertTrue(Math.abs(want[0] - model(7).parameters().get(0).toFloatArray()[0]) > 1e-4, "training moved the weights");
        }
    }

    @Test
    void localStepsOnOnePartitionAreOrdinarySgdSteps() {
        // P = 1 and momentum-free SGD: averaging one replica is the identity and the fresh executor
        // optimizer has no state to lose, so k local steps per round = k ordinary steps of batch b.
        List<Example> data = rows(24, 5);
        OptimizerFactory plain = ps -> new SGD(ps, 0.2);
        float[] got = spark(data, 1, new TrainingConfig(factory(), plain, CLASSES, FEATURES)
                .batchPerPartition(4).localSteps(3), 3);
        Module m = model(7);
        Optimizer opt = plain.create(m.parameters());
        for (int s = 0; s < 9; s++) {
            int start = (s % 6) * 4;
            float[] x = new float[4 * FEATURES];
            long[] y = new long[4];
            for (int i = 0; i < 4; i++) {
                System.arraycopy(data.get(start + i).features(), 0, x, i * FEATURES, FEATURES);
                y[i] = data.get(start + i).label();
            }
            opt.zeroGrad();
            Losses.crossEntropy(m.forward(Tensor.of(x, 4, FEATURES)), Tensor.of(y, 4)).backward();
            opt.step();
        }
        assertClose(Flat.weights(m.parameters()), got, 1e-5);
    }

    @Test
    void localStepsAverageAdamMomentsWithTheWeights() {
        // P = 2, k = 2, two rounds: the driver's weights and Adam state must be the row-weighted means of
        // the replicas', and round 2 must start every replica from the averaged moments (step count 2).
        List<Example> data = rows(32, 9);
        OptimizerFactory adam = ps -> new Adam(ps, 0.05);
        Module m = model(7);
        Map<String, Tensor> got;
        try (SparkTrainer t = new SparkTrainer(jsc.parallelize(data, 2), m,
                new TrainingConfig(factory(), adam, CLASSES, FEATURES).batchPerPartition(4).localSteps(2)
                        .inlineWeightsBytes(0))) {
            t.fit(2);
            got = t.optimizer().stateDict();
        }
        Module ref = model(7);
        Optimizer refOpt = adam.create(ref.parameters());
        for (int r = 0; r < 2; r++) {
            List<Map<String, Tensor>> states = new ArrayList<>();
            float[] mean = new float[Flat.count(ref.parameters())];
            for (int p = 0; p < 2; p++) {
                Module rep = factory().create();
                Flat.load(rep.parameters(), Flat.weights(ref.parameters()));
                Optimizer o = adam.create(rep.parameters());
                o.loadStateDict(refOpt.stateDict());
                for (int s = 0; s < 2; s++) {
                    int start = p * 16 + ((r * 2 + s) % 4) * 4;
                    o.zeroGrad();
                    Losses.crossEntropy(rep.forward(features(data, start, 4)), labels(data, start, 4)).backward();
                    o.step();
                }
                float[] w = Flat.weights(rep.parameters());
                for (int i = 0; i < w.length; i++) {
                    mean[i] += w[i] / 2;
                }
                states.add(o.stateDict());
            }
            Flat.load(ref.parameters(), mean);
            Map<String, Tensor> avg = new LinkedHashMap<>(states.get(0));
            avg.replaceAll((k, v) -> k.startsWith("state.") && !k.endsWith(".step")
                    ? v.add(states.get(1).get(k)).mul(0.5) : v);
            refOpt.loadStateDict(avg);
        }
        assertClose(Flat.weights(ref.parameters()), Flat.weights(m.parameters()), 1e-5);
        Map<String, Tensor> want = refOpt.stateDict();
        assertEquals(want.keySet(), got.keySet());
        assertEquals(4.0, got.get("state.0.step").item(), "two rounds of k = 2 steps");
        for (String k : want.keySet()) {
            if (k.startsWith("state.") && !k.endsWith(".step")) {
                assertClose(want.get(k).toFloatArray(), got.get(k).toFloatArray(), 1e-5);
            }
        }
    }

    @Test
    void treeLevelsFollowSparksRule() {
        // RDD.treeAggregate: scale = max(ceil(P^(1/depth)), 2); a level is added while P > scale + ceil(P / scale)
        assertTrue(!RoundJob.treeLevels(2, 2) && !RoundJob.treeLevels(5, 2) && !RoundJob.treeLevels(64, 1));
        assertTrue(RoundJob.treeLevels(6, 2) && RoundJob.treeLevels(16, 2) && RoundJob.treeLevels(8, 3));
    }

    private static Tensor features(List<Example> data, int from, int n) {
        float[] x = new float[n * FEATURES];
        for (int i = 0; i < n; i++) {
            System.arraycopy(data.get(from + i).features(), 0, x, i * FEATURES, FEATURES);
        }
        return Tensor.of(x, n, FEATURES);
    }

    private static Tensor labels(List<Example> data, int from, int n) {
        long[] y = new long[n];
        for (int i = 0; i < n; i++) {
            y[i] = data.get(from + i).label();
        }
        return Tensor.of(y, n);
    }

    @Test
    void retriedTaskLeavesTheRoundUnchangedAndFailedRoundChangesNothing() {
        List<Example> data = rows(16, 2);
        TrainingConfig cfg = new TrainingConfig(factory(), sgd(), CLASSES, FEATURES).batchPerPartition(4).loss(faulty());
        float[] clean = spark(data, 2, cfg, 3);

        Module m = model(7);
        try (SparkTrainer t = new SparkTrainer(jsc.parallelize(data, 2), m, cfg)) {
            t.round();
            INJECT.set(1);
            t.round();
            assertEquals(0, INJECT.get(), "the failure was injected and the task retried");
            t.round();
        }
        // two partitions: the sum a + b is commutative, so the retried run is bit-identical
        assertArrayEquals(clean, Flat.weights(m.parameters()));

        Module m2 = model(7);
        try (SparkTrainer t = new SparkTrainer(jsc.parallelize(data, 2), m2, cfg)) {
            t.round();
            float[] before = Flat.weights(m2.parameters());
            var optBefore = t.optimizer().stateDict().get("state.0.momentum_buffer").toFloatArray();
            everyAttempt = true;
            INJECT.set(2);
            IllegalStateException e = assertThrows(IllegalStateException.class, t::round);
            everyAttempt = false;
            assertTrue(e.getMessage().contains("round 2 failed"), e.getMessage());
            assertArrayEquals(before, Flat.weights(m2.parameters()));
            assertArrayEquals(optBefore, t.optimizer().stateDict().get("state.0.momentum_buffer").toFloatArray());
            assertEquals(1, t.rounds());
            t.fit(2);
        }
        assertArrayEquals(clean, Flat.weights(m2.parameters()));
    }

    @Test
    void checkpointResumesWhereTheJobLeftOff(@TempDir Path dir) throws Exception {
        List<Example> data = rows(16, 3);
        Path file = dir.resolve("ckpt.safetensors");
        TrainingConfig cfg = new TrainingConfig(factory(), sgd(), CLASSES, FEATURES).batchPerPartition(4).checkpoint(file, 3);
        float[] full = spark(data, 2, cfg, 5);
        assertTrue(Files.exists(file));
        assertEquals(3, TrainingCheckpoint.round(file));

        Module m = model(99);
        try (SparkTrainer t = new SparkTrainer(jsc.parallelize(data, 2), m,
                new TrainingConfig(factory(), sgd(), CLASSES, FEATURES).batchPerPartition(4))) {
            t.resume(file);
            assertEquals(3, t.rounds());
            t.fit(2);
        }
        assertArrayEquals(full, Flat.weights(m.parameters()));
    }

    @Test
    void badInputNamesPartitionAndRow() {
        TrainingConfig cfg = new TrainingConfig(factory(), sgd(), CLASSES, FEATURES).batchPerPartition(2);
        List<Example> wrongWidth = new ArrayList<>(rows(8, 4));
        wrongWidth.set(6, new Example(new float[FEATURES - 1], 0));
        assertMessage(wrongWidth, 2, cfg, "partition 1 row 2 has 5 features, but the model's input [6] needs 6");

        List<Example> badLabel = new ArrayList<>(rows(8, 4));
        badLabel.set(1, new Example(new float[FEATURES], CLASSES));
        assertMessage(badLabel, 2, cfg, "partition 0 row 1 has label 3, outside [0, 3)");

        assertMessage(rows(3, 4), 4, cfg, "partition 0 is empty");

        IllegalArgumentException big = assertThrows(IllegalArgumentException.class, () -> new SparkTrainer(
                jsc.parallelize(rows(4, 4), 2), model(7), new TrainingConfig(factory(), sgd(), CLASSES, FEATURES).maxModelBytes(100)));
        assertTrue(big.getMessage().contains("the model has 83 parameters (332 bytes as F32), over the limit of 100 bytes"),
                big.getMessage());
    }

    @Test
    void dataFrameColumnsBecomeExamples() {
        SparkSession spark = SparkSession.builder().sparkContext(jsc.sc()).getOrCreate();
        StructType schema = new StructType().add("x", DataTypes.createArrayType(DataTypes.FloatType))
                .add("a", DataTypes.DoubleType).add("label", DataTypes.LongType);
        List<Row> rows = List.of(RowFactory.create(List.of(1f, 2f), 0.5, 2L), RowFactory.create(List.of(3f, 4f), null, 1L));
        Dataset<Row> df = spark.createDataFrame(rows, schema).repartition(1);
        List<Example> arrays = Examples.fromDataFrame(df, "label", "x").collect();
        assertArrayEquals(new float[] {3, 4}, arrays.get(1).features());
        assertEquals(2, arrays.get(0).label());
        // collect() reports the executor's error inside a SparkException; SparkTrainer.round() unwraps it
        Exception e = assertThrows(Exception.class, () -> Examples.fromDataFrame(df, "label", "a").collect());
        assertTrue(e.getMessage().contains("partition 0 row 1 column 'a' holds null, expected a number"), e.getMessage());
        assertEquals(0.5f, Examples.fromDataFrame(df.limit(1), "label", "a").first().features()[0]);
    }

    private static void assertMessage(List<Example> data, int partitions, TrainingConfig cfg, String expected) {
        Module m = model(7);
        float[] before = Flat.weights(m.parameters());
        try (SparkTrainer t = new SparkTrainer(jsc.parallelize(data, partitions), m, cfg)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, t::round);
            assertTrue(e.getMessage().contains(expected), e.getMessage());
            assertEquals(0, t.rounds());
        }
        assertArrayEquals(before, Flat.weights(m.parameters()));
    }
}
