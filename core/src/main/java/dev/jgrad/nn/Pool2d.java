package dev.jgrad.nn;

import dev.jgrad.Tensor;
import java.util.Arrays;

/**
 * What {@link MaxPool2d} and {@link AvgPool2d} share: the window (square kernel, stride, padding),
 * its validation, and the input checks that name the layer.
 */
abstract class Pool2d extends Module {
    final int kernel;
    final int stride;
    final int padding;

    Pool2d(String layer, int kernel, int stride, int padding) {
        if (kernel < 1 || stride < 1 || padding < 0 || padding > kernel / 2) {
            throw new IllegalArgumentException(layer + ": need kernelSize >= 1, stride >= 1 and 0 <= padding <="
                    + " kernelSize / 2, got kernelSize=" + kernel + ", stride=" + stride + ", padding=" + padding);
        }
        this.kernel = kernel;
        this.stride = stride;
        this.padding = padding;
    }

    /** Throws unless {@code input} is {@code [N, C, H, W]} or {@code [C, H, W]} with room for one window. */
    final void check(Tensor input) {
        int[] s = input.shape();
        if (s.length != 4 && s.length != 3) {
            throw new IllegalArgumentException(this + ": expected input [N, C, H, W] or [C, H, W], got "
                    + Arrays.toString(s));
        }
        int h = s[s.length - 2] + 2 * padding, w = s[s.length - 1] + 2 * padding;
        if (h < kernel || w < kernel) {
            throw new IllegalArgumentException(this + ": kernel " + kernel + "x" + kernel + " is larger than the padded"
                    + " input " + h + "x" + w + " of input " + Arrays.toString(s));
        }
    }

    @Override
    protected String extraRepr() {
        return "kernel_size=" + kernel + ", stride=" + stride + ", padding=" + padding;
    }
}
