package dev.jgrad.nn;

import dev.jgrad.Tensor;
import dev.jgrad.autograd.NoGrad;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link Module#loadStateDict}: validate everything, convert everything, then copy. Splitting the
 * work this way is what makes the load all-or-nothing: the only step that writes comes after every
 * step that can fail.
 */
final class StateLoader {
    private StateLoader() {
    }

    /**
     * @param owner    the module's class name, for messages
     * @param expected the module's live state dict
     * @param given    the values to load
     */
    static void load(String owner, Map<String, Tensor> expected, Map<String, Tensor> given) {
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, Tensor> e : expected.entrySet()) {
            String key = e.getKey();
            if (!given.containsKey(key)) {
                problems.add("missing key '" + key + "' (expected shape " + Arrays.toString(e.getValue().shape()) + ")");
                continue;
            }
            Tensor v = given.get(key);
            if (v == null) {
                problems.add("key '" + key + "' maps to null (expected shape " + Arrays.toString(e.getValue().shape())
                        + ")");
            } else if (!Arrays.equals(v.shape(), e.getValue().shape())) {
                problems.add("shape mismatch for '" + key + "': expected " + Arrays.toString(e.getValue().shape())
                        + ", given " + Arrays.toString(v.shape()));
            }
        }
        for (Map.Entry<String, Tensor> e : given.entrySet()) {
            if (!expected.containsKey(e.getKey())) {
                Tensor v = e.getValue();
                problems.add("unexpected key '" + e.getKey() + "' (given shape "
                        + (v == null ? "null" : Arrays.toString(v.shape())) + ")");
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(owner + ".loadStateDict: " + problems.size()
                    + " problem(s), nothing was loaded:\n  " + String.join("\n  ", problems));
        }
        try (var g = NoGrad.enter()) {
            Map<Tensor, Tensor> converted = new LinkedHashMap<>();
            for (Map.Entry<String, Tensor> e : expected.entrySet()) {
                Tensor dst = e.getValue();
                converted.put(dst, given.get(e.getKey()).detach().to(dst.dtype()).to(dst.device().name()));
            }
            converted.forEach(Tensor::copyInPlace);
        }
    }
}
