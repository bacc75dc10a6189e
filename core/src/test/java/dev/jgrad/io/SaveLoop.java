package dev.jgrad.io;

import dev.jgrad.Tensor;
import java.nio.file.Path;
import java.util.Map;

/**
 * The child process of {@link SafeTensorsCrashTest}: saves version 1, 2, 3, ... of a 8 MB
 * checkpoint over the same file forever, announcing each completed save on stdout.
 */
public final class SaveLoop {
    private SaveLoop() {
    }

    /** @param args the target file */
    public static void main(String[] args) {
        Path target = Path.of(args[0]);
        for (int version = 1; ; version++) {
            SafeTensors.save(Map.of("w", Tensor.full(version, 1_000_000), "v", Tensor.full(version, 1_000_000)),
                    Map.of("version", Integer.toString(version)), target);
            System.out.println("saved " + version);
            System.out.flush();
        }
    }
}
