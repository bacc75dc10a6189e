package dev.jgrad.opencl;

import dev.jgrad.Device;
import dev.jgrad.Tensor;
import dev.jgrad.nn.Functional;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Run in a fresh JVM by {@link ConvVariantTest}, once per {@code jgrad.opencl.gemm} variant (read
 * when the backend is built, so one JVM sees one variant): Conv2d forward, input gradient and
 * weight/bias gradients on {@code opencl} and on {@code cpu}, for plain, strided/padded/dilated and
 * grouped convolutions. Prints the variant the backend reports and, per case, the largest error;
 * exits with status 1 when an error exceeds the tolerance.
 */
public final class ConvVariantProbe {
    private static final double TOLERANCE = 1e-4;

    private ConvVariantProbe() {
    }

    /** @param args unused */
    public static void main(String[] args) {
        System.out.println("variant=" + ((OpenClBackend) Device.of("opencl:0").backend()).gemmVariant());
        // {N, C, H, W, out, k, stride, padding, dilation, groups}
        int[][] cases = {{2, 3, 9, 8, 5, 3, 1, 1, 1, 1}, {3, 4, 11, 10, 6, 3, 2, 1, 2, 2}, {1, 6, 7, 7, 6, 1, 1, 0, 1, 3},
            {4, 1, 28, 28, 32, 3, 1, 1, 1, 1}};
        boolean ok = true;
        for (int[] c : cases) {
            List<double[]> want = run("cpu", c), got = run("opencl:0", c);
            double err = 0;
            for (int i = 0; i < want.size(); i++) {
                for (int j = 0; j < want.get(i).length; j++) {
                    double e = want.get(i)[j], a = got.get(i)[j];
                    err = Math.max(err, Math.abs(a - e) / (1 + Math.abs(e)));
                }
            }
            System.out.printf("case %s maxErr=%.3g%n", java.util.Arrays.toString(c), err);
            ok &= err <= TOLERANCE;
        }
        System.exit(ok ? 0 : 1);
    }

    /** @return output, dx, dweight, dbias of {@code sum(conv2d(x, w, b) * r)} on {@code device} */
    private static List<double[]> run(String device, int[] c) {
        SplittableRandom rng = new SplittableRandom(c[0] * 131L + c[1] * 17L + c[9]);
        Tensor x = Tensor.randn(rng, c[0], c[1], c[2], c[3]).to(device).requiresGrad(true);
        Tensor w = Tensor.randn(rng, c[4], c[1] / c[9], c[5], c[5]).to(device).requiresGrad(true);
        Tensor b = Tensor.randn(rng, c[4]).to(device).requiresGrad(true);
        Tensor y = Functional.conv2d(x, w, b, c[6], c[7], c[8], c[9]);
        Tensor r = Tensor.randn(rng, y.shape()).to(device);
        y.mul(r).sum().backward();
        List<double[]> out = new ArrayList<>();
        for (Tensor t : List.of(y, x.grad(), w.grad(), b.grad())) {
            out.add(t.toDoubleArray());
        }
        return out;
    }
}
