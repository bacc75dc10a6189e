package dev.jgrad.examples;

import java.nio.file.Path;

/**
 * The options of the training demos: {@code --device NAME}, {@code --epochs N}, {@code --seed S},
 * {@code --out DIR}, {@code --model cnn|mlp}, {@code --limit N} (Fashion-MNIST: the first N train and N test images only, for
 * quick runs; digits: the first N train images).
 *
 * @param device the device to train on, or null for the default device
 * @param epochs epochs to train, {@code >= 1}
 * @param seed   seeds {@link dev.jgrad.Tensor#manualSeed}: initialisation, dropout and shuffling
 * @param out    where the plots, history and model go
 * @param limit  how many examples to use, or 0 for all
 * @param model  Fashion-MNIST's network: {@code cnn} (default) or {@code mlp} (784-256-10)
 */
public record DemoOptions(String device, int epochs, long seed, Path out, int limit, String model) {
    /**
     * @param args          the arguments after the demo's name
     * @param defaultEpochs the demo's own epoch count
     * @return the options
     * @throws IllegalArgumentException naming an unknown option or a bad value
     */
    public static DemoOptions parse(String[] args, int defaultEpochs) {
        String device = null;
        int epochs = defaultEpochs;
        long seed = 0;
        Path out = Path.of("demo-out");
        int limit = 0;
        String model = "cnn";
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("demo: option " + a + " needs a value (options: --device NAME,"
                        + " --epochs N, --seed S, --out DIR, --limit N, --model cnn|mlp)");
            }
            String v = args[++i];
            switch (a) {
                case "--device" -> device = v;
                case "--epochs" -> epochs = positive(a, v);
                case "--seed" -> seed = number(a, v);
                case "--out" -> out = Path.of(v);
                case "--limit" -> limit = positive(a, v);
                case "--model" -> model = model(v);
                default -> throw new IllegalArgumentException("demo: unknown option " + a + " (options: --device NAME,"
                        + " --epochs N, --seed S, --out DIR, --limit N, --model cnn|mlp)");
            }
        }
        return new DemoOptions(device, epochs, seed, out, limit, model);
    }

    private static String model(String v) {
        if (!v.equals("cnn") && !v.equals("mlp")) {
            throw new IllegalArgumentException("demo: --model needs cnn or mlp, got '" + v + "'");
        }
        return v;
    }

    private static long number(String option, String v) {
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("demo: " + option + " needs an integer, got '" + v + "'", e);
        }
    }

    private static int positive(String option, String v) {
        long n = number(option, v);
        if (n < 1 || n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("demo: " + option + " needs an integer >= 1, got " + v);
        }
        return (int) n;
    }
}
