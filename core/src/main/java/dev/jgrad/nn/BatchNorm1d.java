package dev.jgrad.nn;

/** Batch normalisation of {@code [N, C]} or {@code [N, C, L]} inputs, PyTorch's {@code nn.BatchNorm1d}; see {@link BatchNorm}. */
public class BatchNorm1d extends BatchNorm {
    /** With PyTorch's defaults {@code eps = 1e-5}, {@code momentum = 0.1}. */
    public BatchNorm1d(int features) {
        this(features, 1e-5, 0.1);
    }

    /**
     * @param features channels {@code C}
     * @param eps      added to the variance
     * @param momentum weight of the batch statistic in the running average
     */
    public BatchNorm1d(int features, double eps, double momentum) {
        super(features, eps, momentum, 2, 3);
    }
}
