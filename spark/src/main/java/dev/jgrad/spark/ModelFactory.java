package dev.jgrad.spark;

import dev.jgrad.nn.Module;
import java.io.Serializable;

/**
 * Builds the model's architecture on an executor (its weights are overwritten by the driver's each
 * round), so it must build the same parameters, in the same order and shapes, as the driver's model.
 */
@FunctionalInterface
public interface ModelFactory extends Serializable {
    /** @return a new model instance */
    Module create();
}
