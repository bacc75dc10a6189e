package dev.jgrad.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jgrad.Checkpointing;
import dev.jgrad.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Forward hooks: run by call (and by Sequential for its stages), in order, removable, may replace the output. */
class ForwardHookTest {
    @Test
    void hooksRunInOrderThroughCallAndSequentialAndAreRemovable() {
        Tensor.manualSeed(3);
        Linear a = new Linear(3, 4);
        ReLU r = new ReLU();
        Sequential net = new Sequential(a, r, new Linear(4, 2));
        List<String> seen = new ArrayList<>();
        RemovableHandle h1 = a.registerForwardHook((m, in, out) -> {
            assertSame(a, m);
            assertArrayEquals(new int[] {5, 4}, out.shape());
            seen.add("a1");
            return null;
        });
        RemovableHandle h2 = a.registerForwardHook((m, in, out) -> {
            seen.add("a2");
            return null;
        });
        Tensor x = Tensor.randn(new SplittableRandom(1), 5, 3);
        Tensor plain = net.forward(x);
        assertEquals(List.of("a1", "a2"), seen, "Sequential calls its stages through call");
        a.forward(x);
        assertEquals(2, seen.size(), "forward alone runs no hook");
        h1.remove();
        h1.remove();
        net.call(x);
        assertEquals(List.of("a1", "a2", "a2"), seen);
        h2.close();
        assertArrayEquals(plain.toFloatArray(), net.call(x).toFloatArray());
        assertEquals(3, seen.size());
    }

    @Test
    void aHookMayReplaceTheOutputAndRemoveItselfWhileRunning() {
        ReLU r = new ReLU();
        RemovableHandle[] self = new RemovableHandle[1];
        self[0] = r.registerForwardHook((m, in, out) -> {
            self[0].remove();
            return out.mul(2);
        });
        Tensor x = Tensor.of(new float[] {-1, 3}, 2);
        assertArrayEquals(new float[] {0, 6}, r.call(x).toFloatArray());
        assertArrayEquals(new float[] {0, 3}, r.call(x).toFloatArray(), "the hook removed itself");
        assertThrows(NullPointerException.class, () -> r.registerForwardHook(null));
    }

    @Test
    void namedModulesListsTheTreeDepthFirst() {
        Sequential inner = new Sequential(new Linear(2, 2), new ReLU());
        Sequential net = new Sequential(new Linear(2, 2), inner);
        assertEquals(List.of("", "0", "1", "1.0", "1.1"), new ArrayList<>(net.namedModules().keySet()));
        assertSame(inner, net.namedModules().get("1"));
    }

    @Test
    void checkpointingAModuleGivesThePlainGradientsBitForBit() {
        List<List<float[]>> runs = new ArrayList<>();
        for (boolean ck : new boolean[] {false, true}) {
            Tensor.manualSeed(5);
            Sequential block = new Sequential(new Linear(6, 6), new ReLU(), new Dropout(0.3), new Linear(6, 6));
            int[] calls = {0};
            block.get(1).registerForwardHook((m, in, out) -> {
                calls[0]++;
                return null;
            });
            Tensor x = Tensor.randn(new SplittableRandom(2), 4, 6).requiresGrad(true);
            Tensor y = ck ? Checkpointing.checkpoint(block, x) : block.call(x);
            assertEquals(ck, y.gradFn().name().equals("checkpoint"));
            y.pow(2).sum().backward();
            assertEquals(ck ? 2 : 1, calls[0], "the recomputation runs the hooks again");
            List<float[]> g = new ArrayList<>();
            block.parameters().forEach(p -> g.add(p.grad().toFloatArray()));
            g.add(x.grad().toFloatArray());
            runs.add(g);
        }
        for (int i = 0; i < runs.get(0).size(); i++) {
            assertArrayEquals(runs.get(0).get(i), runs.get(1).get(i), "gradient " + i);
        }
        var e = assertThrows(IllegalArgumentException.class, () -> Checkpointing.checkpoint((Module) null, Tensor.ones(1)));
        assertTrue(e.getMessage().contains("module"), e.getMessage());
    }
}
