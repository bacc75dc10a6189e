package dev.jgrad.conformance;

import static dev.jgrad.conformance.Arg.index;
import static dev.jgrad.conformance.Arg.normal;

import dev.jgrad.Tensor;
import dev.jgrad.nn.BatchNorm1d;
import dev.jgrad.nn.BatchNorm2d;
import dev.jgrad.nn.Conv2d;
import dev.jgrad.nn.Embedding;
import dev.jgrad.nn.GRU;
import dev.jgrad.nn.LSTM;
import dev.jgrad.nn.LayerNorm;
import dev.jgrad.nn.Linear;
import dev.jgrad.nn.Module;
import dev.jgrad.nn.RNN;
import dev.jgrad.nn.Recurrent;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Supplier;

/**
 * Layer rows: a module whose parameters and buffers are the same on every backend (built once, its
 * state dict loaded everywhere), run forward on the row's inputs; the kit compares the outputs, the
 * gradients of every input and parameter, and the buffers afterwards (batch norm's running
 * statistics) against {@code reference}. The recurrent rows cover every cell, one and two layers,
 * {@code batchFirst}, passed-in states and the final state as outputs.
 */
public final class LayerTable {
    private LayerTable() {
    }

    /**
     * One layer row.
     *
     * @param name  a readable label, unique in the table
     * @param make  builds the module (its random initialisation is replaced by the shared state)
     * @param args  the inputs
     * @param run   the computation: module and inputs to the outputs compared
     */
    public record LayerCase(String name, Supplier<Module> make, List<Arg> args,
                            BiFunction<Module, List<Tensor>, List<Tensor>> run) {
        @Override
        public String toString() {
            return name;
        }
    }

    /** @return every layer row */
    public static List<LayerCase> all() {
        return List.of(
            plain("Linear 7->5", () -> new Linear(7, 5), normal(3, 7)),
            plain("Conv2d 4->6 k3 s2 p1 d1 g2", () -> new Conv2d(4, 6, 3, 2, 1, 1, 2, true), normal(2, 4, 7, 6)),
            plain("BatchNorm2d(3) train", () -> new BatchNorm2d(3), normal(4, 3, 5, 7)),
            plain("BatchNorm1d(19) train", () -> new BatchNorm1d(19), normal(6, 19)),
            plain("LayerNorm[4,5]", () -> new LayerNorm(4, 5), normal(3, 4, 5)),
            new LayerCase("Embedding(9,4)", () -> new Embedding(9, 4), List.of(index(9, 3, 2)),
                    (m, x) -> List.of(m.forward(x.get(0)))),
            plain("RNN(3,4) zero state", () -> new RNN(3, 4), normal(5, 2, 3)),
            recurrent("RNN(3,4,2 layers) state", () -> new RNN(3, 4, 2, false), false, normal(5, 2, 3),
                    normal(2, 2, 4)),
            plain("LSTM(5,7) zero state", () -> new LSTM(5, 7), normal(6, 3, 5)),
            recurrent("LSTM(3,4,2 layers,batchFirst) state", () -> new LSTM(3, 4, 2, true), true, normal(2, 5, 3),
                    normal(2, 2, 4), normal(2, 2, 4)),
            recurrent("LSTM(6,20,2 layers) state, H past one vector", () -> new LSTM(6, 20, 2, false), true,
                    normal(4, 5, 6), normal(2, 5, 20), normal(2, 5, 20)),
            plain("GRU(4,5) zero state", () -> new GRU(4, 5), normal(6, 3, 4)),
            recurrent("GRU(3,4,2 layers) state", () -> new GRU(3, 4, 2, false), false, normal(5, 2, 3),
                    normal(2, 2, 4)),
            recurrent("GRU(3,6,1 layer,batchFirst) state", () -> new GRU(3, 6, 1, true), false, normal(2, 19, 3),
                    normal(1, 2, 6)),
            recurrent("GRU(6,20,2 layers) state, H past one vector", () -> new GRU(6, 20, 2, false), false,
                    normal(4, 5, 6), normal(2, 5, 20)));
    }

    private static LayerCase plain(String name, Supplier<Module> make, Arg input) {
        return new LayerCase(name, make, List.of(input), (m, x) -> List.of(m.forward(x.get(0))));
    }

    /** A recurrent row with a passed-in state ({@code h}, and {@code c} when {@code cell}); outputs the sequence and final state. */
    private static LayerCase recurrent(String name, Supplier<Module> make, boolean cell, Arg... args) {
        return new LayerCase(name, make, List.of(args), (m, x) -> {
            Recurrent.Output o = ((Recurrent) m).forward(x.get(0),
                    new Recurrent.State(x.get(1), cell ? x.get(2) : null));
            return cell ? List.of(o.output(), o.state().h(), o.state().c()) : List.of(o.output(), o.state().h());
        });
    }
}
