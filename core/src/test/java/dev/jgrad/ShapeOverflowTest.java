package dev.jgrad;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jgrad.nn.Functional;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Shapes past 2^31 - 1 elements: every op that multiplies or adds dimensions refuses them with an
 * IllegalArgumentException from the method the user called, naming the shape and the limit, instead
 * of wrapping around (a negative or zero element count) or dying with OutOfMemoryError. Nothing
 * here allocates the huge tensors: the checks come first.
 */
class ShapeOverflowTest {

    private static void refused(Executable call, String op, String... parts) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        String m = e.getMessage();
        assertTrue(m.startsWith(op + ":"), "the message names " + op + ": " + m);
        for (String p : parts) {
            assertTrue(m.contains(p), "'" + p + "' missing from: " + m);
        }
        for (String internal : List.of("empty", "full", "biasActivation", "cat")) {
            assertTrue(internal.equals(op) || !m.contains(internal + ":"), "an internal op leaks into: " + m);
        }
    }

    @Test
    void expandPastTheLimitIsRefusedByExpand() {
        refused(() -> Tensor.ones(1).expand(46341, 46341), "expand", "[46341, 46341]", "2147483647");
        // just below the limit is a fine view: 46340^2 < 2^31
        assertEquals(46340 * 46340, Tensor.ones(1).expand(46340, 46340).numel());
    }

    @Test
    void reshapeOfAnEmptyTensorIntoAHugeShapeIsRefused() {
        refused(() -> Tensor.zeros(0).reshape(65536, 65536), "reshape", "[0]", "[65536, 65536]");
        refused(() -> Tensor.zeros(0).reshape(0, 65536, 65536), "reshape", "[0, 65536, 65536]", "2147483647");
        refused(() -> Tensor.zeros(4).reshape(-1, 65536, 65536), "reshape", "[-1, 65536, 65536]");
        assertEquals(0, Tensor.zeros(0).reshape(0, 7).numel());
    }

    @Test
    void factoriesRefuseHugeShapesByName() {
        refused(() -> Tensor.arange(0, 1e10, 1), "arange", "10000000000", "2147483647");
        refused(() -> Tensor.full(1, 65536, 65536), "full", "[65536, 65536]", "2147483647");
        refused(() -> Tensor.full(1, 0, 65536, 65536), "full", "[0, 65536, 65536]", "2147483647");
        refused(() -> Tensor.full(1, DType.F64, 65536, 65536), "full", "[65536, 65536]");
        // each factory names itself, not the full it delegates to
        refused(() -> Tensor.zeros(65536, 65536), "zeros", "[65536, 65536]", "2147483647");
        refused(() -> Tensor.zeros(DType.I64, 65536, 65536), "zeros", "[65536, 65536]");
        refused(() -> Tensor.ones(65536, 65536), "ones", "[65536, 65536]", "2147483647");
        refused(() -> Tensor.ones(DType.F64, 0, 65536, 65536), "ones", "[0, 65536, 65536]");
        refused(() -> Tensor.rand(65536, 65536), "rand", "[65536, 65536]", "2147483647");
        refused(() -> Tensor.randn(new Random(1), DType.F64, 65536, 65536), "randn", "[65536, 65536]");
        refused(() -> Tensor.of(new float[0], 0, 65536, 65536), "of", "[0, 65536, 65536]");
        refused(() -> Tensor.arange(-1), "arange", "-1");
    }

    @Test
    void padAndConvRefuseOutputsPastTheLimitByTheirOwnNames() {
        Tensor row = Tensor.zeros(1).expand(1, 1 << 30);
        refused(() -> row.pad(new int[] {1 << 30, 1 << 30}, 0), "pad", "3221225472", "2147483647");
        refused(() -> row.pad(new int[] {0, 0, 2, 0}, 0), "pad", "[3, 1073741824]", "2147483647");
        // 2^30 pixels, 3x3 windows: the im2col matrix holds 9 * 2^30 elements
        Tensor image = Tensor.zeros(1).expand(1, 1, 1 << 15, 1 << 15);
        refused(() -> Functional.conv2d(image, Tensor.zeros(1, 1, 3, 3), null, 1, 1, 1, 1),
                "conv2d", "2147483647");
    }

    @Test
    void broadcastingAndMatmulRefuseOutputsPastTheLimit() {
        Tensor col = Tensor.zeros(1).expand(46341, 1);
        Tensor row = Tensor.zeros(1).expand(1, 46341);
        refused(() -> col.add(row), "add", "[46341, 46341]", "2147483647");
        refused(() -> Tensor.where(col, col, row), "where", "[46341, 46341]");
        refused(() -> col.matmul(row), "matmul", "[46341, 46341]", "2147483647");
        Tensor batch = Tensor.zeros(1, 1, 1).expand(65536, 1, 1);
        refused(() -> batch.matmul(Tensor.zeros(1, 1, 65536)), "matmul", "[65536, 1, 65536]");
    }

    @Test
    void catStackAndIndexSelectRefuseSizesThatAddOrMultiplyPastTheLimit() {
        Tensor big = Tensor.zeros(1).expand(1 << 30);   // a view: no memory behind its 2^30 elements
        refused(() -> Tensor.cat(List.of(big, big, big), 0), "cat", "3221225472", "2147483647");
        refused(() -> Tensor.stack(Collections.nCopies(3, big), 0), "stack", "[3, 1073741824]", "2147483647");
        Tensor index = Tensor.zeros(1).expand(46341).to(DType.I64);
        refused(() -> Tensor.zeros(2, 46341).indexSelect(0, index), "indexSelect", "[46341, 46341]");
    }
}
