package dev.jgrad.opencl;

import dev.jgrad.backend.Backend;
import dev.jgrad.backend.HeapBuffer;
import dev.jgrad.backend.View;
import dev.jgrad.backend.reference.ReferenceBackend;
import java.util.IdentityHashMap;
import java.util.Map;
import org.jocl.Pointer;

/**
 * Runs a primitive on the host through the reference backend for the few layouts the kernels do
 * not cover: copies the buffers involved to the host, runs, and writes the output buffer back.
 * Correct but blocking; it is the exception, never a hot path.
 */
final class HostFallback {
    private HostFallback() {
    }

    /** A primitive on host views, given in the order passed to {@link #run}. */
    interface HostOp {
        void run(Backend reference, View[] views);
    }

    /** @param views the primitive's views; the last one is the output */
    static void run(OpenClBackend device, HostOp op, View... views) {
        Map<ClBuffer, HeapBuffer> copies = new IdentityHashMap<>();
        View[] host = new View[views.length];
        for (int i = 0; i < views.length; i++) {
            View v = views[i];
            HeapBuffer h = copies.computeIfAbsent((ClBuffer) v.buffer(), b -> download(device, b));
            host[i] = new View(h, v.offset(), v.shape(), v.strides());
        }
        op.run(ReferenceBackend.INSTANCE, host);
        ClBuffer out = (ClBuffer) views[views.length - 1].buffer();
        HeapBuffer h = copies.get(out);
        switch (out.dtype()) {
            case F32 -> device.write(out, Pointer.to(h.f32), 4L * h.f32.length);
            case F64 -> device.write(out, Pointer.to(h.f64), 8L * h.f64.length);
            case I64 -> device.write(out, Pointer.to(h.i64), 8L * h.i64.length);
        }
    }

    private static HeapBuffer download(OpenClBackend device, ClBuffer b) {
        HeapBuffer h = HeapBuffer.allocate(ReferenceBackend.INSTANCE, b.dtype(), (int) b.length());
        switch (b.dtype()) {
            case F32 -> device.read(b, 0, h.f32);
            case F64 -> device.read(b, 0, h.f64);
            case I64 -> device.read(b, 0, h.i64);
        }
        return h;
    }
}
