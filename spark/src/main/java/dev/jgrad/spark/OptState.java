package dev.jgrad.spark;

import dev.jgrad.DType;
import dev.jgrad.Tensor;
import dev.jgrad.optim.Optimizer;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The per-parameter optimizer state that travels with the weights when {@code k > 1} and
 * {@link TrainingConfig#averageOptimizerState} is on: the layout (which {@code state.<i>.<name>}
 * tensors, each shaped like parameter i, and each parameter's step count) rides in the task
 * closure, the values follow the weights in the same flat {@code float[]}. Every state tensor of
 * the optimizers here (momentum buffers, Adam's moments, Adagrad's sums, RMSprop's averages) is a
 * running statistic of gradients, so the row-weighted mean is taken as for the weights; step counts
 * are not averaged but must agree.
 */
final class OptState implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final String PREFIX = "state.";

    /** {@code state.<i>.<name>} keys of the float state tensors, in state-dict order. */
    private final String[] keys;
    /** The parameter index of each key. */
    private final int[] owners;
    /** Per parameter: its step count, 0 where it has no state yet. */
    private final long[] steps;

    private OptState(String[] keys, int[] owners, long[] steps) {
        this.keys = keys;
        this.owners = owners;
        this.steps = steps;
    }

    /** @return the layout of {@code o}'s current state ({@code o.stateDict()} order) over {@code params} */
    static OptState of(Optimizer o, List<Tensor> params) {
        Map<String, Tensor> sd = o.stateDict();
        long[] steps = new long[params.size()];
        List<String> keys = new ArrayList<>();
        List<Integer> owners = new ArrayList<>();
        for (Map.Entry<String, Tensor> e : sd.entrySet()) {
            if (!e.getKey().startsWith(PREFIX)) {
                continue;
            }
            String rest = e.getKey().substring(PREFIX.length());
            int i = Integer.parseInt(rest.substring(0, rest.indexOf('.')));
            if (rest.endsWith(".step")) {
                steps[i] = (long) e.getValue().item();
            } else {
                keys.add(e.getKey());
                owners.add(i);
            }
        }
        return new OptState(keys.toArray(String[]::new), owners.stream().mapToInt(Integer::intValue).toArray(), steps);
    }

    /** @return the number of floats the state adds after the weights */
    int size(List<Tensor> params) {
        long n = 0;
        for (int owner : owners) {
            n += params.get(owner).numel();
        }
        if (n > Integer.MAX_VALUE - 8L - Flat.count(params)) {
            throw new IllegalArgumentException("SparkTrainer: the weights and optimizer state (" + (n + Flat.count(params))
                    + " floats) do not fit one flat float[]; use TrainingConfig.averageOptimizerState(false)");
        }
        return (int) n;
    }

    /** @return {@code weights} followed by {@code o}'s state tensors (over {@code params}) in this layout's order */
    float[] pack(float[] weights, Optimizer o, List<Tensor> params) {
        float[] out = Arrays.copyOf(weights, weights.length + size(params));
        Map<String, Tensor> sd = o.stateDict();
        int at = weights.length;
        for (String k : keys) {
            float[] v = sd.get(k).toFloatArray();
            System.arraycopy(v, 0, out, at, v.length);
            at += v.length;
        }
        return out;
    }

    /**
     * Replaces {@code o}'s per-parameter state with this layout's, values from {@code flat} at
     * {@code offset} on; its hyperparameters and groups (lr, weight decay) stay as they are.
     */
    void load(Optimizer o, List<Tensor> params, float[] flat, int offset) {
        Map<String, Tensor> sd = new LinkedHashMap<>();
        o.stateDict().forEach((k, v) -> {
            if (!k.startsWith(PREFIX)) {
                sd.put(k, v);
            }
        });
        for (int i = 0; i < steps.length; i++) {
            if (steps[i] > 0) {
                sd.put(PREFIX + i + ".step", Tensor.scalar(steps[i], DType.F64));
            }
        }
        int at = offset;
        for (int j = 0; j < keys.length; j++) {
            Tensor p = params.get(owners[j]);
            int n = p.numel();
            sd.put(keys[j], Tensor.of(Arrays.copyOfRange(flat, at, at + n), p.shape()));
            at += n;
        }
        o.loadStateDict(sd);
    }

    /**
     * Checks that two partitions' states can be averaged.
     *
     * @throws IllegalStateException if they hold different entries or step counts
     */
    void requireSame(OptState other) {
        if (!Arrays.equals(keys, other.keys) || !Arrays.equals(steps, other.steps)) {
            throw new IllegalStateException("SparkTrainer: the partitions' optimizer states differ (step counts "
                    + Arrays.toString(steps) + " vs " + Arrays.toString(other.steps) + ", entries " + Arrays.toString(keys)
                    + " vs " + Arrays.toString(other.keys) + "), so they cannot be averaged; every partition must step"
                    + " the same parameters, or turn it off with TrainingConfig.averageOptimizerState(false)");
        }
    }
}
