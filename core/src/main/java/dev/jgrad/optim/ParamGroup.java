package dev.jgrad.optim;

import dev.jgrad.Tensor;
import java.util.List;

/**
 * A set of parameters with its own learning rate and weight decay, as PyTorch's
 * {@code param_groups}: e.g. no decay on biases and norms. Created by the optimizer's constructor
 * (group 0) and by {@link Optimizer#addParamGroup}; its parameter list is fixed, its lr and weight
 * decay may change between steps (schedules set the lr).
 */
public final class ParamGroup {
    private final String owner;
    private final int index;
    private final List<Tensor> params;
    private double lr;
    private double weightDecay;
    private double initialLr = Double.NaN;

    ParamGroup(String owner, int index, List<Tensor> params, double lr, double weightDecay) {
        this.owner = owner;
        this.index = index;
        this.params = List.copyOf(params);
        setLr(lr);
        setWeightDecay(weightDecay);
    }

    /** @return the group's parameters, in order (read-only) */
    public List<Tensor> params() {
        return params;
    }

    /** @return the learning rate */
    public double lr() {
        return lr;
    }

    /**
     * Sets the learning rate used from the next step on.
     *
     * @return this
     * @throws IllegalArgumentException for a negative or NaN lr
     */
    public ParamGroup setLr(double lr) {
        this.lr = Hyper.nonNegative(owner, "lr of param group " + index, lr);
        return this;
    }

    /** @return the weight decay (coupled L2 for SGD, Adam, RMSprop, Adagrad; decoupled for AdamW) */
    public double weightDecay() {
        return weightDecay;
    }

    /**
     * Sets the weight decay used from the next step on.
     *
     * @return this
     * @throws IllegalArgumentException for a negative or NaN value
     */
    public ParamGroup setWeightDecay(double weightDecay) {
        this.weightDecay = Hyper.nonNegative(owner, "weightDecay of param group " + index, weightDecay);
        return this;
    }

    /**
     * @return the learning rate schedules start from (PyTorch's {@code initial_lr}): set by the first
     * {@code LRScheduler} attached to the optimizer, NaN before that
     */
    public double initialLr() {
        return initialLr;
    }

    /**
     * Sets the learning rate schedules start from; the first scheduler sets it to the current lr.
     *
     * @return this
     */
    public ParamGroup setInitialLr(double initialLr) {
        this.initialLr = Hyper.nonNegative(owner, "initialLr of param group " + index, initialLr);
        return this;
    }
}
