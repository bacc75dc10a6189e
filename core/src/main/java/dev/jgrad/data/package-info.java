/**
 * Data for training: {@link dev.jgrad.data.Dataset}s of tensors, the {@link dev.jgrad.data.DataLoader}
 * that batches them (batch, stochastic and mini-batch descent are one number apart), readers for CSV
 * and IDX files, and the bundled data sets of {@link dev.jgrad.data.Datasets}.
 *
 * <p>Shared rules: arguments are never null; every bad argument or malformed file is an
 * {@link IllegalArgumentException} naming the method, the file (with line and column for text) and
 * what would be valid. Datasets are read-only once built, so one may feed several loaders and
 * threads. A loader's iteration (one epoch) belongs to the thread that started it. Examples are
 * never turned into per-example objects on the hot path: a {@link dev.jgrad.data.TensorDataset}
 * batch is one {@code indexSelect} per tensor.
 */
package dev.jgrad.data;
