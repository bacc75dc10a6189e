/**
 * Synchronous data-parallel training of jgrad models on Apache Spark ({@link dev.jgrad.spark.SparkTrainer}).
 *
 * <h2>The algorithm (one round = one optimizer step of the global model)</h2>
 * <ol>
 *   <li>The training data is a {@code JavaRDD<Example>} (features + class label; a DataFrame becomes
 *       one through {@link dev.jgrad.spark.Examples#fromDataFrame}) with P partitions.
 *       Each partition validates its rows and turns them into two tensors once (a {@code Shard}:
 *       features {@code [n_p, inputShape...]} F32, labels {@code [n_p]} I64) together with a replica of
 *       the model; the shard RDD is persisted {@code MEMORY_ONLY}, so later rounds reuse the tensors
 *       instead of deserialising rows again.</li>
 *   <li>Round {@code r}: the driver flattens its parameters, in {@code Module.parameters()} order,
 *       into one {@code float[]} {@code w} and broadcasts it (Spark's torrent broadcast). A vector of at
 *       most {@code TrainingConfig.inlineWeightsBytes} (default 256 KiB) rides in the round's task
 *       instead, which Spark ships to the executors as one torrent broadcast per job anyway: one
 *       broadcast per round rather than two. Either way it is serialised as raw little-endian bytes
 *       in bulk, as are the partitions' results.</li>
 *   <li>Partition {@code p} copies {@code w} into its replica and takes its batch of round {@code r}:
 *       rows {@code [i·b, min((i+1)·b, n_p))} with {@code i = r mod ceil(n_p / b)} (b = per-partition
 *       batch), so each partition walks its own data in order, epoch after epoch. It computes the mean
 *       loss {@code L_p} of those {@code m_p} rows, back-propagates, and emits {@code m_p·∇L_p} (flat),
 *       {@code m_p} and {@code m_p·L_p}.</li>
 *   <li>These are summed with {@code treeAggregate} (depth configurable) and the driver forms the
 *       example-weighted mean gradient {@code g = Σ_p m_p·∇L_p / Σ_p m_p}, exactly the gradient of the
 *       mean loss over the global batch of {@code Σ_p m_p} rows. (When the tree would have no
 *       intermediate level, at depth 1 or for P &le; 5 at depth 2, {@code treeAggregate} only sends
 *       the partition sums to the driver; the trainer then runs that one job itself with
 *       {@code SparkContext.runJob}, which skips the closure checks {@code treeAggregate} repeats on
 *       every call: same traffic, same sum, less driver time per round.) It sets {@code g} as the parameters'
 *       {@code grad}, clips it ({@code GradClip}) if asked, runs the local optimizer's step and the LR
 *       scheduler's step. Hence, with equal partitions, P partitions × batch b give the same weights
 *       as local training with batch P·b whose batches concatenate the partitions' batches.</li>
 *   <li>Optional local steps {@code k > 1} (parameter averaging, as DL4J): each partition instead
 *       takes {@code k} steps of an executor-side optimizer (same kind, the driver's current lr) on
 *       its next {@code k} batches and emits {@code m_p·w_p} (m_p = rows seen); the driver sets
 *       {@code w = Σ m_p·w_p / Σ m_p}. The optimizer state is averaged the same way (DL4J's
 *       {@code averageUpdaters}): the driver's per-parameter state tensors (momentum buffers, Adam's
 *       first and second moments and AMSGrad maximum, Adagrad's sums, RMSprop's averages) follow the
 *       weights in the broadcast array, every partition's optimizer starts the round from them, and
 *       the row-weighted means {@code Σ m_p·s_p / Σ m_p} become the driver's state; step counts (equal
 *       on every partition, old + k) are carried, not averaged. All these states are running
 *       statistics of gradients, so their mean is the natural estimate for the averaged model; it is
 *       meaningless only for per-replica bookkeeping, which these optimizers do not keep.
 *       {@code TrainingConfig.averageOptimizerState(false)} instead starts a fresh optimizer every
 *       round (less traffic: Adam's two moments triple the vector). Traffic per example drops k-fold,
 *       but the result is no longer the large-batch step, replicas drift apart between averages and
 *       gradient clipping applies on the executors only.</li>
 *   <li>Every N rounds (if asked) the driver writes the local {@code dev.jgrad.io.Checkpoint} (model,
 *       optimizer, scheduler and generator state in one SafeTensors file) with the round count; {@link dev.jgrad.spark.SparkTrainer#resume} continues from it.</li>
 * </ol>
 * A round is atomic: the Spark job either returns the whole sum or throws, and only then does the
 * driver touch its model and optimizer, so a failed round leaves both as they were. Spark retries a
 * failed task ({@code spark.task.maxFailures}); a retried task recomputes the same deterministic
 * batch from the same broadcast weights, so the round's result does not change.
 *
 * <p>Only parameters travel; buffers (BatchNorm running statistics) stay the driver's and are not
 * synchronised. Classes here are driver-side and not thread-safe; null arguments are rejected with
 * {@link java.lang.NullPointerException}.
 */
package dev.jgrad.spark;
