package dev.jgrad.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.jgrad.Tensor;
import dev.jgrad.nn.Linear;
import dev.jgrad.optim.SGD;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.SparkConf;
import org.apache.spark.serializer.JavaSerializer;
import org.apache.spark.serializer.KryoSerializer;
import org.apache.spark.serializer.SerializerInstance;
import org.junit.jupiter.api.Test;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;

/**
 * The bulk serial form of weight and gradient vectors, under both serialisers Spark offers for data
 * ({@code spark.serializer}: Java's default and Kryo's, also with registration required): exact bits back, any length, null sums, and
 * examples and optimizer-state layouts intact.
 */
class FloatsTest {
    /** Java's, Kryo's, and Kryo's with registration required and the README's list of classes registered. */
    private static final List<SerializerInstance> SERIALIZERS = List.of(new JavaSerializer(new SparkConf()).newInstance(),
            new KryoSerializer(new SparkConf()).newInstance(),
            new KryoSerializer(new SparkConf().set("spark.kryo.registrationRequired", "true").set("spark.kryo.classesToRegister",
                    "dev.jgrad.spark.Example,dev.jgrad.spark.Floats,dev.jgrad.spark.RoundResult,dev.jgrad.spark.OptState"))
                    .newInstance());

    /** @return {@code o} through each serialiser, in {@link #SERIALIZERS} order */
    @SuppressWarnings("unchecked")
    private static <T> List<T> roundTrip(T o) {
        ClassTag<Object> tag = ClassTag$.MODULE$.AnyRef();
        return SERIALIZERS.stream().map(s -> (T) s.deserialize(s.serialize(o, tag), tag)).toList();
    }

    @Test
    void vectorsComeBackBitForBit() {
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
            for (Floats f : roundTrip(new Floats(v))) {
                float[] back = f.values();
                assertEquals(n, back.length);
                for (int i = 0; i < n; i++) {
                    assertEquals(Float.floatToRawIntBits(v[i]), Float.floatToRawIntBits(back[i]), "element " + i + " of " + n);
                }
            }
        }
    }

    @Test
    void roundResultsKeepEveryField() {
        for (RoundResult r : roundTrip(new RoundResult(new float[] {1.5f, -2f, 3e-8f}, 7, 2.25))) {
            assertArrayEquals(new float[] {1.5f, -2f, 3e-8f}, r.sum);
            assertEquals(7, r.examples);
            assertEquals(2.25, r.lossSum);
            assertNull(r.state);
        }
        roundTrip(RoundResult.empty()).forEach(r -> assertNull(r.sum, "the zero value has no vector"));
        // with local steps the optimizer state's layout rides along: momentum buffers of both parameters, step 1
        Linear m = new Linear(3, 2);
        SGD opt = new SGD(m.parameters(), 0.1, 0.9, 0, 0, false);
        m.forward(Tensor.of(new float[] {1, 2, 3}, 1, 3)).sum().backward();
        opt.step();
        OptState state = OptState.of(opt, m.parameters());
        for (RoundResult r : roundTrip(new RoundResult(new float[] {4f}, 1, 0.5, state))) {
            assertEquals(state.size(m.parameters()), r.state.size(m.parameters()));
            r.state.requireSame(state);
        }
    }

    @Test
    void examplesKeepFeaturesAndLabel() {
        for (Example e : roundTrip(new Example(new float[] {0.5f, -1f, Float.NaN}, 3))) {
            assertArrayEquals(new float[] {0.5f, -1f, Float.NaN}, e.features());
            assertEquals(3, e.label());
        }
    }
}
