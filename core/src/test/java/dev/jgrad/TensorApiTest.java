package dev.jgrad;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jgrad.nn.Losses;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The Tensor API contract: factories, accessors, views, PyTorch's semantics at the edges. */
class TensorApiTest {

    @Test
    void factoriesAndAccessors() {
        Tensor t = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        assertArrayEquals(new int[] {2, 3}, t.shape());
        assertEquals(2, t.dim());
        assertEquals(6, t.numel());
        assertEquals(DType.F32, t.dtype());
        assertEquals(DType.F64, Tensor.of(new double[] {1}, 1).dtype());
        assertEquals(DType.I64, Tensor.arange(4).dtype());
        assertArrayEquals(new long[] {0, 1, 2, 3}, Tensor.arange(4).toLongArray());
        assertArrayEquals(new float[] {0, 0.5f, 1, 1.5f}, Tensor.arange(0, 2, 0.5).toFloatArray());
        assertEquals(7.5, Tensor.scalar(7.5).item(), 0);
        assertEquals(0, Tensor.scalar(1).dim());
        assertArrayEquals(new double[] {3, 3}, Tensor.full(3, DType.F64, 2).toDoubleArray());
        assertArrayEquals(new float[] {1, 1}, Tensor.ones(2).toFloatArray());
    }

    @Test
    void randomFactoriesAreReproducible() {
        Tensor.manualSeed(42);
        float[] first = Tensor.randn(3, 4).toFloatArray();
        Tensor.manualSeed(42);
        assertArrayEquals(first, Tensor.randn(3, 4).toFloatArray());
        assertArrayEquals(new int[] {64, 784}, Tensor.randn(64, 784).shape(), "randn(64, 784) is a shape, not a seed");
        long state = Tensor.defaultGenerator().state();
        float[] next = Tensor.rand(7).toFloatArray();
        Tensor.defaultGenerator().setState(state);
        assertArrayEquals(next, Tensor.rand(7).toFloatArray());
        assertArrayEquals(Tensor.rand(new SplittableRandom(1), 5).toFloatArray(),
                Tensor.rand(new SplittableRandom(1), 5).toFloatArray());
        assertFalse(java.util.Arrays.equals(Tensor.rand(5).toFloatArray(), Tensor.rand(5).toFloatArray()));
        for (float v : Tensor.rand(1000).toFloatArray()) {
            assertTrue(v >= 0 && v < 1);
        }
    }

    @Test
    void likeFactoriesKeepShapeDtypeAndDevice() {
        Tensor x = Tensor.zeros(DType.F64, 2, 3).to("reference");
        for (Tensor t : new Tensor[] {x.zerosLike(), x.onesLike(), x.fullLike(2.5), x.randLike(), x.randnLike()}) {
            assertArrayEquals(new int[] {2, 3}, t.shape());
            assertEquals(DType.F64, t.dtype());
            assertEquals("reference", t.device().name());
        }
        assertArrayEquals(new double[] {2.5, 2.5, 2.5, 2.5, 2.5, 2.5}, x.fullLike(2.5).toDoubleArray());
        for (double v : x.randLike().toDoubleArray()) {
            assertTrue(v >= 0 && v < 1);
        }
    }

    @Test
    void viewsShareMemoryAndDoNotCopy() {
        Tensor t = Tensor.arange(0, 6, 1).reshape(2, 3);
        Tensor tt = t.transpose(0, 1);
        assertFalse(tt.isContiguous());
        assertArrayEquals(new int[] {1, 3}, tt.strides());
        assertArrayEquals(new float[] {0, 3, 1, 4, 2, 5}, tt.toFloatArray());
        Tensor row = t.select(0, 1);
        row.fillInPlace(9);
        assertArrayEquals(new float[] {0, 1, 2, 9, 9, 9}, t.toFloatArray());
        assertEquals(1, t.version(), "views share the version counter");
        assertArrayEquals(new int[] {3, 2, 4}, Tensor.zeros(2, 1, 4).expand(-1, 3, -1).permute(1, 0, 2).shape());
        assertArrayEquals(new int[] {2, 4}, Tensor.zeros(2, 1, 4).squeeze().shape());
        assertArrayEquals(new int[] {2, 1, 4}, Tensor.zeros(2, 4).unsqueeze(-2).shape());
        assertArrayEquals(new float[] {1, 2}, Tensor.arange(0, 6, 1).slice(0, 1, -3).toFloatArray());
        assertArrayEquals(new int[] {3, 2}, tt.contiguous().shape());
        assertTrue(tt.contiguous().isContiguous());
    }

    @Test
    void inPlaceUpdatesReadOverlappingOperandsAsTheyWereBefore() {
        Tensor x = Tensor.of(new float[] {1, 2, 3}, 3);
        x.addInPlace(x, 0.5);
        assertArrayEquals(new float[] {1.5f, 3, 4.5f}, x.toFloatArray());
        Tensor a = Tensor.arange(1, 41, 1);
        a.slice(0, 1, 40).addInPlace(a.slice(0, 0, 39));
        float[] v = a.toFloatArray();
        for (int i = 1; i < 40; i++) {
            assertEquals(2 * i + 1, v[i], 0, "a[" + i + "] = old a[i] + old a[i-1]");
        }
    }

    @Test
    void matmulFollowsTorchShapes() {
        assertArrayEquals(new int[] {}, Tensor.ones(3).matmul(Tensor.ones(3)).shape());
        assertArrayEquals(new int[] {4}, Tensor.ones(3).matmul(Tensor.ones(3, 4)).shape());
        assertArrayEquals(new int[] {2}, Tensor.ones(2, 3).matmul(Tensor.ones(3)).shape());
        assertArrayEquals(new int[] {5, 2, 4}, Tensor.ones(5, 2, 3).matmul(Tensor.ones(3, 4)).shape());
        assertArrayEquals(new int[] {2, 5, 3, 6}, Tensor.ones(2, 1, 3, 4).matmul(Tensor.ones(5, 4, 6)).shape());
        assertArrayEquals(new float[] {3, 3}, Tensor.ones(2, 3).matmul(Tensor.ones(3)).toFloatArray());
    }

    @Test
    void pytorchGradientConventionsAtKinks() {
        Tensor x = Tensor.of(new double[] {0, 0, 2, -1}, 4).requiresGrad(true);
        x.relu().sum().backward();
        assertArrayEquals(new double[] {0, 0, 1, 0}, x.grad().toDoubleArray(), "relu'(0) = 0");
        x.zeroGrad();
        x.abs().sum().backward();
        assertArrayEquals(new double[] {0, 0, 1, -1}, x.grad().toDoubleArray(), "abs'(0) = 0");
        x.zeroGrad();
        x.clamp(-1, 2).sum().backward();
        assertArrayEquals(new double[] {1, 1, 1, 1}, x.grad().toDoubleArray(), "clamp passes at the bounds");

        Tensor a = Tensor.of(new double[] {1, 2}, 2).requiresGrad(true);
        Tensor b = Tensor.of(new double[] {1, 3}, 2).requiresGrad(true);
        a.maximum(b).sum().backward();
        assertArrayEquals(new double[] {0.5, 0}, a.grad().toDoubleArray(), "maximum ties split");
        assertArrayEquals(new double[] {0.5, 1}, b.grad().toDoubleArray());

        Tensor m = Tensor.of(new double[] {5, 1, 5}, 1, 3).requiresGrad(true);
        m.max(1, false).sum().backward();
        assertArrayEquals(new double[] {1, 0, 0}, m.grad().toDoubleArray(), "max(dim) picks the first maximum");
        assertArrayEquals(new long[] {0}, m.argmax(1).toLongArray());
    }

    @Test
    void lossesAreStableForExtremeLogits() {
        Tensor logits = Tensor.of(new double[] {1000, -1000, 0, -1000, 1000, 0}, 2, 3).requiresGrad(true);
        Tensor labels = Tensor.of(new long[] {0, 2}, 2);
        Tensor loss = Losses.crossEntropy(logits, labels);
        assertEquals(500, loss.item(), 1e-9, "(0 + 1000) / 2");
        loss.backward();
        for (double g : logits.grad().toDoubleArray()) {
            assertTrue(Double.isFinite(g));
        }
        Tensor z = Tensor.of(new double[] {1000, -1000, 0}, 3).requiresGrad(true);
        Tensor bce = Losses.binaryCrossEntropyWithLogits(z, Tensor.of(new double[] {0, 1, 1}, 3));
        assertEquals((1000 + 1000 + Math.log(2)) / 3, bce.item(), 1e-9);
        bce.backward();
        assertArrayEquals(new double[] {1.0 / 3, -1.0 / 3, (0.5 - 1) / 3}, z.grad().toDoubleArray(), 1e-12,
                "sigmoid(x) - t, including x = 0");
    }

    @Test
    void softmaxMatchesDefinition() {
        Tensor x = Tensor.of(new double[] {1, 2, 3}, 1, 3);
        double s = Math.exp(1) + Math.exp(2) + Math.exp(3);
        assertArrayEquals(new double[] {Math.exp(1) / s, Math.exp(2) / s, Math.exp(3) / s},
                x.softmax(1).toDoubleArray(), 1e-15);
        assertArrayEquals(new double[] {1 - Math.log(s), 2 - Math.log(s), 3 - Math.log(s)},
                x.logSoftmax(1).toDoubleArray(), 1e-14);
    }

    @Test
    void geluIsTheExactErfForm() {
        // torch.nn.functional.gelu(torch.tensor([-1., 0.5, 2.], dtype=torch.float64))
        double[] expected = {-0.15865525393145707, 0.34573123063700656, 1.9544997361036416};
        assertArrayEquals(expected, Tensor.of(new double[] {-1, 0.5, 2}, 3).gelu().toDoubleArray(), 1e-15);
        assertEquals(0.8427007929497149, Tensor.of(new double[] {1}, 1).erf().item(), 3e-16);
        assertEquals(0.9999779095030014, Tensor.of(new double[] {3}, 1).erf().item(), 3e-16);
    }

    @Test
    void catStackAndIndexing() {
        Tensor a = Tensor.of(new float[] {1, 2}, 1, 2);
        Tensor b = Tensor.of(new float[] {3, 4, 5, 6}, 2, 2);
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, Tensor.cat(List.of(a, b), 0).toFloatArray());
        assertArrayEquals(new int[] {2, 1, 2}, Tensor.stack(List.of(a, a), 0).shape());
        Tensor emb = Tensor.of(new float[] {0, 0, 1, 1, 2, 2}, 3, 2);
        assertArrayEquals(new float[] {2, 2, 0, 0, 2, 2},
                emb.indexSelect(0, Tensor.of(new long[] {2, 0, 2}, 3)).toFloatArray());
    }

    @Test
    void toStringIsReadableAndTruncated() {
        String s = Tensor.arange(0, 100, 1).toString();
        assertTrue(s.startsWith("tensor([0.0000, 1.0000, 2.0000, ..., 97.0000, 98.0000, 99.0000]"), s);
        assertTrue(s.contains("shape=[100]") && s.contains("dtype=F32"), s);
        String g = Tensor.zeros(2, 2).requiresGrad(true).exp().toString();
        assertTrue(g.contains("gradFn=exp"), g);
    }

    @Test
    void dtypeAndDeviceConversionsAreDifferentiable() {
        Tensor x = Tensor.of(new float[] {1, 2}, 2).requiresGrad(true);
        Tensor y = x.to(DType.F64).mul(Tensor.of(new double[] {3, 4}, 2)).sum();
        y.backward();
        assertEquals(DType.F32, x.grad().dtype());
        assertArrayEquals(new float[] {3, 4}, x.grad().toFloatArray());
        assertEquals("reference", x.to("reference").device().name());
    }

    @Test
    void defaultDeviceComesFromTheSystemProperty() {
        String old = System.getProperty("jgrad.device");
        try {
            System.setProperty("jgrad.device", "reference");
            assertEquals("reference", Tensor.zeros(1).device().name());
        } finally {
            if (old == null) {
                System.clearProperty("jgrad.device");
            } else {
                System.setProperty("jgrad.device", old);
            }
        }
    }
}
