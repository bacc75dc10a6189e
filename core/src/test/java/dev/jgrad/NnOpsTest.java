package dev.jgrad;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Values of the ops the layers need, against hand-computed (PyTorch-checked) results. */
class NnOpsTest {

    @Test
    void log1pKeepsTinyValues() {
        double[] v = Tensor.of(new double[] {1e-12, -1e-15, 3}, 3).log1p().toDoubleArray();
        assertEquals(1e-12 - 5e-25, v[0], 1e-27); // log(1 + 1e-12) rounds to 1.00009e-12
        assertEquals(-1e-15, v[1], 1e-30);
        assertEquals(Math.log(4), v[2], 1e-15);
        float[] f = Tensor.of(new float[] {1e-8f, 0.5f}, 2).log1p().toFloatArray();
        assertEquals(1e-8f, f[0], 1e-14f);
        assertEquals((float) Math.log1p(0.5), f[1], 1e-7f);
    }

    @Test
    void softplusMatchesPyTorch() {
        // torch.nn.functional.softplus(torch.tensor([-30., -1., 0., 1., 25.], dtype=torch.float64))
        double[] v = Tensor.of(new double[] {-30, -1, 0, 1, 25}, 5).softplus().toDoubleArray();
        assertArrayEquals(new double[] {9.357622968840175e-14, 0.31326168751822286, 0.6931471805599453,
            1.3132616875182228, 25}, v, 1e-15);
        // softplus(x, beta=2, threshold=1): 1.0 * 2 > 1 so linear; 0.25 * 2 = 0.5 is not
        double[] w = Tensor.of(new double[] {1.0, 0.25}, 2).softplus(2, 1).toDoubleArray();
        assertEquals(1.0, w[0], 0);
        assertEquals(Math.log1p(Math.exp(0.5)) / 2, w[1], 1e-15);
        assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(2).softplus(0, 20));
    }

    @Test
    void rsqrtVarStd() {
        assertArrayEquals(new float[] {0.5f, 1f / 3}, Tensor.of(new float[] {4, 9}, 2).rsqrt().toFloatArray(), 1e-7f);
        Tensor x = Tensor.of(new double[] {1, 2, 3, 4, 2, 2, 2, 2}, 2, 4);
        assertArrayEquals(new double[] {5.0 / 3, 0}, x.var(1, true, false).toDoubleArray(), 1e-15);
        assertArrayEquals(new double[] {1.25, 0}, x.var(-1, false, false).toDoubleArray(), 1e-15);
        assertArrayEquals(new int[] {2, 1}, x.var(1, true, true).shape());
        assertArrayEquals(new double[] {Math.sqrt(5.0 / 3), 0}, x.std(1, true, false).toDoubleArray(), 1e-15);
        assertTrue(Double.isNaN(Tensor.of(new double[] {3}, 1, 1).var(1, true, false).item()));
    }

    @Test
    void maskedFillBroadcastsTheMask() {
        Tensor x = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        Tensor mask = Tensor.of(new float[] {1, 0, 1}, 3);
        assertArrayEquals(new float[] {-1, 2, -1, -1, 5, -1}, x.maskedFill(mask, -1).toFloatArray());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> x.maskedFill(Tensor.zeros(2), 0));
        assertTrue(e.getMessage().contains("maskedFill") && e.getMessage().contains("[2]"));
        Tensor leaf = Tensor.of(new double[] {1, 2}, 2).requiresGrad(true);
        leaf.maskedFill(Tensor.of(new double[] {0, 1}, 2), 7).mul(3.0).sum().backward();
        assertArrayEquals(new double[] {3, 0}, leaf.grad().toDoubleArray());
    }

    @Test
    void padFollowsPyTorchOrder() {
        Tensor x = Tensor.of(new float[] {1, 2, 3, 4}, 2, 2);
        // F.pad(x, (1, 0, 0, 1), value=9): last dim gets 1 before, first dim 1 after
        Tensor p = x.pad(new int[] {1, 0, 0, 1}, 9);
        assertArrayEquals(new int[] {3, 3}, p.shape());
        assertArrayEquals(new float[] {9, 1, 2, 9, 3, 4, 9, 9, 9}, p.toFloatArray());
        // negative crops: F.pad(x, (-1, 0))
        assertArrayEquals(new float[] {2, 4}, x.pad(new int[] {-1, 0}, 0).toFloatArray());
        assertArrayEquals(new float[] {4, 1, 2, 3, 4}, Tensor.of(new float[] {1, 2, 3, 4}, 4)
                .pad(new int[] {1, 0}, 4).toFloatArray());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> x.pad(new int[] {1, 1, 1}, 0));
        assertTrue(e.getMessage().contains("pad") && e.getMessage().contains("[2, 2]"));
        assertThrows(IllegalArgumentException.class, () -> x.pad(new int[] {-2, -1}, 0));
    }
}
