package dev.jgrad.spark;

import dev.jgrad.Tensor;
import dev.jgrad.nn.Linear;
import dev.jgrad.nn.Module;
import dev.jgrad.optim.SGD;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.StorageLevel;

/**
 * Not a test (Surefire skips it): the {@link RoundOverhead} round (1,001,000 parameters, one row per
 * partition, {@code local[2]}) through {@code treeAggregate} and through {@link RoundJob}'s
 * {@code runJob}, alternating round by round in one JVM so that both see the same machine load,
 * plus an empty job for Spark's bare scheduling cost. Prints median, p90 and min of 30 rounds each
 * after 20 warm-up rounds. Arguments {@code key=value} are Spark settings.
 */
final class RoundPaths {
    private static final int N = 30;

    private RoundPaths() {
    }

    /** @param args Spark settings, {@code key=value} */
    public static void main(String[] args) {
        try (JavaSparkContext jsc = OverheadSetup.context("paths", args)) {
            List<Example> rows = OverheadSetup.rows();
            Tensor.manualSeed(1);
            Module m = new Linear(1000, 1000);
            TrainingConfig cfg = OverheadSetup.config();
            JavaRDD<Shard> shards = jsc.parallelize(rows, 2).mapPartitionsWithIndex(
                    (p, it) -> Collections.singletonList(Shard.build(p, it, cfg)).iterator(), true)
                    .persist(StorageLevel.MEMORY_ONLY());
            double[][] t = new double[3][N];
            SGD opt = new SGD(m.parameters(), 0.01);
            for (int r = 0; r < 20 + 2 * N; r++) {
                boolean tree = r % 2 == 0;
                long t0 = System.nanoTime();
                round(jsc, shards, m, opt, cfg, r, tree);
                long t1 = System.nanoTime();
                if (r >= 20) {
                    t[tree ? 0 : 1][(r - 20) / 2] = (t1 - t0) / 1e6;
                }
                if (r >= 20 && tree) {
                    shards.foreach(s -> { });
                    t[2][(r - 20) / 2] = (System.nanoTime() - t1) / 1e6;
                }
            }
            String[] names = {"treeAggregate", "runJob", "empty job"};
            StringBuilder sb = new StringBuilder(Arrays.toString(args) + ":");
            for (int k = 0; k < names.length; k++) {
                Arrays.sort(t[k]);
                sb.append(String.format(" %s median %.1f p90 %.1f min %.1f ms;", names[k], t[k][N / 2], t[k][N * 9 / 10],
                        t[k][0]));
            }
            System.out.println(sb);
        }
    }

    /** What SparkTrainer.round does for k = 1, with the job run one way or the other. */
    private static void round(JavaSparkContext jsc, JavaRDD<Shard> shards, Module m, SGD opt, TrainingConfig cfg, long r,
            boolean tree) {
        Broadcast<Floats> bw = jsc.broadcast(new Floats(Flat.weights(m.parameters())));
        RoundResult res = tree
                ? shards.treeAggregate(RoundResult.empty(), (acc, s) -> acc.add(s.gradient(bw.value().values(), r, cfg)),
                        RoundResult::add, 2)
                : RoundJob.run(shards, new RoundJob.Compute(bw, null, null, 0.01, r, cfg), 2);
        bw.destroy();
        Flat.setGrads(m.parameters(), res.sum);
        opt.step();
    }
}
