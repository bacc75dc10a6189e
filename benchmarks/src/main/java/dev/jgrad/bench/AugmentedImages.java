package dev.jgrad.bench;

import dev.jgrad.Tensor;
import dev.jgrad.data.Dataset;
import dev.jgrad.data.TensorDataset;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A dataset whose loading costs real work: 28 × 28 images from a {@link TensorDataset}, each one
 * randomly rotated (±15°) and shifted (±2 pixels) with bilinear sampling, then normalised to
 * Fashion-MNIST's mean and standard deviation, one example at a time — torchvision's
 * {@code RandomAffine(15, translate=(2/28, 2/28))} followed by {@code Normalize}, the augmentation
 * tutorials add to this data. It has no batch gather of its own, so a {@link dev.jgrad.data.DataLoader}
 * builds each batch from {@link #get(int)} and {@code Dataset.batch}'s stack. {@link DataLoaderBenchmark}
 * and {@link LoaderRatios} use it ({@code augment}) to show whether prefetching hides a loader whose
 * time is a sizeable share of the step.
 */
final class AugmentedImages implements Dataset {
    private static final int SIDE = 28;
    private static final double MAX_ROTATION = Math.toRadians(15);
    private static final double MAX_SHIFT = 2;
    private static final float MEAN = 0.2860f;
    private static final float INV_STD = 1 / 0.3530f;

    private final float[] pixels;
    private final Tensor[] labels;

    /** @param images a dataset of {@code [N, 784]} F32 images in [0, 1] and {@code [N]} labels */
    AugmentedImages(TensorDataset images) {
        List<Tensor> t = images.tensors();
        if (t.size() != 2 || t.get(0).dim() != 2 || t.get(0).shape()[1] != SIDE * SIDE) {
            throw new IllegalArgumentException("AugmentedImages: needs [N, 784] images and [N] labels, got " + t);
        }
        pixels = t.get(0).toFloatArray();
        labels = new Tensor[images.size()];
        long[] l = t.get(1).toLongArray();
        for (int i = 0; i < l.length; i++) {
            labels[i] = Tensor.of(new long[] {l[i]});
        }
    }

    @Override
    public int size() {
        return labels.length;
    }

    /** @return the image at {@code index}, freshly rotated, shifted and normalised ({@code [784]}), and its label */
    @Override
    public List<Tensor> get(int index) {
        ThreadLocalRandom rng = ThreadLocalRandom.current();
        double angle = rng.nextDouble(-MAX_ROTATION, MAX_ROTATION);
        double dx = rng.nextDouble(-MAX_SHIFT, MAX_SHIFT);
        double dy = rng.nextDouble(-MAX_SHIFT, MAX_SHIFT);
        float[] out = new float[SIDE * SIDE];
        warp(index * SIDE * SIDE, (float) Math.cos(angle), (float) Math.sin(angle), (float) dx, (float) dy, out);
        return List.of(Tensor.of(out, SIDE * SIDE), labels[index]);
    }

    /**
     * Inverse mapping: each output pixel (x, y) samples the source at R⁻¹·((x, y) − c − d) + c
     * (c the centre, d the shift), bilinearly, zero outside the image; then (v − mean) / std.
     */
    private void warp(int base, float cos, float sin, float dx, float dy, float[] out) {
        float c = (SIDE - 1) / 2f;
        for (int y = 0; y < SIDE; y++) {
            for (int x = 0; x < SIDE; x++) {
                float u = x - c - dx;
                float v = y - c - dy;
                float sx = cos * u + sin * v + c;
                float sy = -sin * u + cos * v + c;
                out[y * SIDE + x] = (sample(base, sx, sy) - MEAN) * INV_STD;
            }
        }
    }

    private float sample(int base, float sx, float sy) {
        int x0 = (int) Math.floor(sx);
        int y0 = (int) Math.floor(sy);
        float fx = sx - x0;
        float fy = sy - y0;
        float top = (1 - fx) * at(base, x0, y0) + fx * at(base, x0 + 1, y0);
        float bottom = (1 - fx) * at(base, x0, y0 + 1) + fx * at(base, x0 + 1, y0 + 1);
        return (1 - fy) * top + fy * bottom;
    }

    private float at(int base, int x, int y) {
        return x < 0 || y < 0 || x >= SIDE || y >= SIDE ? 0 : pixels[base + y * SIDE + x];
    }
}
