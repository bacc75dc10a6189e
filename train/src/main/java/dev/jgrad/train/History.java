package dev.jgrad.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Every epoch's figures, one row per epoch: {@code epoch}, {@code train_loss}, {@code train_<metric>},
 * {@code val_loss}, {@code val_<metric>} (when there is a validation loader), {@code lr} (the
 * learning rate the epoch trained with) and {@code seconds} (the epoch's training time). Written as
 * CSV ({@link #writeCsv}) and PNG plots ({@link #writePlots}).
 */
public final class History {
    private final Set<String> columns = new LinkedHashSet<>();
    private final List<Map<String, Double>> rows = new ArrayList<>();
    private String stopReason;

    /**
     * Appends one epoch's row.
     *
     * @param row column name to value, in column order
     */
    public void add(Map<String, Double> row) {
        columns.addAll(row.keySet());
        rows.add(Collections.unmodifiableMap(new LinkedHashMap<>(row)));
    }

    /** @return the number of rows (epochs) */
    public int size() {
        return rows.size();
    }

    /** @return the rows, oldest first (read-only) */
    public List<Map<String, Double>> rows() {
        return Collections.unmodifiableList(rows);
    }

    /** @return every column name seen, in first-seen order */
    public List<String> columns() {
        return List.copyOf(columns);
    }

    /**
     * @param name a column name
     * @return the column's value in every row (NaN where a row lacks it)
     */
    public double[] column(String name) {
        return rows.stream().mapToDouble(r -> r.getOrDefault(name, Double.NaN)).toArray();
    }

    /** @return the last row's value of {@code name}, NaN when absent or when there is no row */
    public double last(String name) {
        return rows.isEmpty() ? Double.NaN : rows.get(rows.size() - 1).getOrDefault(name, Double.NaN);
    }

    /** @return why training stopped before its last epoch (early stopping, a non-finite loss), if it did */
    public Optional<String> stopReason() {
        return Optional.ofNullable(stopReason);
    }

    void stop(String reason) {
        stopReason = reason;
    }

    /** @return the history as CSV: a header line of the columns, then one line per epoch */
    public String toCsv() {
        StringBuilder sb = new StringBuilder(String.join(",", columns)).append('\n');
        for (Map<String, Double> r : rows) {
            List<String> cells = new ArrayList<>();
            for (String c : columns) {
                Double v = r.get(c);
                cells.add(v == null ? "" : c.equals("epoch") ? Long.toString(v.longValue()) : format(v));
            }
            sb.append(String.join(",", cells)).append('\n');
        }
        return sb.toString();
    }

    private static String format(double v) {
        // Round-trip exact, so a resumed run's history equals an uninterrupted one's.
        return Double.toString(v).toLowerCase(Locale.ROOT);
    }

    /**
     * Parses {@link #toCsv()}'s output.
     *
     * @param csv the text
     * @return a history with those rows
     * @throws IllegalArgumentException when a line has a different number of cells than the header, or a cell is no number
     */
    public static History fromCsv(String csv) {
        History h = new History();
        String[] lines = csv.strip().split("\n");
        if (lines.length == 0 || lines[0].isBlank()) {
            return h;
        }
        String[] head = lines[0].split(",", -1);
        for (int i = 1; i < lines.length; i++) {
            String[] cells = lines[i].split(",", -1);
            if (cells.length != head.length) {
                throw new IllegalArgumentException("History.fromCsv: line " + (i + 1) + " has " + cells.length
                        + " cells, the header " + head.length);
            }
            Map<String, Double> row = new LinkedHashMap<>();
            for (int c = 0; c < head.length; c++) {
                if (!cells[c].isEmpty()) {
                    try {
                        row.put(head[c], Double.parseDouble(cells[c]));
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("History.fromCsv: line " + (i + 1) + ", column " + head[c]
                                + ": '" + cells[c] + "' is not a number", e);
                    }
                }
            }
            h.add(row);
        }
        return h;
    }

    /**
     * Writes {@link #toCsv()} to {@code file}, creating its directory.
     *
     * @param file the CSV file to (over)write
     */
    public void writeCsv(Path file) {
        try {
            Path dir = file.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Files.writeString(file, toCsv());
        } catch (IOException e) {
            throw new UncheckedIOException("History.writeCsv: cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Draws one PNG per figure into {@code dir}: {@code loss.png} and {@code <metric>.png} (train and
     * validation curves against the epoch) and {@code lr.png} (the learning rate).
     *
     * @param dir    the directory (created when missing)
     * @param width  image width in pixels, {@code >= 100}
     * @param height image height in pixels, {@code >= 100}
     * @return the files written
     */
    public List<Path> writePlots(Path dir, int width, int height) {
        return Plots.write(this, dir, width, height);
    }
}
