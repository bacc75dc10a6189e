package dev.jgrad.examples;

import dev.jgrad.backend.Availability;
import dev.jgrad.backend.BackendProvider;
import dev.jgrad.backend.Backends;
import dev.jgrad.data.Datasets;
import java.nio.file.Files;
import java.util.Arrays;

/** Command-line entry point behind {@code ./jgrad}: {@code demo [name] [options]} and {@code devices}. */
public final class Main {
    /** The demos, one line each, for {@code demo --list}. */
    static final String LIST = """
            digits         (default) a small CNN on the bundled 8x8 handwritten digits: progress bar, >= 97% test
                           accuracy, loss.png / history.csv / model.safetensors in demo-out/, reload check
            fashion-mnist  a CNN (conv32, conv64, linear 128) on Fashion-MNIST 28x28, >= 90% in 4 epochs, time per
                           epoch beside PyTorch's (Debian package dataset-fashion-mnist)
            xor            the 2-2-1 sigmoid network learning XOR by hand-written gradient descent
            neuron         one gradient step of a single sigmoid neuron, autograd beside the closed form
            vanishing      per-layer gradient report: 20 sigmoid layers vs 20 residual ReLU + BatchNorm blocks,
                           demo-out/vanishing.png (per-layer gradient norm, log scale)
            descent        batch vs stochastic vs mini-batch gradient descent on one regression, same epochs:
                           loss table and demo-out/descent.png
            optimizers     SGD, SGD+momentum, RMSprop and Adam on the same network: loss table, demo-out/optimizers.png
            spark          the digits CNN trained data-parallel on Apache Spark local[2], beside a one-process run
            options (digits, fashion-mnist): --device NAME  --epochs N  --seed S  --out DIR  --limit N
                                             fashion-mnist also --model cnn|mlp (MLP 784-256-10)
                    (descent, optimizers): --epochs N  --seed S  --out DIR;  (vanishing): --out DIR""";

    private static final int DIGITS_EPOCHS = 8;

    private Main() {
    }

    /**
     * @param args the subcommand and its arguments
     */
    public static void main(String[] args) {
        String cmd = args.length == 0 ? "demo" : args[0];
        try {
            switch (cmd) {
                case "demo" -> demo(Arrays.copyOfRange(args, Math.min(1, args.length), args.length));
                case "devices" -> devices();
                default -> fail("unknown command: " + cmd + " (expected demo or devices)");
            }
        } catch (IllegalArgumentException e) {
            fail(e.getMessage());
        }
    }

    private static void fail(String message) {
        System.err.println(message);
        System.exit(2);
    }

    private static void demo(String[] args) {
        boolean named = args.length > 0 && !args[0].startsWith("--");
        String name = named ? args[0] : "digits";
        String[] rest = Arrays.copyOfRange(args, named ? 1 : 0, args.length);
        if (rest.length == 1 && rest[0].equals("--list") || !named && args.length == 1 && args[0].equals("--list")) {
            System.out.println(LIST);
            return;
        }
        switch (name) {
            case "digits" -> {
                DemoOptions o = DemoOptions.parse(rest, DIGITS_EPOCHS);
                // The 97% promise holds from the default epoch count on; shorter runs only report.
                check(CnnDemo.digits(o, System.out), o.epochs() >= DIGITS_EPOCHS && o.limit() == 0 ? 0.97 : 0);
            }
            case "fashion-mnist" -> fashion(rest);
            case "xor" -> {
                double loss = XorDemo.run(System.out, 5000);
                System.out.printf("final loss %.6f (%s)%n", loss, loss < 0.01 ? "converged" : "NOT converged");
                if (loss >= 0.01) {
                    System.exit(1);
                }
            }
            case "neuron" -> NeuronDemo.run(System.out);
            case "vanishing" -> VanishingDemo.run(System.out, DemoOptions.parse(rest, 1).out());
            case "descent" -> {
                DemoOptions o = DemoOptions.parse(rest, DescentDemo.EPOCHS);
                DescentDemo.run(System.out, o.out(), o.epochs(), o.seed());
            }
            case "optimizers" -> {
                DemoOptions o = DemoOptions.parse(rest, OptimizersDemo.EPOCHS);
                OptimizersDemo.run(System.out, o.out(), o.epochs(), o.seed());
            }
            case "spark" -> fail("demo spark is in the jgrad-examples-spark module (so that these demos do not"
                    + " depend on Spark): run ./jgrad demo spark, or dev.jgrad.examples.spark.SparkDemo on that module's"
                    + " class path (examples-spark/target/classes:examples-spark/target/lib/*)");
            default -> fail("unknown demo: " + name + "; the demos are:\n" + LIST);
        }
    }

    private static void fashion(String[] rest) {
        if (!Files.isDirectory(Datasets.FASHION_MNIST_DIR)) {
            fail("fashion-mnist: the data set is not installed (" + Datasets.FASHION_MNIST_DIR + " is missing);"
                    + " install it with: sudo apt-get install dataset-fashion-mnist");
        }
        DemoOptions o = DemoOptions.parse(rest, 4);
        CnnDemo.Result r = CnnDemo.fashionMnist(o, System.out);
        int examples = (int) Math.round(r.examplesPerSecond() * r.secondsPerEpoch()); // the training set's size
        System.out.println(TorchFigures.line(o.model(), r.secondsPerEpoch(), examples));
        // The 90% promise is the CNN's, on the whole set, after the default epochs or more.
        check(r, o.limit() == 0 && o.model().equals("cnn") && o.epochs() >= 4 ? 0.90 : 0);
    }

    private static void check(CnnDemo.Result r, double floor) {
        if (!r.sameAfterReload() || r.testAccuracy() < floor) {
            System.out.printf("FAILED: accuracy %.4f (needs %.2f), reload %s%n", r.testAccuracy(), floor,
                    r.sameAfterReload() ? "identical" : "differs");
            System.exit(1);
        }
    }

    private static void devices() {
        System.out.println("default device: " + Backends.defaultDevice());
        for (BackendProvider p : Backends.providers()) {
            Availability a;
            try {
                a = p.availability();
            } catch (RuntimeException | LinkageError e) {
                a = Availability.no(e.toString());
            }
            System.out.printf("%-10s %-13s priority %3d  %s%n", p.name(), a.available() ? "available" : "UNAVAILABLE",
                    p.priority(), a.reason());
            if (a.available()) {
                for (String d : p.describeDevices()) {
                    System.out.println("           - " + d);
                }
            }
        }
        for (String f : Backends.loadFailures()) {
            System.out.println("failed to load a provider: " + f);
        }
    }
}
