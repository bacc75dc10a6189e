package dev.jgrad.nn;

import dev.jgrad.DType;
import dev.jgrad.Tensor;
import dev.jgrad.autograd.NoGrad;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * The dead-ReLU counts behind {@link GradientReport#trackDeadUnits}: a forward hook on each
 * {@link ReLU} of a model keeps, from the last forward, the number of its units and (as a 0-d
 * tensor on the output's device, read back only when a report is made) the number of dead ones.
 */
final class DeadUnitTracker {
    /** Trackers by model; weak, so that an abandoned model does not stay reachable through its tracker. */
    private static final Map<Module, DeadUnitTracker> TRACKERS = Collections.synchronizedMap(new WeakHashMap<>());

    /** The last forward's counts of one ReLU: {@code dead} is a 0-d F64 tensor. */
    record Counts(long units, Tensor dead) {
    }

    private final Map<String, Counts> last = new LinkedHashMap<>();

    private DeadUnitTracker() {
    }

    static RemovableHandle track(Module model) {
        if (model == null) {
            throw new IllegalArgumentException("GradientReport.trackDeadUnits: the model is null");
        }
        if (TRACKERS.containsKey(model)) {
            throw new IllegalArgumentException("GradientReport.trackDeadUnits: the model's ReLUs are already tracked;"
                    + " remove the first handle before tracking again");
        }
        DeadUnitTracker t = new DeadUnitTracker();
        List<RemovableHandle> hooks = new ArrayList<>();
        model.namedModules().forEach((name, m) -> {
            if (m instanceof ReLU) {
                t.last.put(name, null);
                hooks.add(m.registerForwardHook((mod, in, out) -> {
                    t.last.put(name, count(out));
                    return null;
                }));
            }
        });
        TRACKERS.put(model, t);
        return new RemovableHandle(() -> {
            hooks.forEach(RemovableHandle::remove);
            TRACKERS.remove(model);
        });
    }

    /** @return the model's tracked ReLUs by name (null counts before their first forward), or an empty map */
    static Map<String, Counts> of(Module model) {
        DeadUnitTracker t = TRACKERS.get(model);
        return t == null ? Map.of() : Collections.unmodifiableMap(t.last);
    }

    /**
     * A unit is dead when its output is exactly 0 for every example in the batch: dimension 1 indexes
     * the units (features, or channels, whose every spatial position must then be 0), dimension 0 the
     * examples; a 1-d output is one example whose elements are the units.
     */
    private static Counts count(Tensor out) {
        try (var g = NoGrad.enter()) {
            Tensor mag = out.detach().abs().to(DType.F64);
            Tensor zero = Tensor.scalar(0, DType.F64).to(out.device().name());
            if (out.dim() < 2) {
                return new Counts(out.numel(), mag.eq(zero).sum());
            }
            int units = out.shape()[1];
            if (out.numel() == 0) {
                return new Counts(out.shape()[0] == 0 ? units : 0, zero); // no example: no unit is known dead
            }
            Tensor perUnit = mag.transpose(0, 1).reshape(units, out.numel() / units).sum(1, false);
            return new Counts(units, perUnit.eq(zero).sum());
        }
    }
}
