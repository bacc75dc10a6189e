package dev.jgrad.spark;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoSerializable;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serial;
import java.io.Serializable;

/**
 * What partitions send back in a round, summed by {@code treeAggregate}: {@code Σ m_p·v_p} (gradients,
 * or weights with local steps), {@code Σ m_p} and {@code Σ m_p·L_p}. Mutable: Spark's seqOp/combOp
 * add into the left argument, which it owns. The vector is serialised in bulk ({@link Floats}), as
 * every partition's result crosses Spark's result serialiser ({@code spark.serializer}: Java's or
 * Kryo's) once per round.
 */
final class RoundResult implements Serializable, KryoSerializable {
    private static final long serialVersionUID = 3L;

    transient float[] sum;
    long examples;
    double lossSum;
    /** With k &gt; 1 and state averaging: the layout of the optimizer state after the weights in {@code sum}; else null. */
    OptState state;

    RoundResult(float[] sum, long examples, double lossSum) {
        this(sum, examples, lossSum, null);
    }

    RoundResult(float[] sum, long examples, double lossSum, OptState state) {
        this.sum = sum;
        this.examples = examples;
        this.lossSum = lossSum;
        this.state = state;
    }

    @Serial
    private void writeObject(ObjectOutputStream out) throws IOException {
        out.defaultWriteObject();
        Floats.write(out, sum);
    }

    @Serial
    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
        in.defaultReadObject();
        sum = Floats.read(in);
    }

    /** Kryo's form (when {@code spark.serializer} is Spark's {@code KryoSerializer}): the same fields, the vector in bulk. */
    @Override
    public void write(Kryo kryo, Output output) {
        output.writeLong(examples);
        output.writeDouble(lossSum);
        kryo.writeClassAndObject(output, state);
        Floats.write(output, sum);
    }

    /** Reads what {@link #write(Kryo, Output)} wrote. */
    @Override
    public void read(Kryo kryo, Input input) {
        examples = input.readLong();
        lossSum = input.readDouble();
        state = (OptState) kryo.readClassAndObject(input);
        sum = Floats.read(input);
    }

    /** @return the zero value: no vector yet */
    static RoundResult empty() {
        return new RoundResult(null, 0, 0);
    }

    /**
     * Adds {@code other} into this; may adopt {@code other}'s array (Spark hands each result to seqOp or
     * combOp once, so no copy is needed). @return this
     */
    RoundResult add(RoundResult other) {
        if (state != null && other.state != null) {
            state.requireSame(other.state);
        } else if (state == null) {
            state = other.state;
        }
        if (other.sum != null) {
            if (sum == null) {
                sum = other.sum;
            } else {
                for (int i = 0; i < sum.length; i++) {
                    sum[i] += other.sum[i];
                }
            }
        }
        examples += other.examples;
        lossSum += other.lossSum;
        return this;
    }
}
