package dev.jgrad;

import dev.jgrad.autograd.Node;
import dev.jgrad.backend.Backend;
import dev.jgrad.backend.Buffer;
import dev.jgrad.backend.UnaryOp;
import dev.jgrad.backend.UpdateStep;
import dev.jgrad.internal.Bridge;
import java.util.List;
import java.util.function.Function;

/** The front end's side of {@link dev.jgrad.internal.Internals}: installed once by {@link Tensor}. */
final class BridgeImpl implements Bridge {

    @Override
    public Node gradEdge(Tensor t) {
        return t.gradEdge();
    }

    @Override
    public Tensor grad(Tensor leaf) {
        return leaf.grad();
    }

    @Override
    public void setGrad(Tensor leaf, Tensor grad) {
        leaf.setGrad(grad);
    }

    @Override
    public void persist(Tensor t) {
        MemoryScope.persist(t);
    }

    @Override
    public Object beginAllocations(Device device) {
        return device.backend().releasesEagerly() ? MemoryScope.push("backward") : null;
    }

    @Override
    public boolean allocatedSince(Object token, Tensor t) {
        return ((MemoryScope) token).owns(t);
    }

    @Override
    public void release(Tensor t, String by) {
        t.storage.release(by);
    }

    @Override
    public void endAllocations(Object token) {
        ((MemoryScope) token).closeKeepingAll();
    }

    @Override
    public Object beginRule() {
        return MemoryScope.push("a backward rule");
    }

    @Override
    public void endRule(Object token, Tensor[] results) {
        ((MemoryScope) token).closeReleasingAllBut(results);
    }

    @Override
    public Object storage(Tensor t) {
        return t.storage;
    }

    @Override
    public Tensor wrap(Device device, Buffer buffer, int[] shape, DType dtype) {
        int n = Checks.shape("wrap", shape);
        if (buffer.dtype() != dtype || buffer.length() != n || buffer.backend() != device.backend()) {
            throw new IllegalArgumentException("wrap: a " + buffer.dtype() + " buffer of " + buffer.length()
                    + " elements cannot back a " + dtype + " tensor of shape " + Checks.str(shape) + " on " + device);
        }
        return Factories.wrap(device, buffer, shape, dtype);
    }

    @Override
    public Tensor linear(Tensor x, Tensor weight) {
        return NnRules.linear(x, weight);
    }

    @Override
    public Tensor activation(Tensor x, UnaryOp act) {
        return Activation.of(act).apply(x, 0);
    }

    @Override
    public Tensor biasActivation(Tensor x, Tensor bias, UnaryOp act) {
        return NnRules.biasActivation(x, bias, act);
    }

    @Override
    public Tensor crossEntropy(Tensor logits, Tensor labels) {
        return NnRules.crossEntropy(logits, labels);
    }

    @Override
    public Tensor conv2d(Tensor x, Tensor weight, Tensor bias, int stride, int padding, int dilation, int groups) {
        return ConvRules.conv2d(x, weight, bias, stride, padding, dilation, groups);
    }

    @Override
    public Tensor maxPool2d(Tensor x, int kernel, int stride, int padding) {
        return PoolRules.maxPool2d(x, kernel, stride, padding);
    }

    @Override
    public Tensor avgPool2d(Tensor x, int kernel, int stride, int padding) {
        return PoolRules.avgPool2d(x, kernel, stride, padding);
    }

    @Override
    public Tensor adaptiveAvgPool2d(Tensor x, int outputSize) {
        return PoolRules.adaptiveAvgPool2d(x, outputSize);
    }

    @Override
    public Tensor[] normalize(String name, Tensor x, int[] axes, Tensor weight, Tensor bias, double eps) {
        return NormRules.normalize(name, x, axes, weight, bias, eps);
    }

    @Override
    public Tensor lstm(Tensor[] inputs, Function<Tensor[], Tensor> composed) {
        return RecurrentRules.lstm(inputs, composed);
    }

    @Override
    public Tensor gru(Tensor[] inputs, Function<Tensor[], Tensor> composed) {
        return RecurrentRules.gru(inputs, composed);
    }

    @Override
    public void update(String op, List<UpdateStep> steps, List<Tensor[]> rows, int[] ids) {
        InPlace.update(op, steps, rows, ids);
    }

    @Override
    public void checkRange(Tensor t, double lo, double hi, Backend.RangeFailure failure) {
        Ops.checkRange(t, lo, hi, failure);
    }
}
