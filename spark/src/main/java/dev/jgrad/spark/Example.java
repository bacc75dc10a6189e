package dev.jgrad.spark;

import java.io.Serializable;
import java.util.Objects;

/**
 * One training row: a flat feature vector (reshaped to the trainer's input shape on the executor)
 * and a class label in {@code [0, numClasses)}.
 *
 * @param features the features, row-major; not copied, so do not modify it after handing it to Spark
 * @param label    the class index
 */
public record Example(float[] features, int label) implements Serializable {
    /** Rejects null features. */
    public Example {
        Objects.requireNonNull(features, "Example: features");
    }
}
