/**
 * JMH benchmarks of jgrad's hot loops. Each benchmark takes its device as a {@code @Param};
 * {@link dev.jgrad.bench.BenchMain} runs them together with {@link dev.jgrad.bench.PeakBenchmark},
 * so every figure can be reported as a fraction of this machine's measured peak from the same run.
 */
package dev.jgrad.bench;
