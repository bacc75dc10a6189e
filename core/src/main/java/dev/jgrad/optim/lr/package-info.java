/**
 * Learning-rate schedules on one base class, {@link dev.jgrad.optim.lr.LRScheduler}: each
 * {@code step()} sets the lr of every parameter group of its optimizer to the next value of the
 * schedule, matching PyTorch 1.13's schedulers step for step. Schedules modify only their
 * optimizer's group learning rates (and, once, each group's {@code initialLr}); bad arguments throw
 * {@link IllegalArgumentException} naming the schedule and the value. Not thread-safe.
 */
package dev.jgrad.optim.lr;
