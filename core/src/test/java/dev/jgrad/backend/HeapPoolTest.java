package dev.jgrad.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jgrad.DType;
import dev.jgrad.backend.reference.ReferenceBackend;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The host backends' cache of released arrays: exact-length reuse, its bounds, and the poison mode. */
class HeapPoolTest {
    private static final int N = 8192;   // 32 KiB of F32: above the pooling threshold

    private static HeapBuffer buffer(DType dtype, int length) {
        return HeapBuffer.allocate(ReferenceBackend.INSTANCE, dtype, length);
    }

    @Test
    void reusesAReleasedArrayOfTheSameDtypeAndLengthOnly() {
        HeapPool pool = new HeapPool(1L << 30, false);
        HeapBuffer b = buffer(DType.F32, N);
        pool.give(b);
        assertEquals(4L * N, pool.cachedBytes());
        assertNotSame(b.f32, pool.takeUninitialized(DType.F32, N + 1), "another length");
        assertTrue(pool.takeUninitialized(DType.F64, N) instanceof double[], "another dtype");
        assertSame(b.f32, pool.takeUninitialized(DType.F32, N));
        assertEquals(0, pool.cachedBytes());
        assertNotSame(b.f32, pool.takeUninitialized(DType.F32, N), "handed out once only");
    }

    @Test
    void handsOutTheMostRecentlyReleasedFirst() {
        HeapPool pool = new HeapPool(1L << 30, false);
        HeapBuffer older = buffer(DType.I64, N), newer = buffer(DType.I64, N);
        pool.give(older);
        pool.give(newer);
        assertSame(newer.i64, pool.takeUninitialized(DType.I64, N));
        assertSame(older.i64, pool.takeUninitialized(DType.I64, N));
    }

    @Test
    void leavesSmallArraysToTheCollector() {
        HeapPool pool = new HeapPool(1L << 30, false);
        int small = (int) (HeapPool.MIN_BYTES / 4) - 1;
        HeapBuffer b = buffer(DType.F32, small);
        pool.give(b);
        assertEquals(0, pool.cachedBytes());
        assertNotSame(b.f32, pool.takeUninitialized(DType.F32, small));
    }

    @Test
    void dropsTheOldestArraysBeyondItsLimit() {
        HeapPool pool = new HeapPool(3L * 4 * N, false);
        HeapBuffer[] b = new HeapBuffer[4];
        for (int i = 0; i < b.length; i++) {
            b[i] = buffer(DType.F32, N);
            pool.give(b[i]);
        }
        assertEquals(3L * 4 * N, pool.cachedBytes());
        for (int i = 3; i >= 1; i--) {
            assertSame(b[i].f32, pool.takeUninitialized(DType.F32, N));
        }
        assertNotSame(b[0].f32, pool.takeUninitialized(DType.F32, N), "the oldest was dropped");
        HeapPool off = new HeapPool(0, false);
        off.give(buffer(DType.F32, N));
        assertEquals(0, off.cachedBytes(), "a limit of 0 turns the pool off");
    }

    @Test
    void zeroesAReusedArrayWhenAskedForZeros() {
        HeapPool pool = new HeapPool(1L << 30, false);
        HeapBuffer b = buffer(DType.F64, N);
        Arrays.fill(b.f64, 3.5);
        pool.give(b);
        double[] again = (double[]) pool.takeZeroed(DType.F64, N);
        assertSame(b.f64, again);
        assertTrue(Arrays.stream(again).allMatch(v -> v == 0));
    }

    @Test
    void poisonFillsEveryUninitializedArray() {
        HeapPool pool = new HeapPool(1L << 30, true);
        float[] fresh = (float[]) pool.takeUninitialized(DType.F32, 10);
        for (float v : fresh) {
            assertTrue(Float.isNaN(v));
        }
        HeapBuffer b = buffer(DType.I64, N);
        pool.give(b);
        long[] reused = (long[]) pool.takeUninitialized(DType.I64, N);
        assertSame(b.i64, reused);
        assertTrue(Arrays.stream(reused).allMatch(v -> v == Long.MIN_VALUE));
    }

    @Test
    void aBufferReleasedTwiceIsPooledOnce() {
        int odd = 12_347;   // a length no other test releases into the shared pool
        Backend backend = ReferenceBackend.INSTANCE;
        HeapBuffer b = (HeapBuffer) backend.allocate(DType.F32, odd);
        long before = HeapMemory.pooledBytes();
        backend.release(b);
        backend.release(b);
        assertEquals(before + 4L * odd, HeapMemory.pooledBytes());
        HeapBuffer first = (HeapBuffer) backend.allocateUninitialized(DType.F32, odd);
        HeapBuffer second = (HeapBuffer) backend.allocateUninitialized(DType.F32, odd);
        assertSame(b.f32, first.f32);
        assertNotSame(b.f32, second.f32);
    }

    @Test
    void clearDropsEverything() {
        HeapPool pool = new HeapPool(1L << 30, false);
        HeapBuffer b = buffer(DType.F32, N);
        pool.give(b);
        pool.clear();
        assertEquals(0, pool.cachedBytes());
        assertNotSame(b.f32, pool.takeUninitialized(DType.F32, N));
    }
}
