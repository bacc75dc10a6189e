package dev.jgrad.data;

import dev.jgrad.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * An indexed collection of examples; each example is a list of tensors (features, label, ...) in a
 * fixed order. PyTorch's map-style {@code Dataset}.
 */
public interface Dataset {
    /** @return the number of examples */
    int size();

    /**
     * @param index in {@code [0, size())}
     * @return the example's tensors, each without the example dim
     */
    List<Tensor> get(int index);

    /**
     * The examples at {@code indices}, stacked along a new dim 0. This default stacks
     * {@link #get(int)} results one by one; datasets backed by whole tensors override it with one
     * gather per tensor.
     *
     * @param indices example indices, each in {@code [0, size())}; at least one
     * @return one tensor per field, of shape {@code [indices.length, ...]}
     */
    default List<Tensor> batch(int[] indices) {
        if (indices.length == 0) {
            throw new IllegalArgumentException("Dataset.batch: needs at least one index");
        }
        List<List<Tensor>> examples = new ArrayList<>(indices.length);
        for (int i : indices) {
            examples.add(get(i));
        }
        int fields = examples.get(0).size();
        List<Tensor> out = new ArrayList<>(fields);
        for (int f = 0; f < fields; f++) {
            final int field = f;
            out.add(Tensor.stack(examples.stream().map(e -> e.get(field)).toList(), 0));
        }
        return out;
    }
}
