package dev.jgrad.opencl;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.jocl.CL;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_device_id;
import org.jocl.cl_platform_id;

/**
 * One OpenCL device as discovered: its handles and the properties jgrad chooses by.
 *
 * @param platform  the platform handle
 * @param device    the device handle
 * @param platformName platform name
 * @param name      device name
 * @param type      CL_DEVICE_TYPE bits
 * @param memory    global memory in bytes
 * @param fp64      whether the device reports {@code cl_khr_fp64}
 */
record ClDevice(cl_platform_id platform, cl_device_id device, String platformName, String name, long type,
                long memory, boolean fp64) {

    /** @return whether this is a GPU (selects the local-memory GEMM) */
    boolean isGpu() {
        return (type & CL.CL_DEVICE_TYPE_GPU) != 0;
    }

    /** @return a one-line description for {@code ./jgrad devices} */
    String describe() {
        String kind = isGpu() ? "GPU" : (type & CL.CL_DEVICE_TYPE_CPU) != 0 ? "CPU" : "accelerator";
        return String.format(Locale.ROOT, "%s (%s, %s), %.1f GiB, fp64 %s", name, kind, platformName,
                memory / (1024.0 * 1024 * 1024), fp64 ? "yes" : "no");
    }

    /**
     * Lists every device of every platform, best first: GPUs, then accelerators, then CPUs, larger
     * memory first within a kind. {@code opencl:N} is the N-th of this list.
     */
    static List<ClDevice> discover() {
        CL.setExceptionsEnabled(true);
        int[] count = new int[1];
        CL.clGetPlatformIDs(0, null, count);
        cl_platform_id[] platforms = new cl_platform_id[count[0]];
        CL.clGetPlatformIDs(platforms.length, platforms, null);
        List<ClDevice> out = new ArrayList<>();
        for (cl_platform_id p : platforms) {
            String pname = platformString(p, CL.CL_PLATFORM_NAME);
            CL.clGetDeviceIDs(p, CL.CL_DEVICE_TYPE_ALL, 0, null, count);
            cl_device_id[] devices = new cl_device_id[count[0]];
            CL.clGetDeviceIDs(p, CL.CL_DEVICE_TYPE_ALL, devices.length, devices, null);
            for (cl_device_id d : devices) {
                String ext = deviceString(d, CL.CL_DEVICE_EXTENSIONS);
                out.add(new ClDevice(p, d, pname, deviceString(d, CL.CL_DEVICE_NAME).trim(),
                        deviceLong(d, CL.CL_DEVICE_TYPE), deviceLong(d, CL.CL_DEVICE_GLOBAL_MEM_SIZE),
                        ext.contains("cl_khr_fp64")));
            }
        }
        out.sort(Comparator.comparingInt(ClDevice::rank).thenComparing(Comparator.comparingLong(ClDevice::memory)
                .reversed()));
        return out;
    }

    private int rank() {
        return isGpu() ? 0 : (type & CL.CL_DEVICE_TYPE_ACCELERATOR) != 0 ? 1 : 2;
    }

    private static String deviceString(cl_device_id d, int param) {
        long[] size = new long[1];
        CL.clGetDeviceInfo(d, param, 0, null, size);
        byte[] buf = new byte[(int) size[0]];
        CL.clGetDeviceInfo(d, param, buf.length, Pointer.to(buf), null);
        return new String(buf, 0, Math.max(0, buf.length - 1), StandardCharsets.UTF_8);
    }

    private static long deviceLong(cl_device_id d, int param) {
        long[] v = new long[1];
        CL.clGetDeviceInfo(d, param, Sizeof.cl_ulong, Pointer.to(v), null);
        return v[0];
    }

    private static String platformString(cl_platform_id p, int param) {
        long[] size = new long[1];
        CL.clGetPlatformInfo(p, param, 0, null, size);
        byte[] buf = new byte[(int) size[0]];
        CL.clGetPlatformInfo(p, param, buf.length, Pointer.to(buf), null);
        return new String(buf, 0, Math.max(0, buf.length - 1), StandardCharsets.UTF_8);
    }
}
