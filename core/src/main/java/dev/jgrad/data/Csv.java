package dev.jgrad.data;

import dev.jgrad.Tensor;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * Reads numeric CSV files into a {@link TensorDataset}: features F32 {@code [n, columns - 1]} and
 * labels ({@link CsvOptions.Labels}). Blank lines are skipped; fields may be padded with spaces or
 * wrapped in double quotes. A name ending in {@code .gz} is decompressed. Any malformed row is an
 * {@link IllegalArgumentException} naming the file, line, column and the text found.
 */
public final class Csv {
    private Csv() {
    }

    /**
     * @param file    a CSV file, plain or gzip ({@code .gz})
     * @param options header, delimiter, label column and kind
     * @return {@code (features, labels)}, or {@code (features)} with {@link CsvOptions.Labels#NONE}
     * @throws UncheckedIOException when the file cannot be read
     */
    public static TensorDataset read(Path file, CsvOptions options) {
        try (InputStream in = Files.newInputStream(file)) {
            return read(file.getFileName().toString().endsWith(".gz") ? new GZIPInputStream(in, 1 << 16) : in,
                    file.toString(), options);
        } catch (IOException e) {
            throw new UncheckedIOException("Csv.read: cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * @param in      CSV text in UTF-8 (not closed)
     * @param name    the source's name for error messages
     * @param options header, delimiter, label column and kind
     * @return as {@link #read(Path, CsvOptions)}
     * @throws IOException when the stream fails
     */
    public static TensorDataset read(InputStream in, String name, CsvOptions options) throws IOException {
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16);
        Table t = new Table(name, options);
        String line;
        int lineNo = 0;
        boolean headerPending = options.header();
        while ((line = r.readLine()) != null) {
            lineNo++;
            if (line.isBlank()) {
                continue;
            }
            if (headerPending) {
                headerPending = false;
                continue;
            }
            t.row(line, lineNo);
        }
        return t.build();
    }

    /** Rows accumulated column-major-free: features and labels in growable primitive arrays. */
    private static final class Table {
        private final String name;
        private final CsvOptions opt;
        private final Pattern delimiter;
        private int columns = -1;
        private int label;
        private int firstLine;
        private int rows;
        private float[] features = new float[1024];
        private long[] classes = new long[64];
        private float[] targets = new float[64];

        Table(String name, CsvOptions opt) {
            this.name = name;
            this.opt = opt;
            this.delimiter = Pattern.compile(
                    opt.delimiter() == ' ' ? "\\s+" : Pattern.quote(String.valueOf(opt.delimiter())));
        }

        void row(String line, int lineNo) {
            String[] fields = split(line);
            if (columns < 0) {
                start(fields.length, lineNo);
            } else if (fields.length != columns) {
                throw error(lineNo, Math.min(fields.length, columns), "has " + fields.length + " columns but line " + firstLine
                        + " has " + columns + " (delimiter '" + opt.delimiter() + "')");
            }
            int nf = features();
            ensure((long) (rows + 1) * nf);
            for (int c = 0, f = 0; c < columns; c++) {
                String text = unquote(fields[c]);
                if (c == label) {
                    storeLabel(text, lineNo, c);
                } else {
                    features[rows * nf + f++] = (float) number(text, lineNo, c);
                }
            }
            rows++;
        }

        private void start(int n, int lineNo) {
            columns = n;
            firstLine = lineNo;
            if (opt.labels() == CsvOptions.Labels.NONE) {
                label = -1;
                return;
            }
            label = opt.labelColumn() < 0 ? opt.labelColumn() + n : opt.labelColumn();
            if (label < 0 || label >= n) {
                throw new IllegalArgumentException("Csv.read: " + name + " line " + lineNo + " has " + n
                        + " columns, so label column " + opt.labelColumn() + " does not exist; valid columns are "
                        + (-n) + " to " + (n - 1));
            }
        }

        private int features() {
            return label < 0 ? columns : columns - 1;
        }

        private void storeLabel(String text, int lineNo, int c) {
            if (rows == classes.length) {
                classes = Arrays.copyOf(classes, rows * 2);
                targets = Arrays.copyOf(targets, rows * 2);
            }
            if (opt.labels() == CsvOptions.Labels.FLOAT_TARGET) {
                targets[rows] = (float) number(text, lineNo, c);
                return;
            }
            try {
                // "3" or "3.0" (as pandas writes integer columns that once held NaN), not "3.5"
                double v = text.indexOf('.') < 0 ? Long.parseLong(text) : number(text, lineNo, c);
                if (v >= 0 && v == Math.rint(v) && v < Long.MAX_VALUE) {
                    classes[rows] = (long) v;
                    return;
                }
            } catch (IllegalArgumentException e) {
                // reported below, with the position and the hint
            }
            throw error(lineNo, c, "label '" + text + "' is not a class index (an integer >= 0);"
                    + " use CsvOptions.withLabels(FLOAT_TARGET) for real-valued targets");
        }

        private double number(String text, int lineNo, int c) {
            try {
                // Java would also take "1f" and "0x1p3"; a CSV number is plain decimal
                if (!text.isEmpty() && !Character.isWhitespace(text.charAt(0))
                        && "fFdDxXpP".indexOf(text.charAt(text.length() - 1)) < 0 && !text.contains("0x")) {
                    return Double.parseDouble(text);
                }
            } catch (NumberFormatException e) {
                // reported below, with the position
            }
            throw error(lineNo, c, "'" + text + "' is not a number");
        }

        private void ensure(long n) {
            if (n > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("Csv.read: " + name + " holds more than " + Integer.MAX_VALUE
                        + " feature values, more than one tensor can");
            }
            if (n > features.length) {
                features = Arrays.copyOf(features, (int) Math.min(Integer.MAX_VALUE - 8, Math.max(n, 2L * features.length)));
            }
        }

        private String[] split(String line) {
            if (opt.delimiter() == ' ') {
                return delimiter.split(line.strip());
            }
            String[] parts = delimiter.split(line, -1);
            for (int i = 0; i < parts.length; i++) {
                parts[i] = parts[i].strip();
            }
            return parts;
        }

        private static String unquote(String s) {
            return s.length() >= 2 && s.charAt(0) == '"' && s.charAt(s.length() - 1) == '"'
                    ? s.substring(1, s.length() - 1).strip() : s;
        }

        private IllegalArgumentException error(int lineNo, int column, String what) {
            // columns count from 1 in messages, as editors and spreadsheets show them
            return new IllegalArgumentException("Csv.read: " + name + " line " + lineNo + ", column " + (column + 1)
                    + ": " + what);
        }

        TensorDataset build() {
            if (rows == 0) {
                throw new IllegalArgumentException("Csv.read: " + name + " holds no data rows"
                        + (opt.header() ? " after its header" : ""));
            }
            int nf = features();
            Tensor x = Tensor.of(Arrays.copyOf(features, rows * nf), rows, nf);
            return switch (opt.labels()) {
                case NONE -> new TensorDataset(x);
                case CLASS_INDEX -> new TensorDataset(x, Tensor.of(Arrays.copyOf(classes, rows), rows));
                case FLOAT_TARGET -> new TensorDataset(x, Tensor.of(Arrays.copyOf(targets, rows), rows));
            };
        }
    }
}
