/**
 * A small training loop for jgrad models ({@link dev.jgrad.train.Trainer}), in the spirit of Keras'
 * {@code fit} and DJL's EasyTrain: metrics, callbacks (early stopping, checkpoints, a hook after each
 * backward pass), a {@link dev.jgrad.train.History} written as CSV and PNG plots, a terminal progress
 * bar (me.tongfei:progressbar) and plots drawn headless with XChart.
 *
 * <p>Shared rules: arguments are non-null unless a method says otherwise; nothing here is
 * thread-safe (a trainer, its metrics and callbacks belong to the thread that calls
 * {@code fit}). Metrics and callbacks see tensors that are not recorded (under no-grad).
 */
package dev.jgrad.train;
