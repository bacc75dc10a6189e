package dev.jgrad.train;

import dev.jgrad.MemoryScope;
import dev.jgrad.Tensor;
import dev.jgrad.autograd.Anomaly;
import dev.jgrad.autograd.NoGrad;
import dev.jgrad.data.DataLoader;
import dev.jgrad.nn.Module;
import dev.jgrad.optim.GradClip;
import dev.jgrad.optim.Optimizer;
import dev.jgrad.optim.lr.LRScheduler;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiFunction;

/**
 * A small {@code fit} loop: per batch forward, loss, backward, the after-backward hooks, optional
 * gradient clipping, the optimizer step and an optional per-step schedule; per epoch an evaluation on
 * the validation loader (under {@link NoGrad} and {@code eval()}), an optional per-epoch schedule, a
 * {@link History} row and the callbacks. Configure with the fluent setters, then call
 * {@link #fit}. A non-finite loss stops training cleanly: {@code fit} returns, and
 * {@link History#stopReason()} names the epoch and step (and, under {@link Anomaly#detect()}, the op).
 *
 * <p>Batches are lists whose first tensor is the input and second the target, as
 * {@link dev.jgrad.data.TensorDataset} gives them.
 *
 * <p>Each training step and each evaluated batch runs in its own {@link MemoryScope} (see
 * {@link #scopePerStep}): what the step allocated is released when it ends and its arrays are
 * reused by the next step. Parameters, their gradients, optimizer state and module buffers outlive
 * it; a tensor a callback makes during a step and keeps for later does not (copy the values out,
 * e.g. with {@code item()} or {@code toFloatArray()}, or turn the scopes off).
 */
public final class Trainer {
    private final Optimizer optimizer;
    private final BiFunction<Tensor, Tensor, Tensor> loss;
    private final List<Metric> metrics = new ArrayList<>(List.of(new Accuracy()));
    private final List<Callback> callbacks = new ArrayList<>();
    private LRScheduler scheduler;
    private boolean schedulePerStep;
    private long steps;
    private double clipNorm = Double.NaN;
    private Output output = Output.AUTO;
    private PrintStream out = System.out;
    private Path resumeFrom;
    private boolean scopePerStep = true;
    private static final String SCOPE = "the Trainer's per-step MemoryScope (Trainer.scopePerStep(false) turns it off)";

    /**
     * @param optimizer updates the model's parameters
     * @param loss      {@code (output, target) -> scalar loss}, e.g. {@code Losses::crossEntropy}
     */
    public Trainer(Optimizer optimizer, BiFunction<Tensor, Tensor, Tensor> loss) {
        this.optimizer = Objects.requireNonNull(optimizer, "Trainer: optimizer");
        this.loss = Objects.requireNonNull(loss, "Trainer: loss");
    }

    /**
     * @param newMetrics replaces the metrics (default: {@link Accuracy}); none for regression
     * @return this trainer
     */
    public Trainer metrics(Metric... newMetrics) {
        metrics.clear();
        metrics.addAll(List.of(newMetrics));
        return this;
    }

    /**
     * @param callback added after those already registered (called in order)
     * @return this trainer
     */
    public Trainer callback(Callback callback) {
        callbacks.add(Objects.requireNonNull(callback, "Trainer.callback"));
        return this;
    }

    /**
     * @param schedule a schedule over this trainer's optimizer
     * @param perStep  true to step it after every optimizer step, false after every epoch
     * @return this trainer
     */
    public Trainer scheduler(LRScheduler schedule, boolean perStep) {
        if (schedule.optimizer() != optimizer) {
            throw new IllegalArgumentException("Trainer.scheduler: the schedule drives another optimizer than this"
                    + " trainer's; build it over the trainer's optimizer");
        }
        this.scheduler = schedule;
        this.schedulePerStep = perStep;
        return this;
    }

    /**
     * @param maxNorm clip the gradients' total 2-norm to this before each step ({@link GradClip#clipNorm}), {@code > 0}
     * @return this trainer
     */
    public Trainer clipGradNorm(double maxNorm) {
        if (!(maxNorm > 0) || Double.isInfinite(maxNorm)) {
            throw new IllegalArgumentException("Trainer.clipGradNorm: maxNorm must be finite and > 0, got " + maxNorm);
        }
        this.clipNorm = maxNorm;
        return this;
    }

    /**
     * @param mode   how progress is shown (default {@link Output#AUTO})
     * @param stream where it goes (default {@code System.out})
     * @return this trainer
     */
    public Trainer output(Output mode, PrintStream stream) {
        this.output = Objects.requireNonNull(mode, "Trainer.output: mode");
        this.out = Objects.requireNonNull(stream, "Trainer.output: stream");
        return this;
    }

    /**
     * Makes the next {@link #fit} start from a state written by {@link #saveState} (or
     * {@link ModelCheckpoint}'s {@code last.safetensors}), an {@link dev.jgrad.io.Checkpoint}: model,
     * optimizer, schedule, default generator, step count and history are restored, and training
     * continues at the next epoch. With the same data order (loaders drawing from the default generator, or unshuffled) the result is
     * bit-identical to an uninterrupted run.
     *
     * @param state the file
     * @return this trainer
     */
    public Trainer resumeFrom(Path state) {
        this.resumeFrom = Objects.requireNonNull(state, "Trainer.resumeFrom");
        return this;
    }

    /**
     * @param on whether each training step and each evaluated batch runs in its own
     *           {@link MemoryScope} (default true): the memory a step allocated is released at its end
     *           and reused by the next one instead of waiting for the garbage collector, which on the
     *           host backends spares the JVM's zero-filling of new arrays and on {@code opencl} bounds
     *           device memory; off, tensors made during a step (by a callback, say) outlive it
     * @return this trainer
     */
    public Trainer scopePerStep(boolean on) {
        this.scopePerStep = on;
        return this;
    }

    /** @return the optimizer */
    public Optimizer optimizer() {
        return optimizer;
    }

    /**
     * Writes the whole training state to one {@link dev.jgrad.io.Checkpoint} file, for
     * {@link #resumeFrom}: model, optimizer, schedule and default generator, with the last epoch, the
     * optimizer steps taken and the history as metadata ({@code train.epoch}, {@code train.step},
     * {@code train.history}).
     *
     * @param model   the model being trained
     * @param history its history so far
     * @param file    the target (its directory is created)
     */
    public void saveState(Module model, History history, Path file) {
        TrainState.save(model, optimizer, scheduler, history, steps, file);
    }

    /**
     * Trains {@code model} until {@code epochs} epochs are done (counting resumed ones), a callback
     * stops it, or the loss is not finite.
     *
     * @param model      the model; its parameters are the optimizer's
     * @param train      the training batches
     * @param validation batches evaluated after every epoch, or null
     * @param epochs     the last epoch to reach, {@code >= 1}
     * @return every epoch's figures, with a stop reason when training ended early
     */
    public History fit(Module model, DataLoader train, DataLoader validation, int epochs) {
        if (epochs < 1) {
            throw new IllegalArgumentException("Trainer.fit: epochs must be >= 1, got " + epochs);
        }
        History history = new History();
        int first = 1;
        if (resumeFrom != null) {
            TrainState.Loaded s = TrainState.load(resumeFrom, model, optimizer, scheduler);
            resumeFrom = null;
            history = s.history();
            steps = s.step();
            first = s.epoch() + 1;
        }
        Progress progress = new Progress(output, out);
        for (int epoch = first; epoch <= epochs; epoch++) {
            String reason = epoch(model, train, validation, epoch, epochs, history, progress);
            if (reason != null) {
                history.stop(reason);
                progress.message(reason);
                break;
            }
        }
        return history;
    }

    /** One epoch: train, evaluate, record, call back. @return a stop reason or null */
    private String epoch(Module model, DataLoader train, DataLoader validation, int epoch, int epochs,
            History history, Progress progress) {
        double lr = optimizer.lr();
        long t0 = System.nanoTime();
        Pass pass = new Pass();
        String failure = trainPass(model, train, epoch, epochs, pass, progress);
        if (failure != null) {
            return failure;
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        Map<String, Double> row = new LinkedHashMap<>();
        row.put("epoch", (double) epoch);
        row.put("train_loss", pass.meanLoss());
        metrics.forEach(m -> row.put("train_" + m.name(), m.compute()));
        if (validation != null) {
            evaluate(model, validation).forEach((k, v) -> row.put("val_" + k, v));
        }
        row.put("lr", lr);
        row.put("seconds", seconds);
        if (scheduler != null && !schedulePerStep) {
            scheduler.step();
        }
        history.add(row);
        progress.endEpoch(summary(row, epochs, pass.examples / seconds));
        String stop = null;
        for (Callback c : callbacks) {
            String r = c.afterEpoch(this, model, history);
            stop = stop == null ? r : stop;
        }
        return stop;
    }

    /** Running sums of one pass over a loader. */
    private static final class Pass {
        double lossSum;
        long examples;

        double meanLoss() {
            return examples == 0 ? Double.NaN : lossSum / examples;
        }
    }

    private String trainPass(Module model, DataLoader train, int epoch, int epochs, Pass pass, Progress progress) {
        model.train();
        metrics.forEach(Metric::reset);
        progress.startEpoch(epoch, epochs, train.batches());
        int step = 0;
        try (var batches = train.iterator()) {
            while (batches.hasNext()) {
                List<Tensor> batch = batches.next();
                step++;
                String failure = trainStep(model, batch.get(0), batch.get(1), epoch, step, pass);
                if (failure != null) {
                    return failure;
                }
                progress.step(pass.meanLoss(), metrics.isEmpty() ? Double.NaN : metrics.get(0).compute(),
                        pass.examples);
            }
        }
        return null;
    }

    private String trainStep(Module model, Tensor x, Tensor y, int epoch, int step, Pass pass) {
        try (var scope = stepScope()) {
            return runStep(model, x, y, epoch, step, pass);
        }
    }

    /** @return a scope for one step or evaluated batch, or null (no scope) when they are turned off */
    private MemoryScope stepScope() {
        return scopePerStep ? MemoryScope.open(SCOPE) : null;
    }

    private String runStep(Module model, Tensor x, Tensor y, int epoch, int step, Pass pass) {
        Tensor output;
        double l;
        try {
            optimizer.zeroGrad();
            output = model.call(x);
            Tensor value = loss.apply(output, y);
            l = value.item();
            if (!Double.isFinite(l)) {
                return String.format(Locale.ROOT, "stopped: the loss is %s at epoch %d, step %d (run under"
                        + " Anomaly.detect() to find the op that made it)", l, epoch, step);
            }
            value.backward();
        } catch (Anomaly.NonFiniteException e) {
            return String.format(Locale.ROOT, "stopped: non-finite values at epoch %d, step %d, in op %s (%s): %s",
                    epoch, step, e.op(), e.phase(), e.getMessage());
        }
        for (Callback c : callbacks) {
            c.afterBackward(model, epoch, step, l);
        }
        if (!Double.isNaN(clipNorm)) {
            GradClip.clipNorm(model.parameters(), clipNorm);
        }
        optimizer.step();
        steps++;
        if (scheduler != null && schedulePerStep) {
            scheduler.step();
        }
        int n = x.shape()[0];
        pass.lossSum += l * n;
        pass.examples += n;
        try (var ng = NoGrad.enter()) {
            Tensor detached = output.detach();
            metrics.forEach(m -> m.update(detached, y));
        }
        return null;
    }

    /**
     * Evaluates {@code model} on every batch of {@code loader} under {@link NoGrad} and {@code eval()}
     * (restoring its training mode afterwards).
     *
     * @param model  the model
     * @param loader the batches
     * @return {@code loss} (the example-weighted mean) and each metric's value, by name
     */
    public Map<String, Double> evaluate(Module model, DataLoader loader) {
        boolean wasTraining = model.isTraining();
        model.eval();
        metrics.forEach(Metric::reset);
        Pass pass = new Pass();
        try (var ng = NoGrad.enter()) {
            for (List<Tensor> batch : loader) {
                try (var scope = stepScope()) {
                    Tensor output = model.call(batch.get(0));
                    int n = batch.get(0).shape()[0];
                    pass.lossSum += loss.apply(output, batch.get(1)).item() * n;
                    pass.examples += n;
                    metrics.forEach(m -> m.update(output, batch.get(1)));
                }
            }
        } finally {
            model.train(wasTraining);
        }
        Map<String, Double> out = new LinkedHashMap<>();
        out.put("loss", pass.meanLoss());
        metrics.forEach(m -> out.put(m.name(), m.compute()));
        return out;
    }

    private static String summary(Map<String, Double> row, int epochs, double examplesPerSecond) {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "epoch %d/%d", row.get("epoch").intValue(),
                epochs));
        row.forEach((k, v) -> {
            if (!k.equals("epoch") && !k.equals("lr") && !k.equals("seconds")) {
                sb.append(String.format(Locale.ROOT, k.endsWith("accuracy") ? "  %s %.2f%%" : "  %s %.4f", k,
                        k.endsWith("accuracy") ? 100 * v : v));
            }
        });
        sb.append(String.format(Locale.ROOT, "  lr %.3g  %.2f s  %.0f examples/s", row.get("lr"), row.get("seconds"),
                examplesPerSecond));
        return sb.toString();
    }
}
