package dev.jgrad.bench;

import dev.jgrad.Generator;
import dev.jgrad.Tensor;
import dev.jgrad.io.SafeTensors;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Safetensors throughput against plain file I/O on the same bytes: {@code load} (memory-mapped,
 * into heap tensors) vs {@code readChannel} (a FileChannel into one direct buffer), both from the
 * page cache; {@code save} (streamed, forced, renamed) vs {@code writeChannel} (the same bytes
 * written sequentially from a direct buffer and forced). The file holds 16 F32 tensors of
 * {@code mb / 16} MB each. Divide {@code mb} by the time for MB/s; targets: load and save each at
 * least half their baseline.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class SafeTensorsBenchmark {
    /** File size in MB. */
    @Param({"256"})
    public int mb;

    private Path dir;
    private Path file;
    private Map<String, Tensor> tensors;
    private ByteBuffer buffer;

    /** Writes the file once (so that it sits in the page cache) and prepares the baseline buffer. */
    @Setup(Level.Trial)
    public void setup() throws IOException {
        dir = Files.createTempDirectory("jgrad-safetensors-bench");
        file = dir.resolve("bench.safetensors");
        tensors = new LinkedHashMap<>();
        int per = mb * (1 << 20) / 16 / 4;
        Generator g = new Generator(1);
        for (int i = 0; i < 16; i++) {
            tensors.put("layer" + i + ".weight", Tensor.rand(g, per));
        }
        SafeTensors.save(tensors, file);
        buffer = ByteBuffer.allocateDirect((int) Files.size(file));
    }

    /** Removes the files. */
    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        try (var s = Files.list(dir)) {
            for (Path p : s.toList()) {
                Files.delete(p);
            }
        }
        Files.delete(dir);
    }

    /** @return the loaded tensors */
    @Benchmark
    public Map<String, Tensor> load() {
        return SafeTensors.load(file);
    }

    /** @return the buffer, filled from the file */
    @Benchmark
    public ByteBuffer readChannel() throws IOException {
        buffer.clear();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            while (buffer.hasRemaining() && ch.read(buffer) >= 0) {
                // keep reading
            }
        }
        return buffer;
    }

    /** Saves the tensors over the file. */
    @Benchmark
    public void save() {
        SafeTensors.save(tensors, file);
    }

    /** Writes the same number of bytes sequentially to a sibling file and forces them. */
    @Benchmark
    public void writeChannel() throws IOException {
        buffer.clear();
        try (FileChannel ch = FileChannel.open(dir.resolve("plain.bin"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            while (buffer.hasRemaining()) {
                ch.write(buffer);
            }
            ch.force(true);
        }
    }
}
