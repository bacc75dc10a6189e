package dev.jgrad.train;

import dev.jgrad.nn.GradientMonitor;
import dev.jgrad.nn.GradientReport;
import dev.jgrad.nn.Module;
import dev.jgrad.nn.RemovableHandle;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Records a model's per-layer gradient norms during {@link Trainer#fit} with a {@link GradientMonitor}
 * (every {@code every}-th backward, counted over the whole run from 1) and plots them: one series per
 * layer, gradient norm over steps on a logarithmic axis, so a layer whose gradient vanishes sinks to
 * the bottom of the picture. The recording is the only cost; with a plot file set, the PNG is
 * rewritten after every epoch. {@link #trackDeadUnits()} adds each ReLU's dead-unit fraction to the
 * recorded steps ({@link GradientMonitor#deadUnitFractions()}).
 */
public final class GradientMonitorCallback implements Callback {
    private final Module model;
    private final GradientMonitor monitor;
    private final int every;
    private Path plotFile;
    private int plotWidth = 900;
    private int plotHeight = 500;
    private int step;
    private RemovableHandle deadUnits;

    /**
     * @param model the model the trainer fits (the monitor reads its parameters' gradients)
     * @param every record every this many steps, {@code >= 1}
     * @throws IllegalArgumentException for a null model or {@code every < 1}
     */
    public GradientMonitorCallback(Module model, int every) {
        if (model == null || every < 1) {
            throw new IllegalArgumentException("GradientMonitorCallback: needs a model and every >= 1, got "
                    + (model == null ? "no model" : "every " + every));
        }
        this.model = model;
        this.monitor = new GradientMonitor(model);
        this.every = every;
    }

    /**
     * Makes the callback rewrite the per-layer norm PNG after every epoch.
     *
     * @param file   the PNG
     * @param width  pixels, at least 100
     * @param height pixels, at least 100
     * @return this callback
     */
    public GradientMonitorCallback plotEveryEpoch(Path file, int width, int height) {
        if (width < 100 || height < 100) {
            throw new IllegalArgumentException("GradientMonitorCallback.plotEveryEpoch: image size must be at least"
                    + " 100x100 pixels, got " + width + "x" + height);
        }
        this.plotFile = Objects.requireNonNull(file, "GradientMonitorCallback.plotEveryEpoch: file");
        this.plotWidth = width;
        this.plotHeight = height;
        return this;
    }

    /**
     * Switches on {@link GradientReport#trackDeadUnits(Module)} for the model: each forward then counts
     * its ReLUs' dead units (one reduction per ReLU), and the monitor records their fractions.
     *
     * @return this callback
     * @throws IllegalArgumentException if the model's ReLUs are already tracked elsewhere
     */
    public GradientMonitorCallback trackDeadUnits() {
        if (deadUnits == null) {
            deadUnits = GradientReport.trackDeadUnits(model);
        }
        return this;
    }

    /** Removes the dead-unit hooks that {@link #trackDeadUnits()} installed (the recorded series stay). */
    public void stopTrackingDeadUnits() {
        if (deadUnits != null) {
            deadUnits.remove();
            deadUnits = null;
        }
    }

    @Override
    public void afterBackward(Module m, int epoch, int batch, double loss) {
        if (m != model) {
            throw new IllegalStateException("GradientMonitorCallback: built for another model than the one being"
                    + " trained; build it over the model passed to Trainer.fit");
        }
        step++;
        if (step % every == 0) {
            monitor.record(step);
        }
    }

    @Override
    public String afterEpoch(Trainer trainer, Module m, History history) {
        if (plotFile != null && !monitor.steps().isEmpty()) {
            writePlot(plotFile, plotWidth, plotHeight);
        }
        return null;
    }

    /** @return the monitor holding the recorded norms and flagged steps */
    public GradientMonitor monitor() {
        return monitor;
    }

    /**
     * Writes the per-layer gradient norm over the recorded steps, log scale, one series per layer.
     *
     * @param file   the PNG
     * @param width  pixels, at least 100
     * @param height pixels, at least 100
     * @return {@code file}
     * @throws IllegalStateException if no step was recorded yet
     */
    public Path writePlot(Path file, int width, int height) {
        List<Integer> steps = monitor.steps();
        if (steps.isEmpty()) {
            throw new IllegalStateException("GradientMonitorCallback.writePlot: no step recorded yet (one is recorded"
                    + " every " + every + " backward passes)");
        }
        double[] x = steps.stream().mapToDouble(Integer::doubleValue).toArray();
        LinePlot plot = new LinePlot("gradient norm per layer", "step", "||grad|| (L2)").logY(true);
        for (Map.Entry<String, double[]> e : monitor.layerNorms().entrySet()) {
            plot.series(e.getKey().isEmpty() ? "(root)" : e.getKey(), x, e.getValue());
        }
        return plot.write(file, width, height);
    }

    /** @return how many steps were recorded, and how many of them flagged a layer vanishing or exploding */
    @Override
    public String toString() {
        return "GradientMonitorCallback(every=" + every + ", recorded=" + monitor.steps().size() + ", flagged="
                + monitor.flaggedSteps().size() + ")";
    }
}
