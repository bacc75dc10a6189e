package dev.jgrad.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jgrad.DType;
import dev.jgrad.Tensor;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Layers with PyTorch's weights give PyTorch's outputs and gradients (F64, fixtures from
 * {@code core/src/test/python/nn_fixtures.py}, PyTorch 1.13).
 */
class PyTorchAgreementTest {
    static final double TOL = 1e-10;

    /** Loads the fixture's state, runs forward on its x, back-propagates its gout and compares everything. */
    static void moduleCase(String name, Supplier<Module> make) {
        Fixture f = Fixture.load(name);
        Module m = make.get().to(DType.F64);
        m.loadStateDict(f.group("state."));
        Tensor x = f.get("x");
        boolean floatInput = x.dtype() == DType.F64;
        if (floatInput) {
            x.requiresGrad(true);
        }
        Tensor out = m.forward(x);
        f.assertClose("out", out, TOL);
        out.mul(f.get("gout")).sum().backward();
        if (floatInput) {
            f.assertClose("grad.x", x.grad(), TOL);
        }
        for (Map.Entry<String, Tensor> p : m.namedParameters().entrySet()) {
            f.assertClose("grad." + p.getKey(), p.getValue().grad(), TOL);
        }
    }

    @Test
    void activations() {
        moduleCase("act_relu", ReLU::new);
        moduleCase("act_leakyRelu", () -> new LeakyReLU(0.2));
        moduleCase("act_sigmoid", Sigmoid::new);
        moduleCase("act_tanh", Tanh::new);
        moduleCase("act_gelu", GELU::new);
        moduleCase("act_silu", SiLU::new);
        moduleCase("act_softmax", () -> new Softmax(1));
        moduleCase("act_logSoftmax", () -> new LogSoftmax(1));
        moduleCase("act_identity", Identity::new);
        moduleCase("act_flatten", Flatten::new);
        moduleCase("act_softplus", () -> new Module() {
            @Override
            public Tensor forward(Tensor input) {
                return input.softplus();
            }
        });
    }

    @Test
    void linearEmbeddingSequential() {
        moduleCase("linear", () -> new Linear(5, 3));
        moduleCase("linear3d", () -> new Linear(5, 3));
        moduleCase("linearNoBias", () -> new Linear(6, 2, false));
        moduleCase("embedding", () -> new Embedding(10, 4));
        moduleCase("sequential", () -> new Sequential(new Linear(4, 8), new Tanh(), new Linear(8, 8), new LayerNorm(8),
                new GELU(), new Linear(8, 3), new LogSoftmax(1)));
    }

    @Test
    void layerNorm() {
        moduleCase("layerNorm", () -> new LayerNorm(4, 5));
        moduleCase("layerNormNoAffine", () -> new LayerNorm(new int[] {6}, 1e-3, false));
    }

    @Test
    void batchNormRunningStatisticsAndEval() {
        batchNormCase("batchNorm1d", new BatchNorm1d(4, 1e-3, 0.2));
        batchNormCase("batchNorm1d3", new BatchNorm1d(3));
        batchNormCase("batchNorm2d", new BatchNorm2d(4));
    }

    private static void batchNormCase(String name, BatchNorm bn) {
        Fixture f = Fixture.load(name);
        Module m = bn.to(DType.F64);
        m.loadStateDict(f.group("state."));
        Tensor w = m.namedParameters().get("weight");
        for (int step = 0; step < 3; step++) {
            Tensor x = f.get("x" + step).requiresGrad(true);
            Tensor out = m.forward(x);
            f.assertClose("out" + step, out, TOL);
            m.zeroGrad();
            out.mul(f.get("step" + step + ".gout")).sum().backward();
            f.assertClose("grad" + step + ".x", x.grad(), 1e-9);
            f.assertClose("grad" + step + ".weight", w.grad(), 1e-9);
            f.assertClose("grad" + step + ".bias", m.namedParameters().get("bias").grad(), 1e-9);
            for (String k : new String[] {"running_mean", "running_var", "num_batches_tracked"}) {
                f.assertClose("after" + step + "." + k, m.namedBuffers().get(k), TOL);
            }
        }
        assertEquals(DType.I64, m.namedBuffers().get("num_batches_tracked").dtype());
        m.eval();
        Tensor x = f.get("xEval").requiresGrad(true);
        Tensor out = m.forward(x);
        f.assertClose("outEval", out, TOL);
        m.zeroGrad();
        out.mul(f.get("eval.gout")).sum().backward();
        f.assertClose("gradEval.x", x.grad(), TOL);
        f.assertClose("gradEval.weight", w.grad(), TOL);
    }
}
