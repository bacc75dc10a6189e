package dev.jgrad.spark;

import java.io.IOException;
import java.io.InvalidObjectException;
import java.io.ObjectInput;
import java.io.ObjectInputStream;
import java.io.ObjectOutput;
import java.io.ObjectOutputStream;
import java.io.Serial;
import java.io.Serializable;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * A flat {@code float[]} (weights, gradients) that Java serialisation, which Spark uses for
 * broadcasts, task closures and task results unless configured otherwise, writes as raw
 * little-endian bytes copied in bulk. {@code ObjectOutputStream} would otherwise convert a
 * {@code float[]} element by element; for a 1M-parameter model that conversion, paid for the
 * broadcast and for every partition's result, is a visible share of a round.
 */
final class Floats implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;
    /** Bytes per bulk copy: bounds the scratch buffer, large enough to amortise each stream write. */
    private static final int CHUNK_BYTES = 1 << 16;
    private static final ValueLayout.OfFloat LE = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

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

    /** Writes the length (-1 for null), then the values as little-endian bytes. */
    static void write(ObjectOutput out, float[] v) throws IOException {
        if (v == null) {
            out.writeInt(-1);
            return;
        }
        out.writeInt(v.length);
        int per = CHUNK_BYTES / Float.BYTES;
        byte[] buf = new byte[Math.min(per, v.length) * Float.BYTES];
        MemorySegment seg = MemorySegment.ofArray(buf);
        for (int at = 0; at < v.length; at += per) {
            int n = Math.min(per, v.length - at);
            MemorySegment.copy(v, at, seg, LE, 0, n);
            out.write(buf, 0, n * Float.BYTES);
        }
    }

    /** Reads what {@link #write} wrote. @return the array, or null */
    static float[] read(ObjectInput in) throws IOException {
        int len = in.readInt();
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
            in.readFully(buf, 0, n * Float.BYTES);
            MemorySegment.copy(seg, LE, 0, v, at, n);
        }
        return v;
    }
}
