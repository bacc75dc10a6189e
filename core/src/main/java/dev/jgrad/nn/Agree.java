package dev.jgrad.nn;

import dev.jgrad.Tensor;
import java.util.Arrays;

/**
 * Device and dtype agreement of an nn entry point's operands, checked before anything is computed,
 * so that a mismatch names the loss, function or layer the user called (and both devices or
 * dtypes) rather than an internal op it happens to reach first. Null operands (an absent bias) pass.
 */
final class Agree {
    private Agree() {
    }

    /** {@code other} must be on {@code ref}'s device. */
    static void device(String op, String refRole, Tensor ref, String role, Tensor other) {
        if (other != null && !ref.device().equals(other.device())) {
            throw new IllegalArgumentException(op + ": " + role + " " + Arrays.toString(other.shape()) + " is on "
                    + other.device() + " but " + refRole + " " + Arrays.toString(ref.shape()) + " is on "
                    + ref.device() + "; all operands must be on one device, move one with to(\"" + ref.device()
                    + "\")");
        }
    }

    /** {@code other} must be on {@code ref}'s device and of its dtype. */
    static void same(String op, String refRole, Tensor ref, String role, Tensor other) {
        device(op, refRole, ref, role, other);
        if (other != null && ref.dtype() != other.dtype()) {
            throw new IllegalArgumentException(op + ": " + role + " " + Arrays.toString(other.shape()) + " is "
                    + other.dtype() + " but " + refRole + " " + Arrays.toString(ref.shape()) + " is " + ref.dtype()
                    + "; jgrad does not promote silently, convert one with to(DType)");
        }
    }

    /**
     * A layer's input against one of its parameters (the layer's device and dtype), named as the
     * layer prints; the name is built only on failure, as this runs on every forward.
     */
    static void input(Module layer, Tensor param, Tensor input, boolean sameDType) {
        if (!param.device().equals(input.device()) || (sameDType && param.dtype() != input.dtype())) {
            String name = layer.getClass().getSimpleName() + "(" + layer.extraRepr() + ")";
            if (sameDType) {
                same(name, "the layer's parameters", param, "input", input);
            }
            device(name, "the layer's parameters", param, "input", input);
        }
    }
}
