package dev.jgrad.data;

/**
 * How {@link Csv#read} interprets a file. Immutable; each {@code with...} method returns a changed
 * copy. Defaults: no header row, comma-separated, the last column is the label, read as an I64 class
 * index.
 *
 * @param header      whether the first non-blank line names the columns (it is skipped)
 * @param delimiter   the field separator, e.g. {@code ','}, {@code ';'} or {@code '\t'}
 * @param labelColumn the label's column, counting from 0 (negative counts from the end)
 * @param labels      how to read the label column
 */
public record CsvOptions(boolean header, char delimiter, int labelColumn, Labels labels) {

    /** How the label column becomes a tensor. */
    public enum Labels {
        /** I64 class indices {@code [n]}: each label must be an integer {@code >= 0} */
        CLASS_INDEX,
        /** F32 regression targets {@code [n]} */
        FLOAT_TARGET,
        /** no label: every column is a feature and the dataset holds one tensor */
        NONE
    }

    /** Validates the options. */
    public CsvOptions {
        if (labels == null) {
            throw new IllegalArgumentException("CsvOptions: labels must be CLASS_INDEX, FLOAT_TARGET or NONE, not null");
        }
        if (delimiter == '"' || delimiter == '\n' || delimiter == '\r' || Character.isDigit(delimiter)
                || delimiter == '.' || delimiter == '-' || delimiter == '+') {
            throw new IllegalArgumentException("CsvOptions: delimiter '" + delimiter + "' would clash with numbers,"
                    + " quotes or line ends; use ',', ';', '\\t' or ' '");
        }
    }

    /** @return the defaults: no header, commas, the last column an I64 class index */
    public static CsvOptions defaults() {
        return new CsvOptions(false, ',', -1, Labels.CLASS_INDEX);
    }

    /** @return a copy with {@code header} set */
    public CsvOptions withHeader(boolean header) {
        return new CsvOptions(header, delimiter, labelColumn, labels);
    }

    /** @return a copy with {@code delimiter} set */
    public CsvOptions withDelimiter(char delimiter) {
        return new CsvOptions(header, delimiter, labelColumn, labels);
    }

    /** @return a copy with {@code labelColumn} set */
    public CsvOptions withLabelColumn(int labelColumn) {
        return new CsvOptions(header, delimiter, labelColumn, labels);
    }

    /** @return a copy with {@code labels} set */
    public CsvOptions withLabels(Labels labels) {
        return new CsvOptions(header, delimiter, labelColumn, labels);
    }
}
