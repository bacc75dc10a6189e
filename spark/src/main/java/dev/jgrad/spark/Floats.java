package dev.jgrad.spark;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoSerializable;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InvalidObjectException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.io.Serial;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * A flat {@code float[]} (weights, gradients) that Java serialisation, which Spark uses for
 * broadcasts, task closures and task results unless configured otherwise, and Kryo, when
 * {@code spark.serializer} is Spark's {@code KryoSerializer}, write as raw little-endian bytes
 * copied in bulk. {@code ObjectOutputStream} would otherwise convert a
 * {@code float[]} element by element; for a 1M-parameter model that conversion, paid for the
 * broadcast and for every partition's result, is a visible share of a round.
 */
final class Floats implements Serializable, KryoSerializable {
    @Serial
    private static final long serialVersionUID = 2L;
    /** Bytes per bulk copy: bounds the scratch buffer, large enough to amortise each stream write. */
    private static final int CHUNK_BYTES = 1 << 16;
    private static final ValueLayout.OfFloat LE = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt LE_INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private transient float[] values;

    /** @param values held, not copied */
    Floats(float[] values) {
        this.values = values;
    }

    /** @return the held array (not a copy) */
    float[] values() {
        return values;
    }

    @Serial
    private void writeObject(ObjectOutputStream out) throws IOException {
        out.defaultWriteObject();
        write(out, values);
    }

    @Serial
    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
        in.defaultReadObject();
        values = read(in);
    }

    /**
     * Spark's {@code KryoSerializer} (for users who set {@code spark.serializer} to it) would skip the
     * transient array; this writes the same bulk form as Java serialisation.
     */
    @Override
    public void write(Kryo kryo, Output output) {
        write(output, values);
    }

    /** Reads what {@link #write(Kryo, Output)} wrote. */
    @Override
    public void read(Kryo kryo, Input input) {
        values = read(input);
    }

    /** {@link #write(OutputStream, float[])} to a Kryo stream (Kryo's own failures are unchecked). */
    static void write(Output out, float[] v) {
        try {
            write((OutputStream) out, v);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@link #read(InputStream)} from a Kryo stream. */
    static float[] read(Input in) {
        try {
            return read((InputStream) in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Writes the length (-1 for null), then the values, all as little-endian bytes; {@code out} is
     * Java serialisation's or Kryo's stream.
     */
    static void write(OutputStream out, float[] v) throws IOException {
        int len = v == null ? -1 : v.length;
        int per = CHUNK_BYTES / Float.BYTES;
        byte[] buf = new byte[Math.max(Integer.BYTES, Math.min(per, Math.max(len, 0)) * Float.BYTES)];
        MemorySegment seg = MemorySegment.ofArray(buf);
        seg.set(LE_INT, 0, len);
        out.write(buf, 0, Integer.BYTES);
        for (int at = 0; at < len; at += per) {
            int n = Math.min(per, len - at);
            MemorySegment.copy(v, at, seg, LE, 0, n);
            out.write(buf, 0, n * Float.BYTES);
        }
    }

    /** Reads what {@link #write(OutputStream, float[])} wrote. @return the array, or null */
    static float[] read(InputStream in) throws IOException {
        byte[] head = new byte[Integer.BYTES];
        readFully(in, head, Integer.BYTES);
        int len = MemorySegment.ofArray(head).get(LE_INT, 0);
        if (len == -1) {
            return null;
        }
        if (len < 0) {
            throw new InvalidObjectException("Floats: corrupt stream, negative length " + len);
        }
        float[] v = new float[len];
        int per = CHUNK_BYTES / Float.BYTES;
        byte[] buf = new byte[Math.min(per, len) * Float.BYTES];
        MemorySegment seg = MemorySegment.ofArray(buf);
        for (int at = 0; at < len; at += per) {
            int n = Math.min(per, len - at);
            readFully(in, buf, n * Float.BYTES);
            MemorySegment.copy(seg, LE, 0, v, at, n);
        }
        return v;
    }

    private static void readFully(InputStream in, byte[] buf, int n) throws IOException {
        if (in.readNBytes(buf, 0, n) != n) {
            throw new EOFException("Floats: the stream ended inside a vector");
        }
    }
}
