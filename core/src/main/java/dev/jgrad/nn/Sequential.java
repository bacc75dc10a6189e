package dev.jgrad.nn;

import dev.jgrad.Tensor;
import java.util.Objects;

/**
 * Modules applied one after another, PyTorch's {@code nn.Sequential}: children are registered as
 * {@code "0"}, {@code "1"}, ..., so state-dict keys read {@code "0.weight"}, {@code "2.bias"}.
 */
public class Sequential extends Module {
    private int count;

    /** @param modules the stages, in order */
    public Sequential(Module... modules) {
        for (Module m : modules) {
            add(m);
        }
    }

    /** Appends a stage under the next index. @return this */
    public Sequential add(Module module) {
        register(Integer.toString(count), Objects.requireNonNull(module, "module"));
        count++;
        return this;
    }

    /** @return the number of stages */
    public int size() {
        return count;
    }

    /** @return the stage at {@code index} */
    public Module get(int index) {
        Objects.checkIndex(index, count);
        return namedChildren().get(Integer.toString(index));
    }

    /** @return the input passed through every stage in order (each through {@link Module#call}, so its hooks run) */
    @Override
    public Tensor forward(Tensor input) {
        Tensor x = input;
        for (Module m : namedChildren().values()) {
            x = m.call(x);
        }
        return x;
    }
}
