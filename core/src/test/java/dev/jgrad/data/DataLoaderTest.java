package dev.jgrad.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jgrad.DType;
import dev.jgrad.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Batch, stochastic and mini-batch loading; order, seeds, prefetching, failures and thread hygiene. */
class DataLoaderTest {

    /** Example i: features [i, 10 i, 100 i], label i; so a batch shows which rows it holds. */
    static TensorDataset rows(int n) {
        float[] x = new float[n * 3];
        long[] y = new long[n];
        for (int i = 0; i < n; i++) {
            x[3 * i] = i;
            x[3 * i + 1] = 10 * i;
            x[3 * i + 2] = 100 * i;
            y[i] = i;
        }
        return new TensorDataset(Tensor.of(x, n, 3), Tensor.of(y, n));
    }

    private static List<long[]> epoch(DataLoader loader) {
        List<long[]> out = new ArrayList<>();
        for (List<Tensor> b : loader) {
            long[] labels = b.get(1).toLongArray();
            float[] x = b.get(0).toFloatArray();
            assertArrayEquals(new int[] {labels.length, 3}, b.get(0).shape());
            for (int i = 0; i < labels.length; i++) {
                assertEquals(labels[i] * 10f, x[3 * i + 1], "features travel with their label");
            }
            out.add(labels);
        }
        return out;
    }

    private static long[] flat(List<long[]> batches) {
        return batches.stream().flatMapToLong(Arrays::stream).toArray();
    }

    @Test
    void batchStochasticAndMiniBatchAreOneNumberApart() {
        TensorDataset d = rows(10);
        assertEquals(1, new DataLoader(d, 10, false).batches());
        assertEquals(10, new DataLoader(d, 1, false).batches());
        assertEquals(4, new DataLoader(d, 3, false).batches());
        assertEquals(3, new DataLoader(d, 3, false, true, null).batches());
        assertEquals(0, new DataLoader(d, 11, false, true, null).batches());
        List<long[]> seq = epoch(new DataLoader(d, 3, false));
        assertEquals(4, seq.size());
        assertArrayEquals(new long[] {9}, seq.get(3));
        assertArrayEquals(new long[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, flat(seq));
        List<long[]> dropped = epoch(new DataLoader(d, 3, false, true, new SplittableRandom(1)));
        assertEquals(3, dropped.size());
        assertEquals(1, epoch(new DataLoader(d, 10, true)).size());
        assertEquals(10, epoch(new DataLoader(d, 1, true)).size());
    }

    @Test
    void everyEpochReshufflesAndSeedsRepeat() {
        TensorDataset d = rows(50);
        DataLoader a = new DataLoader(d, 8, true, false, new SplittableRandom(42));
        DataLoader b = new DataLoader(d, 8, true, false, new SplittableRandom(42));
        long[] a1 = flat(epoch(a)), a2 = flat(epoch(a));
        assertArrayEquals(a1, flat(epoch(b)));
        assertArrayEquals(a2, flat(epoch(b)));
        assertFalse(Arrays.equals(a1, a2), "a new order every epoch");
        long[] sorted = a1.clone();
        Arrays.sort(sorted);
        assertArrayEquals(java.util.stream.LongStream.range(0, 50).toArray(), sorted, "each example once");
        assertNotEquals(Arrays.toString(a1), Arrays.toString(sorted));
        DataLoader sync = new DataLoader(d, 8, true, false, new SplittableRandom(42)).prefetch(0);
        assertArrayEquals(a1, flat(epoch(sync)), "prefetching changes nothing but timing");
    }

    @Test
    void unseededLoadersFollowManualSeed() {
        TensorDataset d = rows(30);
        Tensor.manualSeed(99);
        long[] first = flat(epoch(new DataLoader(d, 4, true)));
        Tensor.manualSeed(99);
        assertArrayEquals(first, flat(epoch(new DataLoader(d, 4, true))));
    }

    @Test
    void failuresSurfaceWithTheirCause() {
        RuntimeException boom = new IllegalArgumentException("disk on fire");
        Dataset failing = new Dataset() {
            @Override
            public int size() {
                return 10;
            }

            @Override
            public List<Tensor> get(int index) {
                if (index == 7) {
                    throw boom;
                }
                return List.of(Tensor.scalar(index));
            }
        };
        for (int prefetch : new int[] {0, 2}) {
            var it = new DataLoader(failing, 2, false).prefetch(prefetch).iterator();
            it.next();
            it.next();
            it.next();
            IllegalStateException e = assertThrows(IllegalStateException.class, it::next);
            assertSame(boom, e.getCause());
            assertTrue(e.getMessage().contains("batch 3 of 5") && e.getMessage().contains("disk on fire"), e.getMessage());
            assertFalse(it.hasNext());
        }
    }

    @Test
    void abandonedEpochsLeakNoThread() throws Exception {
        DataLoader loader = new DataLoader(rows(200), 2, true, false, new SplittableRandom(3));
        var first = loader.iterator();
        first.next();
        loader.iterator().next();
        first = null;
        var closed = loader.iterator();
        closed.next();
        closed.close();
        assertFalse(closed.hasNext());
        for (int i = 0; i < 3; i++) {
            loader.iterator().next();
        }
        new DataLoader(rows(200), 2, false).iterator().next();
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (loaderThreads() > 0 && System.nanoTime() < deadline) {
            System.gc();
            Thread.sleep(50);
        }
        assertEquals(0, loaderThreads(), "every loading thread stopped");
    }

    /** Batches arrive complete and in order when the consumer is slower than the loader (whose queue is then full). */
    @Test
    void aSlowConsumerGetsEveryBatchInOrder() throws Exception {
        Epoch e = new DataLoader(rows(40), 4, false).iterator();
        Thread loading = e.pipeline().thread;
        List<Long> seen = new ArrayList<>();
        while (e.hasNext()) {
            for (long l : e.next().get(1).toLongArray()) {
                seen.add(l);
            }
            Thread.sleep(2);
        }
        assertEquals(40, seen.size());
        for (int i = 0; i < 40; i++) {
            assertEquals(i, seen.get(i));
        }
        loading.join(10_000);
        assertFalse(loading.isAlive(), "the loader ends with its epoch");
    }

    /**
     * While its queue is full the loading thread naps on its own timer (TIMED_WAITING) instead of
     * waiting for the consumer's signal (WAITING), so that taking a batch never has to wake it.
     */
    @Test
    void aLoaderAheadOfItsConsumerNapsInsteadOfWaitingForASignal() throws Exception {
        Epoch.Pipeline p = new Epoch.Pipeline(1, Long.MAX_VALUE);
        Thread producer = producer(p);
        awaitState(producer, Thread.State.TIMED_WAITING);
        for (int i = 0; i < 20; i++) {
            assertNotEquals(Thread.State.WAITING, producer.getState(), "a full queue: the loader naps, it does not wait");
            Thread.sleep(1);
        }
        assertEquals("a", p.queue.take());
        assertEquals("b", p.queue.take());
        producer.join(10_000);
        assertFalse(producer.isAlive());
    }

    /** A consumer that has not taken a batch for a long while gets a loader that waits for its signal, not one that keeps waking. */
    @Test
    void aLongPauseTurnsTheNapsIntoAWait() throws Exception {
        Epoch.Pipeline p = new Epoch.Pipeline(1, 1_000_000);
        Thread producer = producer(p);
        awaitState(producer, Thread.State.WAITING);
        assertEquals("a", p.queue.take());
        assertEquals("b", p.queue.take());
        producer.join(10_000);
        assertFalse(producer.isAlive());
        Thread stopped = producer(p);
        awaitState(stopped, Thread.State.WAITING);
        p.stop();
        stopped.join(10_000);
        assertFalse(stopped.isAlive(), "stopping the epoch ends a waiting loader");
    }

    /** @return a started thread that puts "a" then "b" into {@code p} */
    private static Thread producer(Epoch.Pipeline p) {
        Thread t = new Thread(() -> {
            p.put("a");
            p.put("b");
        }, "pipeline-test-producer");
        p.thread = t;
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static void awaitState(Thread t, Thread.State want) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (t.getState() != want && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        assertEquals(want, t.getState());
    }

    private static long loaderThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("jgrad-dataloader") && t.isAlive()).count();
    }

    @Test
    void batchesMoveToTheNamedDevice() {
        DataLoader l = new DataLoader(rows(5), 2, false).to("reference");
        for (List<Tensor> b : l) {
            assertEquals("reference", b.get(0).device().name());
            assertEquals(DType.I64, b.get(1).dtype());
        }
    }

    @Test
    void badArgumentsAreNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new DataLoader(rows(4), 0, true));
        assertTrue(e.getMessage().contains("batchSize") && e.getMessage().contains("0"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new DataLoader(rows(4), 1, true).prefetch(-1));
        assertThrows(java.util.NoSuchElementException.class, () -> {
            var it = new DataLoader(rows(1), 1, false).iterator();
            it.next();
            it.next();
        });
    }
}
