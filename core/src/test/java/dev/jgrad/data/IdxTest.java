package dev.jgrad.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jgrad.DType;
import dev.jgrad.Tensor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** IDX files: every type, gzip, and each malformation as a clear error. */
class IdxTest {
    @TempDir
    Path dir;

    static byte[] idx(int type, int[] dims, byte[] data) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + data.length);
        b.put((byte) 0).put((byte) 0).put((byte) type).put((byte) dims.length);
        for (int d : dims) {
            b.putInt(d);
        }
        return b.put(data).array();
    }

    private Path write(String name, byte[] bytes, boolean gzip) throws IOException {
        Path p = dir.resolve(name);
        try (OutputStream o = gzip ? new GZIPOutputStream(Files.newOutputStream(p)) : Files.newOutputStream(p)) {
            o.write(bytes);
        }
        return p;
    }

    @Test
    void readsEveryTypePlainAndGzip() throws IOException {
        byte[] ubytes = {0, 1, (byte) 255, 7, 8, 9};
        for (boolean gz : new boolean[] {false, true}) {
            Tensor t = Idx.read(write("u" + gz, idx(0x08, new int[] {2, 3}, ubytes), gz));
            assertEquals(DType.I64, t.dtype());
            assertArrayEquals(new int[] {2, 3}, t.shape());
            assertArrayEquals(new long[] {0, 1, 255, 7, 8, 9}, t.toLongArray());
        }
        assertArrayEquals(new long[] {-1, 5}, Idx.read(write("s", idx(0x09, new int[] {2}, new byte[] {-1, 5}), false))
                .toLongArray());
        byte[] shorts = ByteBuffer.allocate(4).putShort((short) -300).putShort((short) 2).array();
        assertArrayEquals(new long[] {-300, 2}, Idx.read(write("h", idx(0x0B, new int[] {2}, shorts), false)).toLongArray());
        byte[] ints = ByteBuffer.allocate(4).putInt(1 << 30).array();
        assertArrayEquals(new long[] {1 << 30}, Idx.read(write("i", idx(0x0C, new int[] {1, 1}, ints), false)).toLongArray());
        byte[] floats = ByteBuffer.allocate(8).putFloat(1.25f).putFloat(-2f).array();
        Tensor f = Idx.read(write("f", idx(0x0D, new int[] {2}, floats), false));
        assertEquals(DType.F32, f.dtype());
        assertArrayEquals(new float[] {1.25f, -2f}, f.toFloatArray());
        byte[] doubles = ByteBuffer.allocate(8).putDouble(Math.PI).array();
        assertArrayEquals(new double[] {Math.PI}, Idx.read(write("d", idx(0x0E, new int[] {1}, doubles), false))
                .toDoubleArray());
        Tensor asFloat = Idx.read(write("u2", idx(0x08, new int[] {3}, new byte[] {1, 2, (byte) 200}), true), DType.F32);
        assertArrayEquals(new float[] {1, 2, 200}, asFloat.toFloatArray());
        assertEquals(0, Idx.read(write("e", idx(0x08, new int[] {0, 28}, new byte[0]), false)).numel());
    }

    private String error(byte[] bytes, boolean gzip) throws IOException {
        Path p = write("bad" + gzip, bytes, gzip);
        String m = assertThrows(IllegalArgumentException.class, () -> Idx.read(p)).getMessage();
        assertTrue(m.startsWith("Idx.read: " + p), m);
        return m;
    }

    @Test
    void malformedFilesAreClearErrors() throws IOException {
        byte[] good = idx(0x08, new int[] {2, 2}, new byte[] {1, 2, 3, 4});
        for (boolean gz : new boolean[] {false, true}) {
            byte[] magic = good.clone();
            magic[1] = 8;
            assertTrue(error(magic, gz).contains("magic number 00 08 08 02"));
            byte[] type = good.clone();
            type[2] = 0x0A;
            assertTrue(error(type, gz).contains("type byte 0x0a"));
            assertTrue(error(Arrays.copyOf(good, 3), gz).contains("magic"));
            assertTrue(error(Arrays.copyOf(good, 9), gz).contains("2 dims"));
            assertTrue(error(Arrays.copyOf(good, good.length - 1), gz).contains("truncated"));
            assertTrue(error(Arrays.copyOf(good, good.length + 1), gz).contains("trailing"));
            String m = error(idx(0x0E, new int[] {65536, 65536}, new byte[0]), gz);
            assertTrue(m.contains("overflow"), m);
            m = error(idx(0x0E, new int[] {-1}, new byte[0]), gz);
            assertTrue(m.contains("4294967295"), m);
        }
        ByteArrayOutputStream huge = new ByteArrayOutputStream();
        huge.write(idx(0x0C, new int[] {600_000_000}, new byte[16]));
        assertTrue(error(huge.toByteArray(), true).contains("over the 2 GiB"));
    }
}
