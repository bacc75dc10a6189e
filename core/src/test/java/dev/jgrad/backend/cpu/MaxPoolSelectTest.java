package dev.jgrad.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jgrad.Tensor;
import dev.jgrad.nn.Functional;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The cpu max pool's branch-free path for windows inside the input against the reference backend,
 * bit for bit, on data built to hit its corner cases: ties (the first maximum wins), zeros of both
 * signs (the output keeps the chosen element's sign), NaNs (the first NaN wins) and infinities. The
 * selected position is checked through the gradient, which backward routes to it.
 */
class MaxPoolSelectTest {
    private static final float[] CORNERS = {0f, -0f, 1f, 1f, Float.NaN, Float.NEGATIVE_INFINITY,
        Float.POSITIVE_INFINITY, -1f, 2f};

    @ParameterizedTest(name = "kernel {0}, stride {1}, {2}x{3}")
    @CsvSource({"2, 2, 12, 16", "2, 1, 9, 11", "3, 2, 11, 13", "3, 3, 9, 9", "1, 1, 4, 5"})
    void matchesTheReferenceBitForBit(int kernel, int stride, int h, int w) {
        SplittableRandom rng = new SplittableRandom(kernel * 31 + stride);
        float[] data = new float[2 * 3 * h * w];
        for (int i = 0; i < data.length; i++) {
            data[i] = rng.nextInt(4) == 0 ? CORNERS[rng.nextInt(CORNERS.length)] : rng.nextInt(5) - 2;
        }
        Tensor cpu = run(data, h, w, kernel, stride, "cpu");
        Tensor ref = run(data, h, w, kernel, stride, "reference");
        assertArrayEquals(bits(ref.toFloatArray()), bits(cpu.toFloatArray()), "pooled values");
    }

    private static Tensor run(float[] data, int h, int w, int kernel, int stride, String device) {
        Tensor x = Tensor.of(data, 2, 3, h, w).to(device).requiresGrad(true);
        Tensor y = Functional.maxPool2d(x, kernel, stride, 0);
        y.backward(Tensor.ones(y.shape()).to(device));
        float[] pooled = y.detach().toFloatArray(), grad = x.grad().toFloatArray();
        float[] both = new float[pooled.length + grad.length];
        System.arraycopy(pooled, 0, both, 0, pooled.length);
        System.arraycopy(grad, 0, both, pooled.length, grad.length);
        assertEquals(device, x.device().toString());
        return Tensor.of(both, both.length);
    }

    private static int[] bits(float[] v) {
        int[] b = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = Float.floatToRawIntBits(v[i]);
        }
        return b;
    }
}
