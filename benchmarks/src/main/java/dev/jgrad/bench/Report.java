package dev.jgrad.bench;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.results.RunResult;

/**
 * Turns JMH results into the figures users judge: GFLOP/s or GB/s, and the fraction of this
 * machine's peak (one core's FMA throughput; {@code System.arraycopy} bandwidth) from the same run.
 */
final class Report {
    private Report() {
    }

    private record Row(String name, String params, double micros, double rate, String unit, double ofPeak) {
    }

    static String table(Collection<RunResult> results) {
        double peakFlops = Double.NaN;
        double peakBytes = Double.NaN;
        for (RunResult r : results) {
            String m = method(r);
            double us = micros(r);
            if (m.equals("PeakBenchmark.fmaThroughput")) {
                peakFlops = PeakBenchmark.fmaFlops() / us / 1e3;
            } else if (m.equals("PeakBenchmark.arraycopy")) {
                peakBytes = 8.0 * PeakBenchmark.COPY_ELEMENTS / us / 1e3;
            }
        }
        List<Row> rows = new ArrayList<>();
        for (RunResult r : results) {
            rows.add(row(r, peakFlops, peakBytes));
        }
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "peak: %.1f GFLOP/s (1 core, F32 FMA), %.1f GB/s (arraycopy)%n",
                peakFlops, peakBytes));
        sb.append(String.format(Locale.ROOT, "%-42s %-38s %12s %12s %9s%n", "benchmark", "params", "time/op",
                "rate", "% peak"));
        for (Row w : rows) {
            String rate = Double.isNaN(w.rate) ? "" : String.format(Locale.ROOT, "%.2f %s", w.rate, w.unit);
            String pct = Double.isNaN(w.ofPeak) ? "" : String.format(Locale.ROOT, "%.0f%%", 100 * w.ofPeak);
            sb.append(String.format(Locale.ROOT, "%-42s %-38s %12s %12s %9s%n", w.name, w.params, time(w.micros), rate,
                    pct));
        }
        sb.append(activationRatios(results));
        return sb.toString();
    }

    /** Each activation kernel's speed-up over the scalar loop of its formula at the same op and size. */
    private static String activationRatios(Collection<RunResult> results) {
        StringBuilder sb = new StringBuilder();
        for (RunResult k : results) {
            if (!method(k).equals("ActivationBenchmark.kernel")) {
                continue;
            }
            BenchmarkParams kp = k.getParams();
            for (RunResult s : results) {
                BenchmarkParams sp = s.getParams();
                if (method(s).equals("ActivationBenchmark.scalarLoop") && sp.getParam("op").equals(kp.getParam("op"))
                        && sp.getParam("n").equals(kp.getParam("n"))) {
                    sb.append(String.format(Locale.ROOT, "kernel over scalar loop of its formula: %-8s n=%-9s %.1fx%n",
                            kp.getParam("op"), kp.getParam("n"), micros(s) / micros(k)));
                }
            }
        }
        return sb.toString();
    }

    private static Row row(RunResult r, double peakFlops, double peakBytes) {
        BenchmarkParams p = r.getParams();
        String m = method(r);
        double us = micros(r);
        double flops = Double.NaN;
        double bytes = Double.NaN;
        int threads = 1;
        switch (m) {
            case "MatMulBenchmark.matmul" -> {
                int[] d = MatMulBenchmark.dims(p.getParam("shape"));
                flops = 2.0 * d[0] * d[1] * d[2];
                threads = Integer.parseInt(p.getParam("threads"));
            }
            case "ConvBenchmark.run" -> flops = ConvBenchmark.flops(p.getParam("shape"));
            case "ElementwiseBenchmark.relu", "ElementwiseBenchmark.reluInPlace" ->
                    bytes = 8.0 * Integer.parseInt(p.getParam("n"));
            case "ElementwiseBenchmark.add", "ElementwiseBenchmark.mul", "ElementwiseBenchmark.addInPlace",
                 "ElementwiseBenchmark.mulInPlace" ->
                    bytes = 12.0 * Integer.parseInt(p.getParam("n"));
            case "ActivationBenchmark.activation", "ActivationBenchmark.kernel", "ActivationBenchmark.scalarLoop" ->
                    bytes = 8.0 * Integer.parseInt(p.getParam("n"));
            case "OptimizerBenchmark.step" -> bytes = (p.getParam("optimizer").equals("adam") ? 28.0 : 16.0)
                    * OptimizerBenchmark.elements(p.getParam("layout"));
            case "ReductionBenchmark.reduce" -> bytes = 4.0 * Math.pow(Integer.parseInt(p.getParam("size")), 2);
            case "LaunchOverheadBenchmark.enqueue", "LaunchOverheadBenchmark.roundTrip" -> { }
            case "PeakBenchmark.fmaThroughput" -> flops = PeakBenchmark.fmaFlops();
            case "PeakBenchmark.arraycopy" -> bytes = 8.0 * PeakBenchmark.COPY_ELEMENTS;
            default -> { }
        }
        if (!Double.isNaN(flops)) {
            double g = flops / us / 1e3;
            return new Row(m, params(p), us, g, "GFLOP/s", g / (peakFlops * threads));
        }
        if (!Double.isNaN(bytes)) {
            double g = bytes / us / 1e3;
            return new Row(m, params(p), us, g, "GB/s", g / peakBytes);
        }
        return new Row(m, params(p), us, Double.NaN, "", Double.NaN);
    }

    private static String method(RunResult r) {
        String full = r.getParams().getBenchmark();
        String[] parts = full.split("\\.");
        return parts[parts.length - 2] + "." + parts[parts.length - 1];
    }

    private static double micros(RunResult r) {
        double score = r.getPrimaryResult().getScore();
        String unit = r.getPrimaryResult().getScoreUnit();
        return unit.startsWith("ns") ? score / 1e3 : unit.startsWith("ms") ? score * 1e3 : score;
    }

    private static String params(BenchmarkParams p) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String k : p.getParamsKeys()) {
            m.put(k, p.getParam(k));
        }
        return m.toString();
    }

    private static String time(double us) {
        if (us < 1) {
            return String.format(Locale.ROOT, "%.0f ns", us * 1e3);
        }
        if (us < 10_000) {
            return String.format(Locale.ROOT, "%.1f us", us);
        }
        return String.format(Locale.ROOT, "%.2f ms", us / 1e3);
    }
}
