package dev.jgrad.examples;

import dev.jgrad.backend.Availability;
import dev.jgrad.backend.BackendProvider;
import dev.jgrad.backend.Backends;

/** Command-line entry point behind {@code ./jgrad}: {@code demo [xor|neuron|vanishing]} and {@code devices}. */
public final class Main {
    private Main() {
    }

    /**
     * @param args the subcommand and its arguments
     */
    public static void main(String[] args) {
        String cmd = args.length == 0 ? "demo" : args[0];
        switch (cmd) {
            case "demo" -> demo(args.length > 1 ? args[1] : "xor");
            case "devices" -> devices();
            default -> {
                System.err.println("unknown command: " + cmd + " (expected demo or devices)");
                System.exit(2);
            }
        }
    }

    private static void demo(String name) {
        switch (name) {
            case "xor" -> {
                double loss = XorDemo.run(System.out, 5000);
                System.out.printf("final loss %.6f (%s)%n", loss, loss < 0.01 ? "converged" : "NOT converged");
                if (loss >= 0.01) {
                    System.exit(1);
                }
            }
            case "neuron" -> NeuronDemo.run(System.out);
            case "vanishing" -> VanishingDemo.run(System.out);
            default -> {
                System.err.println("unknown demo: " + name + " (expected xor, neuron or vanishing)");
                System.exit(2);
            }
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
