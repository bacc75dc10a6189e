package dev.jgrad.spark;

import dev.jgrad.nn.Linear;
import dev.jgrad.optim.SGD;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * The job {@link RoundOverhead} and {@link RoundPaths} time: a 1,001,000-parameter model (Linear
 * 1000→1000) with one row per partition in {@code local[2]}, so a round is almost all broadcast,
 * aggregation and the driver's step.
 */
final class OverheadSetup {
    private OverheadSetup() {
    }

    /** A quiet {@code local[2]} context; each argument {@code key=value} is a Spark setting. */
    static JavaSparkContext context(String appName, String[] settings) {
        SparkConf conf = new SparkConf().setMaster("local[2]").setAppName(appName)
                .set("spark.ui.enabled", "false").set("spark.driver.host", "127.0.0.1");
        for (String a : settings) {
            String[] kv = a.split("=", 2);
            conf.set(kv[0], kv[1]);
        }
        JavaSparkContext jsc = new JavaSparkContext(conf);
        jsc.setLogLevel("ERROR");
        return jsc;
    }

    /** One all-zero row for each of the two partitions. */
    static List<Example> rows() {
        List<Example> rows = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            rows.add(new Example(new float[1000], i));
        }
        return rows;
    }

    /** The job's configuration: the model above, SGD, one row per partition per round. */
    static TrainingConfig config() {
        return new TrainingConfig(() -> new Linear(1000, 1000), ps -> new SGD(ps, 0.01), 1000, 1000)
                .batchPerPartition(1);
    }
}
