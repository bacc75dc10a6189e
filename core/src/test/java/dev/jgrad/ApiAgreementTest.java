package dev.jgrad;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jgrad.autograd.Autograd;
import dev.jgrad.autograd.Transforms;
import dev.jgrad.nn.BatchNorm1d;
import dev.jgrad.nn.Conv2d;
import dev.jgrad.nn.Embedding;
import dev.jgrad.nn.Functional;
import dev.jgrad.nn.GRU;
import dev.jgrad.nn.LSTM;
import dev.jgrad.nn.LayerNorm;
import dev.jgrad.nn.Linear;
import dev.jgrad.nn.Losses;
import dev.jgrad.nn.Module;
import dev.jgrad.nn.RNN;
import dev.jgrad.nn.Recurrent;
import dev.jgrad.optim.Adam;
import dev.jgrad.optim.GradClip;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Walks the public API with operands that disagree: on two devices ({@code cpu} and
 * {@code reference}, both host backends, so it runs everywhere) and of two dtypes. Each row is an
 * entry point and the call that mixes them; each must throw an IllegalArgumentException that names
 * the entry point and both devices (or both dtypes), before computing anything. One table per kind,
 * so coverage reads top to bottom.
 */
class ApiAgreementTest {
    private static final String A = "cpu";
    private static final String B = "reference";

    /** One entry point: the name its message must start with, and a call that mixes operands. */
    record Row(String op, Executable call) {
        @Override
        public String toString() {
            return op;
        }
    }

    private static Tensor a(int... shape) {
        return Tensor.rand(shape).to(A);
    }

    private static Tensor b(int... shape) {
        return Tensor.rand(shape).to(B);
    }

    private static Tensor labels(String device, long... v) {
        return Tensor.of(v, v.length).to(device);
    }

    private static <M extends Module> M on(String device, M m) {
        m.to(device);
        return m;
    }

    static Stream<Row> devices() {
        List<Row> rows = new ArrayList<>();
        // binary, comparison and selection ops
        rows.add(new Row("add", () -> a(3).add(b(3))));
        rows.add(new Row("sub", () -> a(3).sub(b(3))));
        rows.add(new Row("mul", () -> a(3).mul(b(3))));
        rows.add(new Row("div", () -> a(3).div(b(3))));
        rows.add(new Row("maximum", () -> a(3).maximum(b(3))));
        rows.add(new Row("minimum", () -> a(3).minimum(b(3))));
        rows.add(new Row("gt", () -> a(3).gt(b(3))));
        rows.add(new Row("lt", () -> a(3).lt(b(3))));
        rows.add(new Row("eq", () -> a(3).eq(b(3))));
        rows.add(new Row("matmul", () -> a(2, 3).matmul(b(3, 2))));
        rows.add(new Row("matmul", () -> a(4, 2, 3).matmul(b(4, 3, 2))));
        rows.add(new Row("maskedFill", () -> a(3).maskedFill(b(3).gt(b(3)), 0)));
        rows.add(new Row("where", () -> Tensor.where(b(3).gt(b(3)), a(3), a(3))));
        rows.add(new Row("where", () -> Tensor.where(a(3).gt(a(3)), a(3), b(3))));
        rows.add(new Row("cat", () -> Tensor.cat(List.of(a(2), b(2)), 0)));
        rows.add(new Row("stack", () -> Tensor.stack(List.of(a(2), b(2)), 0)));
        rows.add(new Row("indexSelect", () -> a(3, 2).indexSelect(0, labels(B, 0, 1))));
        rows.add(new Row("gather", () -> a(3, 2).gather(1, labels(B, 0, 1, 0).reshape(3, 1))));
        rows.add(new Row("scatterAdd", () -> a(3).scatterAdd(0, labels(B, 0, 1), a(2))));
        rows.add(new Row("scatterAdd", () -> a(3).scatterAdd(0, labels(A, 0, 1), b(2))));
        // in-place
        rows.add(new Row("addInPlace", () -> a(3).addInPlace(b(3))));
        rows.add(new Row("addInPlace", () -> a(3).addInPlace(b(3), 2)));
        rows.add(new Row("subInPlace", () -> a(3).subInPlace(b(3))));
        rows.add(new Row("mulInPlace", () -> a(3).mulInPlace(b(3))));
        // autograd
        rows.add(new Row("backward", () -> a(3).requiresGrad(true).mul(2).backward(b(3))));
        rows.add(new Row("grad", () -> {
            Tensor x = a(3).requiresGrad(true);
            Autograd.grad(x.mul(2), List.of(x), b(3), false);
        }));
        rows.add(new Row("vjp", () -> Transforms.vjp(x -> x.mul(2), a(3), b(3))));
        rows.add(new Row("jvp", () -> Transforms.jvp(x -> x.mul(2), a(3), b(3))));
        rows.add(new Row("hvp", () -> Transforms.hvp(x -> x.mul(x).sum(), a(3), b(3))));
        // losses
        rows.add(new Row("mse", () -> Losses.mse(a(3), b(3))));
        rows.add(new Row("l1", () -> Losses.l1(a(3), b(3))));
        rows.add(new Row("smoothL1", () -> Losses.smoothL1(a(3), b(3), 1)));
        rows.add(new Row("huber", () -> Losses.huber(a(3), b(3), 1)));
        rows.add(new Row("binaryCrossEntropy", () -> Losses.binaryCrossEntropy(a(3), b(3))));
        rows.add(new Row("binaryCrossEntropyWithLogits", () -> Losses.binaryCrossEntropyWithLogits(a(3), b(3))));
        rows.add(new Row("klDiv", () -> Losses.klDiv(a(3), b(3))));
        rows.add(new Row("crossEntropy", () -> Losses.crossEntropy(a(2, 3), labels(B, 0, 2))));
        rows.add(new Row("crossEntropy", () -> Losses.crossEntropy(a(2, 3), labels(B, 0, 2), 0.1)));
        rows.add(new Row("crossEntropy", () -> Losses.crossEntropy(a(2, 3), b(2, 3))));
        rows.add(new Row("nll", () -> Losses.nll(a(2, 3), labels(B, 0, 2))));
        // functional
        rows.add(new Row("linear", () -> Functional.linear(a(2, 3), b(4, 3), null, Functional.Activation.NONE)));
        rows.add(new Row("linear", () -> Functional.linear(a(2, 3), a(4, 3), b(4), Functional.Activation.RELU)));
        rows.add(new Row("conv2d", () -> Functional.conv2d(a(1, 1, 4, 4), b(2, 1, 3, 3), null, 1, 0, 1, 1)));
        rows.add(new Row("conv2d", () -> Functional.conv2d(a(1, 1, 4, 4), a(2, 1, 3, 3), b(2), 1, 0, 1, 1)));
        rows.add(new Row("embedding", () -> Functional.embedding(labels(B, 0, 1), a(3, 2))));
        rows.add(new Row("batchNorm", () -> Functional.batchNorm(a(4, 2), b(2), b(2), null, null, true, 0.1, 1e-5)));
        rows.add(new Row("batchNorm", () -> Functional.batchNorm(a(4, 2), null, null, b(2), a(2), true, 0.1, 1e-5)));
        rows.add(new Row("batchNorm", () -> Functional.batchNorm(a(4, 2), b(2), b(2), null, null, false, 0.1, 1e-5)));
        rows.add(new Row("layerNorm", () -> Functional.layerNorm(a(2, 3), new int[] {3}, b(3), null, 1e-5)));
        rows.add(new Row("layerNorm", () -> Functional.layerNorm(a(2, 3), new int[] {3}, a(3), b(3), 1e-5)));
        // layers on one device, input on the other
        rows.add(new Row("Linear", () -> on(A, new Linear(3, 2)).forward(b(4, 3))));
        rows.add(new Row("Conv2d", () -> on(A, new Conv2d(1, 2, 3)).forward(b(1, 1, 4, 4))));
        rows.add(new Row("Embedding", () -> on(A, new Embedding(3, 2)).forward(labels(B, 0, 1))));
        rows.add(new Row("LayerNorm", () -> on(A, new LayerNorm(3)).forward(b(2, 3))));
        rows.add(new Row("BatchNorm1d", () -> on(A, new BatchNorm1d(3)).forward(b(4, 3))));
        rows.add(new Row("RNN", () -> on(A, new RNN(3, 2)).forward(b(5, 1, 3))));
        rows.add(new Row("LSTM", () -> on(A, new LSTM(3, 2)).forward(b(5, 1, 3))));
        rows.add(new Row("GRU", () -> on(A, new GRU(3, 2)).forward(b(5, 1, 3))));
        rows.add(new Row("LSTM", () -> on(A, new LSTM(3, 2)).forward(a(5, 1, 3),
                new Recurrent.State(b(1, 1, 2), b(1, 1, 2)))));
        return rows.stream();
    }

    static Stream<Row> dtypes() {
        Function<int[], Tensor> f32 = s -> Tensor.rand(s).to(A);
        Function<int[], Tensor> f64 = s -> Tensor.rand(s).to(A).to(DType.F64);
        List<Row> rows = new ArrayList<>();
        rows.add(new Row("add", () -> f32.apply(new int[] {3}).add(f64.apply(new int[] {3}))));
        rows.add(new Row("mul", () -> f32.apply(new int[] {3}).mul(f64.apply(new int[] {3}))));
        rows.add(new Row("matmul", () -> f32.apply(new int[] {2, 3}).matmul(f64.apply(new int[] {3, 2}))));
        rows.add(new Row("where", () -> Tensor.where(a(3).gt(a(3)), f32.apply(new int[] {3}), f64.apply(new int[] {3}))));
        rows.add(new Row("cat", () -> Tensor.cat(List.of(f32.apply(new int[] {2}), f64.apply(new int[] {2})), 0)));
        rows.add(new Row("stack", () -> Tensor.stack(List.of(f32.apply(new int[] {2}), f64.apply(new int[] {2})), 0)));
        rows.add(new Row("scatterAdd", () -> a(3).scatterAdd(0, labels(A, 0, 1), f64.apply(new int[] {2}))));
        rows.add(new Row("addInPlace", () -> a(3).addInPlace(f64.apply(new int[] {3}))));
        rows.add(new Row("mulInPlace", () -> a(3).mulInPlace(f64.apply(new int[] {3}))));
        rows.add(new Row("backward", () -> a(3).requiresGrad(true).mul(2).backward(f64.apply(new int[] {3}))));
        rows.add(new Row("vjp", () -> Transforms.vjp(x -> x.mul(2), a(3), f64.apply(new int[] {3}))));
        rows.add(new Row("mse", () -> Losses.mse(a(3), f64.apply(new int[] {3}))));
        rows.add(new Row("l1", () -> Losses.l1(a(3), f64.apply(new int[] {3}))));
        rows.add(new Row("binaryCrossEntropy", () -> Losses.binaryCrossEntropy(a(3), f64.apply(new int[] {3}))));
        rows.add(new Row("klDiv", () -> Losses.klDiv(a(3), f64.apply(new int[] {3}))));
        rows.add(new Row("linear", () -> Functional.linear(a(2, 3), f64.apply(new int[] {4, 3}), null,
                Functional.Activation.NONE)));
        rows.add(new Row("conv2d", () -> Functional.conv2d(a(1, 1, 4, 4), f64.apply(new int[] {2, 1, 3, 3}), null,
                1, 0, 1, 1)));
        rows.add(new Row("layerNorm", () -> Functional.layerNorm(a(2, 3), new int[] {3}, f64.apply(new int[] {3}),
                null, 1e-5)));
        rows.add(new Row("batchNorm", () -> Functional.batchNorm(a(4, 2), null, null, f64.apply(new int[] {2}), null,
                true, 0.1, 1e-5)));
        rows.add(new Row("Linear", () -> new Linear(3, 2).forward(f64.apply(new int[] {4, 3}))));
        rows.add(new Row("LSTM", () -> new LSTM(3, 2).forward(f64.apply(new int[] {5, 1, 3}))));
        return rows.stream();
    }

    /** Index arguments must be I64: a float index names the entry point and the dtype it got. */
    static Stream<Row> indexDTypes() {
        Tensor floatIndex = Tensor.of(new float[] {0, 1}, 2).to(A);
        List<Row> rows = new ArrayList<>();
        rows.add(new Row("indexSelect", () -> a(3, 2).indexSelect(0, floatIndex)));
        rows.add(new Row("gather", () -> a(3, 2).gather(0, floatIndex.reshape(2, 1))));
        rows.add(new Row("scatterAdd", () -> a(3).scatterAdd(0, floatIndex, a(2))));
        rows.add(new Row("crossEntropy", () -> Losses.crossEntropy(a(2, 3), floatIndex)));
        rows.add(new Row("nll", () -> Losses.nll(a(2, 3), floatIndex)));
        rows.add(new Row("embedding", () -> Functional.embedding(floatIndex, a(3, 2))));
        return rows.stream();
    }

    private static String refused(Row row) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, row.call(), row.op());
        String m = e.getMessage();
        assertTrue(m.startsWith(row.op()) || m.contains(row.op() + ":"), "names " + row.op() + ": " + m);
        return m;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("devices")
    void mismatchedDevicesAreRefusedNamingBoth(Row row) {
        String m = refused(row);
        assertTrue(m.contains(A) && m.contains(B), "names both devices: " + m);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dtypes")
    void mismatchedDTypesAreRefusedNamingBoth(Row row) {
        String m = refused(row);
        assertTrue(m.contains("F32") && m.contains("F64"), "names both dtypes: " + m);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("indexDTypes")
    void floatIndicesAreRefusedNamingTheDType(Row row) {
        String m = refused(row);
        assertTrue(m.contains("I64") && m.contains("F32"), "names I64 and the dtype given: " + m);
    }

    @Test
    void aRefusedInPlaceOpLeavesItsTargetUnchanged() {
        Tensor t = Tensor.of(new float[] {1, 2, 3}, 3).to(A);
        int version = t.version();
        assertThrows(IllegalArgumentException.class, () -> t.addInPlace(b(3)));
        assertThrows(IllegalArgumentException.class, () -> t.mulInPlace(t.to(DType.F64)));
        assertArrayEquals(new double[] {1, 2, 3}, t.toDoubleArray());
        assertEquals(version, t.version());
    }

    static List<Tensor> paramsOnTwoDevices() {
        Tensor p = a(3).requiresGrad(true), q = b(3).requiresGrad(true);
        p.mul(p).sum().backward();
        q.mul(q).sum().backward();
        return List.of(p, q);
    }

    @Test
    void gradClipAcrossDevicesWorksAsPyTorch() {
        // PyTorch computes one norm over parameters on several devices; so must jgrad
        List<Tensor> ps = paramsOnTwoDevices();
        double norm = GradClip.clipNorm(ps, 1e9);
        assertTrue(norm > 0 && Double.isFinite(norm), "norm " + norm);
    }

    @Test
    void optimizersStepParametersOnSeveralDevicesAsPyTorch() {
        // valid in PyTorch: each parameter's state lives on its own device
        List<Tensor> ps = paramsOnTwoDevices();
        double[] before = ps.get(1).toDoubleArray();
        new Adam(ps, 0.1).step();
        assertTrue(ps.get(0).device().name().equals(A) && ps.get(1).device().name().equals(B));
        assertTrue(ps.get(1).toDoubleArray()[0] != before[0], "the reference parameter moved");
    }
}
