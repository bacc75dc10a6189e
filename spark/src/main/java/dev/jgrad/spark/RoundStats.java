package dev.jgrad.spark;

/**
 * What one round did.
 *
 * @param round    the round's number, from 1
 * @param examples rows in the round's global batch (summed over local steps when k &gt; 1)
 * @param loss     the example-weighted mean training loss of the round's batches
 * @param seconds  wall time of the round on the driver (broadcast, tasks, aggregate, step)
 */
public record RoundStats(long round, long examples, double loss, double seconds) {
    /** @return rows processed per second */
    public double examplesPerSecond() {
        return examples / seconds;
    }
}
