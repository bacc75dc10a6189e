package dev.jgrad.opencl;

import dev.jgrad.DType;
import dev.jgrad.backend.BinaryOp;
import dev.jgrad.backend.ReduceOp;
import dev.jgrad.backend.UnaryOp;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.jocl.CL;
import org.jocl.CLException;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_context;
import org.jocl.cl_device_id;
import org.jocl.cl_kernel;
import org.jocl.cl_program;

/**
 * Builds the kernel sources once per dtype for one context, with the element type and the op
 * codes passed as {@code -D} macros, and caches the programs and kernels. A build failure throws
 * with the compiler's log; sources whose op switches miss a constant of the enums are refused
 * before compiling ({@link KernelCases}).
 */
final class Programs {
    /** The work-group size of 1-D launches, a multiple of every vendor's SIMD width. */
    static final long GROUP = 256;
    private static final String[] SOURCES = {"common.cl", "elementwise.cl", "reduce.cl", "nn.cl", "gemm.cl", "optim.cl",
        "conv.cl", "layernorm.cl"};
    private final cl_context context;
    private final ClDevice device;
    private final Map<DType, cl_program> programs = new EnumMap<>(DType.class);
    private final Map<DType, Map<String, cl_kernel>> kernels = new EnumMap<>(DType.class);
    private final Map<cl_kernel, Long> groupSizes = new HashMap<>();
    /** Programs compiled by every instance, for the test that each is built once per device and dtype. */
    private static final AtomicLong BUILDS = new AtomicLong();

    Programs(cl_context context, ClDevice device) {
        this.context = context;
        this.device = device;
    }

    /** @return the named kernel of the program for {@code dtype} (F32 or F64) */
    synchronized cl_kernel kernel(DType dtype, String name) {
        Map<String, cl_kernel> byName = kernels.computeIfAbsent(dtype, d -> new HashMap<>());
        cl_kernel k = byName.get(name);
        if (k == null) {
            k = CL.clCreateKernel(program(dtype), name, null);
            byName.put(name, k);
        }
        return k;
    }

    /**
     * The work-group size every 1-D launch of {@code kernel} uses: {@value #GROUP}, or less where the
     * kernel or the device allows less. A fixed size makes PoCL (which specialises a kernel for each
     * local size) compile each kernel once, where a runtime-chosen size changes with the tensor size.
     */
    synchronized long groupSize(cl_kernel kernel) {
        return groupSizes.computeIfAbsent(kernel, k -> {
            long[] max = new long[1];
            CL.clGetKernelWorkGroupInfo(k, device.device(), CL.CL_KERNEL_WORK_GROUP_SIZE, Sizeof.size_t,
                    Pointer.to(max), null);
            return Math.max(1, Math.min(GROUP, max[0]));
        });
    }

    /** @return how many OpenCL programs have been compiled in this JVM (all devices) */
    static long builds() {
        return BUILDS.get();
    }

    private cl_program program(DType dtype) {
        cl_program p = programs.get(dtype);
        if (p == null) {
            p = build(dtype);
            programs.put(dtype, p);
        }
        return p;
    }

    private cl_program build(DType dtype) {
        if (dtype == DType.F64 && !device.fp64()) {
            throw new IllegalArgumentException("opencl: " + device.name() + " does not support F64 (no cl_khr_fp64);"
                    + " use F32 tensors on this device, or the cpu device for F64");
        }
        return compile(source(), options(dtype), dtype + " kernels");
    }

    /** Builds {@code source}; a failure throws with the compiler's log. */
    cl_program compile(String source, String options, String what) {
        cl_program program = CL.clCreateProgramWithSource(context, 1, new String[] {source}, null, null);
        try {
            BUILDS.incrementAndGet();
            CL.clBuildProgram(program, 1, new cl_device_id[] {device.device()}, options, null, null);
        } catch (CLException e) {
            throw new IllegalStateException("opencl: building the " + what + " for " + device.name()
                    + " failed (options " + options + "):\n" + buildLog(program), e);
        }
        return program;
    }

    static String options(DType dtype) {
        StringBuilder sb = new StringBuilder(dtype == DType.F64 ? "-DT=double -DFP64" : "-DT=float");
        for (UnaryOp u : UnaryOp.values()) {
            sb.append(" -DU_").append(u.name()).append('=').append(u.ordinal());
        }
        for (BinaryOp b : BinaryOp.values()) {
            sb.append(" -DB_").append(b.name()).append('=').append(b.ordinal());
        }
        for (ReduceOp r : ReduceOp.values()) {
            sb.append(" -DR_").append(r.name()).append('=').append(r.ordinal());
        }
        return sb.toString();
    }

    private String buildLog(cl_program program) {
        long[] size = new long[1];
        CL.clGetProgramBuildInfo(program, device.device(), CL.CL_PROGRAM_BUILD_LOG, 0, null, size);
        byte[] log = new byte[(int) size[0]];
        CL.clGetProgramBuildInfo(program, device.device(), CL.CL_PROGRAM_BUILD_LOG, log.length, Pointer.to(log), null);
        return new String(log, StandardCharsets.UTF_8).trim();
    }

    static String source() {
        StringBuilder sb = new StringBuilder();
        for (String name : SOURCES) {
            try (InputStream in = Programs.class.getResourceAsStream(name)) {
                if (in == null) {
                    throw new IllegalStateException("opencl: kernel source " + name + " is missing from the jar");
                }
                sb.append(new String(in.readAllBytes(), StandardCharsets.UTF_8)).append('\n');
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        // Specialised contiguous kernels for every op, generated from the enums so none can be missed.
        for (UnaryOp u : UnaryOp.values()) {
            sb.append("UNARY_CONTIG(").append(u.name()).append(")\n");
        }
        for (BinaryOp b : BinaryOp.values()) {
            sb.append("BINARY_CONTIG(").append(b.name()).append(")\n");
        }
        String source = sb.toString();
        KernelCases.check(source);
        return source;
    }
}
