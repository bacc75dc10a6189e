package dev.jgrad.nn;

import dev.jgrad.Tensor;

/**
 * PyTorch's {@code nn.MaxPool2d}: the maximum of each {@code k×k} window ({@link Functional#maxPool2d});
 * the gradient goes to the first maximum of each window. No parameters.
 */
public class MaxPool2d extends Pool2d {

    /** Stride equal to the kernel, no padding (PyTorch's defaults). */
    public MaxPool2d(int kernelSize) {
        this(kernelSize, kernelSize, 0);
    }

    /**
     * @param kernelSize window height and width, {@code >= 1}
     * @param stride     window step, {@code >= 1}
     * @param padding    -inf rows/columns on each side, at most {@code kernelSize / 2}
     */
    public MaxPool2d(int kernelSize, int stride, int padding) {
        super("MaxPool2d", kernelSize, stride, padding);
    }

    /**
     * @param input {@code [N, C, H, W]} or {@code [C, H, W]}
     * @return {@code [N, C, oH, oW]}, {@code oH = floor((H + 2·padding - k)/stride) + 1}
     */
    @Override
    public Tensor forward(Tensor input) {
        check(input);
        return Functional.maxPool2d(input, kernel, stride, padding);
    }
}
