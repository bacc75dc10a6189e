package dev.jgrad.nn;

import dev.jgrad.DType;
import dev.jgrad.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The numbers behind a {@link GradientReport}, computed where the parameters live and read back as
 * one vector: per parameter {@code {Σg², max|g|, #zeros, Σ(w - w_before)², Σw²}} in F64.
 */
final class GradientStats {
    /** Statistics per parameter. */
    static final int WIDTH = 5;
    /** The dtype the statistics are summed in: F64, so that counts and squares of F32 gradients stay exact. */
    private static final DType STAT = DType.F64;

    private GradientStats() {
    }

    static void checkBefore(Map<String, Tensor> params, Map<String, Tensor> before) {
        if (before == null) {
            return;
        }
        for (Map.Entry<String, Tensor> e : params.entrySet()) {
            Tensor b = before.get(e.getKey());
            if (b == null || !Arrays.equals(b.shape(), e.getValue().shape())) {
                throw new IllegalArgumentException("GradientReport: the earlier weights must hold parameter "
                        + e.getKey() + " with shape " + Arrays.toString(e.getValue().shape()) + ", got "
                        + (b == null ? "none" : Arrays.toString(b.shape())) + "; take them with GradientReport.snapshot");
            }
        }
    }

    /**
     * @param extra 0-d tensors read back with the statistics (the dead-unit counts), each on some device
     * @return {@link #WIDTH} numbers per parameter, in the map's order, then the {@code extra} values
     *         (call under NoGrad)
     */
    static double[] compute(Map<String, Tensor> params, Map<String, Tensor> before, List<Tensor> extra) {
        if (params.isEmpty() && extra.isEmpty()) {
            return new double[0];
        }
        String device = (params.isEmpty() ? extra.get(0) : params.values().iterator().next()).device().name();
        List<Tensor> scalars = new ArrayList<>(WIDTH * params.size() + extra.size());
        for (Map.Entry<String, Tensor> e : params.entrySet()) {
            Tensor p = e.getValue();
            Tensor g = p.grad() == null || p.numel() == 0 ? null : p.grad().to(STAT);
            scalars.add(g == null ? zero(device) : g.mul(g).sum());
            scalars.add(g == null ? zero(device) : g.abs().max());
            scalars.add(g == null ? zero(device) : g.eq(g.mul(0)).sum());
            if (before != null && p.numel() > 0) {
                Tensor w = p.to(STAT);
                Tensor d = w.sub(before.get(e.getKey()).to(STAT).to(p.device().name()));
                scalars.add(d.mul(d).sum());
                scalars.add(w.mul(w).sum());
            } else {
                scalars.add(zero(device));
                scalars.add(zero(device));
            }
        }
        extra.forEach(t -> scalars.add(t.to(STAT)));
        List<Tensor> onDevice = scalars.stream().map(s -> s.reshape().to(device)).toList();
        return Tensor.stack(onDevice, 0).toDoubleArray();
    }

    private static Tensor zero(String device) {
        return Tensor.scalar(0, STAT).to(device);
    }
}
