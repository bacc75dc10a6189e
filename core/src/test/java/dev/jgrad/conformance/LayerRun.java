package dev.jgrad.conformance;

import dev.jgrad.DType;
import dev.jgrad.Tensor;
import dev.jgrad.nn.Module;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Runs one {@link LayerTable} row on one device: the module is built, moved to the dtype and
 * device, and given the row's shared state; the outputs are combined with fixed random gradients
 * into one scalar whose backward fills every gradient. The result maps a label ("output 0",
 * "grad input 0", "grad weight_ih_l0", "buffer running_mean", ...) to its values.
 */
final class LayerRun {
    private LayerRun() {
    }

    /** @return the state every backend loads: the module's own initialisation, built once per row */
    static Map<String, Tensor> sharedState(LayerTable.LayerCase c) {
        Tensor.manualSeed(c.name().hashCode());
        return c.make().get().stateDict();
    }

    static Map<String, double[]> run(LayerTable.LayerCase c, Map<String, Tensor> state, DType dt, String device) {
        Module m = c.make().get();
        m.to(dt);
        m.to(device);
        m.loadStateDict(state);
        m.train();
        SplittableRandom rng = new SplittableRandom(c.name().hashCode());
        List<Tensor> inputs = new ArrayList<>();
        for (Arg a : c.args()) {
            inputs.add(a.make(a.values(rng), dt, false, device, true));
        }
        List<Tensor> outs = c.run().apply(m, inputs);
        Map<String, double[]> result = new LinkedHashMap<>();
        Tensor loss = null;
        for (int k = 0; k < outs.size(); k++) {
            Tensor o = outs.get(k);
            if (!o.device().name().equals(device) || o.dtype() != dt) {
                throw new AssertionError(c.name() + ": output " + k + " is " + o.dtype() + " on " + o.device().name()
                        + ", expected " + dt + " on " + device);
            }
            result.put("output " + k, o.toDoubleArray());
            double[] g = new double[o.numel()];
            for (int i = 0; i < g.length; i++) {
                g[i] = rng.nextGaussian();
            }
            Tensor term = o.mul(Tensor.of(g, o.shape()).to(dt).to(device)).sum();
            loss = loss == null ? term : loss.add(term);
        }
        loss.backward();
        for (int i = 0; i < inputs.size(); i++) {
            Tensor in = inputs.get(i);
            if (in.requiresGrad()) {
                result.put("grad input " + i, in.grad() == null ? new double[in.numel()] : in.grad().toDoubleArray());
            }
        }
        m.namedParameters().forEach((k, p) ->
                result.put("grad " + k, p.grad() == null ? new double[p.numel()] : p.grad().toDoubleArray()));
        m.namedBuffers().forEach((k, b) -> result.put("buffer " + k, b.toDoubleArray()));
        return result;
    }
}
