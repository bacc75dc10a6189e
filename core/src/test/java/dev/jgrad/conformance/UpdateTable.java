package dev.jgrad.conformance;

import dev.jgrad.Tensor;
import dev.jgrad.optim.Adagrad;
import dev.jgrad.optim.Adam;
import dev.jgrad.optim.AdamW;
import dev.jgrad.optim.Optimizer;
import dev.jgrad.optim.RMSprop;
import dev.jgrad.optim.SGD;
import java.util.List;
import java.util.function.Function;

/**
 * The in-place update rows of the conformance kit: every fused optimizer kernel (each rule and each
 * of its variants) over a set of parameters, run for a few steps on the backend under test and on
 * {@code reference}; parameters and every state tensor must agree. The shapes cover odd lengths, a
 * size-1 and an empty parameter, many small parameters in one multi-tensor call, and one parameter
 * large enough to be split across threads.
 */
public final class UpdateTable {
    private UpdateTable() {
    }

    /**
     * @param name   a readable label, unique in the table
     * @param make   the optimizer over the given parameters
     * @param shapes the parameters' shapes
     */
    public record UpdateCase(String name, Function<List<Tensor>, Optimizer> make, List<int[]> shapes) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static final List<int[]> SMALL = List.of(new int[] {37}, new int[] {3, 19}, new int[] {1}, new int[] {0},
            new int[] {4, 4}, new int[] {7}, new int[] {2, 3, 5});

    /** @return every row */
    public static List<UpdateCase> all() {
        return List.of(
            new UpdateCase("sgd", p -> new SGD(p, 0.1), SMALL),
            new UpdateCase("sgd momentum decay", p -> new SGD(p, 0.1, 0.9, 0.2, 0.01, false), SMALL),
            new UpdateCase("sgd nesterov", p -> new SGD(p, 0.1, 0.9, 0, 0.01, true), SMALL),
            new UpdateCase("adam", p -> new Adam(p, 0.01), SMALL),
            new UpdateCase("adam decay amsgrad", p -> new Adam(p, 0.01, 0.8, 0.99, 1e-6, 0.1, true), SMALL),
            new UpdateCase("adamw", p -> new AdamW(p, 0.01), SMALL),
            new UpdateCase("adamw amsgrad", p -> new AdamW(p, 0.01, 0.9, 0.999, 1e-8, 0.1, true), SMALL),
            new UpdateCase("rmsprop", p -> new RMSprop(p, 0.01), SMALL),
            new UpdateCase("rmsprop centered momentum decay", p -> new RMSprop(p, 0.01, 0.9, 1e-6, 0.01, 0.5, true),
                    SMALL),
            new UpdateCase("rmsprop momentum", p -> new RMSprop(p, 0.01, 0.99, 1e-8, 0, 0.9, false), SMALL),
            new UpdateCase("adagrad", p -> new Adagrad(p, 0.1), SMALL),
            new UpdateCase("adagrad decay", p -> new Adagrad(p, 0.1, 0.01, 0.01, 0.1, 1e-10), SMALL),
            new UpdateCase("adam large", p -> new Adam(p, 0.01), List.of(new int[] {(1 << 19) + 37}, new int[] {5})),
            new UpdateCase("sgd momentum large", p -> new SGD(p, 0.1, 0.9, 0, 0, false),
                    List.of(new int[] {3}, new int[] {(1 << 19) + 37}))
        );
    }
}
