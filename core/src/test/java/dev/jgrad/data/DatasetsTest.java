package dev.jgrad.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jgrad.DType;
import dev.jgrad.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bundled digits and the Debian Fashion-MNIST. */
class DatasetsTest {

    @Test
    void digitsAreBundledWithAFixedSplit() {
        Datasets.Split s = Datasets.digits();
        assertEquals(1437, s.train().size());
        assertEquals(360, s.test().size());
        Tensor x = s.train().tensors().get(0), y = s.train().tensors().get(1);
        assertArrayEquals(new int[] {1437, 64}, x.shape());
        assertEquals(DType.I64, y.dtype());
        assertEquals(0.0, x.min().item());
        assertEquals(1.0, x.max().item());
        long[] counts = new long[10];
        for (Tensor t : new Tensor[] {y, s.test().tensors().get(1)}) {
            for (long l : t.toLongArray()) {
                counts[(int) l]++;
            }
        }
        // scikit-learn's class counts for load_digits()
        assertArrayEquals(new long[] {178, 182, 177, 183, 181, 182, 181, 179, 174, 180}, counts);
        Datasets.Split again = Datasets.digits();
        assertArrayEquals(s.test().tensors().get(1).toLongArray(), again.test().tensors().get(1).toLongArray());
        assertArrayEquals(s.test().tensors().get(0).toFloatArray(), again.test().tensors().get(0).toFloatArray());
        // the file's first row (a zero) is somewhere in one split, pixels / 16
        float[] first = {0, 0, 5, 13, 9, 1, 0, 0};
        for (int i = 0; i < 8; i++) {
            first[i] /= 16f;
        }
        boolean found = false;
        for (Datasets.Split part : new Datasets.Split[] {s}) {
            for (TensorDataset d : new TensorDataset[] {part.train(), part.test()}) {
                float[] all = d.tensors().get(0).toFloatArray();
                for (int r = 0; r < d.size() && !found; r++) {
                    found = Arrays.equals(Arrays.copyOfRange(all, r * 64, r * 64 + 8), first);
                }
            }
        }
        assertTrue(found);
        for (Path resource : new Path[] {Path.of("digits-LICENSE.txt"), Path.of("digits-NOTICE.txt")}) {
            assertTrue(Datasets.class.getResource(resource.toString()) != null, resource + " ships beside the data");
        }
    }

    @Test
    void fashionMnistFromDebian() {
        Assumptions.assumeTrue(Files.isDirectory(Datasets.FASHION_MNIST_DIR) || "1".equals(System.getenv("JGRAD_REQUIRE_DATA")),
                "dataset-fashion-mnist is not installed (JGRAD_REQUIRE_DATA=1 makes this a failure)");
        Datasets.Split s = Datasets.fashionMnist();
        assertArrayEquals(new int[] {60000, 784}, s.train().tensors().get(0).shape());
        assertArrayEquals(new int[] {10000, 784}, s.test().tensors().get(0).shape());
        Tensor y = s.test().tensors().get(1);
        assertEquals(0.0, y.to(DType.F64).min().item());
        assertEquals(9.0, y.to(DType.F64).max().item());
        assertEquals(1.0, s.test().tensors().get(0).max().item(), 1e-6);
        // the first test image is an ankle boot (class 9), its first training label too
        assertEquals(9L, y.toLongArray()[0]);
        assertEquals(9L, s.train().tensors().get(1).toLongArray()[0]);
    }

    @Test
    void missingFashionMnistNamesThePackage(@TempDir Path empty) {
        String m = assertThrows(IllegalStateException.class, () -> Datasets.fashionMnist(empty)).getMessage();
        assertTrue(m.contains("dataset-fashion-mnist") && m.contains(empty.toString()), m);
    }
}
