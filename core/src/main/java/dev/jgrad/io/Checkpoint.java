package dev.jgrad.io;

import dev.jgrad.DType;
import dev.jgrad.Tensor;
import dev.jgrad.nn.Module;
import dev.jgrad.optim.Optimizer;
import dev.jgrad.optim.lr.LRScheduler;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A training run's whole state in one safetensors file, so that a resumed run continues
 * bit-identically: the model's state dict (keys {@code model.} + PyTorch's names), the optimizer's
 * ({@code optim.}), the schedule's ({@code sched.}, F64 scalars), the default generator's state
 * ({@code rng.default}, an I64 scalar: dropout masks and data shuffling continue where they were),
 * and the caller's strings as metadata. The file is written atomically ({@link SafeTensors#save}).
 *
 * <p>Loading goes into existing objects built as for the original run, and checks that every
 * component is present before any is changed; each component's own load is all-or-nothing.
 */
public final class Checkpoint {
    /** Metadata key naming the layout, so a plain safetensors file is told apart. */
    static final String FORMAT_KEY = "jgrad.checkpoint";
    static final String FORMAT = "1";
    private static final String RNG = "rng.default";

    private Checkpoint() {
    }

    /**
     * @param file  the checkpoint to write (replaced atomically)
     * @param model the model (required)
     * @param opt   its optimizer, or null
     * @param sched the learning-rate schedule, or null
     * @param extra strings to keep (epoch, step, notes), or null; keys must not start with {@code jgrad.}
     */
    public static void save(Path file, Module model, Optimizer opt, LRScheduler sched, Map<String, String> extra) {
        Objects.requireNonNull(file, "Checkpoint.save: file");
        Objects.requireNonNull(model, "Checkpoint.save: model");
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        model.stateDict().forEach((k, v) -> tensors.put("model." + k, v));
        if (opt != null) {
            opt.stateDict().forEach((k, v) -> tensors.put("optim." + k, v));
        }
        if (sched != null) {
            sched.stateDict().forEach((k, v) -> tensors.put("sched." + k, Tensor.scalar(v, DType.F64)));
        }
        tensors.put(RNG, Tensor.of(new long[] {Tensor.defaultGenerator().state()}));
        Map<String, String> meta = new LinkedHashMap<>();
        if (extra != null) {
            extra.forEach((k, v) -> {
                if (k.startsWith("jgrad.")) {
                    throw new IllegalArgumentException("Checkpoint.save: metadata key '" + k + "' is reserved (jgrad.*)");
                }
                meta.put(k, v);
            });
        }
        meta.put(FORMAT_KEY, FORMAT);
        SafeTensors.save(tensors, meta, file);
    }

    /**
     * Restores a checkpoint written by {@link #save} into existing objects, and the default generator.
     *
     * @param model the model, of the saved architecture
     * @param opt   the optimizer, or null to skip its state
     * @param sched the schedule, or null to skip its state
     * @return the caller's metadata as saved
     * @throws IllegalArgumentException naming the file and what is missing or does not fit; nothing
     *                                  is changed when a component is missing
     */
    public static Map<String, String> load(Path file, Module model, Optimizer opt, LRScheduler sched) {
        Objects.requireNonNull(model, "Checkpoint.load: model");
        Map<String, String> meta = new LinkedHashMap<>(SafeTensors.metadata(file));
        if (!FORMAT.equals(meta.remove(FORMAT_KEY))) {
            throw new IllegalArgumentException("Checkpoint.load: " + file + " is not a jgrad checkpoint (no "
                    + FORMAT_KEY + "=" + FORMAT + " metadata); read plain safetensors files with SafeTensors.load");
        }
        Map<String, Tensor> all = SafeTensors.load(file);
        Map<String, Tensor> m = part(all, "model."), o = part(all, "optim."), s = part(all, "sched.");
        List<String> missing = new ArrayList<>();
        if (opt != null && o.isEmpty()) {
            missing.add("optimizer state (optim.*)");
        }
        if (sched != null && s.isEmpty()) {
            missing.add("schedule state (sched.*)");
        }
        Tensor rng = all.get(RNG);
        if (rng == null || rng.dtype() != DType.I64 || rng.numel() != 1) {
            missing.add("generator state (" + RNG + ", one I64)");
        }
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("Checkpoint.load: " + file + " lacks " + String.join(", ", missing));
        }
        model.loadStateDict(m);
        if (opt != null) {
            opt.loadStateDict(o);
        }
        if (sched != null) {
            Map<String, Double> state = new LinkedHashMap<>();
            s.forEach((k, v) -> state.put(k, v.item()));
            sched.loadStateDict(state);
        }
        Tensor.defaultGenerator().setState(rng.toLongArray()[0]);
        return meta;
    }

    private static Map<String, Tensor> part(Map<String, Tensor> all, String prefix) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        all.forEach((k, v) -> {
            if (k.startsWith(prefix)) {
                out.put(k.substring(prefix.length()), v);
            }
        });
        return out;
    }
}
