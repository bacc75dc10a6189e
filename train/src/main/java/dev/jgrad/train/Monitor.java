package dev.jgrad.train;

/**
 * Which History column a callback watches and which direction is better: a column ending in
 * {@code loss} is better lower, any other higher, unless stated.
 *
 * @param column         the column, e.g. {@code val_loss} or {@code val_accuracy}
 * @param higherIsBetter whether larger values are improvements
 */
public record Monitor(String column, boolean higherIsBetter) {
    /**
     * @param column a History column
     * @return a monitor that minimises {@code *loss} columns and maximises the others
     */
    public static Monitor of(String column) {
        if (column == null || column.isBlank()) {
            throw new IllegalArgumentException("Monitor: needs a History column such as val_loss or val_accuracy");
        }
        return new Monitor(column, !column.endsWith("loss"));
    }

    /** @return whether {@code value} beats {@code best} by more than {@code minDelta} (any finite value beats NaN) */
    boolean improves(double value, double best, double minDelta) {
        if (!Double.isFinite(value)) {
            return false;
        }
        if (Double.isNaN(best)) {
            return true;
        }
        return higherIsBetter ? value > best + minDelta : value < best - minDelta;
    }

    /** @return the column's last value, checking it exists */
    double read(History history) {
        if (!history.columns().contains(column)) {
            throw new IllegalArgumentException("Monitor: History has no column " + column + "; it has "
                    + history.columns() + " (val_* columns need a validation loader)");
        }
        return history.last(column);
    }
}
