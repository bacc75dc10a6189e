package dev.jgrad.nn;

import static dev.jgrad.nn.LayerTest.rejects;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jgrad.DType;
import dev.jgrad.Tensor;
import dev.jgrad.autograd.GradCheck;
import java.util.SplittableRandom;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** RNN, LSTM and GRU against PyTorch 1.13 (2 layers, passed-in state, batchFirst), keys and bad states. */
class RecurrentTest {
    private static final double TOL = 1e-10;

    private static void agree(String name, Supplier<Recurrent> make) {
        Fixture f = Fixture.load(name);
        Recurrent m = (Recurrent) make.get().to(DType.F64);
        m.loadStateDict(f.group("state."));
        Tensor x = f.get("x").requiresGrad(true);
        Tensor h0 = f.get("h0").requiresGrad(true);
        Tensor c0 = f.has("c0") ? f.get("c0").requiresGrad(true) : null;
        Recurrent.Output o = m.forward(x, new Recurrent.State(h0, c0));
        f.assertClose("out", o.output(), TOL);
        f.assertClose("h", o.state().h(), TOL);
        Tensor loss = o.output().mul(f.get("gout")).sum().add(o.state().h().mul(f.get("gh")).sum());
        if (c0 != null) {
            f.assertClose("c", o.state().c(), TOL);
            loss = loss.add(o.state().c().mul(f.get("gc")).sum());
        } else {
            assertNull(o.state().c());
        }
        loss.backward();
        f.assertClose("grad.x", x.grad(), TOL);
        f.assertClose("grad.h0", h0.grad(), TOL);
        if (c0 != null) {
            f.assertClose("grad.c0", c0.grad(), TOL);
        }
        for (Map.Entry<String, Tensor> p : m.namedParameters().entrySet()) {
            f.assertClose("grad." + p.getKey(), p.getValue().grad(), TOL);
        }
        f.assertClose("outZeroState", m.forward(x.detach()), TOL);
    }

    @Test
    void agreesWithPyTorch() {
        agree("rnn", () -> new RNN(3, 5, 2, false));
        agree("rnn1", () -> new RNN(4, 3));
        agree("lstm", () -> new LSTM(3, 5, 2, false));
        agree("gru", () -> new GRU(3, 5, 2, false));
        agree("lstmBatchFirst", () -> new LSTM(3, 4, 2, true));
        agree("gruBatchFirst", () -> new GRU(3, 4, 1, true));
    }

    @Test
    void gradCheckInputsAndStates() {
        Tensor.manualSeed(9);
        SplittableRandom rng = new SplittableRandom(3);
        for (Recurrent m : List.of(new RNN(3, 4, 2, false), new LSTM(3, 4, 2, true), new GRU(3, 4, 2, false))) {
            m.to(DType.F64);
            boolean cell = m instanceof LSTM;
            List<Tensor> in = List.of(Tensor.randn(rng, DType.F64, 3, 2, 3).requiresGrad(true),
                    Tensor.randn(rng, DType.F64, 2, m.batchFirst ? 3 : 2, 4).requiresGrad(true),
                    Tensor.randn(rng, DType.F64, 2, m.batchFirst ? 3 : 2, 4).requiresGrad(true));
            GradCheck.Result r = GradCheck.check(xs -> {
                Recurrent.Output o = m.forward(xs.get(0), new Recurrent.State(xs.get(1), cell ? xs.get(2) : null));
                Tensor y = o.output().sum().add(o.state().h().mul(o.state().h()).sum());
                return cell ? y.add(o.state().c().sum()) : y.add(xs.get(2).sum());
            }, in);
            assertTrue(r.passed(), m + " " + r);
        }
    }

    /** The fused GRU op's backward likewise differentiates the composed layer under createGraph. */
    @Test
    void gruSecondOrder() {
        Tensor.manualSeed(6);
        SplittableRandom rng = new SplittableRandom(7);
        GRU m = (GRU) new GRU(3, 4, 2, false).to(DType.F64);
        List<Tensor> in = List.of(Tensor.randn(rng, DType.F64, 3, 2, 3).requiresGrad(true),
                Tensor.randn(rng, DType.F64, 2, 2, 4).requiresGrad(true));
        GradCheck.Result r = GradCheck.checkSecondOrder(xs -> {
            Recurrent.Output o = m.forward(xs.get(0), new Recurrent.State(xs.get(1), null));
            return o.output().mul(o.output()).sum().add(o.state().h().sum());
        }, in);
        assertTrue(r.passed(), r.toString());
    }

    /** The fused LSTM op's backward is not itself recorded: under createGraph it differentiates the composed layer. */
    @Test
    void lstmSecondOrder() {
        Tensor.manualSeed(4);
        SplittableRandom rng = new SplittableRandom(5);
        LSTM m = (LSTM) new LSTM(3, 4, 2, true).to(DType.F64);
        List<Tensor> in = List.of(Tensor.randn(rng, DType.F64, 2, 3, 3).requiresGrad(true),
                Tensor.randn(rng, DType.F64, 2, 2, 4).requiresGrad(true),
                Tensor.randn(rng, DType.F64, 2, 2, 4).requiresGrad(true));
        GradCheck.Result r = GradCheck.checkSecondOrder(xs -> {
            Recurrent.Output o = m.forward(xs.get(0), new Recurrent.State(xs.get(1), xs.get(2)));
            return o.output().mul(o.output()).sum().add(o.state().c().mul(o.state().h()).sum());
        }, in);
        assertTrue(r.passed(), r.toString());
    }

    @Test
    void keysAndShapes() {
        LSTM lstm = new LSTM(5, 7, 2, true);
        assertEquals(List.of("weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0", "weight_ih_l1", "weight_hh_l1",
                "bias_ih_l1", "bias_hh_l1"), List.copyOf(lstm.stateDict().keySet()));
        assertArrayEquals(new int[] {28, 5}, lstm.namedParameters().get("weight_ih_l0").shape());
        assertArrayEquals(new int[] {28, 7}, lstm.namedParameters().get("weight_ih_l1").shape());
        assertArrayEquals(new int[] {21, 5}, new GRU(5, 7).namedParameters().get("weight_ih_l0").shape());
        Recurrent.Output o = lstm.forward(Tensor.randn(3, 4, 5), null);
        assertArrayEquals(new int[] {3, 4, 7}, o.output().shape());
        assertArrayEquals(new int[] {2, 3, 7}, o.state().c().shape());
        // truncated BPTT: the state passes on detached
        Recurrent.Output next = lstm.forward(Tensor.randn(3, 4, 5),
                new Recurrent.State(o.state().h().detach(), o.state().c().detach()));
        next.output().sum().backward();
        assertArrayEquals(new int[] {28, 5}, lstm.namedParameters().get("weight_ih_l0").grad().shape());
    }

    @Test
    void badInputsAndStates() {
        LSTM lstm = new LSTM(5, 7, 2, false);
        rejects(() -> lstm.forward(Tensor.zeros(3, 4, 6)), "LSTM(5, 7", "[T, N, 5]", "[3, 4, 6]");
        rejects(() -> lstm.forward(Tensor.zeros(3, 5)), "LSTM(5, 7", "[3, 5]");
        rejects(() -> lstm.forward(Tensor.zeros(3, 4, 5), new Recurrent.State(Tensor.zeros(1, 4, 7), Tensor.zeros(2, 4, 7))),
                "LSTM(5, 7", "state h", "[2, 4, 7]", "[1, 4, 7]");
        rejects(() -> lstm.forward(Tensor.zeros(3, 4, 5), new Recurrent.State(Tensor.zeros(2, 4, 7), null)),
                "state c", "null");
        GRU gru = new GRU(5, 7);
        rejects(() -> gru.forward(Tensor.zeros(3, 4, 5), new Recurrent.State(Tensor.zeros(1, 3, 7), null)),
                "GRU(5, 7", "[1, 4, 7]", "[1, 3, 7]");
        rejects(() -> gru.forward(Tensor.zeros(3, 4, 5), new Recurrent.State(Tensor.zeros(1, 4, 7),
                Tensor.zeros(1, 4, 7))), "GRU", "no cell state");
    }

    /** The fused layers save their state output like any op: changing the returned sequence in place is caught. */
    @Test
    void changingTheOutputInPlaceBeforeBackwardIsAnError() {
        for (Recurrent layer : new Recurrent[] {new LSTM(3, 4), new GRU(3, 4)}) {
            Tensor x = Tensor.randn(new SplittableRandom(5), 5, 2, 3).requiresGrad(true);
            Tensor y = layer.forward(x);
            Tensor loss = y.sum();
            try (var ng = dev.jgrad.autograd.NoGrad.enter()) {
                y.mulInPlace(2);
            }
            IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                    loss::backward);
            assertTrue(e.getMessage().contains("modified by an in-place operation"), e.getMessage());
        }
    }
}
