package dev.jgrad.optim;

import dev.jgrad.DType;
import dev.jgrad.Tensor;
import dev.jgrad.internal.Internals;
import dev.jgrad.autograd.NoGrad;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * {@link Optimizer#stateDict()} and {@link Optimizer#loadStateDict}: the layout of the map, and a
 * load that validates every entry before it changes anything.
 */
final class OptimizerState {
    private OptimizerState() {
    }

    static Map<String, Tensor> save(Optimizer o) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        new TreeMap<>(o.hyper()).forEach((k, v) -> out.put("hyper." + k, Tensor.scalar(v, DType.F64)));
        int first = 0;
        for (int g = 0; g < o.paramGroups().size(); g++) {
            ParamGroup group = o.paramGroups().get(g);
            out.put("param_groups." + g + ".lr", Tensor.scalar(group.lr(), DType.F64));
            out.put("param_groups." + g + ".weight_decay", Tensor.scalar(group.weightDecay(), DType.F64));
            long[] ids = new long[group.params().size()];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = first + i;
            }
            out.put("param_groups." + g + ".params", Tensor.of(ids, ids.length));
            first += ids.length;
        }
        List<String> names = o.stateNames();
        try (var ng = NoGrad.enter()) {
            for (int i = 0; i < o.params().size(); i++) {
                Tensor[] st = o.states().get(i);
                if (st != null) {
                    out.put("state." + i + ".step", Tensor.scalar(o.stepCount(i), DType.F64));
                    for (int k = 0; k < st.length; k++) {
                        out.put("state." + i + "." + names.get(k), st[k].copy());
                    }
                }
            }
        }
        return out;
    }

    static void load(Optimizer o, Map<String, Tensor> in) {
        String n = o.name();
        Set<String> used = new HashSet<>();
        Map<String, Double> hyper = new LinkedHashMap<>();
        for (String k : o.hyper().keySet()) {
            hyper.put(k, scalar(n, in, "hyper." + k, used));
        }
        o.checkHyper(hyper);
        List<ParamGroup> groups = o.paramGroups();
        double[] lrs = new double[groups.size()], decays = new double[groups.size()];
        int first = 0;
        for (int g = 0; g < groups.size(); g++) {
            lrs[g] = Hyper.nonNegative(n, "param_groups." + g + ".lr", scalar(n, in, "param_groups." + g + ".lr", used));
            decays[g] = Hyper.nonNegative(n, "param_groups." + g + ".weight_decay",
                    scalar(n, in, "param_groups." + g + ".weight_decay", used));
            long[] expected = new long[groups.get(g).params().size()];
            Arrays.setAll(expected, i -> (long) i);
            for (int i = 0; i < expected.length; i++) {
                expected[i] += first;
            }
            first += expected.length;
            Tensor ids = entry(n, in, "param_groups." + g + ".params", used);
            if (ids.dtype() != DType.I64 || !Arrays.equals(ids.toLongArray(), expected)) {
                throw new IllegalArgumentException(n + ": loadStateDict: param group " + g + " holds parameters "
                        + Arrays.toString(expected) + " here but " + ids + " in the state dict; the groups must match");
            }
        }
        Tensor[][] states = new Tensor[o.params().size()][];
        long[] steps = new long[states.length];
        for (int i = 0; i < states.length; i++) {
            states[i] = parameterState(o, in, i, used, steps);
        }
        for (String k : in.keySet()) {
            if (!used.contains(k)) {
                throw new IllegalArgumentException(n + ": loadStateDict: unexpected entry '" + k + "'; expected the"
                        + " keys of a stateDict() of this optimizer (" + used.size() + " matched)");
            }
        }
        o.hyper().putAll(hyper);
        for (int g = 0; g < groups.size(); g++) {
            groups.get(g).setLr(lrs[g]).setWeightDecay(decays[g]);
        }
        for (int i = 0; i < states.length; i++) {
            o.states().set(i, states[i]);
            o.setStepCount(i, steps[i]);
        }
    }

    /** @return copies of parameter i's states on its device and dtype, or null when the dict has none */
    private static Tensor[] parameterState(Optimizer o, Map<String, Tensor> in, int i, Set<String> used, long[] steps) {
        String n = o.name(), prefix = "state." + i + ".";
        if (!in.containsKey(prefix + "step")) {
            return null;
        }
        double step = scalar(n, in, prefix + "step", used);
        if (!(step >= 1 && step == Math.rint(step))) {
            throw new IllegalArgumentException(n + ": loadStateDict: " + prefix + "step must be a whole number >= 1,"
                    + " got " + step);
        }
        steps[i] = (long) step;
        Tensor p = o.params().get(i);
        List<String> names = o.stateNames();
        Tensor[] st = new Tensor[names.size()];
        try (var ng = NoGrad.enter()) {
            for (int k = 0; k < st.length; k++) {
                Tensor t = entry(n, in, prefix + names.get(k), used);
                if (!Arrays.equals(t.shape(), p.shape()) || !t.dtype().isFloatingPoint()) {
                    throw new IllegalArgumentException(n + ": loadStateDict: " + prefix + names.get(k) + " is "
                            + t.dtype() + " " + Arrays.toString(t.shape()) + " but parameter " + i + " is "
                            + p.dtype() + " " + Arrays.toString(p.shape()));
                }
                st[k] = t.to(p.dtype()).to(p.device().name()).copy();
                Internals.bridge().persist(st[k]);
            }
        }
        return st;
    }

    private static Tensor entry(String n, Map<String, Tensor> in, String key, Set<String> used) {
        Tensor t = in.get(key);
        if (t == null) {
            throw new IllegalArgumentException(n + ": loadStateDict: the entry '" + key + "' is missing");
        }
        used.add(key);
        return t;
    }

    private static double scalar(String n, Map<String, Tensor> in, String key, Set<String> used) {
        Tensor t = entry(n, in, key, used);
        if (t.numel() != 1) {
            throw new IllegalArgumentException(n + ": loadStateDict: '" + key + "' must be a scalar, got shape "
                    + Arrays.toString(t.shape()));
        }
        return t.item();
    }
}
