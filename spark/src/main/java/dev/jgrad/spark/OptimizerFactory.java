package dev.jgrad.spark;

import dev.jgrad.Tensor;
import dev.jgrad.optim.Optimizer;
import java.io.Serializable;
import java.util.List;

/** Builds an optimizer over given parameters: on the driver, and on executors for local steps (k &gt; 1). */
@FunctionalInterface
public interface OptimizerFactory extends Serializable {
    /**
     * @param params the parameters to optimize
     * @return a new optimizer
     */
    Optimizer create(List<Tensor> params);
}
