package dev.jgrad.opencl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jgrad.Device;
import dev.jgrad.Tensor;
import dev.jgrad.autograd.NoGrad;
import dev.jgrad.nn.Losses;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * No hidden host round trips on the device path: a training step enqueues only, and value checks
 * (labels, indices, targets) run on the device and surface at the next synchronising point with
 * the same message a host backend gives at once.
 */
class DeviceValidationTest {
    private static OpenClBackend device;

    @BeforeAll
    static void requireDevice() {
        RequireOpenCl.check();
        device = (OpenClBackend) Device.of("opencl:0").backend();
    }

    @Test
    void anMlpTrainingStepWithCrossEntropyReadsTheDeviceOnlyForLossItem() {
        SplittableRandom rng = new SplittableRandom(7);
        List<Tensor> params = new ArrayList<>(List.of(
                Tensor.randn(rng, 4, 16).mul(0.5).to("opencl").requiresGrad(true),
                Tensor.zeros(16).to("opencl").requiresGrad(true),
                Tensor.randn(rng, 16, 3).mul(0.5).to("opencl").requiresGrad(true),
                Tensor.zeros(3).to("opencl").requiresGrad(true)));
        Tensor x = Tensor.randn(rng, 32, 4).to("opencl");
        long[] l = new long[32];
        for (int i = 0; i < l.length; i++) {
            l[i] = rng.nextInt(3);
        }
        Tensor labels = Tensor.of(l, 32).to("opencl");
        step(params, x, labels);   // the first step builds the kernels
        for (int s = 0; s < 3; s++) {
            long before = device.blockingReads();
            double loss = step(params, x, labels);
            assertEquals(1, device.blockingReads() - before, "blocking reads of one training step (loss " + loss + ")");
        }
    }

    private static double step(List<Tensor> params, Tensor x, Tensor labels) {
        Tensor h = x.matmul(params.get(0)).add(params.get(1)).tanh();
        Tensor loss = Losses.crossEntropy(h.matmul(params.get(2)).add(params.get(3)), labels);
        loss.backward();
        try (var g = NoGrad.enter()) {
            for (Tensor p : params) {
                p.addInPlace(p.grad(), -0.1);
                p.zeroGrad();
            }
        }
        return loss.item();
    }

    @Test
    void aLabelOutOfRangeIsReportedAtTheNextReadWithTheHostMessage() {
        Tensor logits = Tensor.zeros(3, 4).to("opencl").requiresGrad(true);
        Tensor labels = Tensor.of(new long[] {1, 9, 2}, 3).to("opencl");
        long before = device.blockingReads();
        Tensor loss = Losses.crossEntropy(logits, labels);   // enqueued: no read, no exception yet
        loss.backward();
        assertEquals(before, device.blockingReads(), "the check must not read the labels");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, loss::item);
        for (String part : List.of("crossEntropy", "label 9", "position 1", "4 classes", "[3, 4]")) {
            assertTrue(e.getMessage().contains(part), e.getMessage());
        }
        IllegalArgumentException onCpu = assertThrows(IllegalArgumentException.class,
                () -> Losses.crossEntropy(logits.detach().to("cpu"), labels.to("cpu")));
        assertEquals(onCpu.getMessage(), e.getMessage(), "same message as the host backends give at once");
        // The failure is reported once; the device keeps working.
        assertArrayEquals(new float[] {1, 2}, Tensor.of(new float[] {1, 2}, 2).to("opencl").toFloatArray());
    }

    @Test
    void indicesAndTargetsAreCheckedOnTheDeviceToo() {
        Tensor x = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3).to("opencl");
        Tensor bad = Tensor.of(new long[] {0, 2, -1, 1}, 2, 2).to("opencl");
        Tensor picked = x.gather(1, bad);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, picked::toFloatArray);
        assertTrue(e.getMessage().contains("gather") && e.getMessage().contains("index -1 at position 2"),
                e.getMessage());
        Tensor targets = Tensor.of(new float[] {0.5f, Float.NaN, 1}, 3).to("opencl");
        Tensor bce = Losses.binaryCrossEntropyWithLogits(Tensor.zeros(3).to("opencl"), targets);
        e = assertThrows(IllegalArgumentException.class, device::finish);
        assertTrue(e.getMessage().contains("binaryCrossEntropyWithLogits") && e.getMessage().contains("position 1"),
                e.getMessage());
        Tensor ok = Losses.binaryCrossEntropyWithLogits(Tensor.zeros(3).to("opencl"),
                Tensor.of(new float[] {0.5f, 0, 1}, 3).to("opencl"));
        assertTrue(Double.isFinite(ok.item()), "valid targets pass after the failure was reported: " + bce.dim());
    }

    @Test
    void validLabelsInManyBatchesRaiseNothing() {
        Tensor logits = Tensor.zeros(5, 3).to("opencl");
        for (int i = 0; i < 1500; i++) {   // past the pending-verdict bound, which synchronises once
            Losses.crossEntropy(logits, Tensor.of(new long[] {0, 1, 2, 1, 0}, 5).to("opencl"));
        }
        device.finish();
        assertEquals(Math.log(3), Losses.crossEntropy(logits, Tensor.of(new long[] {2, 2, 2, 2, 2}, 5).to("opencl"))
                .item(), 1e-6);
    }
}
