package dev.jgrad.backend;

/**
 * The geometry of a 2-D sliding window (convolution or pooling): kernel extent, stride, zero or
 * value padding on each side, and dilation, per spatial axis. Window {@code (oh, ow)} reads input
 * row {@code oh*strideH - padH + i*dilationH} for kernel row {@code i}, and likewise for columns.
 *
 * @param kernelH   kernel rows, {@code >= 1}
 * @param kernelW   kernel columns, {@code >= 1}
 * @param strideH   row step between windows, {@code >= 1}
 * @param strideW   column step between windows, {@code >= 1}
 * @param padH      rows added above and below, {@code >= 0}
 * @param padW      columns added left and right, {@code >= 0}
 * @param dilationH row step inside a window, {@code >= 1}
 * @param dilationW column step inside a window, {@code >= 1}
 */
public record Window(int kernelH, int kernelW, int strideH, int strideW, int padH, int padW, int dilationH,
                     int dilationW) {

    /** @return a square window, the form {@code torch.nn.Conv2d(int ...)} takes */
    public static Window square(int kernel, int stride, int padding, int dilation) {
        return new Window(kernel, kernel, stride, stride, padding, padding, dilation, dilation);
    }

    /** @return the number of window rows over an input of {@code h} rows (may be {@code <= 0} when none fit) */
    public int outH(int h) {
        return Math.floorDiv(h + 2 * padH - dilationH * (kernelH - 1) - 1, strideH) + 1;
    }

    /** @return the number of window columns over an input of {@code w} columns */
    public int outW(int w) {
        return Math.floorDiv(w + 2 * padW - dilationW * (kernelW - 1) - 1, strideW) + 1;
    }

    /** @return the 8 fields in declaration order, as OpenCL kernels take them */
    public int[] toArray() {
        return new int[] {kernelH, kernelW, strideH, strideW, padH, padW, dilationH, dilationW};
    }
}
