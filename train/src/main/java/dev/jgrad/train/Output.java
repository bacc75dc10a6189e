package dev.jgrad.train;

import java.io.Console;

/** How a {@link Trainer} reports progress. */
public enum Output {
    /** {@link #BAR} when standard output is a terminal, else {@link #PLAIN}. */
    AUTO,
    /** A progress bar per epoch, redrawn in place (batches, loss, accuracy, examples/s, ETA), then the epoch's line. */
    BAR,
    /** One plain line per epoch, no carriage returns or escape codes: for CI logs and files. */
    PLAIN,
    /** Nothing. */
    SILENT;

    /**
     * @return this mode with {@link #AUTO} decided: {@link #BAR} only when the JVM has a console that
     *         is an interactive terminal (JDK 22+ gives a console even when output is redirected,
     *         hence {@link Console#isTerminal()}), and {@code TERM} is not {@code dumb}
     */
    public Output resolve() {
        if (this != AUTO) {
            return this;
        }
        Console c = System.console();
        boolean tty = c != null && c.isTerminal() && !"dumb".equals(System.getenv("TERM"));
        return tty ? BAR : PLAIN;
    }
}
