package com.example;

import dev.jgrad.Tensor;
import dev.jgrad.autograd.NoGrad;

/** Fits y = 3x + 1 by gradient descent: the smallest useful program against jgrad-core. */
public final class Fit {
    private Fit() {
    }

    /** @return the learnt {@code [w, b]} */
    public static double[] fit() {
        Tensor.manualSeed(0);
        Tensor x = Tensor.rand(64, 1);
        Tensor y = x.mul(3).add(1);
        Tensor w = Tensor.zeros(1).requiresGrad(true);
        Tensor b = Tensor.zeros(1).requiresGrad(true);
        for (int step = 0; step < 2000; step++) {
            Tensor loss = x.mul(w).add(b).sub(y).pow(2).mean();
            loss.backward();
            try (var g = NoGrad.enter()) {
                w.addInPlace(w.grad(), -0.5);
                b.addInPlace(b.grad(), -0.5);
            }
            w.zeroGrad();
            b.zeroGrad();
        }
        return new double[] {w.item(), b.item()};
    }

    /** @param args unused */
    public static void main(String[] args) {
        double[] wb = fit();
        System.out.printf("w = %.4f, b = %.4f%n", wb[0], wb[1]);
    }
}
