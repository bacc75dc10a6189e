package dev.jgrad.optim;

import dev.jgrad.Tensor;
import dev.jgrad.autograd.NoGrad;
import dev.jgrad.backend.UpdateStep;
import dev.jgrad.internal.Internals;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An optimizer updates parameters (leaf tensors that require grad) from their gradients, with
 * PyTorch's update formulas (stated on each subclass). Every step runs under no-grad as one fused
 * backend update through the in-place gate: all parameters and gradients are validated before any
 * is written, so a failed step leaves every parameter and every state unchanged; parameters and
 * states have their versions bumped, and parameters whose grad is null are skipped (their state
 * and step count stay as they were, as in PyTorch).
 *
 * <p>Parameters are numbered across groups in order (group 0's first, then group 1's...); those
 * numbers name them in error messages and in {@link #stateDict()}.
 */
public abstract class Optimizer {
    private final String name;
    private final Map<String, Double> hyper;
    private final double defaultLr;
    private final double defaultWeightDecay;
    private final List<ParamGroup> groups = new ArrayList<>();
    private final List<Tensor> params = new ArrayList<>();
    private final List<Tensor[]> state = new ArrayList<>();
    private long[] steps = new long[0];

    Optimizer(String name, List<Tensor> params, double lr, double weightDecay, Map<String, Double> hyper) {
        this.name = name;
        this.hyper = new LinkedHashMap<>(hyper);
        checkHyper(this.hyper);
        this.defaultLr = Hyper.nonNegative(name, "lr", lr);
        this.defaultWeightDecay = Hyper.nonNegative(name, "weightDecay", weightDecay);
        addParamGroup(params);
    }

    /** Performs one update of every parameter that has a gradient (formula on the subclass). */
    public abstract void step();

    /** @return the state tensors' names in stateDict order, e.g. {@code exp_avg, exp_avg_sq} */
    abstract List<String> stateNames();

    /** @return the initial value of state {@code k} (0, or Adagrad's initial accumulator value) */
    double initialState(int k) {
        return 0;
    }

    /** Validates the optimizer-wide hyperparameters (constructor and loadStateDict). */
    abstract void checkHyper(Map<String, Double> h);

    /**
     * @param group the parameter's group
     * @param t     the step number being taken, from 1
     * @param fresh whether the states were just created (first step of this parameter)
     * @return the update rule with its coefficients for this step
     */
    abstract UpdateStep stepFor(ParamGroup group, long t, boolean fresh);

    /** @return the optimizer-wide hyperparameter {@code key} */
    final double h(String key) {
        return hyper.get(key);
    }

    /** @return the optimizer's name, as in its error messages */
    final String name() {
        return name;
    }

    /**
     * Adds a group of parameters with the constructor's lr and weight decay, which the returned group
     * can change (PyTorch's {@code add_param_group}).
     *
     * @param params tensors that require grad, none already in this optimizer
     * @return the new group
     * @throws IllegalArgumentException for an empty list, a null, a duplicate, a tensor that does not
     *                                  require grad or is not a leaf
     */
    public final ParamGroup addParamGroup(List<Tensor> params) {
        Objects.requireNonNull(params, name + ": params");
        if (params.isEmpty()) {
            throw new IllegalArgumentException(name + ": the parameter list is empty; pass at least one tensor");
        }
        Map<Tensor, Integer> seen = new IdentityHashMap<>();
        for (int i = 0; i < this.params.size(); i++) {
            seen.put(this.params.get(i), i);
        }
        for (int i = 0; i < params.size(); i++) {
            checkParam(params.get(i), this.params.size() + i, seen);
        }
        ParamGroup g = new ParamGroup(name, groups.size(), params, defaultLr, defaultWeightDecay);
        groups.add(g);
        for (Tensor p : params) {
            this.params.add(p);
            state.add(null);
        }
        steps = Arrays.copyOf(steps, this.params.size());
        return g;
    }

    private void checkParam(Tensor p, int index, Map<Tensor, Integer> seen) {
        if (p == null) {
            throw new IllegalArgumentException(name + ": parameter " + index + " is null");
        }
        Integer first = seen.putIfAbsent(p, index);
        if (first != null) {
            throw new IllegalArgumentException(name + ": parameter " + index + " " + Arrays.toString(p.shape())
                    + " is the same tensor as parameter " + first + "; pass each parameter once");
        }
        if (!p.requiresGrad() || !p.isLeaf()) {
            throw new IllegalArgumentException(name + ": parameter " + index + " " + Arrays.toString(p.shape())
                    + (p.isLeaf() ? " does not require grad; call requiresGrad(true) on it or leave it out"
                    : " is not a leaf (it was computed by " + p.gradFn().name() + "); optimize the leaf tensors"));
        }
    }

    /** Sets every parameter's gradient to null (PyTorch's {@code zero_grad(set_to_none=True)}). */
    public void zeroGrad() {
        for (Tensor p : params) {
            p.zeroGrad();
        }
    }

    /** @return the learning rate of the first parameter group */
    public double lr() {
        return groups.get(0).lr();
    }

    /** Sets the learning rate of every parameter group. */
    public void setLr(double lr) {
        Hyper.nonNegative(name, "lr", lr);
        for (ParamGroup g : groups) {
            g.setLr(lr);
        }
    }

    /** @return the parameter groups, in order (read-only list; the groups' lr and decay can be set) */
    public List<ParamGroup> paramGroups() {
        return Collections.unmodifiableList(groups);
    }

    /**
     * The whole state, as copies: per parameter {@code state.<i>.step} (an F64 scalar) and
     * {@code state.<i>.<name>} for each state tensor (once the parameter has been stepped), per group
     * {@code param_groups.<g>.lr}, {@code .weight_decay} and {@code .params} (the I64 parameter
     * numbers), and {@code hyper.<name>} for each optimizer-wide hyperparameter.
     *
     * @return a new map, in a stable order
     */
    public Map<String, Tensor> stateDict() {
        return OptimizerState.save(this);
    }

    /**
     * Restores a {@link #stateDict()} of an optimizer of the same kind over parameters of the same
     * shapes: a resumed run continues bit-identically. Everything is validated before anything is
     * changed; state tensors are copied to each parameter's device and dtype.
     *
     * @throws IllegalArgumentException naming the first missing, unexpected or mismatching entry
     */
    public void loadStateDict(Map<String, Tensor> stateDict) {
        OptimizerState.load(this, Objects.requireNonNull(stateDict, name + ": stateDict"));
    }

    /** Runs one fused step over every parameter with a gradient; the subclasses' {@link #step()}. */
    final void update() {
        int n = params.size();
        List<UpdateStep> rowSteps = new ArrayList<>(n);
        List<Tensor[]> rows = new ArrayList<>(n);
        List<Tensor[]> rowStates = new ArrayList<>(n);
        int[] ids = new int[n];
        try (var ng = NoGrad.enter()) {
            int i = 0;
            for (ParamGroup g : groups) {
                // Parameters of a group usually share the step number: one UpdateStep for all of them.
                UpdateStep last = null;
                long lastT = -1;
                boolean lastFresh = false;
                for (Tensor p : g.params()) {
                    if (p.grad() != null) {
                        Tensor[] st = state.get(i);
                        boolean fresh = st == null;
                        st = fresh ? newState(p) : st;
                        long t = steps[i] + 1;
                        if (last == null || t != lastT || fresh != lastFresh) {
                            last = stepFor(g, t, fresh);
                            lastT = t;
                            lastFresh = fresh;
                        }
                        ids[rows.size()] = i;
                        rowSteps.add(last);
                        rows.add(row(p, p.grad(), st));
                        rowStates.add(st);
                    }
                    i++;
                }
            }
            Internals.bridge().update(name, rowSteps, rows, Arrays.copyOf(ids, rows.size()));
        }
        for (int r = 0; r < rows.size(); r++) {
            state.set(ids[r], rowStates.get(r));
            steps[ids[r]]++;
        }
    }

    private Tensor[] newState(Tensor p) {
        Tensor[] st = new Tensor[stateNames().size()];
        for (int k = 0; k < st.length; k++) {
            st[k] = p.fullLike(initialState(k));
            Internals.bridge().persist(st[k]);   // state outlives the step (and any MemoryScope) that made it
        }
        return st;
    }

    private static Tensor[] row(Tensor p, Tensor g, Tensor[] st) {
        Tensor[] row = new Tensor[2 + st.length];
        row[0] = p;
        row[1] = g;
        System.arraycopy(st, 0, row, 2, st.length);
        return row;
    }

    // ---- accessors for OptimizerState (same package)

    final Map<String, Double> hyper() {
        return hyper;
    }

    final List<Tensor> params() {
        return params;
    }

    final List<Tensor[]> states() {
        return state;
    }

    /** @return the number of steps parameter {@code i} has taken */
    final long stepCount(int i) {
        return steps[i];
    }

    final void setStepCount(int i, long t) {
        steps[i] = t;
    }
}
