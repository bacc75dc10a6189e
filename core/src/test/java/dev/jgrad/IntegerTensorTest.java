package dev.jgrad;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * I64 tensors (labels, token ids) through indexing, selection, concatenation, views and device
 * moves, exactly: the values sit above 2^53, where any detour through double would round them.
 */
class IntegerTensorTest {
    private static final long BIG = (1L << 60) + 1;

    private static Tensor big(String device, int... shape) {
        int n = 1;
        for (int s : shape) {
            n *= s;
        }
        long[] v = new long[n];
        for (int i = 0; i < n; i++) {
            v[i] = BIG + 2L * i;
        }
        return Tensor.of(v, shape).to(device);
    }

    private static Tensor idx(String device, long... v) {
        return Tensor.of(v, v.length).to(device);
    }

    @ParameterizedTest
    @ValueSource(strings = {"reference", "cpu"})
    void indexSelectAndGatherCopyExactly(String device) {
        Tensor x = big(device, 4, 3);
        Tensor rows = x.indexSelect(0, idx(device, 3, 0, 3));
        assertEquals(DType.I64, rows.dtype());
        assertArrayEquals(new int[] {3, 3}, rows.shape());
        assertArrayEquals(new long[] {BIG + 18, BIG + 20, BIG + 22, BIG, BIG + 2, BIG + 4, BIG + 18, BIG + 20, BIG + 22},
                rows.toLongArray());
        Tensor cols = x.transpose(0, 1).indexSelect(1, idx(device, 1));
        assertArrayEquals(new long[] {BIG + 6, BIG + 8, BIG + 10}, cols.toLongArray());
        Tensor g = x.gather(1, Tensor.of(new long[] {2, 0, 1, 1}, 4, 1).to(device));
        assertArrayEquals(new long[] {BIG + 4, BIG + 6, BIG + 14, BIG + 20}, g.toLongArray());
        assertEquals(0, x.indexSelect(0, Tensor.zeros(DType.I64, 0).to(device)).numel());
    }

    @ParameterizedTest
    @ValueSource(strings = {"reference", "cpu"})
    void whereCatStackAndViewsKeepI64(String device) {
        Tensor a = big(device, 2, 3);
        Tensor b = Tensor.of(new long[] {-1, -2, -3}, 3).to(device);
        Tensor floatCond = Tensor.of(new float[] {1, 0, 1, 0, 1, 0}, 2, 3).to(device);
        assertArrayEquals(new long[] {BIG, -2, BIG + 4, -1, BIG + 8, -3}, Tensor.where(floatCond, a, b).toLongArray());
        Tensor longCond = Tensor.of(new long[] {0, 7}, 2, 1).to(device);
        assertArrayEquals(new long[] {-1, -2, -3, BIG + 6, BIG + 8, BIG + 10}, Tensor.where(longCond, a, b).toLongArray());
        Tensor cat = Tensor.cat(List.of(a, b.unsqueeze(0)), 0);
        assertArrayEquals(new long[] {BIG, BIG + 2, BIG + 4, BIG + 6, BIG + 8, BIG + 10, -1, -2, -3}, cat.toLongArray());
        Tensor stack = Tensor.stack(List.of(b, b), 1);
        assertArrayEquals(new long[] {-1, -1, -2, -2, -3, -3}, stack.toLongArray());
        Tensor t = a.transpose(0, 1);
        assertFalse(t.isContiguous());
        assertArrayEquals(new long[] {BIG, BIG + 6, BIG + 2, BIG + 8, BIG + 4, BIG + 10}, t.reshape(6).toLongArray());
        assertArrayEquals(new long[] {BIG + 8, BIG + 10}, a.narrow(1, 1, 2).select(0, 1).toLongArray());
        assertArrayEquals(new long[] {BIG + 4, BIG + 10}, a.permute(1, 0).select(0, 2).contiguous().toLongArray());
    }

    @Test
    void deviceMovesAreExact() {
        Tensor a = big("reference", 3, 2).transpose(0, 1);
        Tensor moved = a.to("cpu");
        assertEquals("cpu", moved.device().name());
        assertEquals(DType.I64, moved.dtype());
        assertArrayEquals(a.toLongArray(), moved.to("reference").toLongArray());
    }

    @Test
    void cpuRowGatherMatchesReference() {
        // Rows of one element (a batch's labels), of 15, and of 1,400 (long enough that the gather
        // touches their pages first).
        for (int[] shape : new int[][] {{9}, {9, 3, 5}, {9, 2, 700}}) {
            rowGatherMatchesReference(Tensor.randn(new dev.jgrad.Generator(7), shape).mul(100));
        }
    }

    private static void rowGatherMatchesReference(Tensor x) {
        Tensor i = Tensor.of(new long[] {8, 0, 4, 4, 1}, 5);
        for (DType dt : new DType[] {DType.F32, DType.F64, DType.I64}) {
            Tensor ref = x.to(dt).to("reference").indexSelect(0, i.to("reference"));
            Tensor cpu = x.to(dt).to("cpu").indexSelect(0, i.to("cpu"));
            assertArrayEquals(ref.toDoubleArray(), cpu.toDoubleArray(), 0.0);
            Tensor offset = x.to(dt).to("cpu").narrow(0, 2, 6).indexSelect(0, i.narrow(0, 1, 3).to("cpu"));
            assertArrayEquals(x.to(dt).narrow(0, 2, 6).to("reference").indexSelect(0, i.narrow(0, 1, 3).to("reference"))
                    .toDoubleArray(), offset.toDoubleArray(), 0.0);
        }
    }

    @Test
    void errorsNameTheMethodCalled() {
        Tensor x = Tensor.of(new long[] {1, 2, 3}, 3).to("cpu");
        String m = assertThrows(IllegalArgumentException.class,
                () -> x.indexSelect(0, Tensor.of(new float[] {0}, 1).to("cpu"))).getMessage();
        assertTrue(m.startsWith("indexSelect:") && m.contains("I64") && m.contains("F32"), m);
        m = assertThrows(IllegalArgumentException.class, () -> x.indexSelect(0, idx("cpu", 3))).getMessage();
        assertTrue(m.startsWith("indexSelect:") && m.contains("3") && m.contains("0 to 2"), m);
        m = assertThrows(IllegalArgumentException.class, () -> x.indexSelect(0, Tensor.zeros(DType.I64, 1, 1).to("cpu")))
                .getMessage();
        assertTrue(m.startsWith("indexSelect:") && m.contains("1-D") && !m.contains("gather"), m);
        m = assertThrows(IllegalArgumentException.class, () -> x.scatterAdd(0, idx("cpu", 0), x)).getMessage();
        assertTrue(m.startsWith("scatterAdd:") && m.contains("I64"), m);
        m = assertThrows(IllegalArgumentException.class,
                () -> Tensor.where(x, x, Tensor.zeros(3).to("cpu"))).getMessage();
        assertTrue(m.startsWith("where:") && m.contains("I64") && m.contains("F32"), m);
    }
}
