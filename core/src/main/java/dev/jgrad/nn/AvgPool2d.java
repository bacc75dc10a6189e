package dev.jgrad.nn;

import dev.jgrad.Tensor;

/**
 * PyTorch's {@code nn.AvgPool2d} with {@code count_include_pad=True}: the mean of each {@code k×k} window
 * ({@link Functional#avgPool2d}), padding counted as zeros. No parameters.
 */
public class AvgPool2d extends Pool2d {

    /** Stride equal to the kernel, no padding (PyTorch's defaults). */
    public AvgPool2d(int kernelSize) {
        this(kernelSize, kernelSize, 0);
    }

    /**
     * @param kernelSize window height and width, {@code >= 1}
     * @param stride     window step, {@code >= 1}
     * @param padding    zero rows/columns on each side, at most {@code kernelSize / 2}
     */
    public AvgPool2d(int kernelSize, int stride, int padding) {
        super("AvgPool2d", kernelSize, stride, padding);
    }

    /**
     * @param input {@code [N, C, H, W]} or {@code [C, H, W]}
     * @return {@code [N, C, oH, oW]}, {@code oH = floor((H + 2·padding - k)/stride) + 1}
     */
    @Override
    public Tensor forward(Tensor input) {
        check(input);
        return Functional.avgPool2d(input, kernel, stride, padding);
    }
}
