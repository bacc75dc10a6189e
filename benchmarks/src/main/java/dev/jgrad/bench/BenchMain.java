package dev.jgrad.bench;

import java.io.File;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * {@code ./jgrad bench [--quick] [--results DIR] [filter] [-p name=v1,v2 ...]}: runs the benchmarks matching
 * {@code filter} (a regex; all by default) together with {@link PeakBenchmark}, writes JMH's JSON to
 * the results folder, and prints each figure as GFLOP/s or GB/s and as a fraction of the peak
 * measured in the same run.
 */
public final class BenchMain {
    private BenchMain() {
    }

    /**
     * @param args see the class comment
     * @throws RunnerException if JMH fails
     */
    public static void main(String[] args) throws RunnerException {
        boolean quick = false;
        String results = "benchmarks/results";
        List<String> filters = new ArrayList<>();
        List<String[]> params = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> quick = true;
                case "--results" -> results = args[++i];
                case "-p" -> params.add(args[++i].split("=", 2));
                default -> filters.add(args[i]);
            }
        }
        new File(results).mkdirs();
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        File json = new File(results, "jmh-" + stamp + ".json");
        ChainedOptionsBuilder opt = new OptionsBuilder()
                .include(PeakBenchmark.class.getSimpleName())
                .forks(1)
                .jvmArgsAppend("--add-modules", "jdk.incubator.vector", "-Xms4g", "-Xmx4g", "-XX:+AlwaysPreTouch")
                .warmupIterations(quick ? 2 : 3)
                .warmupTime(TimeValue.seconds(quick ? 1 : 2))
                .measurementIterations(quick ? 3 : 5)
                .measurementTime(TimeValue.seconds(quick ? 1 : 2))
                .resultFormat(ResultFormatType.JSON)
                .result(json.getPath());
        if (filters.isEmpty()) {
            opt.include(".*");
        }
        for (String f : filters) {
            opt.include(f);
        }
        for (String[] p : params) {
            opt.param(p[0], p[1].split(","));
        }
        Collection<RunResult> run = new Runner(opt.build()).run();
        System.out.println();
        System.out.print(Report.table(run));
        System.out.println("JMH JSON: " + json.getPath());
    }
}
