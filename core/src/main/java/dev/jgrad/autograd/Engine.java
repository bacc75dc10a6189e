package dev.jgrad.autograd;

import dev.jgrad.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs a backward pass: sorts the graph topologically with an explicit stack (so a chain of
 * 100,000 ops cannot overflow the call stack), then walks it from the outputs back, summing the
 * gradients that meet at each node before its rule runs once.
 */
final class Engine {
    private final List<Node> order = new ArrayList<>();
    private final Map<Node, Integer> position = new IdentityHashMap<>();
    /** Early release of intermediate gradients on a pooling device; null elsewhere. */
    private GradRelease release;

    private Engine() {
    }

    /**
     * @param roots       nodes the pass starts from
     * @param rootGrads   the gradient entering each root
     * @param targets     nodes whose incoming gradient is wanted (returned), or null for a
     *                    {@code backward()} that accumulates into leaves instead
     * @param createGraph whether rules run with grad mode on, making the gradients differentiable
     * @param retainGraph whether saved tensors survive for another pass
     * @return for each target, its summed gradient (null if none reached it); empty without targets
     */
    static Tensor[] run(Node[] roots, Tensor[] rootGrads, Node[] targets, boolean createGraph, boolean retainGraph) {
        Engine e = new Engine();
        for (Node r : roots) {
            e.sort(r);
        }
        boolean[] needed = e.needed(targets);
        Tensor[] grads = new Tensor[e.order.size()];
        for (int i = 0; i < roots.length; i++) {
            int p = e.position.get(roots[i]);
            grads[p] = sum(grads[p], rootGrads[i]);
        }
        Tensor[] captured = targets == null ? new Tensor[0] : new Tensor[targets.length];
        boolean previous = NoGrad.setEnabled(createGraph);
        boolean anomaly = Anomaly.isEnabled();
        if (anomaly) {
            Anomaly.enterBackward();
        }
        e.release = GradRelease.begin(rootGrads[0], createGraph);
        try {
            e.walk(grads, needed, targets, captured, retainGraph, rootGrads, anomaly);
        } finally {
            if (e.release != null) {
                e.release.end();
            }
            NoGrad.setEnabled(previous);
            if (anomaly) {
                Anomaly.exitBackward();
            }
        }
        return captured;
    }

    private void walk(Tensor[] grads, boolean[] needed, Node[] targets, Tensor[] captured, boolean retainGraph,
                      Tensor[] seeds, boolean anomaly) {
        Set<Object> held = null;
        List<Tensor> seen = new ArrayList<>(Arrays.asList(seeds));
        if (release != null) {
            release.holdAll(grads);
        }
        for (int p = order.size() - 1; p >= 0; p--) {
            Node node = order.get(p);
            Tensor g = grads[p];
            grads[p] = null;
            if (g == null || !needed[p]) {
                continue;
            }
            g = node.applyHooks(g, seen);
            if (targets != null) {
                capture(node, g, targets, captured);
            }
            if (node.isLeafAccumulator()) {
                if (targets == null) {
                    if (held == null) {
                        held = Collections.newSetFromMap(new IdentityHashMap<>());
                    }
                    node.accumulate(g, held, seen);
                }
                continue;
            }
            Tensor[] inputGrads = release == null ? node.runBackward(g) : release.runRule(node, g);
            if (anomaly) {
                Anomaly.checkBackward(node, g, inputGrads);
            }
            propagate(node, inputGrads, grads, seen, captured);
            if (release != null) {
                release.drop(g, seen, captured);
            }
            if (!retainGraph) {
                node.release();
            }
        }
    }

    private void propagate(Node node, Tensor[] inputGrads, Tensor[] grads, List<Tensor> seen, Tensor[] captured) {
        Node[] next = node.next();
        if (inputGrads.length != next.length) {
            throw new IllegalStateException(node.name() + ": backward returned " + inputGrads.length
                    + " gradients for " + next.length + " inputs");
        }
        if (release != null) {
            // every gradient is counted before any sum may drop one: a rule can return one tensor twice
            release.holdAll(inputGrads);
        }
        for (int i = 0; i < next.length; i++) {
            if (next[i] != null && inputGrads[i] != null) {
                int q = position.get(next[i]);
                Tensor before = grads[q];
                grads[q] = sum(before, inputGrads[i]);
                if (release != null && before != null) {
                    release.hold(grads[q]);
                    release.drop(before, seen, captured);
                    release.drop(inputGrads[i], seen, captured);
                }
            }
        }
    }

    private static void capture(Node node, Tensor g, Node[] targets, Tensor[] captured) {
        for (int t = 0; t < targets.length; t++) {
            if (targets[t] == node) {
                captured[t] = g;
            }
        }
    }

    private static Tensor sum(Tensor acc, Tensor g) {
        return acc == null ? g : acc.add(g);
    }

    /** Post-order DFS with an explicit stack: children land in {@code order} before parents. */
    private void sort(Node root) {
        if (position.containsKey(root)) {
            return;
        }
        List<Node> stack = new ArrayList<>();
        int[] childIndex = new int[16];
        stack.add(root);
        position.put(root, -1);
        while (!stack.isEmpty()) {
            int top = stack.size() - 1;
            Node n = stack.get(top);
            Node[] next = n.next();
            if (childIndex[top] < next.length) {
                Node c = next[childIndex[top]++];
                if (c != null && !position.containsKey(c)) {
                    position.put(c, -1);
                    stack.add(c);
                    if (stack.size() > childIndex.length) {
                        childIndex = Arrays.copyOf(childIndex, childIndex.length * 2);
                    }
                    childIndex[stack.size() - 1] = 0;
                }
            } else {
                stack.remove(top);
                position.put(n, order.size());
                order.add(n);
            }
        }
    }

    /** A node needs running when a target (or, without targets, a leaf) lies below it. */
    private boolean[] needed(Node[] targets) {
        boolean[] needed = new boolean[order.size()];
        for (int p = 0; p < order.size(); p++) {
            Node n = order.get(p);
            boolean need = targets == null ? n.isLeafAccumulator() : isTarget(n, targets);
            for (Node c : n.next()) {
                need |= c != null && needed[position.get(c)];
            }
            needed[p] = need;
        }
        return needed;
    }

    private static boolean isTarget(Node n, Node[] targets) {
        for (Node t : targets) {
            if (t == n) {
                return true;
            }
        }
        return false;
    }
}
