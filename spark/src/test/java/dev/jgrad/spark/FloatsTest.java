package dev.jgrad.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The bulk serial form of weight and gradient vectors: exact bits back, any length, null sums. */
class FloatsTest {
    @SuppressWarnings("unchecked")
    private static <T> T roundTrip(T o) throws IOException, ClassNotFoundException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(o);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return (T) in.readObject();
        }
    }

    @Test
    void vectorsComeBackBitForBit() throws Exception {
        SplittableRandom rnd = new SplittableRandom(3);
        // 0, 1, one chunk (16384 floats) exactly, and a chunk and a bit
        for (int n : new int[] {0, 1, 16384, 16384 * 2 + 7}) {
            float[] v = new float[n];
            for (int i = 0; i < n; i++) {
                v[i] = (float) rnd.nextGaussian();
            }
            if (n > 4) {
                v[1] = Float.NaN;
                v[2] = -0.0f;
                v[3] = Float.NEGATIVE_INFINITY;
                v[4] = Float.MIN_VALUE;
            }
            float[] back = roundTrip(new Floats(v)).values();
            assertEquals(n, back.length);
            for (int i = 0; i < n; i++) {
                assertEquals(Float.floatToRawIntBits(v[i]), Float.floatToRawIntBits(back[i]), "element " + i + " of " + n);
            }
        }
    }

    @Test
    void roundResultsKeepEveryField() throws Exception {
        RoundResult r = roundTrip(new RoundResult(new float[] {1.5f, -2f, 3e-8f}, 7, 2.25));
        assertArrayEquals(new float[] {1.5f, -2f, 3e-8f}, r.sum);
        assertEquals(7, r.examples);
        assertEquals(2.25, r.lossSum);
        assertNull(r.state);
        assertNull(roundTrip(RoundResult.empty()).sum, "the zero value has no vector");
    }
}
