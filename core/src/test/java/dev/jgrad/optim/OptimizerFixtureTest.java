package dev.jgrad.optim;

import dev.jgrad.DType;
import dev.jgrad.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every optimizer configuration against PyTorch 1.13: ten steps on a small tanh network from the same
 * start, final parameters to 1e-12 relative in F64 and 1e-5 in F32, on {@code cpu} (the fused
 * multi-tensor kernels) and {@code reference} (the composed default).
 */
class OptimizerFixtureTest {
    static final int STEPS = 10;

    /** The Java twin of the generator's CASES table. */
    static final Map<String, Function<List<Tensor>, Optimizer>> CASES = new java.util.LinkedHashMap<>();

    static {
        CASES.put("sgd", p -> new SGD(p, 0.1));
        CASES.put("sgd_momentum", p -> new SGD(p, 0.1, 0.9, 0.1, 0.01, false));
        CASES.put("sgd_nesterov", p -> new SGD(p, 0.1, 0.9, 0, 1e-3, true));
        CASES.put("adam", p -> new Adam(p, 0.01));
        CASES.put("adam_decay_amsgrad", p -> new Adam(p, 0.01, 0.8, 0.99, 1e-6, 0.1, true));
        CASES.put("adamw", p -> new AdamW(p, 0.01));
        CASES.put("adamw_amsgrad", p -> new AdamW(p, 0.01, 0.9, 0.999, 1e-8, 0.1, true));
        CASES.put("rmsprop", p -> new RMSprop(p, 0.01));
        CASES.put("rmsprop_centered_momentum", p -> new RMSprop(p, 0.01, 0.9, 1e-6, 0.01, 0.5, true));
        CASES.put("rmsprop_momentum", p -> new RMSprop(p, 0.01, 0.99, 1e-8, 0, 0.9, false));
        CASES.put("adagrad", p -> new Adagrad(p, 0.1));
        CASES.put("adagrad_decay", p -> new Adagrad(p, 0.1, 0.01, 0.01, 0.1, 1e-10));
        CASES.put("adamw_groups", p -> {
            AdamW o = new AdamW(List.of(p.get(0), p.get(2)), 0.01, 0.9, 0.999, 1e-8, 0.1, false);
            o.addParamGroup(List.of(p.get(1))).setLr(0.05).setWeightDecay(0);
            return o;
        });
    }

    @TestFactory
    Stream<DynamicTest> finalParametersMatchPyTorch() {
        List<DynamicTest> tests = new ArrayList<>();
        for (DType dt : new DType[] {DType.F64, DType.F32}) {
            Fixtures f = new Fixtures("optimizers-" + dt + ".txt");
            for (String device : new String[] {"cpu", "reference"}) {
                for (String name : CASES.keySet()) {
                    tests.add(DynamicTest.dynamicTest(name + " " + dt + " " + device, () -> check(f, name, dt, device)));
                }
            }
        }
        return tests.stream();
    }

    /** @return the three parameters of the fixture model as fresh leaves */
    static List<Tensor> initial(Fixtures f, DType dt, String device) {
        List<Tensor> p = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            p.add(f.tensor("init." + i, dt, device).requiresGrad(true));
        }
        return p;
    }

    /** One forward and backward of the fixture loss {@code mean((tanh(x w1 + b1) w2 - y)^2)}. */
    static void backward(Tensor x, Tensor y, List<Tensor> p) {
        x.matmul(p.get(0)).add(p.get(1)).tanh().matmul(p.get(2)).sub(y).pow(2).mean().backward();
    }

    private static void check(Fixtures f, String name, DType dt, String device) {
        Tensor x = f.tensor("x", dt, device), y = f.tensor("y", dt, device);
        List<Tensor> p = initial(f, dt, device);
        Optimizer o = CASES.get(name).apply(p);
        for (int s = 0; s < STEPS; s++) {
            o.zeroGrad();
            backward(x, y, p);
            o.step();
        }
        double tol = dt == DType.F64 ? 1e-12 : 1e-5;
        for (int i = 0; i < 3; i++) {
            double[] expected = f.values(name + "." + i);
            // F32: relative to the parameter's scale, as F32 products round relative to their largest terms
            // (a GEMM that sums in another order moves a small element by ~1e-5 of itself, not of the scale).
            double floor = dt == DType.F64 ? 1e-3 : Arrays.stream(expected).map(Math::abs).max().orElse(1);
            Fixtures.assertClose(expected, p.get(i).toDoubleArray(), tol, floor,
                    name + " " + dt + " on " + device + ", parameter " + i);
        }
    }
}
