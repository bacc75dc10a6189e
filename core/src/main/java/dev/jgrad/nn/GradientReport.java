package dev.jgrad.nn;

import dev.jgrad.Tensor;
import dev.jgrad.autograd.NoGrad;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Where a network's gradients vanish or explode, after a backward: per named parameter the
 * gradient's L2 norm, its largest magnitude and its fraction of exact zeros, and (given the weights
 * from before an optimizer step) the ratio {@code ‖update‖ / ‖weight‖}; per layer (the module that
 * owns the parameters, named by the prefix of their state-dict keys) the L2 norm over its parameters'
 * gradients and a verdict:
 * <ul>
 *   <li>{@link Status#VANISHING}: the layer's norm is below {@code vanishing} times the largest layer
 *       norm (default {@value #DEFAULT_VANISHING});</li>
 *   <li>{@link Status#EXPLODING}: the norm is above {@code exploding} (default
 *       {@value #DEFAULT_EXPLODING}, absolute) or some gradient element is NaN or infinite.</li>
 * </ul>
 * With {@link #trackDeadUnits(Module)} on, the report also gives, per {@link ReLU} module, the
 * fraction of its units that were dead in the last forward: a unit is <em>dead</em> when its output
 * is exactly 0 for every example in the batch (the PyTorch community's "dying ReLU"; dimension 1
 * indexes the units, so a convolution's channel is dead when all its positions are 0 too).
 * {@link #toString()} prints the table. A report costs nothing until it is made, and tracking costs
 * nothing until it is switched on; making a report computes the statistics on the parameters'
 * device and reads back one small vector.
 */
public final class GradientReport {
    /** Default vanishing threshold, relative to the largest layer norm. */
    public static final double DEFAULT_VANISHING = 1e-4;
    /** Default exploding threshold, an absolute gradient norm. */
    public static final double DEFAULT_EXPLODING = 1e3;

    /** A layer's verdict. */
    public enum Status {
        /** Neither vanishing nor exploding. */
        OK,
        /** Gradient norm far below the largest layer's. */
        VANISHING,
        /** Gradient norm above the threshold, or not finite. */
        EXPLODING,
        /** No gradient reached any of its parameters. */
        NO_GRAD
    }

    /**
     * One parameter's statistics.
     *
     * @param name         the state-dict key, e.g. {@code 0.weight}
     * @param shape        the parameter's shape
     * @param norm         {@code ‖grad‖₂} (NaN if a NaN is present, infinite if an infinity is; 0 without a gradient)
     * @param maxAbs       {@code max |grad|}
     * @param zeroFraction the fraction of gradient elements that are exactly zero
     * @param updateRatio  {@code ‖w - w_before‖ / ‖w‖}, or NaN when no earlier weights were given
     * @param hasGrad      whether a gradient reached the parameter
     */
    public record Parameter(String name, int[] shape, double norm, double maxAbs, double zeroFraction,
                            double updateRatio, boolean hasGrad) {
    }

    /**
     * One layer's summary.
     *
     * @param name   the module's dotted name ({@code ""} for parameters of the root module)
     * @param norm   the L2 norm over its parameters' gradients
     * @param status the verdict
     */
    public record Layer(String name, double norm, Status status) {
    }

    /**
     * One ReLU module's dead units in the last forward.
     *
     * @param name  the module's dotted name, e.g. {@code 1} or {@code 3.block.2}
     * @param units its units (the size of its output's dimension 1; the element count of a 1-d output)
     * @param dead  how many of them were 0 for every example
     */
    public record DeadUnits(String name, long units, long dead) {
        /** @return {@code dead / units}, 0 for a layer without units */
        public double fraction() {
            return units == 0 ? 0 : dead / (double) units;
        }
    }

    private final List<Parameter> parameters;
    private final List<Layer> layers;
    private final List<DeadUnits> deadUnits;

    private GradientReport(List<Parameter> parameters, List<Layer> layers, List<DeadUnits> deadUnits) {
        this.parameters = List.copyOf(parameters);
        this.layers = List.copyOf(layers);
        this.deadUnits = List.copyOf(deadUnits);
    }

    /**
     * Switches on dead-unit tracking for {@code model}: a forward hook on every {@link ReLU} module in
     * it (run when the ReLU is invoked through {@link Module#call}, as {@link Sequential} does) counts
     * its dead units at each forward, on the output's device, and later reports on {@code model} list
     * them. Each forward then costs one reduction per ReLU.
     *
     * @param model the network
     * @return a handle whose {@code remove()} removes the hooks and ends the tracking
     * @throws IllegalArgumentException if the model is null or already tracked
     */
    public static RemovableHandle trackDeadUnits(Module model) {
        return DeadUnitTracker.track(model);
    }

    /** {@link #of(Module, Map, double, double)} without update ratios, with the default thresholds. */
    public static GradientReport of(Module model) {
        return of(model, null, DEFAULT_VANISHING, DEFAULT_EXPLODING);
    }

    /**
     * @param model     the network, after a backward
     * @param before    the weights before the last optimizer step ({@link #snapshot(Module)}), or null
     * @param vanishing relative threshold, in {@code (0, 1)}
     * @param exploding absolute threshold, positive
     * @return the report
     * @throws IllegalArgumentException for a null model, a bad threshold, or {@code before} that does
     *                                  not hold the model's parameters with their shapes
     */
    public static GradientReport of(Module model, Map<String, Tensor> before, double vanishing, double exploding) {
        if (model == null) {
            throw new IllegalArgumentException("GradientReport: the model is null");
        }
        if (!(vanishing > 0 && vanishing < 1) || !(exploding > 0)) {
            throw new IllegalArgumentException("GradientReport: thresholds must satisfy 0 < vanishing < 1 and"
                    + " exploding > 0, got vanishing " + vanishing + ", exploding " + exploding);
        }
        Map<String, Tensor> params = model.namedParameters();
        GradientStats.checkBefore(params, before);
        Map<String, DeadUnitTracker.Counts> dead = new LinkedHashMap<>(DeadUnitTracker.of(model));
        dead.values().removeIf(c -> c == null);
        double[] stats;
        try (var g = NoGrad.enter()) {
            stats = GradientStats.compute(params, before,
                    dead.values().stream().map(DeadUnitTracker.Counts::dead).toList());
        }
        List<Parameter> rows = new ArrayList<>();
        int i = 0;
        for (Map.Entry<String, Tensor> e : params.entrySet()) {
            Tensor p = e.getValue();
            double[] s = Arrays.copyOfRange(stats, i * GradientStats.WIDTH, (i + 1) * GradientStats.WIDTH);
            boolean has = p.grad() != null;
            rows.add(new Parameter(e.getKey(), p.shape(), Math.sqrt(s[0]), s[1], p.numel() == 0 ? 0 : s[2] / p.numel(),
                    before == null ? Double.NaN : Math.sqrt(s[3]) / Math.sqrt(s[4]), has));
            i++;
        }
        List<DeadUnits> units = new ArrayList<>();
        for (Map.Entry<String, DeadUnitTracker.Counts> e : dead.entrySet()) {
            double count = stats[i * GradientStats.WIDTH + units.size()]; // after the per-parameter block
            units.add(new DeadUnits(e.getKey(), e.getValue().units(), Math.round(count)));
        }
        return new GradientReport(rows, layers(rows, vanishing, exploding), units);
    }

    /**
     * @param model a network
     * @return a copy of its parameters' current values (outside any graph), for the update ratios of
     *         a report made after the next optimizer step
     */
    public static Map<String, Tensor> snapshot(Module model) {
        Map<String, Tensor> copy = new LinkedHashMap<>();
        try (var g = NoGrad.enter()) {
            model.namedParameters().forEach((k, v) -> copy.put(k, v.detach().copy()));
        }
        return copy;
    }

    private static List<Layer> layers(List<Parameter> rows, double vanishing, double exploding) {
        Map<String, double[]> sums = new LinkedHashMap<>();
        for (Parameter p : rows) {
            int dot = p.name().lastIndexOf('.');
            double[] acc = sums.computeIfAbsent(dot < 0 ? "" : p.name().substring(0, dot), k -> new double[2]);
            acc[0] += p.norm() * p.norm();
            acc[1] += p.hasGrad() ? 1 : 0;
        }
        double largest = 0;
        for (double[] acc : sums.values()) {
            largest = Double.isFinite(acc[0]) ? Math.max(largest, Math.sqrt(acc[0])) : largest;
        }
        List<Layer> out = new ArrayList<>();
        for (Map.Entry<String, double[]> e : sums.entrySet()) {
            double norm = Math.sqrt(e.getValue()[0]);
            Status s = e.getValue()[1] == 0 ? Status.NO_GRAD
                    : !Double.isFinite(norm) || norm > exploding ? Status.EXPLODING
                    : norm < vanishing * largest ? Status.VANISHING : Status.OK;
            out.add(new Layer(e.getKey(), norm, s));
        }
        return out;
    }

    /** @return one row per named parameter, in registration order */
    public List<Parameter> parameters() {
        return parameters;
    }

    /** @return one row per layer that owns parameters, in registration order */
    public List<Layer> layers() {
        return layers;
    }

    /**
     * @return per tracked ReLU module that has run, its dead units in the last forward, in registration
     *         order; empty unless {@link #trackDeadUnits(Module)} is on for the model
     */
    public List<DeadUnits> deadUnits() {
        return deadUnits;
    }

    /** @return the names of the layers with the given verdict */
    public List<String> layersWith(Status status) {
        return layers.stream().filter(l -> l.status() == status).map(Layer::name).toList();
    }

    /** @return the report as a table: parameters, then layers with their verdicts */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%-28s %-14s %12s %12s %7s %12s%n", "parameter", "shape", "grad norm",
                "max |g|", "zeros", "upd/weight"));
        for (Parameter p : parameters) {
            sb.append(String.format(Locale.ROOT, "%-28s %-14s %12.4e %12.4e %6.1f%% %12s%n", p.name(),
                    Arrays.toString(p.shape()).replace(" ", ""), p.norm(), p.maxAbs(), 100 * p.zeroFraction(),
                    Double.isNaN(p.updateRatio()) ? "-" : String.format(Locale.ROOT, "%.4e", p.updateRatio())));
        }
        sb.append(String.format(Locale.ROOT, "%-28s %12s  %s%n", "layer", "grad norm", "status"));
        for (Layer l : layers) {
            sb.append(String.format(Locale.ROOT, "%-28s %12.4e  %s%n", l.name().isEmpty() ? "(root)" : l.name(),
                    l.norm(), l.status()));
        }
        if (!deadUnits.isEmpty()) {
            sb.append(String.format(Locale.ROOT, "%-28s %12s  %s%n", "relu", "dead units", "of"));
            for (DeadUnits d : deadUnits) {
                sb.append(String.format(Locale.ROOT, "%-28s %11.1f%%  %d/%d%n", d.name(), 100 * d.fraction(), d.dead(),
                        d.units()));
            }
        }
        return sb.toString();
    }
}
