/**
 * Optimizers ({@link dev.jgrad.optim.SGD}, {@link dev.jgrad.optim.Adam}, {@link dev.jgrad.optim.AdamW},
 * {@link dev.jgrad.optim.RMSprop}, {@link dev.jgrad.optim.Adagrad}) and gradient clipping
 * ({@link dev.jgrad.optim.GradClip}), with PyTorch 1.13's formulas and defaults.
 *
 * <p>Shared rules: optimizers modify their parameters and their own state in place and nothing else
 * (gradients are only read; {@code zeroGrad} sets them to null); {@code GradClip} modifies gradients
 * in place. Every step runs under no-grad through the in-place gate, validating all parameters before
 * writing any, so a failed call changes nothing. Bad arguments throw {@link IllegalArgumentException}
 * naming the optimizer, the parameter index and the values; null arguments throw
 * {@link NullPointerException} or, inside parameter lists, {@link IllegalArgumentException}.
 * Optimizers are not thread-safe: step one from one thread at a time.
 */
package dev.jgrad.optim;
