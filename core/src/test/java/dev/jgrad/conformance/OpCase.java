package dev.jgrad.conformance;

import dev.jgrad.Tensor;
import java.util.List;
import java.util.function.Function;

/**
 * One row of the op table: a named function of tensors and the arguments it takes. The same rows
 * drive the backend conformance suite (every backend against {@code reference}, forward and
 * backward) and the finite-difference gradient checks.
 *
 * @param name   a readable label, unique in the table
 * @param fn     the computation under test
 * @param args   its inputs
 * @param smooth whether it is twice differentiable (second-order gradient checks apply)
 */
public record OpCase(String name, Function<List<Tensor>, Tensor> fn, List<Arg> args, boolean smooth) {

    /** @return a case that is only checked to first order */
    public static OpCase of(String name, Function<List<Tensor>, Tensor> fn, Arg... args) {
        return new OpCase(name, fn, List.of(args), false);
    }

    /** @return a case that is also checked to second order */
    public static OpCase smooth(String name, Function<List<Tensor>, Tensor> fn, Arg... args) {
        return new OpCase(name, fn, List.of(args), true);
    }

    /** @return whether any argument is differentiable */
    public boolean differentiable() {
        return args.stream().anyMatch(Arg::differentiable);
    }

    @Override
    public String toString() {
        return name;
    }
}
