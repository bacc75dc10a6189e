package dev.jgrad.io;

import dev.jgrad.Tensor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The safetensors format (github.com/huggingface/safetensors): an 8-byte little-endian header
 * length {@code N}, {@code N} bytes of JSON ({@code {"name": {"dtype": "F32", "shape": [2, 3],
 * "data_offsets": [begin, end]}, ..., "__metadata__": {"key": "value"}}}, padded with spaces),
 * then the tensors' raw little-endian row-major bytes, back to back, covering the rest of the file.
 *
 * <p>jgrad writes F32, F64 and I64 (its own dtypes, unconverted) and reads those plus F16 and
 * BF16 (widened to F32) and I32, I8, U8 and BOOL (widened to I64). Keys are PyTorch's state-dict
 * names, so files move between jgrad and PyTorch in both directions.
 *
 * <p>Loading reads the file tensor by tensor in bounded chunks (1 MiB) straight into each tensor's
 * storage, so a large file is never held twice; saving streams in the same chunks. Untrusted files are checked
 * like the reference implementation does (see {@link #load}).
 */
public final class SafeTensors {
    private SafeTensors() {
    }

    /**
     * Reads every tensor, on the default device. Before any tensor is built, the header is checked:
     * at least 8 bytes, a header length of at most 100,000,000 that fits the file, valid UTF-8 JSON
     * (no duplicate keys), known dtypes, shapes whose byte size (overflow-checked) equals their
     * {@code data_offsets}, offsets in order without gap or overlap, covering the data exactly (no
     * trailing bytes); then that jgrad can hold each tensor (a readable dtype, at most
     * {@link Integer#MAX_VALUE} elements). Allocation is bounded by the file's data: at most 8 bytes
     * per element the file really contains.
     *
     * @param file a safetensors file
     * @return the tensors by name, in the order of their data in the file
     * @throws IllegalArgumentException naming the file (and tensor) when the file breaks any rule above
     * @throws UncheckedIOException     when the file cannot be read
     */
    public static Map<String, Tensor> load(Path file) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            Header h = header(ch, "SafeTensors.load", file);
            for (Header.Entry e : h.entries()) {
                Decoder.check(e, file);
            }
            Decoder decoder = new Decoder(ch, h.dataStart(), ch.size() - h.dataStart());
            Map<String, Tensor> out = new LinkedHashMap<>();
            for (Header.Entry e : h.entries()) {
                out.put(e.name(), decoder.decode(e));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("SafeTensors.load: cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads only the header (fully validated, as {@link #load}).
     *
     * @param file a safetensors file
     * @return its {@code __metadata__} strings, empty if it has none
     */
    public static Map<String, String> metadata(Path file) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return header(ch, "SafeTensors.metadata", file).metadata();
        } catch (IOException e) {
            throw new UncheckedIOException("SafeTensors.metadata: cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** As {@link #save(Map, Map, Path)} without metadata. */
    public static void save(Map<String, Tensor> tensors, Path file) {
        save(tensors, Map.of(), file);
    }

    /**
     * Writes {@code tensors} atomically: into a temporary file beside {@code file}, forced to disk,
     * then renamed over {@code file}; a crash at any point leaves the previous {@code file} intact
     * (a killed save may leave its temporary {@code .<name>.*.tmp} behind). Tensors on any device are
     * read back in chunks, never copied whole.
     *
     * @param tensors  name to tensor, written in the map's iteration order; names may not be
     *                 {@code __metadata__}
     * @param metadata free-form strings stored as {@code __metadata__} (omitted when empty)
     * @param file     the target; its directory must exist
     * @throws IllegalArgumentException for a reserved name or a header over 100,000,000 bytes
     * @throws UncheckedIOException     when writing fails (the target is then untouched)
     */
    public static void save(Map<String, Tensor> tensors, Map<String, String> metadata, Path file) {
        Encoder.save(tensors, metadata, file);
    }

    private static Header header(FileChannel ch, String op, Path file) throws IOException {
        long size = ch.size();
        ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        if (size >= 8) {
            readFully(ch, len, 0);
        }
        return Header.read(new Header.HeaderSource() {
            @Override
            public long length() {
                return len.getLong(0);
            }

            @Override
            public ByteBuffer bytes(int n) {
                ByteBuffer b = ByteBuffer.allocate(n);
                try {
                    readFully(ch, b, 8);
                } catch (IOException e) {
                    throw new UncheckedIOException(op + ": cannot read " + file + ": " + e.getMessage(), e);
                }
                return b.flip();
            }
        }, size, op, file);
    }

    private static void readFully(FileChannel ch, ByteBuffer b, long at) throws IOException {
        while (b.hasRemaining()) {
            if (ch.read(b, at + b.position()) < 0) {
                throw new IOException("unexpected end of file");
            }
        }
    }
}
