package dev.jgrad.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jgrad.Tensor;
import dev.jgrad.io.ResumeMain.Run;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run resumed from a checkpoint continues bit-identically: two epochs straight against one epoch,
 * a checkpoint, a FRESH JVM (a child process, {@link ResumeMain}) that builds the run with other
 * weights and generator state, loads the checkpoint and trains one more epoch, and saves the weights;
 * the two files of weights must be the same bytes. The run uses everything a checkpoint must carry:
 * Adam's moments and step, a StepLR, dropout masks and a shuffled loader drawing from the default
 * generator.
 */
class CheckpointTest {
    @TempDir
    Path dir;

    private static Run build(long seed) {
        return ResumeMain.build(seed);
    }

    @Test
    void aRunResumedInAFreshJvmContinuesBitIdentically() throws Exception {
        Run straight = build(1);
        straight.epoch();
        straight.epoch();
        Path expected = dir.resolve("straight.safetensors");
        SafeTensors.save(straight.model().stateDict(), Map.of("lr", Double.toString(straight.sched().lastLr())),
                expected);

        Run first = build(1);
        first.epoch();
        Path file = dir.resolve("run.safetensors");
        Checkpoint.save(file, first.model(), first.opt(), first.sched(), Map.of("epoch", "1"));
        Path got = dir.resolve("resumed.safetensors");
        String java = ProcessHandle.current().info().command().orElse("java");
        Process child = new ProcessBuilder(java, "--add-modules", "jdk.incubator.vector",
                "--enable-native-access=ALL-UNNAMED", "-cp", SafeTensorsCrashTest.classPath(),
                ResumeMain.class.getName(), file.toString(), got.toString()).redirectErrorStream(true).start();
        String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(child.waitFor(120, TimeUnit.SECONDS), "child JVM did not finish");
        assertEquals(0, child.exitValue(), out);

        Map<String, Tensor> a = SafeTensors.load(expected), b = SafeTensors.load(got);
        assertEquals(a.keySet(), b.keySet());
        for (String k : a.keySet()) {
            float[] x = a.get(k).toFloatArray(), y = b.get(k).toFloatArray();
            for (int i = 0; i < x.length; i++) {
                assertEquals(Float.floatToRawIntBits(x[i]), Float.floatToRawIntBits(y[i]),
                        k + "[" + i + "] differs after resuming in a fresh JVM");
            }
        }
        assertEquals(SafeTensors.metadata(expected), SafeTensors.metadata(got));
        assertArrayEquals(Files.readAllBytes(expected), Files.readAllBytes(got), "the weight files differ");
    }

    @Test
    void aResumedRunInTheSameJvmContinuesBitIdentically() {
        Run straight = build(1);
        straight.epoch();
        straight.epoch();

        Run first = build(1);
        first.epoch();
        Path file = dir.resolve("run.safetensors");
        Checkpoint.save(file, first.model(), first.opt(), first.sched(), Map.of("epoch", "1"));

        Run resumed = build(99);   // other initial weights and generator state, overwritten by the load
        Map<String, String> meta = Checkpoint.load(file, resumed.model(), resumed.opt(), resumed.sched());
        assertEquals(Map.of("epoch", "1"), meta);
        resumed.epoch();

        assertEquals(straight.sched().lastLr(), resumed.sched().lastLr());
        Map<String, Tensor> a = straight.model().stateDict(), b = resumed.model().stateDict();
        assertEquals(a.keySet(), b.keySet());
        for (String k : a.keySet()) {
            assertArrayEquals(a.get(k).toFloatArray(), b.get(k).toFloatArray(), k + " differs after resuming");
        }
    }

    @Test
    void aPlainSafetensorsFileOrAMissingPartIsRefusedBeforeAnythingChanges() {
        Run run = build(3);
        Path plain = dir.resolve("plain.safetensors");
        SafeTensors.save(run.model().stateDict(), plain);
        float[] before = run.model().parameters().get(0).toFloatArray();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Checkpoint.load(plain, run.model(), run.opt(), run.sched()));
        assertTrue(e.getMessage().contains("not a jgrad checkpoint"), e.getMessage());

        Path modelOnly = dir.resolve("model-only.safetensors");
        Checkpoint.save(modelOnly, run.model(), null, null, null);
        run.model().parameters().get(0).requiresGrad(false).fillInPlace(0.5);
        run.model().parameters().get(0).requiresGrad(true);
        float[] changed = run.model().parameters().get(0).toFloatArray();
        e = assertThrows(IllegalArgumentException.class,
                () -> Checkpoint.load(modelOnly, run.model(), run.opt(), run.sched()));
        assertTrue(e.getMessage().contains("optimizer state") && e.getMessage().contains("schedule state"),
                e.getMessage());
        assertArrayEquals(changed, run.model().parameters().get(0).toFloatArray(), "nothing may change");
        Checkpoint.load(modelOnly, run.model(), null, null);
        assertArrayEquals(before, run.model().parameters().get(0).toFloatArray());
    }
}
