package dev.jgrad.conformance;

import dev.jgrad.Tensor;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * The in-place rows of the conformance kit: every public in-place op, through the same gate
 * ({@code InPlace}) and the backend's kernels for writing into an existing view, run on the backend
 * under test and on {@code reference}; the targets must agree. Targets are contiguous and strided
 * (a transposed view), operands full-shaped or broadcast, lengths odd.
 */
public final class InPlaceTable {
    private InPlaceTable() {
    }

    /**
     * @param name    a readable label, unique in the table
     * @param target  the updated tensor's shape
     * @param operand the operand's shape (broadcast to the target), or null for none
     * @param op      the update, given the target and the operand (null when there is none)
     */
    public record InPlaceCase(String name, int[] target, int[] operand, BiConsumer<Tensor, Tensor> op) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static final int[] T = {7, 13};

    /** @return every row */
    public static List<InPlaceCase> all() {
        return List.of(
            new InPlaceCase("addInPlace", T, T, (t, o) -> t.addInPlace(o)),
            new InPlaceCase("addInPlace broadcast row", T, new int[] {13}, (t, o) -> t.addInPlace(o)),
            new InPlaceCase("addInPlace alpha (axpy)", T, T, (t, o) -> t.addInPlace(o, -0.37)),
            new InPlaceCase("addInPlace alpha broadcast column", T, new int[] {7, 1}, (t, o) -> t.addInPlace(o, 2.5)),
            new InPlaceCase("addInPlace itself", T, null, (t, o) -> t.addInPlace(t, 0.5)),
            new InPlaceCase("subInPlace", T, T, (t, o) -> t.subInPlace(o)),
            new InPlaceCase("mulInPlace", T, T, (t, o) -> t.mulInPlace(o)),
            new InPlaceCase("mulInPlace broadcast scalar", T, new int[0], (t, o) -> t.mulInPlace(o)),
            new InPlaceCase("mulInPlace value", T, null, (t, o) -> t.mulInPlace(-1.75)),
            new InPlaceCase("reluInPlace", T, null, (t, o) -> t.reluInPlace()),
            new InPlaceCase("fillInPlace", T, null, (t, o) -> t.fillInPlace(3.25)),
            new InPlaceCase("copyInPlace", T, T, (t, o) -> t.copyInPlace(o)),
            new InPlaceCase("copyInPlace broadcast", T, new int[] {1, 13}, (t, o) -> t.copyInPlace(o)),
            new InPlaceCase("addInPlace empty", new int[] {0, 5}, new int[] {5}, (t, o) -> t.addInPlace(o)),
            new InPlaceCase("addInPlace large", new int[] {(1 << 19) + 37}, new int[] {(1 << 19) + 37},
                    (t, o) -> t.addInPlace(o, 0.5))
        );
    }
}
