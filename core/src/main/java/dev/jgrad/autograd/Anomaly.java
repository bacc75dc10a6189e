package dev.jgrad.autograd;

import dev.jgrad.Tensor;
import java.net.URL;
import java.security.CodeSource;
import java.util.Arrays;
import java.util.Optional;

/**
 * Anomaly detection, PyTorch's {@code detect_anomaly} with Java call sites:
 * <pre>{@code try (var a = Anomaly.detect()) { loss = model(x); loss.backward(); }}</pre>
 * Inside the scope every op remembers the line of user code that called it (the first stack frame
 * outside jgrad itself), and the first op that produces a NaN or an infinity, in its forward result
 * or in a gradient its backward computes, throws a {@link NonFiniteException} naming the op, the
 * shapes, the phase and that call site, e.g.
 * {@code log (forward) produced NaN at flat index 2 of its F64 [4] output (inputs: F64 [4]); called
 * at com.acme.MyNet.forward(MyNet.java:42)}.
 *
 * <p>The mode is per thread; scopes nest, and closing one restores the mode it found (as
 * {@link NoGrad}). Backward checks run when the mode is on during {@code backward()}; a call site is
 * known for ops recorded while it was on. Off, the cost is one read of a static field per op. On,
 * every op's output is read back to the host and a stack walk runs per recorded op: a debugging tool.
 */
public final class Anomaly implements AutoCloseable {
    /** Per thread: whether the mode is on, and how deep inside a backward walk we are. */
    private static final class State {
        boolean enabled;
        int backwardDepth;
    }

    private static final ThreadLocal<State> STATE = ThreadLocal.withInitial(State::new);
    /** Scopes open on any thread: the one field read when the mode is off everywhere. */
    private static volatile int openScopes;
    private static final StackWalker WALKER = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE);
    private static final URL CORE_LOCATION = location(Anomaly.class);

    private final boolean previous;
    private boolean closed;

    private Anomaly(boolean previous) {
        this.previous = previous;
    }

    /** @return a scope in which this thread detects anomalies until it is closed */
    public static Anomaly detect() {
        State s = STATE.get();
        Anomaly scope = new Anomaly(s.enabled);
        s.enabled = true;
        synchronized (Anomaly.class) {
            openScopes++;
        }
        return scope;
    }

    /** @return whether anomaly detection is on for this thread */
    public static boolean isEnabled() {
        return openScopes != 0 && STATE.get().enabled;
    }

    /** Restores the mode that was current when this scope was entered; idempotent. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            STATE.get().enabled = previous;
            synchronized (Anomaly.class) {
                openScopes--;
            }
        }
    }

    /**
     * The forward check every op runs when the mode is on (ops call it; user code may too): throws
     * if {@code out} holds a NaN or an infinity. Skipped inside a backward walk, whose results are
     * checked per node by the engine instead.
     *
     * @param op     the op's name
     * @param out    its result
     * @param inputs its inputs, for the message
     * @throws NonFiniteException naming the op, the shapes and the caller's line
     */
    public static void checkForward(String op, Tensor out, Tensor... inputs) {
        if (!isEnabled() || STATE.get().backwardDepth > 0 || !out.dtype().isFloatingPoint()) {
            return;
        }
        int bad = firstNonFinite(out);
        if (bad >= 0) {
            String site = callSite();
            throw new NonFiniteException(op, "forward", site, op + " (forward) produced " + value(out, bad)
                    + " at flat index " + bad + " of its " + describe(out) + " output (inputs: " + describe(inputs)
                    + "); called at " + site);
        }
    }

    /** Checks the gradients a node's backward returned (engine, mode on). */
    static void checkBackward(Node node, Tensor gradOutput, Tensor[] inputGrads) {
        for (int i = 0; i < inputGrads.length; i++) {
            Tensor g = inputGrads[i];
            int bad = g == null ? -1 : firstNonFinite(g);
            if (bad >= 0) {
                String site = node.callSite() != null ? node.callSite()
                        : "an unknown site (the op was recorded outside Anomaly.detect(); enter it before the forward)";
                throw new NonFiniteException(node.name(), "backward", node.callSite(), node.name()
                        + " (backward) produced " + value(g, bad) + " at flat index " + bad + " of the gradient for"
                        + " its input " + i + ", " + describe(g) + " (gradient of its output: " + describe(gradOutput)
                        + "); the op was called at " + site);
            }
        }
    }

    /** Marks this thread as inside a backward walk (the engine, mode on); pair with {@link #exitBackward}. */
    static void enterBackward() {
        STATE.get().backwardDepth++;
    }

    static void exitBackward() {
        STATE.get().backwardDepth--;
    }

    /**
     * @return the first stack frame outside jgrad-core and the JDK, as
     * {@code com.acme.MyNet.forward(MyNet.java:42)}, or {@code "unknown"} if there is none
     */
    static String callSite() {
        Optional<StackWalker.StackFrame> frame = WALKER.walk(frames -> frames
                .filter(f -> !isInternal(f.getDeclaringClass())).findFirst());
        return frame.map(f -> f.getClassName() + "." + f.getMethodName() + "(" + f.getFileName() + ":"
                + f.getLineNumber() + ")").orElse("unknown");
    }

    /**
     * jgrad-core's own classes and the JDK's. On the class path a class is jgrad's when it is in a
     * {@code dev.jgrad} package and was loaded from the same jar or directory as this class: jgrad's
     * own tests and examples count as user code, and so does user code shaded into one jar with jgrad.
     */
    private static boolean isInternal(Class<?> c) {
        Module m = c.getModule();
        if (m.isNamed() && m != Anomaly.class.getModule()) {
            return m.getName().startsWith("java.") || m.getName().startsWith("jdk.");
        }
        // Tests patched into jgrad's module come from another directory, so they stay user code there too.
        return c.getName().startsWith("dev.jgrad.") && (CORE_LOCATION == null || CORE_LOCATION.equals(location(c)));
    }

    private static URL location(Class<?> c) {
        CodeSource cs = c.getProtectionDomain().getCodeSource();
        return cs == null ? null : cs.getLocation();
    }

    /** @return the flat index of the first NaN or infinity, or -1 */
    private static int firstNonFinite(Tensor t) {
        if (!t.dtype().isFloatingPoint()) {
            return -1;
        }
        double[] v = t.toDoubleArray();
        for (int i = 0; i < v.length; i++) {
            if (!Double.isFinite(v[i])) {
                return i;
            }
        }
        return -1;
    }

    private static String value(Tensor t, int i) {
        double v = t.toDoubleArray()[i];
        return Double.isNaN(v) ? "NaN" : v > 0 ? "+Inf" : "-Inf";
    }

    private static String describe(Tensor... ts) {
        StringBuilder sb = new StringBuilder();
        for (Tensor t : ts) {
            sb.append(sb.isEmpty() ? "" : ", ").append(t == null ? "none" : t.dtype() + " " + Arrays.toString(t.shape()));
        }
        return sb.isEmpty() ? "none" : sb.toString();
    }

    /**
     * Thrown by anomaly mode at the first NaN or infinity an op produces. An
     * {@link ArithmeticException}: the arithmetic went out of the finite numbers.
     */
    public static final class NonFiniteException extends ArithmeticException {
        private static final long serialVersionUID = 1L;
        private final String op;
        private final String phase;
        private final String callSite;

        NonFiniteException(String op, String phase, String callSite, String message) {
            super(message);
            this.op = op;
            this.phase = phase;
            this.callSite = callSite;
        }

        /** @return the op's name, e.g. {@code log} */
        public String op() {
            return op;
        }

        /** @return {@code "forward"} or {@code "backward"} */
        public String phase() {
            return phase;
        }

        /** @return the user's line that called the op, e.g. {@code a.B.m(B.java:42)}, or null if unknown */
        public String callSite() {
            return callSite;
        }
    }
}
