package dev.jgrad.opencl;

import dev.jgrad.DType;
import dev.jgrad.backend.Backend.RangeFailure;
import dev.jgrad.backend.View;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.jocl.CL;
import org.jocl.Pointer;

/**
 * Device-side assertions: value checks (indices and labels in range, targets not NaN) run as
 * kernels and their verdicts come back through non-blocking reads, so validation never stalls the
 * queue. A failed check is thrown at the device's next synchronising point, a blocking read or
 * {@code finish()}: the queue is in order, so by then every earlier verdict has landed. Called with
 * the backend's lock held.
 *
 * <p>Each check uses 16 bytes of device memory: the first failing row-major position (an int kept
 * with {@code atomic_min}, {@code INT_MAX} when none) and, beside it, that element's value.
 */
final class DeviceChecks {
    /** Verdicts kept before a check forces a synchronisation, bounding the pending host buffers. */
    private static final int MAX_PENDING = 1024;
    private final OpenClBackend cl;
    private final List<Pending> pending = new ArrayList<>();

    private record Pending(ByteBuffer verdict, DType dtype, RangeFailure failure) {
    }

    DeviceChecks(OpenClBackend cl) {
        this.cl = cl;
    }

    /** Enqueues the check that every element of {@code v} (rank up to 8) lies in {@code [lo, hi]}. */
    void enqueue(View v, double lo, double hi, RangeFailure failure) {
        int n = v.numel();
        DType t = v.buffer().dtype();
        ClBuffer verdict = cl.buffer(DType.I64, 2);
        try (verdict) {
            long at = (long) verdict.base * 8;
            CL.clEnqueueFillBuffer(cl.queue, verdict.mem, Pointer.to(new int[] {Integer.MAX_VALUE}), 4, at, 4, 0, null,
                    null);
            Launch range = cl.launch(t, t == DType.I64 ? "check_range_long" : "check_range")
                    .buf(OpenClBackend.cl(v), v.offset()).i32(n).i32(v.rank()).int8(v.shape()).int8(v.strides());
            if (t == DType.I64) {
                range.i64((long) Math.ceil(lo)).i64((long) Math.floor(hi));
            } else {
                range.real(lo).real(hi);
            }
            range.mem(verdict).i32(verdict.base * 2).run(n);
            cl.launch(t, t == DType.I64 ? "check_value_long" : "check_value").buf(OpenClBackend.cl(v), v.offset())
                    .i32(n).i32(v.rank()).int8(v.shape()).int8(v.strides()).mem(verdict).i32(verdict.base * 2).mem(verdict)
                    .i32(valueIndex(verdict, t)).run(1);
            ByteBuffer host = ByteBuffer.allocateDirect(16).order(ByteOrder.nativeOrder());
            CL.clEnqueueReadBuffer(cl.queue, verdict.mem, CL.CL_FALSE, at, 16, Pointer.to(host), 0, null, null);
            pending.add(new Pending(host, t, failure));
        }
        if (pending.size() >= MAX_PENDING) {
            CL.clFinish(cl.queue);
            raise();
        }
    }

    /** The element index of the value slot (the second 8 bytes) in units of the checked dtype. */
    private static int valueIndex(ClBuffer verdict, DType t) {
        return t == DType.F32 ? verdict.base * 2 + 2 : verdict.base + 1;
    }

    /**
     * Throws the first failed check's exception, forgetting every verdict; call only once the queue
     * has passed the checks (after a blocking read or finish).
     */
    void raise() {
        if (pending.isEmpty()) {
            return;
        }
        List<Pending> done = new ArrayList<>(pending);
        pending.clear();
        for (Pending p : done) {
            int position = p.verdict.getInt(0);
            if (position != Integer.MAX_VALUE) {
                double value = switch (p.dtype) {
                    case F32 -> p.verdict.getFloat(8);
                    case F64 -> p.verdict.getDouble(8);
                    case I64 -> p.verdict.getLong(8);
                };
                throw p.failure.at(position, value);
            }
        }
    }
}
