package dev.jgrad.spark;

import dev.jgrad.DType;
import dev.jgrad.Tensor;
import dev.jgrad.data.TensorDataset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** Turns Spark SQL data into the {@code JavaRDD<Example>} that {@link SparkTrainer} trains on. */
public final class Examples {
    private Examples() {
    }

    /**
     * One {@link Example} per example of a local data set, e.g. to {@code parallelize} a data set that
     * fits the driver (the demo's digits) or in tests; data that lives in Spark should come through
     * {@link #fromDataFrame} instead.
     *
     * @param ds two tensors: features {@code [N, ...]} (any float dtype, flattened per example, read
     *           as F32) and I64 class indices {@code [N]}
     * @return the examples in order, each with its own copy of its features
     * @throws IllegalArgumentException if {@code ds} does not hold exactly a feature and a label tensor
     */
    public static List<Example> fromTensors(TensorDataset ds) {
        List<Tensor> t = Objects.requireNonNull(ds, "Examples.fromTensors: ds").tensors();
        if (t.size() != 2 || t.get(1).dtype() != DType.I64 || t.get(1).dim() != 1) {
            throw new IllegalArgumentException("Examples.fromTensors: expected a feature tensor and I64 labels [N],"
                    + " got " + t.size() + " tensors" + (t.size() == 2 ? " with labels of dtype " + t.get(1).dtype()
                    + " and shape " + Arrays.toString(t.get(1).shape()) : ""));
        }
        float[] x = t.get(0).toFloatArray();
        long[] y = t.get(1).toLongArray();
        int f = x.length / Math.max(1, y.length);
        List<Example> out = new ArrayList<>(y.length);
        for (int i = 0; i < y.length; i++) {
            out.add(new Example(Arrays.copyOfRange(x, i * f, (i + 1) * f), (int) y[i]));
        }
        return out;
    }

    /**
     * Selects a label column and feature columns, keeping the DataFrame's partitioning. Either one
     * feature column of numeric arrays (e.g. {@code array<float>}) or several numeric columns, one
     * feature each, in the given order.
     *
     * @param df          the data
     * @param labelCol    an integral column holding class indices
     * @param featureCols the feature column(s)
     * @return one {@link Example} per row (lazily; errors surface in the first training round)
     * @throws IllegalArgumentException (in the round) for a null, non-numeric or fractional value,
     *                                  naming partition, row and column
     */
    public static JavaRDD<Example> fromDataFrame(Dataset<Row> df, String labelCol, String... featureCols) {
        Objects.requireNonNull(df, "Examples.fromDataFrame: df");
        if (featureCols.length == 0) {
            throw new IllegalArgumentException("Examples.fromDataFrame: give at least one feature column; the columns are "
                    + Arrays.toString(df.columns()));
        }
        List<String> cols = new ArrayList<>(List.of(featureCols));
        cols.add(Objects.requireNonNull(labelCol, "Examples.fromDataFrame: labelCol"));
        for (String c : cols) {
            if (!Arrays.asList(df.columns()).contains(c)) {
                throw new IllegalArgumentException("Examples.fromDataFrame: no column '" + c + "'; the columns are "
                        + Arrays.toString(df.columns()));
            }
        }
        String[] names = cols.toArray(String[]::new);
        return df.selectExpr(Arrays.stream(names).map(c -> "`" + c + "`").toArray(String[]::new)).javaRDD()
                .mapPartitionsWithIndex((p, rows) -> convert(p, rows, names), true);
    }

    private static Iterator<Example> convert(int partition, Iterator<Row> rows, String[] names) {
        return new Iterator<>() {
            private int row;

            @Override
            public boolean hasNext() {
                return rows.hasNext();
            }

            @Override
            public Example next() {
                Example e = example(partition, row, rows.next(), names);
                row++;
                return e;
            }
        };
    }

    private static Example example(int partition, int row, Row r, String[] names) {
        int nf = names.length - 1;
        Object label = r.get(nf);
        double lv = number(partition, row, names[nf], label);
        if (lv != Math.rint(lv) || Math.abs(lv) > Integer.MAX_VALUE) {
            throw bad(partition, row, names[nf], label, "an integral class index");
        }
        float[] f;
        if (nf == 1 && (r.get(0) instanceof scala.collection.Seq<?> || r.get(0) instanceof List<?>)) {
            List<Object> xs = r.getList(0);
            f = new float[xs.size()];
            for (int i = 0; i < f.length; i++) {
                f[i] = (float) number(partition, row, names[0] + "[" + i + "]", xs.get(i));
            }
        } else {
            f = new float[nf];
            for (int i = 0; i < nf; i++) {
                f[i] = (float) number(partition, row, names[i], r.get(i));
            }
        }
        return new Example(f, (int) lv);
    }

    private static double number(int partition, int row, String col, Object v) {
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        throw bad(partition, row, col, v, "a number");
    }

    private static IllegalArgumentException bad(int partition, int row, String col, Object v, String want) {
        return new IllegalArgumentException("Examples.fromDataFrame: partition " + partition + " row " + row + " column '"
                + col + "' holds " + (v == null ? "null" : v + " (" + v.getClass().getSimpleName() + ")")
                + ", expected " + want);
    }
}
