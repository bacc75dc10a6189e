package dev.jgrad.autograd;

import dev.jgrad.Tensor;
import dev.jgrad.internal.Internals;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Writes the autograd graph behind a tensor as Graphviz DOT ({@code dot -Tsvg graph.dot > graph.svg}),
 * as torchviz's {@code make_dot} does for PyTorch. Data flows along the edges, from the leaves (blue
 * ellipses: the tensors that require grad, named when a name is given) through the ops (boxes, each
 * with its output shape, dtype and device, the bytes of the tensors it saved for backward, and the
 * user's call site when the graph was recorded in {@link Anomaly} mode) to the output (the green
 * box). Inputs that do not require grad take no part in backward and are not drawn; an op lists how
 * many it had. The walk is iterative, so graphs of any depth export.
 */
public final class GraphExport {
    private GraphExport() {
    }

    /** {@link #dot(Tensor, Map)} with no leaf names. */
    public static String dot(Tensor output) {
        return dot(output, Map.of());
    }

    /**
     * @param output     the tensor whose graph to draw (not modified)
     * @param leafNames  names for leaf tensors, e.g. a module's {@code namedParameters()}; tensors that
     *                   are not leaves of this graph are ignored
     * @return the graph as a DOT {@code digraph}
     * @throws IllegalArgumentException if {@code output} or {@code leafNames} is null
     */
    public static String dot(Tensor output, Map<String, Tensor> leafNames) {
        if (output == null || leafNames == null) {
            throw new IllegalArgumentException("GraphExport.dot: the output and the name map must not be null");
        }
        Map<Node, String> names = new IdentityHashMap<>();
        for (Map.Entry<String, Tensor> e : leafNames.entrySet()) {
            Tensor t = e.getValue();
            if (t != null && t.isLeaf() && t.requiresGrad()) {
                names.put(Internals.bridge().gradEdge(t), e.getKey());
            }
        }
        StringBuilder out = new StringBuilder("digraph jgrad {\n");
        out.append("  graph [rankdir=TB];\n  node [shape=box, fontname=\"monospace\", fontsize=10];\n");
        out.append("  output [label=").append(quote("output\n" + describe(output)))
                .append(", style=filled, fillcolor=\"#c8e6c9\"];\n");
        Node root = output.gradFn() != null ? output.gradFn() : output.isLeaf() ? Internals.bridge().gradEdge(output) : null;
        if (root != null) {
            long saved = writeNodes(root, names, out);
            out.append("  n0 -> output;\n");
            out.append("  label=").append(quote("saved for backward: " + bytes(saved))).append(";\n");
        }
        return out.append("}\n").toString();
    }

    /** Numbers the nodes breadth-first from the root, writes each with its incoming edges; @return saved bytes. */
    private static long writeNodes(Node root, Map<Node, String> names, StringBuilder out) {
        Map<Node, Integer> ids = new IdentityHashMap<>();
        Set<Tensor> counted = Collections.newSetFromMap(new IdentityHashMap<>());
        Deque<Node> queue = new ArrayDeque<>();
        ids.put(root, 0);
        queue.add(root);
        long total = 0;
        while (!queue.isEmpty()) {
            Node n = queue.poll();
            int id = ids.get(n);
            out.append("  n").append(id).append(' ').append(attributes(n, names)).append(";\n");
            total += savedBytes(n, counted);
            for (Node in : n.next()) {
                if (in == null) {
                    continue;
                }
                Integer inId = ids.get(in);
                if (inId == null) {
                    inId = ids.size();
                    ids.put(in, inId);
                    queue.add(in);
                }
                out.append("  n").append(inId).append(" -> n").append(id).append(";\n");
            }
        }
        return total;
    }

    private static String attributes(Node n, Map<Node, String> names) {
        List<String> lines = new ArrayList<>();
        if (n.isLeafAccumulator()) {
            String name = names.get(n);
            lines.add(name != null ? name : "leaf");
            lines.add(shapeOf(n));
            lines.add("requiresGrad");
            return "[label=" + quote(String.join("\n", lines)) + ", shape=ellipse, style=filled, fillcolor=\"#bbdefb\"]";
        }
        lines.add(n.name());
        lines.add(shapeOf(n));
        Tensor[] saved = n.savedTensors();
        lines.add(saved == null ? "saved: freed by backward" : "saved: " + count(saved) + " tensors, "
                + bytes(savedBytes(n, Collections.newSetFromMap(new IdentityHashMap<>()))));
        long noGrad = Arrays.stream(n.next()).filter(x -> x == null).count();
        if (noGrad > 0) {
            lines.add(noGrad + (noGrad == 1 ? " input" : " inputs") + " without grad");
        }
        if (n.callSite() != null) {
            lines.add("at " + n.callSite());
        }
        return "[label=" + quote(String.join("\n", lines)) + "]";
    }

    private static String shapeOf(Node n) {
        return n.outputShape() == null ? "(shape not recorded)"
                : Arrays.toString(n.outputShape()) + " " + n.outputDType() + " " + n.outputDevice();
    }

    private static String describe(Tensor t) {
        return Arrays.toString(t.shape()) + " " + t.dtype() + " " + t.device()
                + (t.requiresGrad() ? "\nrequiresGrad" : "\nno grad");
    }

    private static int count(Tensor[] saved) {
        int c = 0;
        for (Tensor t : saved) {
            c += t == null ? 0 : 1;
        }
        return c;
    }

    /** @return bytes of the node's saved tensors not already in {@code counted} (which it extends) */
    private static long savedBytes(Node n, Set<Tensor> counted) {
        Tensor[] saved = n.savedTensors();
        long b = 0;
        if (saved != null) {
            for (Tensor t : saved) {
                if (t != null && counted.add(t)) {
                    b += (long) t.numel() * t.dtype().byteSize();
                }
            }
        }
        return b;
    }

    private static String bytes(long b) {
        return b < 1024 ? b + " B" : b < 1 << 20 ? String.format(Locale.ROOT, "%.1f KiB", b / 1024.0)
                : String.format(Locale.ROOT, "%.1f MiB", b / (1024.0 * 1024));
    }

    /** @return {@code s} as a DOT string literal: quotes and backslashes escaped, newlines as centred breaks */
    static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
    }
}
