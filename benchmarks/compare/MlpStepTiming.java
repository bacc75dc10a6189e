import dev.jgrad.Tensor;
import dev.jgrad.autograd.NoGrad;
import dev.jgrad.nn.Functional;
import dev.jgrad.nn.Functional.Activation;
import dev.jgrad.nn.Losses;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * TrainStepBenchmark's 1024-2048-2048-1024 batch-256 MLP step (SGD, lr 0.01) timed phase by phase in one
 * JVM, after the step's eight products alone on tensors of the same shapes: where the step's time goes
 * beyond its products (forward, backward, update), and what JVM settings change. Prints the min, median
 * and 90th percentile of the second half of STEPS steps (the first half warms the JIT up). Run from the
 * repository root after a build, e.g. {@code java --add-modules jdk.incubator.vector -Xms4g -Xmx4g
 * -XX:+AlwaysPreTouch -XX:UseAVX=2 [-XX:+UseTransparentHugePages] -cp core/target/classes
 * benchmarks/compare/MlpStepTiming.java 300}.
 */
public class MlpStepTiming {
    private static final int[] WIDTHS = {1024, 2048, 2048, 1024};
    private static final int BATCH = 256;

    public static void main(String[] args) {
        int steps = args.length > 0 ? Integer.parseInt(args[0]) : 300;
        SplittableRandom rng = new SplittableRandom(1);
        List<Tensor> weights = new ArrayList<>(), biases = new ArrayList<>();
        for (int i = 0; i + 1 < WIDTHS.length; i++) {
            weights.add(Tensor.randn(rng, WIDTHS[i + 1], WIDTHS[i]).mul(Math.sqrt(2.0 / WIDTHS[i])).requiresGrad(true));
            biases.add(Tensor.zeros(WIDTHS[i + 1]).requiresGrad(true));
        }
        Tensor x = Tensor.randn(rng, BATCH, WIDTHS[0]);
        long[] l = new long[BATCH];
        for (int i = 0; i < BATCH; i++) {
            l[i] = rng.nextInt(WIDTHS[WIDTHS.length - 1]);
        }
        Tensor labels = Tensor.of(l, BATCH);
        report("products", products(rng, x, weights, steps));
        long[][] t = new long[3][steps];
        for (int s = 0; s < steps; s++) {
            long t0 = System.nanoTime();
            Tensor h = x;
            for (int i = 0; i < weights.size(); i++) {
                boolean hidden = i + 1 < weights.size();
                h = Functional.linear(h, weights.get(i), biases.get(i), hidden ? Activation.RELU : Activation.NONE);
            }
            Tensor loss = Losses.crossEntropy(h, labels);
            long t1 = System.nanoTime();
            loss.backward();
            long t2 = System.nanoTime();
            try (var g = NoGrad.enter()) {
                for (int i = 0; i < weights.size(); i++) {
                    for (Tensor p : List.of(weights.get(i), biases.get(i))) {
                        p.addInPlace(p.grad(), -0.01);
                        p.zeroGrad();
                    }
                }
            }
            loss.item();
            long t3 = System.nanoTime();
            t[0][s] = t1 - t0;
            t[1][s] = t2 - t1;
            t[2][s] = t3 - t2;
        }
        report("forward", t[0]);
        report("backward", t[1]);
        report("update", t[2]);
        long[] total = new long[steps];
        for (int s = 0; s < steps; s++) {
            total[s] = t[0][s] + t[1][s] + t[2][s];
        }
        report("step", total);
    }

    /** The step's eight products (forward x·Wᵀ, weight gradients dYᵀ·X, input gradients dY·W), each call timed together. */
    private static long[] products(SplittableRandom rng, Tensor x, List<Tensor> weights, int steps) {
        Tensor h1 = Tensor.randn(rng, BATCH, 2048), h2 = Tensor.randn(rng, BATCH, 2048);
        Tensor d3 = Tensor.randn(rng, BATCH, 1024), d2 = Tensor.randn(rng, BATCH, 2048), d1 = Tensor.randn(rng, BATCH, 2048);
        Tensor w1 = weights.get(0).detach(), w2 = weights.get(1).detach(), w3 = weights.get(2).detach();
        long[] t = new long[steps];
        for (int s = 0; s < steps; s++) {
            long t0 = System.nanoTime();
            x.matmul(w1.transpose(0, 1));
            h1.matmul(w2.transpose(0, 1));
            h2.matmul(w3.transpose(0, 1));
            d3.transpose(0, 1).matmul(h2);
            d3.matmul(w3);
            d2.transpose(0, 1).matmul(h1);
            d2.matmul(w2);
            d1.transpose(0, 1).matmul(x);
            t[s] = System.nanoTime() - t0;
        }
        return t;
    }

    /** Prints the min, median and p90 of the second half of the times, in ms. */
    private static void report(String what, long[] times) {
        long[] v = Arrays.copyOfRange(times, times.length / 2, times.length);
        Arrays.sort(v);
        System.out.printf("%-9s min %.2f median %.2f p90 %.2f ms%n", what, v[0] / 1e6, v[v.length / 2] / 1e6,
                v[v.length * 9 / 10] / 1e6);
    }
}
