package dev.jgrad.spark;

import com.esotericsoftware.kryo.DefaultSerializer;
import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import java.io.Serializable;
import java.util.Objects;

/**
 * One training row: a flat feature vector (reshaped to the trainer's input shape on the executor)
 * and a class label in {@code [0, numClasses)}. Serialisable by Java serialisation and, when
 * {@code spark.serializer} is Spark's {@code KryoSerializer}, by Kryo ({@link KryoForm}).
 *
 * @param features the features, row-major; not copied, so do not modify it after handing it to Spark
 * @param label    the class index
 */
@DefaultSerializer(Example.KryoForm.class)
public record Example(float[] features, int label) implements Serializable {
    /** Rejects null features. */
    public Example {
        Objects.requireNonNull(features, "Example: features");
    }

    /**
     * Kryo's form of an example (label, length, features), which Kryo finds through the
     * {@code @DefaultSerializer} annotation: Kryo 4, the version Spark ships, cannot serialise a record
     * field by field, so without it an RDD of examples fails wherever Spark's {@code KryoSerializer}
     * writes rows (partitions of {@code parallelize}, shuffles, serialised caches).
     */
    public static final class KryoForm extends Serializer<Example> {
        /** Kryo instantiates it by reflection. */
        public KryoForm() {
            setImmutable(true);
        }

        @Override
        public void write(Kryo kryo, Output output, Example e) {
            output.writeInt(e.label());
            output.writeInt(e.features().length, true);
            output.writeFloats(e.features());
        }

        @Override
        public Example read(Kryo kryo, Input input, Class<Example> type) {
            int label = input.readInt();
            return new Example(input.readFloats(input.readInt(true)), label);
        }
    }
}
