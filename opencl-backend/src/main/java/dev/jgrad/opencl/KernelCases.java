package dev.jgrad.opencl;

import dev.jgrad.backend.BinaryOp;
import dev.jgrad.backend.ReduceOp;
import dev.jgrad.backend.UnaryOp;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The check that makes the op enums the one source of truth for the kernels' switches: every
 * constant of {@link UnaryOp}, {@link BinaryOp} and {@link ReduceOp} must have a {@code case} in
 * the OpenCL function that dispatches on it. {@link Programs} runs it before compiling, so a new
 * op without a kernel case fails the build of the program with the names of what is missing,
 * instead of computing the switch's {@code default} (NaN) silently.
 */
final class KernelCases {
    /**
     * One switch of the sources.
     *
     * @param function the OpenCL function holding the switch
     * @param prefix   the macro prefix of its case labels ({@code U_}, {@code B_}, {@code R_})
     * @param ops      the constants that need a case
     */
    record Switch(String function, String prefix, Enum<?>[] ops) {
    }

    /** The switches of the kernel sources and the enums they dispatch on. */
    static final List<Switch> SWITCHES = List.of(
            new Switch("unary_op", "U_", UnaryOp.values()),
            new Switch("binary_op", "B_", BinaryOp.values()),
            new Switch("reduce_identity", "R_", ReduceOp.values()),
            new Switch("better", "R_", ReduceOp.values()));

    private KernelCases() {
    }

    /**
     * @param source the concatenated kernel sources
     * @throws IllegalStateException naming every function and op without a case
     */
    static void check(String source) {
        List<String> missing = new ArrayList<>();
        for (Switch s : SWITCHES) {
            String body = body(source, s.function());
            for (Enum<?> op : s.ops()) {
                if (!Pattern.compile("\\bcase\\s+" + s.prefix() + op.name() + "\\s*:").matcher(body).find()) {
                    missing.add(s.function() + ": " + op.getDeclaringClass().getSimpleName() + "." + op.name());
                }
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalStateException("opencl: the kernel sources have no case for " + missing
                    + "; add a 'case <prefix><NAME>:' for each to that function's switch in the .cl sources");
        }
    }

    /** @return the body of the first definition of {@code function} (from its opening brace to the matching one) */
    private static String body(String source, String function) {
        Matcher m = Pattern.compile("\\binline\\s+\\w+\\s+" + function + "\\s*\\([^)]*\\)\\s*\\{").matcher(source);
        if (!m.find()) {
            throw new IllegalStateException("opencl: the kernel sources define no function " + function
                    + ", whose switch must cover every op of its enum");
        }
        int depth = 1, i = m.end();
        while (depth > 0 && i < source.length()) {
            char c = source.charAt(i++);
            depth += c == '{' ? 1 : c == '}' ? -1 : 0;
        }
        return source.substring(m.end(), i);
    }
}
