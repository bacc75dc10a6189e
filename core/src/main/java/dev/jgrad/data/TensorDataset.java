package dev.jgrad.data;

import dev.jgrad.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Examples held as whole tensors whose dim 0 counts the examples: example {@code i} is
 * {@code t.select(0, i)} of every tensor, and a batch is one {@code indexSelect(0, rows)} per
 * tensor. PyTorch's {@code TensorDataset}.
 */
public final class TensorDataset implements Dataset {
    private final List<Tensor> tensors;
    private final int size;

    /**
     * @param tensors at least one; each of rank {@code >= 1}, all with the same size of dim 0 and on
     *                the same device
     */
    public TensorDataset(Tensor... tensors) {
        Objects.requireNonNull(tensors, "tensors");
        if (tensors.length == 0) {
            throw new IllegalArgumentException("TensorDataset: needs at least one tensor");
        }
        for (int i = 0; i < tensors.length; i++) {
            Tensor t = Objects.requireNonNull(tensors[i], "tensor " + i);
            if (t.dim() == 0) {
                throw new IllegalArgumentException("TensorDataset: tensor " + i + " is a scalar; dim 0 must count"
                        + " the examples, so every tensor needs rank >= 1");
            }
            if (t.shape()[0] != tensors[0].shape()[0] || !t.device().equals(tensors[0].device())) {
                throw new IllegalArgumentException("TensorDataset: tensor " + i + " " + Arrays.toString(t.shape())
                        + " on " + t.device() + " does not match tensor 0 " + Arrays.toString(tensors[0].shape())
                        + " on " + tensors[0].device() + "; all need the same size of dim 0 and one device");
            }
        }
        this.tensors = List.of(tensors);
        this.size = tensors[0].shape()[0];
    }

    @Override
    public int size() {
        return size;
    }

    /** @return the tensors this dataset holds, in order */
    public List<Tensor> tensors() {
        return tensors;
    }

    @Override
    public List<Tensor> get(int index) {
        checkIndex("TensorDataset.get", index, size);
        List<Tensor> out = new ArrayList<>(tensors.size());
        for (Tensor t : tensors) {
            out.add(t.select(0, index));
        }
        return out;
    }

    /** One {@code indexSelect} per tensor: the batch never exists as per-example objects. */
    @Override
    public List<Tensor> batch(int[] indices) {
        long[] rows = new long[indices.length];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = checkIndex("TensorDataset.batch", indices[i], size);
        }
        Tensor index = Tensor.of(rows, rows.length).to(tensors.get(0).device().name());
        List<Tensor> out = new ArrayList<>(tensors.size());
        for (Tensor t : tensors) {
            out.add(t.indexSelect(0, index));
        }
        return out;
    }

    /** @return {@code index}, if it lies in {@code [0, size)} */
    static int checkIndex(String op, int index, int size) {
        if (index < 0 || index >= size) {
            throw new IllegalArgumentException(op + ": example index " + index + " is out of range; valid indices are"
                    + " 0 to " + (size - 1) + " (size " + size + ")");
        }
        return index;
    }
}
