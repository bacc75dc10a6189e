package dev.jgrad.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jgrad.DType;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CSV reading: options, gzip, and errors that point at file, line, column and text. */
class CsvTest {
    @TempDir
    Path dir;

    private Path file(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    @Test
    void readsFeaturesAndClassIndices() throws IOException {
        TensorDataset d = Csv.read(file("a.csv", "x1,x2,label\n1.5, 2,0\n\n-3,4e2 ,\"2.0\"\n"),
                CsvOptions.defaults().withHeader(true));
        assertEquals(2, d.size());
        assertArrayEquals(new int[] {2, 2}, d.tensors().get(0).shape());
        assertArrayEquals(new float[] {1.5f, 2, -3, 400}, d.tensors().get(0).toFloatArray());
        assertEquals(DType.I64, d.tensors().get(1).dtype());
        assertArrayEquals(new long[] {0, 2}, d.tensors().get(1).toLongArray());
    }

    @Test
    void labelColumnDelimiterAndKinds() throws IOException {
        Path p = file("b.csv", "0.5;1;2\n1.5;3;4\n");
        TensorDataset t = Csv.read(p, CsvOptions.defaults().withDelimiter(';').withLabelColumn(0)
                .withLabels(CsvOptions.Labels.FLOAT_TARGET));
        assertArrayEquals(new float[] {1, 2, 3, 4}, t.tensors().get(0).toFloatArray());
        assertEquals(DType.F32, t.tensors().get(1).dtype());
        assertArrayEquals(new float[] {0.5f, 1.5f}, t.tensors().get(1).toFloatArray());
        TensorDataset none = Csv.read(p, CsvOptions.defaults().withDelimiter(';').withLabels(CsvOptions.Labels.NONE));
        assertEquals(1, none.tensors().size());
        assertArrayEquals(new int[] {2, 3}, none.tensors().get(0).shape());
        Path gz = dir.resolve("c.csv.gz");
        try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(gz))) {
            o.write("1 2  3\n  4 5 6\n".getBytes(StandardCharsets.UTF_8));
        }
        TensorDataset spaces = Csv.read(gz, CsvOptions.defaults().withDelimiter(' '));
        assertArrayEquals(new long[] {3, 6}, spaces.tensors().get(1).toLongArray());
    }

    private String error(String text, CsvOptions o) throws IOException {
        Path p = file("bad.csv", text);
        String m = assertThrows(IllegalArgumentException.class, () -> Csv.read(p, o)).getMessage();
        assertTrue(m.startsWith("Csv.read: " + p), m);
        return m;
    }

    @Test
    void malformedRowsNameFileLineColumnAndText() throws IOException {
        CsvOptions o = CsvOptions.defaults();
        String m = error("1,2,0\n1,abc,1\n", o);
        assertTrue(m.contains("line 2, column 2") && m.contains("'abc'"), m);
        m = error("h\n1,2,0\n\n1,2\n", o.withHeader(true));
        assertTrue(m.contains("line 4") && m.contains("2 columns") && m.contains("line 2 has 3"), m);
        m = error("1,2,1.5\n", o);
        assertTrue(m.contains("line 1, column 3") && m.contains("'1.5'") && m.contains("FLOAT_TARGET"), m);
        m = error("1,2,-1\n", o);
        assertTrue(m.contains("'-1'"), m);
        m = error("1,,0\n", o);
        assertTrue(m.contains("column 2") && m.contains("''"), m);
        m = error("1,2f,0\n", o);
        assertTrue(m.contains("'2f'"), m);
        m = error("1,2,0\n", o.withLabelColumn(5));
        assertTrue(m.contains("label column 5"), m);
        m = error("a,b\n\n", o.withHeader(true));
        assertTrue(m.contains("no data rows"), m);
        assertThrows(IllegalArgumentException.class, () -> o.withDelimiter('.'));
    }

    @Test
    void missingFileIsAnIoError() {
        assertThrows(java.io.UncheckedIOException.class, () -> Csv.read(dir.resolve("none.csv"), CsvOptions.defaults()));
    }
}
