package dev.jgrad.nn;

import dev.jgrad.Tensor;

/**
 * A lookup table, PyTorch's {@code nn.Embedding}: {@code weight [numEmbeddings, embeddingDim]}
 * initialised from {@code N(0, 1)}; forward maps I64 indices of any shape to
 * {@code indices.shape + [embeddingDim]}.
 */
public class Embedding extends Module {
    private final int num;
    private final int dim;

    /**
     * @param numEmbeddings size of the table
     * @param embeddingDim  size of each vector
     */
    public Embedding(int numEmbeddings, int embeddingDim) {
        if (numEmbeddings < 0 || embeddingDim < 0) {
            throw new IllegalArgumentException("Embedding: sizes must be >= 0, got numEmbeddings=" + numEmbeddings
                    + ", embeddingDim=" + embeddingDim);
        }
        this.num = numEmbeddings;
        this.dim = embeddingDim;
        Init.normal(registerParameter("weight", Tensor.zeros(numEmbeddings, embeddingDim)), 0, 1);
    }

    /**
     * @param indices I64, any shape, each in {@code [0, numEmbeddings)}
     * @return the looked-up vectors
     */
    @Override
    public Tensor forward(Tensor indices) {
        try {
            return Functional.embedding(indices, parameter("weight"));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Embedding(" + num + ", " + dim + "): " + e.getMessage(), e);
        }
    }

    /** @return the table {@code [numEmbeddings, embeddingDim]} */
    public Tensor weight() {
        return parameter("weight");
    }

    @Override
    protected String extraRepr() {
        return num + ", " + dim;
    }
}
