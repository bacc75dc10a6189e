package dev.jgrad;

import dev.jgrad.autograd.Node;
import dev.jgrad.backend.UnaryOp;
import dev.jgrad.internal.Bridge;

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
    public Object storage(Tensor t) {
        return t.storage;
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
    public Tensor[] normalize(String name, Tensor x, int[] axes, Tensor weight, Tensor bias, double eps) {
        return NormRules.normalize(name, x, axes, weight, bias, eps);
    }
}
