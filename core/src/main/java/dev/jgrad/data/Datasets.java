package dev.jgrad.data;

import dev.jgrad.DType;
import dev.jgrad.Tensor;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.zip.GZIPInputStream;

/**
 * Real data sets, ready for a {@link DataLoader}: the handwritten digits bundled in jgrad-core, and
 * Fashion-MNIST from the Debian package {@code dataset-fashion-mnist}. Every split holds
 * {@code (images F32 [n, pixels] scaled to [0, 1], labels I64 [n])}.
 */
public final class Datasets {
    /** Where Debian's {@code dataset-fashion-mnist} installs the files. */
    public static final Path FASHION_MNIST_DIR = Path.of("/usr/share/datasets/fashion-mnist");
    /** Examples of {@link #digits()} in the test split; the other 1,437 train. */
    public static final int DIGITS_TEST = 360;
    private static final long DIGITS_SPLIT_SEED = 20260101L;

    private Datasets() {
    }

    /**
     * A data set cut into training and test examples.
     *
     * @param train the examples to learn from
     * @param test  the held-out examples
     */
    public record Split(TensorDataset train, TensorDataset test) {
    }

    /**
     * The 8×8 handwritten digits (scikit-learn's copy of the UCI optical digits, BSD-3-Clause;
     * resource {@code dev/jgrad/data/digits.csv.gz} with its licence and notice beside it): 1,797
     * examples, images F32 {@code [n, 64]} = pixel count / 16, labels I64 0..9. The split is fixed:
     * a permutation from a constant seed puts {@value #DIGITS_TEST} examples in {@code test}.
     *
     * @return the split, on the default device
     */
    public static Split digits() {
        TensorDataset all;
        try (InputStream in = Datasets.class.getResourceAsStream("digits.csv.gz")) {
            if (in == null) {
                throw new IllegalStateException("Datasets.digits: the resource dev/jgrad/data/digits.csv.gz is missing"
                        + " from jgrad-core's jar");
            }
            all = Csv.read(new GZIPInputStream(in), "digits.csv.gz", CsvOptions.defaults());
        } catch (IOException e) {
            throw new UncheckedIOException("Datasets.digits: cannot read the bundled digits: " + e.getMessage(), e);
        }
        Tensor x = all.tensors().get(0).div(16.0);
        Tensor y = all.tensors().get(1);
        int[] order = Shuffle.permutation(x.shape()[0], new SplittableRandom(DIGITS_SPLIT_SEED));
        int cut = order.length - DIGITS_TEST;
        return new Split(take(x, y, Arrays.copyOfRange(order, 0, cut)),
                take(x, y, Arrays.copyOfRange(order, cut, order.length)));
    }

    private static TensorDataset take(Tensor x, Tensor y, int[] rows) {
        List<Tensor> batch = new TensorDataset(x, y).batch(rows);
        return new TensorDataset(batch.get(0), batch.get(1));
    }

    /**
     * Fashion-MNIST (Zalando, MIT licence) from {@link #FASHION_MNIST_DIR}.
     *
     * @return 60,000 training and 10,000 test images, F32 {@code [n, 784]} = byte / 255, labels I64 0..9
     * @throws IllegalStateException when the files are absent, naming the package to install
     */
    public static Split fashionMnist() {
        return fashionMnist(FASHION_MNIST_DIR);
    }

    /**
     * @param dir a directory holding {@code train-images-idx3-ubyte(.gz)}, {@code train-labels-idx1-ubyte(.gz)},
     *            {@code t10k-images-idx3-ubyte(.gz)} and {@code t10k-labels-idx1-ubyte(.gz)}
     * @return as {@link #fashionMnist()}
     */
    public static Split fashionMnist(Path dir) {
        return new Split(mnistPart(dir, "train"), mnistPart(dir, "t10k"));
    }

    private static TensorDataset mnistPart(Path dir, String prefix) {
        Tensor images = Idx.read(find(dir, prefix + "-images-idx3-ubyte"), DType.F32);
        Tensor labels = Idx.read(find(dir, prefix + "-labels-idx1-ubyte"), DType.I64);
        if (images.dim() != 3 || labels.dim() != 1 || images.shape()[0] != labels.shape()[0]) {
            throw new IllegalArgumentException("Datasets.fashionMnist: " + dir + ": " + prefix + " images "
                    + Arrays.toString(images.shape()) + " and labels " + Arrays.toString(labels.shape())
                    + " do not match; expected [n, 28, 28] and [n]");
        }
        int n = images.shape()[0];
        return new TensorDataset(images.reshape(n, -1).mulInPlace(1 / 255.0), labels);
    }

    private static Path find(Path dir, String name) {
        for (Path p : new Path[] {dir.resolve(name + ".gz"), dir.resolve(name)}) {
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        throw new IllegalStateException("Datasets.fashionMnist: " + dir.resolve(name) + "(.gz) not found; install"
                + " Debian's package with 'apt-get install dataset-fashion-mnist' (files go to " + FASHION_MNIST_DIR
                + "), or pass the directory holding the four Fashion-MNIST IDX files");
    }
}
