package dev.jgrad.bench;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * {@code ./jgrad bench [--quick] [--results DIR] [filter ...] [-p name=v1,v2 ...] [JMH options]}: runs the
 * benchmarks matching {@code filter} (a regex; all by default) together with {@link PeakBenchmark},
 * writes JMH's JSON to the results folder, and prints each figure as GFLOP/s or GB/s and as a
 * fraction of the peak measured in the same run. From the first other argument that starts with
 * {@code -} on, the arguments are JMH's own ({@code -f 2 -wi 4 -i 6 -r 1 -prof gc -jvmArgsAppend
 * -Djgrad.threads=1}); they override this harness's defaults, and JVM arguments are appended to its
 * own ({@code --add-modules jdk.incubator.vector -Xms4g -Xmx4g -XX:+AlwaysPreTouch}, and
 * {@code -XX:+UseTransparentHugePages} where the kernel offers transparent huge pages: see
 * {@link #hugePages}; {@code JGRAD_HUGE_PAGES=0} in the environment, as for {@code compare.py}, or
 * {@code -jvmArgsAppend -XX:-UseTransparentHugePages} leaves it out).
 */
public final class BenchMain {
    private BenchMain() {
    }

    /**
     * @param args see the class comment
     * @throws RunnerException if JMH fails
     * @throws CommandLineOptionException if JMH does not understand its options
     */
    public static void main(String[] args) throws RunnerException, CommandLineOptionException {
        Args a = Args.parse(args);
        Options jmh = new CommandLineOptions(a.jmh());
        new File(a.results()).mkdirs();
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        File json = new File(a.results(), "jmh-" + stamp + ".json");
        List<String> jvmArgs = new ArrayList<>(List.of("--add-modules", "jdk.incubator.vector", "-Xms4g", "-Xmx4g",
                "-XX:+AlwaysPreTouch"));
        if (!"0".equals(System.getenv("JGRAD_HUGE_PAGES"))) {
            jvmArgs.addAll(hugePages(Path.of("/sys/kernel/mm/transparent_hugepage/enabled")));
        }
        jvmArgs.addAll(jmh.getJvmArgsAppend().orElse(List.of()));
        boolean quick = a.quick();
        // JMH's own options are the parent: every default set here gives way to one given there.
        ChainedOptionsBuilder opt = new OptionsBuilder()
                .parent(jmh)
                .include(PeakBenchmark.class.getSimpleName())
                .forks(jmh.getForkCount().orElse(1))
                .jvmArgsAppend(jvmArgs.toArray(String[]::new))
                .warmupIterations(jmh.getWarmupIterations().orElse(quick ? 2 : 3))
                .warmupTime(jmh.getWarmupTime().orElse(TimeValue.seconds(quick ? 1 : 2)))
                .measurementIterations(jmh.getMeasurementIterations().orElse(quick ? 3 : 5))
                .measurementTime(jmh.getMeasurementTime().orElse(TimeValue.seconds(quick ? 1 : 2)))
                .resultFormat(ResultFormatType.JSON)
                .result(json.getPath());
        if (a.filters().isEmpty() && jmh.getIncludes().isEmpty()) {
            opt.include(".*");
        }
        for (String f : a.filters()) {
            opt.include(f);
        }
        for (String[] p : a.params()) {
            opt.param(p[0], p[1].split(","));
        }
        Collection<RunResult> run = new Runner(opt.build()).run();
        System.out.println();
        System.out.print(Report.table(run));
        System.out.println("JMH JSON: " + json.getPath());
    }

    /**
     * The JVM flag that puts the forks' heap on 2 MiB pages, where the kernel offers transparent
     * huge pages to a program that asks ({@code always} or {@code madvise} selected in
     * {@code enabled}), else none. The products and training steps walk through tens of MiB per
     * call (a 2048×2048 weight gradient is 16 MiB) and on 4 KiB pages pay for it in TLB misses and,
     * on the 2-vCPU VMs these figures come from, in stalls of 17–20 ms every 0.5 s on two threads:
     * the 1024-2048-2048-1024 MLP step under {@code -XX:UseAVX=2} ({@code benchmarks/compare/MlpStepTiming.java},
     * five runs of 300 steps) had its 90th percentile at 70.8–80.0 ms on 2 MiB pages against
     * 89.2–98.5 ms, its median at 64.2–71.7 against 70.3–74.5 ms. The references are given the same
     * pages by {@code compare.py} and the {@code *-same-run.sh} scripts.
     *
     * @param enabled the kernel's THP mode file
     * @return {@code -XX:+UseTransparentHugePages}, or nothing where the file is missing or says never
     */
    static List<String> hugePages(Path enabled) {
        try {
            String mode = Files.readString(enabled);
            return mode.contains("[always]") || mode.contains("[madvise]")
                    ? List.of("-XX:+UseTransparentHugePages") : List.of();
        } catch (IOException e) {
            return List.of();
        }
    }

    /** The command line split into this harness's arguments and JMH's (from the first unknown option on). */
    private record Args(boolean quick, String results, List<String> filters, List<String[]> params, String[] jmh) {
        static Args parse(String[] args) {
            boolean quick = false;
            String results = "benchmarks/results";
            List<String> filters = new ArrayList<>();
            List<String[]> params = new ArrayList<>();
            int i = 0;
            while (i < args.length) {
                String arg = args[i];
                if (arg.equals("--quick")) {
                    quick = true;
                    i++;
                } else if (arg.equals("--results") && i + 1 < args.length) {
                    results = args[i + 1];
                    i += 2;
                } else if (arg.equals("-p") && i + 1 < args.length) {
                    params.add(args[i + 1].split("=", 2));
                    i += 2;
                } else if (arg.startsWith("-")) {
                    break;
                } else {
                    filters.add(arg);
                    i++;
                }
            }
            return new Args(quick, results, filters, params, Arrays.copyOfRange(args, i, args.length));
        }
    }
}
