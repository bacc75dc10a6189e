package dev.jgrad.spark;

import java.io.Serializable;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.broadcast.Broadcast;
import scala.collection.Iterator;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;
import scala.runtime.AbstractFunction2;
import scala.runtime.BoxedUnit;

/**
 * One round as one Spark job: each partition's {@link RoundResult} (its gradient, or its weights
 * after k local steps), summed. When {@code treeAggregate} would add no intermediate level (always
 * at depth 1; at depth 2 up to 5 partitions) it would only run one job whose partition sums go
 * straight to the driver; this class runs that job itself with {@code SparkContext.runJob} and
 * named function classes. That is the same traffic and the same sum, minus the closures
 * {@code treeAggregate} and {@code fold} build per call, each of which Spark's {@code ClosureCleaner}
 * checks by reading and parsing class files (a measurable share of a small round). Larger trees
 * go through {@code treeAggregate}.
 */
final class RoundJob {
    private static final ClassTag<RoundResult> TAG = ClassTag$.MODULE$.apply(RoundResult.class);

    private RoundJob() {
    }

    /**
     * The executor side of round {@code round}: the weights (a broadcast handle, or for small models the
     * vector itself, see {@link TrainingConfig#inlineWeightsBytes}), the state layout, lr and config.
     */
    static final class Compute extends AbstractFunction2<TaskContext, Iterator<Shard>, RoundResult>
            implements Serializable {
        private static final long serialVersionUID = 2L;
        private final Broadcast<Floats> broadcast;
        private final Floats inline;
        private final OptState state;
        private final double lr;
        private final long round;
        private final TrainingConfig cfg;

        /**
         * @param broadcast the round's weights as a broadcast, or null when {@code inline} carries them
         * @param inline    the weights inside the task itself, or null when {@code broadcast} carries them
         */
        Compute(Broadcast<Floats> broadcast, Floats inline, OptState state, double lr, long round, TrainingConfig cfg) {
            if ((broadcast == null) == (inline == null)) {
                throw new IllegalArgumentException("RoundJob.Compute: exactly one of broadcast and inline weights");
            }
            this.broadcast = broadcast;
            this.inline = inline;
            this.state = state;
            this.lr = lr;
            this.round = round;
            this.cfg = cfg;
        }

        private float[] weights() {
            return inline != null ? inline.values() : broadcast.value().values();
        }

        /** @return this shard's contribution */
        RoundResult one(Shard s) {
            return cfg.localSteps() == 1 ? s.gradient(weights(), round, cfg)
                    : s.localSteps(weights(), state, lr, round, cfg);
        }

        @Override
        public RoundResult apply(TaskContext ctx, Iterator<Shard> it) {
            RoundResult acc = RoundResult.empty();
            while (it.hasNext()) {
                acc.add(one(it.next()));
            }
            return acc;
        }
    }

    /** Adds each partition's result into one sum as it reaches the driver (Spark calls it on one thread at a time). */
    private static final class Merge extends AbstractFunction2<Object, RoundResult, BoxedUnit> implements Serializable {
        private static final long serialVersionUID = 1L;
        private final transient RoundResult sum = RoundResult.empty();

        @Override
        public BoxedUnit apply(Object partition, RoundResult r) {
            synchronized (this) {
                sum.add(r);
            }
            return BoxedUnit.UNIT;
        }
    }

    /**
     * Runs the round and returns the sum over partitions.
     *
     * @param depth {@code treeAggregate} depth
     */
    static RoundResult run(JavaRDD<Shard> shards, Compute compute, int depth) {
        int p = shards.getNumPartitions();
        if (treeLevels(p, depth)) {
            return shards.treeAggregate(RoundResult.empty(), (acc, s) -> acc.add(compute.one(s)), RoundResult::add,
                    depth);
        }
        Merge merge = new Merge();
        shards.context().runJob(shards.rdd(), compute, merge, TAG);
        synchronized (merge) {
            return merge.sum;
        }
    }

    /** @return whether Spark's {@code treeAggregate} (4.x) would add at least one intermediate level for p partitions */
    static boolean treeLevels(int p, int depth) {
        int scale = Math.max((int) Math.ceil(Math.pow(p, 1.0 / depth)), 2);
        return p > scale + (int) Math.ceil((double) p / scale);
    }
}
