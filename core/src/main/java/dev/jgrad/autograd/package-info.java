/**
 * Reverse-mode automatic differentiation: the graph ({@link dev.jgrad.autograd.Node}), the engine
 * that walks it, the grad-mode switch ({@link dev.jgrad.autograd.NoGrad}), functional gradients
 * ({@link dev.jgrad.autograd.Autograd}) and finite-difference checks
 * ({@link dev.jgrad.autograd.GradCheck}); for research on gradients, functional transforms
 * ({@link dev.jgrad.autograd.Transforms}: Jacobians, Hessians, vector products), anomaly mode
 * ({@link dev.jgrad.autograd.Anomaly}) and Graphviz export ({@link dev.jgrad.autograd.GraphExport}).
 *
 * <p>Shared rules: arguments are never null unless a parameter says so. Grad mode is per thread;
 * a graph may be built on one thread and differentiated on another, but not concurrently.
 */
package dev.jgrad.autograd;
