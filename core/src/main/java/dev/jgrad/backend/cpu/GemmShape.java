package dev.jgrad.backend.cpu;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;

/**
 * The GEMM's shape on this machine, chosen once at start-up: the micro-kernel (MR rows × NR
 * columns, NR a whole number of vectors), and the cache blocking (KC deep slices, MC-row blocks of
 * A, NC-column panels of B), from the Vector API's preferred species, the number of vector
 * registers and the cache sizes the OS reports.
 *
 * <p>The micro-kernel holds MR × NR/L accumulators, the NR/L vectors of the current B row and the
 * broadcasts of A in registers (L = lanes per vector). Its shapes, measured on an AMD EPYC (Zen 5)
 * at each width by CPU time of a 1024³ product, one thread (the JIT flags emulate the narrower
 * machines):
 * <ul>
 *   <li><b>8 × 2 vectors</b> where the JIT has 32 vector registers (AVX-512 at any vector width,
 *       AArch64): 16 accumulators, 8 × 32 floats on AVX-512. Per depth step 16 FMAs for 2 vector
 *       loads and 8 broadcasts; 16 independent chains cover an FMA latency of 4 cycles on up to 4
 *       pipes. 4 × 2 measured 20–30% slower at 512 bits; at 128 bits (NEON) the tile is 8 × 8.</li>
 *   <li><b>6 × 2 vectors</b> where it has 16 (AVX2, AVX, SSE): 12 accumulators, 6 × 16 floats on
 *       AVX2 as in OpenBLAS and BLIS, with the 2 B vectors and one broadcast 15 registers. 12
 *       chains cover an FMA latency of 4 to 5 cycles on 2 pipes (Haswell to Zen 4); per depth step
 *       12 FMAs for 2 vector loads and 6 broadcasts. C2 fits it only with a fence between the rows
 *       ({@link SgemmKernel} says why). Under {@code -XX:UseAVX=2} on an L1-resident sliver it ran
 *       at 110–115 GFLOP/s, 4 × 2 (8 chains) at 97–106, and unfenced 6 × 2 at 46–50 (three
 *       accumulators spilled).</li>
 * </ul>
 * {@code -Djgrad.gemm.kernel=8x2}, {@code 6x2} or {@code 4x2} overrides the choice.
 *
 * <p>Blocking, with e the element size in bytes and the caches read from
 * {@code /sys/devices/system/cpu/cpu0/cache} (defaults 1 MiB L2 and 32 MiB L3 where it says
 * nothing, as in many VMs):
 * <ul>
 *   <li>KC: as deep as possible up to 4 KiB of elements per row (1024 floats): a product with
 *       k ≤ KC writes C once and never reads it back (4–6% faster at n = 1024 on AVX-512 than a
 *       384-deep slice), but no deeper than keeps a B sliver (KC × NR), which every row block
 *       of A passes over, within ⅛ of L2.</li>
 *   <li>MC: an MC × KC block of A fills half of L2 (128 rows with a 1 MiB L2).</li>
 *   <li>NC: a KC × NC panel of B fills a quarter of L3, between 8 and 64 slivers.</li>
 * </ul>
 * {@code -Djgrad.gemm.kc=}, {@code .mc=}, {@code .nc=} override them (in elements).
 *
 * @param lanes     elements per vector (L)
 * @param registers vector registers the JIT can allocate
 * @param mr        rows of the micro-kernel
 * @param nr        columns of the micro-kernel, 2 L
 * @param kc        depth of a packed slice
 * @param mc        rows of a packed A block, a multiple of mr
 * @param nc        columns of a packed B panel, a multiple of nr
 */
record GemmShape(int lanes, int registers, int mr, int nr, int kc, int mc, int nc) {
    /** Bytes of L1 data cache per core (32 KiB where the OS says nothing). */
    static final long L1 = cacheBytes(1, 32 << 10);
    /** Bytes of L2 per core (1 MiB where the OS says nothing). */
    static final long L2 = cacheBytes(2, 1 << 20);
    private static final long L3 = cacheBytes(3, 32 << 20);
    /** Vector registers: 32 on AArch64 and x86 with AVX-512 enabled, else 16. */
    static final int REGISTERS = vectorRegisters();
    /** The F32 GEMM's shape. */
    static final GemmShape F32 = choose(FloatVector.SPECIES_PREFERRED.length(), Float.BYTES);
    /** The F64 GEMM's shape (same kernel rows and bytes per slice as F32). */
    static final GemmShape F64 = choose(DoubleVector.SPECIES_PREFERRED.length(), Double.BYTES);

    /**
     * @param lanes elements per vector of the element type
     * @param bytes bytes per element
     * @return the kernel and blocking for this machine (see the class comment)
     * @throws IllegalArgumentException if a {@code jgrad.gemm.*} property is malformed
     */
    static GemmShape choose(int lanes, int bytes) {
        String kernel = System.getProperty("jgrad.gemm.kernel", REGISTERS >= 32 ? "8x2" : "6x2").trim();
        int mr = switch (kernel) {
            case "8x2" -> 8;
            case "6x2" -> 6;
            case "4x2" -> 4;
            default -> throw new IllegalArgumentException(
                    "jgrad.gemm.kernel must be 8x2, 6x2 or 4x2 (rows x vectors), got '" + kernel + "'");
        };
        int nr = 2 * lanes;
        long kc = Math.min(4096 / bytes, L2 / 8 / (nr * bytes));
        kc = property("jgrad.gemm.kc", Math.max(64, kc / 8 * 8));
        long mc = property("jgrad.gemm.mc", Math.max(2 * mr, L2 / 2 / (kc * bytes) / mr * mr)) / mr * mr;
        long nc = property("jgrad.gemm.nc", Math.clamp(L3 / 4 / (kc * bytes) / nr, 8, 64) * nr) / nr * nr;
        return new GemmShape(lanes, REGISTERS, mr, nr, (int) kc, (int) Math.max(mr, mc), (int) Math.max(nr, nc));
    }

    /** @return e.g. {@code "8x32 kernel, KC 1024, MC 128, NC 2048, 32 vector registers"} */
    String describe() {
        return mr + "x" + nr + " kernel, KC " + kc + ", MC " + mc + ", NC " + nc + ", " + registers
                + " vector registers";
    }

    private static long property(String name, long fallback) {
        String s = System.getProperty(name);
        if (s == null || s.isBlank()) {
            return fallback;
        }
        try {
            long v = Long.parseLong(s.trim());
            if (v >= 1 && v <= 1 << 20) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(name + " must be an integer in [1, 1048576], got '" + s + "'");
    }

    /**
     * The JIT's vector register count. On x86 the 16 extra registers come with AVX-512's encoding,
     * so they are there only when the JVM uses AVX-512 ({@code UseAVX} 3): a CPU with AVX-512 run
     * with {@code -XX:UseAVX=2} has 16. {@code -XX:MaxVectorSize} narrows vectors, not the file.
     */
    private static int vectorRegisters() {
        String arch = System.getProperty("os.arch", "");
        if (arch.equals("aarch64") || arch.startsWith("riscv")) {
            return 32;
        }
        return useAvx() >= 3 ? 32 : 16;
    }

    /** The JVM's {@code UseAVX}, from its diagnostic bean when present, else the command line and CPU. */
    private static int useAvx() {
        try {
            Class<?> factory = Class.forName("java.lang.management.ManagementFactory");
            Class<?> bean = Class.forName("com.sun.management.HotSpotDiagnosticMXBean");
            Object mx = factory.getMethod("getPlatformMXBean", Class.class).invoke(null, bean);
            Object option = bean.getMethod("getVMOption", String.class).invoke(mx, "UseAVX");
            return Integer.parseInt((String) option.getClass().getMethod("getValue").invoke(option));
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            // java.management not in this module layer (or not HotSpot): infer it below.
        }
        List<String> args = ProcessHandle.current().info().arguments().map(List::of).orElse(List.of());
        String flags = String.join(" ", args) + " " + System.getenv().getOrDefault("JAVA_TOOL_OPTIONS", "") + " "
                + System.getenv().getOrDefault("JDK_JAVA_OPTIONS", "");
        Matcher m = Pattern.compile("-XX:UseAVX=(\\d)").matcher(flags);
        int capped = 3;
        while (m.find()) {
            capped = Integer.parseInt(m.group(1));
        }
        return Math.min(capped, FloatVector.SPECIES_PREFERRED.vectorBitSize() >= 512 || cpuFlag("avx512f") ? 3 : 2);
    }

    private static boolean cpuFlag(String flag) {
        try (var lines = Files.lines(Path.of("/proc/cpuinfo"))) {
            return lines.filter(l -> l.startsWith("flags")).findFirst()
                    .map(l -> List.of(l.substring(l.indexOf(':') + 1).trim().split("\\s+")).contains(flag))
                    .orElse(false);
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** The size of cpu0's level-{@code level} data (or unified) cache, or {@code fallback}. */
    private static long cacheBytes(int level, long fallback) {
        Path dir = Path.of("/sys/devices/system/cpu/cpu0/cache");
        for (int i = 0; i < 8; i++) {
            Path index = dir.resolve("index" + i);
            try {
                if (Integer.parseInt(Files.readString(index.resolve("level")).trim()) != level
                        || Files.readString(index.resolve("type")).trim().equals("Instruction")) {
                    continue;
                }
                return parseSize(Files.readString(index.resolve("size")).trim(), fallback);
            } catch (IOException | RuntimeException e) {
                // no such index, or unreadable: keep looking, then fall back
            }
        }
        return fallback;
    }

    /** Parses sysfs sizes such as {@code 48K} or {@code 1024K} or {@code 32M}. */
    static long parseSize(String s, long fallback) {
        String t = s.toUpperCase(Locale.ROOT);
        long unit = t.endsWith("K") ? 1 << 10 : t.endsWith("M") ? 1 << 20 : t.endsWith("G") ? 1L << 30 : 1;
        try {
            long v = Long.parseLong(unit == 1 ? t : t.substring(0, t.length() - 1)) * unit;
            return v > 0 ? v : fallback;
        } catch (NumberFormatException e) {
            return fallback;
        }
    }
}
