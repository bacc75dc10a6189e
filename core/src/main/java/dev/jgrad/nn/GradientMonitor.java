package dev.jgrad.nn;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Records a {@link GradientReport} of one model over training steps: each layer's gradient norm per
 * recorded step (the series a per-layer plot draws, log scale), and the steps at which any layer was
 * flagged, and, when {@link GradientReport#trackDeadUnits(Module)} is on for the model, each ReLU's
 * dead-unit fraction in the forward of each recorded step. Call {@link #record(int)} after a
 * backward, before the gradients are cleared; recording is the only cost, so record every {@code k}
 * steps for a long run. Not thread-safe.
 */
public final class GradientMonitor {
    private final Module model;
    private final double vanishing;
    private final double exploding;
    private final List<Integer> steps = new ArrayList<>();
    private final Map<String, List<Double>> norms = new LinkedHashMap<>();
    private final Map<String, List<Double>> dead = new LinkedHashMap<>();
    private final Map<Integer, List<String>> flagged = new LinkedHashMap<>();

    /** A monitor with {@link GradientReport}'s default thresholds. */
    public GradientMonitor(Module model) {
        this(model, GradientReport.DEFAULT_VANISHING, GradientReport.DEFAULT_EXPLODING);
    }

    /**
     * @param model     the network whose parameters' gradients are recorded
     * @param vanishing relative threshold, as in {@link GradientReport#of(Module, Map, double, double)}
     * @param exploding absolute threshold, likewise
     */
    public GradientMonitor(Module model, double vanishing, double exploding) {
        if (model == null) {
            throw new IllegalArgumentException("GradientMonitor: the model is null");
        }
        this.model = model;
        this.vanishing = vanishing;
        this.exploding = exploding;
        GradientReport.of(model, null, vanishing, exploding); // validates the thresholds now, not at the first step
    }

    /**
     * Reports on the model's current gradients and appends each layer's norm to its series.
     *
     * @param step the training step (strictly increasing between calls)
     * @return the report
     * @throws IllegalArgumentException if {@code step} is not after the last recorded one
     */
    public GradientReport record(int step) {
        if (!steps.isEmpty() && step <= steps.get(steps.size() - 1)) {
            throw new IllegalArgumentException("GradientMonitor.record: step " + step + " is not after the last"
                    + " recorded step " + steps.get(steps.size() - 1));
        }
        GradientReport r = GradientReport.of(model, null, vanishing, exploding);
        for (GradientReport.Layer l : r.layers()) {
            append(norms, l.name(), l.norm());
        }
        for (GradientReport.DeadUnits d : r.deadUnits()) {
            append(dead, d.name(), d.fraction());
        }
        steps.add(step);
        // A series that got no value at this step (tracking switched off) gets NaN, so all stay aligned.
        norms.values().forEach(v -> pad(v, steps.size()));
        dead.values().forEach(v -> pad(v, steps.size()));
        List<String> bad = new ArrayList<>(r.layersWith(GradientReport.Status.VANISHING));
        bad.addAll(r.layersWith(GradientReport.Status.EXPLODING));
        if (!bad.isEmpty()) {
            flagged.put(step, bad);
        }
        return r;
    }

    private void append(Map<String, List<Double>> series, String name, double value) {
        series.computeIfAbsent(name, k -> new ArrayList<>(Collections.nCopies(steps.size(), Double.NaN))).add(value);
    }

    private static void pad(List<Double> series, int length) {
        while (series.size() < length) {
            series.add(Double.NaN);
        }
    }

    /** @return the recorded steps, in order */
    public List<Integer> steps() {
        return List.copyOf(steps);
    }

    /** @return per layer, its gradient norm at each recorded step (NaN before the layer first appeared) */
    public Map<String, double[]> layerNorms() {
        Map<String, double[]> out = new LinkedHashMap<>();
        norms.forEach((k, v) -> out.put(k, v.stream().mapToDouble(Double::doubleValue).toArray()));
        return out;
    }

    /**
     * @return per ReLU module, the fraction of its units dead at each recorded step (NaN where it was
     *         not tracked); empty unless {@link GradientReport#trackDeadUnits(Module)} was on
     */
    public Map<String, double[]> deadUnitFractions() {
        Map<String, double[]> out = new LinkedHashMap<>();
        dead.forEach((k, v) -> out.put(k, v.stream().mapToDouble(Double::doubleValue).toArray()));
        return out;
    }

    /** @return the steps at which some layer vanished or exploded, with those layers' names */
    public Map<Integer, List<String>> flaggedSteps() {
        return Collections.unmodifiableMap(flagged);
    }

    /** @return the norms as CSV: a {@code step} column, then one column per layer */
    public String toCsv() {
        StringBuilder sb = new StringBuilder("step");
        norms.keySet().forEach(k -> sb.append(',').append(k.isEmpty() ? "(root)" : k));
        sb.append('\n');
        for (int i = 0; i < steps.size(); i++) {
            sb.append(steps.get(i));
            for (List<Double> series : norms.values()) {
                sb.append(',').append(String.format(Locale.ROOT, "%.6e", series.get(i)));
            }
            sb.append('\n');
        }
        return sb.toString();
    }
}
