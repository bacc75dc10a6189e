package dev.jgrad.train;

import java.io.PrintStream;
import java.util.Locale;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Per-epoch feedback: in {@link Output#BAR} mode a progressbar redrawn as batches finish; in every
 * mode but {@link Output#SILENT} one summary line per epoch.
 */
final class Progress {
    private final Output mode;
    private final PrintStream out;
    private ProgressBar bar;
    private long started;

    Progress(Output mode, PrintStream out) {
        this.mode = mode.resolve();
        this.out = out;
    }

    void startEpoch(int epoch, int epochs, int batches) {
        started = System.nanoTime();
        if (mode == Output.BAR) {
            bar = new ProgressBarBuilder().setTaskName(String.format(Locale.ROOT, "epoch %d/%d", epoch, epochs))
                    .setInitialMax(batches).setUnit(" batches", 1).setUpdateIntervalMillis(200)
                    .setStyle(ProgressBarStyle.COLORFUL_UNICODE_BLOCK).setConsumer(new ConsoleProgressBarConsumer(out))
                    .continuousUpdate().build();
        }
    }

    /** After each batch: the running mean loss and accuracy (NaN when not computed) and examples so far. */
    void step(double meanLoss, double accuracy, long examples) {
        if (bar == null) {
            return;
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        // Short: the bar library cuts the line at the terminal's width.
        String acc = Double.isNaN(accuracy) ? "" : String.format(Locale.ROOT, " acc %.1f%%", 100 * accuracy);
        bar.setExtraMessage(String.format(Locale.ROOT, "loss %.3f%s %.0f ex/s", meanLoss, acc, examples / seconds));
        bar.step();
    }

    /** Ends the epoch's bar (if any) and prints its summary line. */
    void endEpoch(String summary) {
        if (bar != null) {
            bar.close();
            bar = null;
        }
        if (mode != Output.SILENT) {
            out.println(summary);
            out.flush();
        }
    }

    /** Prints a line of its own (a stop reason), unless silent. */
    void message(String line) {
        endEpochBarOnly();
        if (mode != Output.SILENT) {
            out.println(line);
            out.flush();
        }
    }

    private void endEpochBarOnly() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }
}
