package dev.jgrad.opencl;

import dev.jgrad.Tensor;
import java.util.SplittableRandom;

/**
 * Run in a fresh JVM by {@link KernelBuildTest} with its own PoCL kernel cache: the elementwise,
 * fill, where, reduction, indexing and loss kernels over 100 random tensor sizes, then prints the
 * number of OpenCL programs compiled.
 */
public final class KernelBuildProbe {
    private KernelBuildProbe() {
    }

    /** @param args unused */
    public static void main(String[] args) {
        SplittableRandom rng = new SplittableRandom(16);
        for (int i = 0; i < 100; i++) {
            int n = 1 + rng.nextInt(5000);
            int cols = 1 + rng.nextInt(7);
            Tensor x = Tensor.randn(rng, n, cols).to("opencl");
            Tensor y = x.exp().add(x).mul(2.0).relu();
            Tensor z = Tensor.where(x, y, x.zerosLike()).transpose(0, 1).contiguous();
            Tensor labels = x.argmax(1);
            Tensor loss = dev.jgrad.nn.Losses.crossEntropy(x, labels).add(z.sum()).add(y.mean(0, false).sum());
            loss.item();
        }
        System.out.println("builds=" + Programs.builds());
    }
}
