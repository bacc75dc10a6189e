package dev.jgrad.nn;

import dev.jgrad.Tensor;

/**
 * Called after a module's forward when the module is invoked through {@link Module#call(Tensor)},
 * PyTorch's {@code register_forward_hook}: it sees the module, its input and its output, and may
 * replace the output.
 */
@FunctionalInterface
public interface ForwardHook {
    /**
     * @param module the module that ran
     * @param input  its input
     * @param output its output (or the previous hook's replacement)
     * @return a replacement output, or null to keep {@code output}
     */
    Tensor afterForward(Module module, Tensor input, Tensor output);
}
