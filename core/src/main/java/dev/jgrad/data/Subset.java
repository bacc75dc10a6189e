package dev.jgrad.data;

import dev.jgrad.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * The examples of a dataset at given indices, in the given order (PyTorch's {@code Subset}); no
 * data is copied. Batches go through the parent's {@link Dataset#batch}, so a subset of a
 * {@link TensorDataset} still gathers one batch with one {@code indexSelect} per tensor.
 */
public final class Subset implements Dataset {
    private final Dataset parent;
    private final int[] indices;

    /**
     * @param parent  the full dataset
     * @param indices indices into {@code parent}, each in {@code [0, parent.size())} (copied)
     */
    public Subset(Dataset parent, int[] indices) {
        this.parent = Objects.requireNonNull(parent, "parent");
        this.indices = indices.clone();
        for (int i : this.indices) {
            TensorDataset.checkIndex("Subset", i, parent.size());
        }
    }

    /** @return the indices into the parent, a copy */
    public int[] indices() {
        return indices.clone();
    }

    @Override
    public int size() {
        return indices.length;
    }

    @Override
    public List<Tensor> get(int index) {
        return parent.get(indices[TensorDataset.checkIndex("Subset.get", index, indices.length)]);
    }

    @Override
    public List<Tensor> batch(int[] batch) {
        int[] mapped = new int[batch.length];
        for (int i = 0; i < batch.length; i++) {
            mapped[i] = indices[TensorDataset.checkIndex("Subset.batch", batch[i], indices.length)];
        }
        return parent.batch(mapped);
    }

    /**
     * Splits {@code data} at random into disjoint subsets that together hold every example, as
     * PyTorch's {@code random_split} with fractions: subset {@code k} gets
     * {@code floor(fractions[k] * n)} examples, and the remaining few go one each to the first
     * subsets in turn.
     *
     * @param data      the dataset to split
     * @param fractions non-negative, summing to 1 (within 1e-6), e.g. {@code 0.8, 0.2}
     * @param rng       draws the permutation; the same seed gives the same split
     * @return one subset per fraction, in order
     */
    public static List<Subset> randomSplit(Dataset data, double[] fractions, RandomGenerator rng) {
        Objects.requireNonNull(rng, "rng");
        double sum = 0;
        for (double f : fractions) {
            if (!(f >= 0 && f <= 1)) {
                throw new IllegalArgumentException("randomSplit: fraction " + f + " in " + Arrays.toString(fractions)
                        + " is not in [0, 1]");
            }
            sum += f;
        }
        if (fractions.length == 0 || Math.abs(sum - 1) > 1e-6) {
            throw new IllegalArgumentException("randomSplit: fractions " + Arrays.toString(fractions)
                    + " sum to " + sum + "; they must sum to 1");
        }
        int n = data.size();
        int[] lengths = new int[fractions.length];
        int given = 0;
        for (int k = 0; k < lengths.length; k++) {
            lengths[k] = (int) Math.floor(fractions[k] * n);
            given += lengths[k];
        }
        for (int k = 0; given < n; k = (k + 1) % lengths.length, given++) {
            lengths[k]++;
        }
        int[] order = Shuffle.permutation(n, rng);
        List<Subset> out = new ArrayList<>(lengths.length);
        for (int k = 0, at = 0; k < lengths.length; at += lengths[k++]) {
            out.add(new Subset(data, Arrays.copyOfRange(order, at, at + lengths[k])));
        }
        return out;
    }
}
