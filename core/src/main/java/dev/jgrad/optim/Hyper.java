package dev.jgrad.optim;

/** Validation of hyperparameters, each failure naming the optimizer, the hyperparameter and its value. */
final class Hyper {
    private Hyper() {
    }

    /** @return {@code v} if it is {@code >= 0} (and not NaN) */
    static double nonNegative(String owner, String name, double v) {
        if (!(v >= 0)) {
            throw new IllegalArgumentException(owner + ": " + name + " must be >= 0, got " + v);
        }
        return v;
    }

    /** @return {@code v} if it lies in {@code [0, 1)} */
    static double unitInterval(String owner, String name, double v) {
        if (!(v >= 0 && v < 1)) {
            throw new IllegalArgumentException(owner + ": " + name + " must be in [0, 1), got " + v);
        }
        return v;
    }

    /** @return {@code v} if it lies in {@code [0, 1]} */
    static double closedUnit(String owner, String name, double v) {
        if (!(v >= 0 && v <= 1)) {
            throw new IllegalArgumentException(owner + ": " + name + " must be in [0, 1], got " + v);
        }
        return v;
    }
}
