package dev.jgrad.autograd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jgrad.DType;
import dev.jgrad.Tensor;
import dev.jgrad.nn.Linear;
import dev.jgrad.nn.ReLU;
import dev.jgrad.nn.Sequential;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** DOT export: content, structure, and (where Graphviz is installed, always in CI) parsing by {@code dot}. */
class GraphExportTest {
    private static final Pattern NODE = Pattern.compile("^  (n\\d+|output) \\[", Pattern.MULTILINE);
    private static final Pattern EDGE = Pattern.compile("^  (n\\d+) -> (n\\d+|output);$", Pattern.MULTILINE);

    /** Runs Graphviz on the text; without it installed the test fails only when CI asks for it. */
    private static void assertDotParses(String dot) throws IOException, InterruptedException {
        boolean installed = System.getenv("PATH") != null && java.util.Arrays.stream(System.getenv("PATH")
                .split(File.pathSeparator)).anyMatch(d -> new File(d, "dot").canExecute());
        if (!installed) {
            assertFalse("1".equals(System.getenv("JGRAD_REQUIRE_GRAPHVIZ")),
                    "JGRAD_REQUIRE_GRAPHVIZ=1 but no dot on PATH: apt-get install graphviz");
            return;
        }
        Process p = new ProcessBuilder("dot", "-Tplain").redirectErrorStream(true).start();
        p.getOutputStream().write(dot.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), "dot rejected the graph: " + out + "\n" + dot);
        assertTrue(out.startsWith("graph "), out);
    }

    /** Every edge joins declared nodes, and braces balance. */
    private static int[] assertWellFormed(String dot) {
        java.util.Set<String> declared = new java.util.HashSet<>();
        Matcher m = NODE.matcher(dot);
        while (m.find()) {
            declared.add(m.group(1));
        }
        Matcher e = EDGE.matcher(dot);
        int edges = 0;
        while (e.find()) {
            assertTrue(declared.contains(e.group(1)) && declared.contains(e.group(2)), e.group());
            edges++;
        }
        assertTrue(dot.startsWith("digraph jgrad {\n") && dot.endsWith("}\n"));
        return new int[] {declared.size(), edges};
    }

    @Test
    void aSmallNetworkShowsOpsShapesSavedBytesAndNamedLeaves() throws Exception {
        SplittableRandom rng = new SplittableRandom(3);
        Tensor w = Tensor.randn(rng, DType.F64, 3, 4).requiresGrad(true);
        Tensor b = Tensor.randn(rng, DType.F64, 4).requiresGrad(true);
        Tensor x = Tensor.randn(rng, DType.F64, 2, 3);
        Tensor loss = x.matmul(w).add(b).relu().sum();
        Map<String, Tensor> params = new LinkedHashMap<>();
        params.put("fc.weight", w);
        params.put("fc.bias", b);
        params.put("unused \"quoted\"", Tensor.zeros(2).requiresGrad(true));
        String dot = GraphExport.dot(loss, params);
        int[] counts = assertWellFormed(dot);
        assertEquals(7, counts[0], "output, sum, relu, add, matmul and two leaves:\n" + dot);
        assertEquals(6, counts[1], dot);
        assertTrue(dot.contains("\"fc.weight\\n[3, 4] F64 " + w.device() + "\\nrequiresGrad\""), dot);
        assertTrue(dot.contains("\"fc.bias\\n[4] F64"), dot);
        assertFalse(dot.contains("unused"), "a tensor outside the graph is not drawn");
        assertTrue(dot.contains("matmul\\n[2, 4] F64"), dot);
        assertTrue(dot.contains("1 input without grad"), "x does not require grad:\n" + dot);
        // matmul saves x (48 B) and w (96 B); relu saves its [2, 4] F64 result or input (64 B).
        assertTrue(dot.contains("saved: 2 tensors, 144 B"), dot);
        assertTrue(dot.contains("output\\n[] F64"), dot);
        assertDotParses(dot);
        loss.backward();
        assertTrue(GraphExport.dot(loss).contains("saved: freed by backward"));
    }

    @Test
    void aModulesNamedParametersNameItsLeaves() throws Exception {
        Tensor.manualSeed(5);
        Sequential net = new Sequential(new Linear(3, 4), new ReLU(), new Linear(4, 2));
        Tensor loss = net.forward(Tensor.randn(new SplittableRandom(6), 5, 3)).sum();
        String dot = GraphExport.dot(loss, net.namedParameters());
        for (String name : new String[] {"0.weight\\n[4, 3]", "0.bias\\n[4]", "2.weight\\n[2, 4]", "2.bias\\n[2]"}) {
            assertTrue(dot.contains("\"" + name), name + " in\n" + dot);
        }
        assertFalse(dot.contains("\"leaf\\n"), "every leaf is a named parameter:\n" + dot);
        assertWellFormed(dot);
        assertDotParses(dot);
    }

    @Test
    void anomalyModeAddsCallSitesAndDeepGraphsExport() throws Exception {
        Tensor x = Tensor.ones(DType.F64, 2).requiresGrad(true);
        Tensor y;
        try (var a = Anomaly.detect()) {
            y = x.exp();
        }
        assertTrue(GraphExport.dot(y).contains("at dev.jgrad.autograd.GraphExportTest.anomalyModeAdds"),
                GraphExport.dot(y));
        Tensor deep = x;
        for (int i = 0; i < 20_000; i++) {
            deep = deep.mul(1.0);
        }
        String dot = GraphExport.dot(deep);
        assertEquals(20_002, assertWellFormed(dot)[0]);
        assertDotParses(GraphExport.dot(Tensor.zeros(3)));
        assertTrue(GraphExport.dot(Tensor.zeros(3)).contains("no grad"));
        assertThrows(IllegalArgumentException.class, () -> GraphExport.dot(null));
    }
}
