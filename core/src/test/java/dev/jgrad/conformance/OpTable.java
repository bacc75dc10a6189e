package dev.jgrad.conformance;

import static dev.jgrad.conformance.Arg.index;
import static dev.jgrad.conformance.Arg.kinkSafe;
import static dev.jgrad.conformance.Arg.mask;
import static dev.jgrad.conformance.Arg.nonFinite;
import static dev.jgrad.conformance.Arg.normal;
import static dev.jgrad.conformance.Arg.positive;
import static dev.jgrad.conformance.Arg.prob;
import static dev.jgrad.conformance.OpCase.of;
import static dev.jgrad.conformance.OpCase.smooth;

import dev.jgrad.Tensor;
import dev.jgrad.conformance.Arg.Kind;
import dev.jgrad.nn.Functional;
import dev.jgrad.nn.Losses;
import dev.jgrad.nn.Reduction;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The op table. Adding an op to jgrad means adding its rows here; every backend and the gradient
 * checks then cover it. Shapes deliberately include broadcasting, empty tensors, size-1 dims and
 * lengths that are not multiples of any vector width (7, 19, 37).
 */
public final class OpTable {
    private OpTable() {
    }

    /** @return every row: {@link #finite()}, {@link #nonFiniteRows()} and {@link #largeRows()} */
    public static List<OpCase> all() {
        List<OpCase> rows = new ArrayList<>(finite());
        rows.addAll(nonFiniteRows());
        rows.addAll(largeRows());
        return rows;
    }

    /**
     * Products large enough for a backend's large-product paths (the cpu backend on two threads
     * computes a product's {@code dA} and {@code dB} side by side from about a million
     * multiply-adds each); too large for finite differences, so checked against reference only.
     */
    public static List<OpCase> largeRows() {
        return List.of(
            of("matmul[96,80]@[80,160]", x -> x.get(0).matmul(x.get(1)), normal(96, 80), normal(80, 160)),
            of("matmul[96,80]@[160,80]ᵀ", x -> x.get(0).matmul(x.get(1).transpose(0, 1)), normal(96, 80),
                    normal(160, 80)),
            of("matmul[80,96]ᵀ@[80,160]", x -> x.get(0).transpose(0, 1).matmul(x.get(1)), normal(80, 96),
                    normal(80, 160)),
            of("linear relu [64,128]·[256,128]ᵀ", x -> Functional.linear(x.get(0), x.get(1), x.get(2),
                    Functional.Activation.RELU), normal(64, 128), normal(256, 128), normal(256)));
    }

    /**
     * Every reduction and loss on inputs holding +Inf, -Inf, both, or NaN: each backend must give
     * the IEEE result the reference gives (mean([1, +Inf, 2]) is +Inf; +Inf + -Inf is NaN; max
     * propagates NaN; argmax finds the first NaN), forward and backward. Finite differences do not
     * apply to these rows (GradCheckTest skips them).
     */
    public static List<OpCase> nonFiniteRows() {
        List<OpCase> rows = new ArrayList<>();
        for (Kind k : List.of(Kind.POS_INF, Kind.NEG_INF, Kind.BOTH_INF, Kind.NAN)) {
            String tag = " " + k;
            rows.addAll(List.of(
                of("sum[3,7]" + tag, x -> x.get(0).sum(), nonFinite(k, 3, 7)),
                of("sum[3]" + tag, x -> x.get(0).sum(), nonFinite(k, 3)),
                of("sum[130,130]" + tag, x -> x.get(0).sum(), nonFinite(k, 130, 130)),
                of("sum[4,5]dim1" + tag, x -> x.get(0).sum(1, false), nonFinite(k, 4, 5)),
                of("sum[4,5]dim0" + tag, x -> x.get(0).sum(0, true), nonFinite(k, 4, 5)),
                of("mean[3]" + tag, x -> x.get(0).mean(), nonFinite(k, 3)),
                of("mean[4,5]dim-1" + tag, x -> x.get(0).mean(-1, false), nonFinite(k, 4, 5)),
                of("max[4,7]dim1" + tag, x -> x.get(0).max(1, false), nonFinite(k, 4, 7)),
                of("min[5,3]dim0" + tag, x -> x.get(0).min(0, true), nonFinite(k, 5, 3)),
                of("maxAll[19]" + tag, x -> x.get(0).max(), nonFinite(k, 19)),
                of("argmax[4,7]dim1" + tag, x -> x.get(0).argmax(1), nonFinite(k, 4, 7)),
                of("argmin[5,3]dim0" + tag, x -> x.get(0).argmin(0), nonFinite(k, 5, 3)),
                of("mse pred" + tag, x -> Losses.mse(x.get(0), x.get(1)), nonFinite(k, 4, 3), normal(4, 3)),
                of("mse target" + tag, x -> Losses.mse(x.get(0), x.get(1)), normal(4, 3), nonFinite(k, 4, 3)),
                // the non-finite logit (flat position 1: row 0, class 1) sits at row 0's label
                of("crossEntropy at label" + tag, x -> Losses.crossEntropy(x.get(0), labels(x.get(0), 1, 2, 0)),
                        nonFinite(k, 3, 4)),
                of("crossEntropy off label" + tag, x -> Losses.crossEntropy(x.get(0), labels(x.get(0), 3, 2, 0)),
                        nonFinite(k, 3, 4)),
                of("nll at label" + tag, x -> Losses.nll(x.get(0), labels(x.get(0), 1, 0, 3)), nonFinite(k, 3, 4)),
                of("bceWithLogits" + tag, x -> Losses.binaryCrossEntropyWithLogits(x.get(0), x.get(1)),
                        nonFinite(k, 3, 2), prob(3, 2))));
        }
        return rows;
    }

    private static Tensor labels(Tensor like, long... l) {
        return Tensor.of(l, l.length).to(like.device().name());
    }

    /** @return the rows on finite inputs, which the gradient checks also use */
    public static List<OpCase> finite() {
        return List.of(
            // broadcasting binary arithmetic
            smooth("add[3,4]+[4]", x -> x.get(0).add(x.get(1)), normal(3, 4), normal(4)),
            smooth("add[2,1,3]+[4,1]", x -> x.get(0).add(x.get(1)), normal(2, 1, 3), normal(4, 1)),
            of("add[0,3]+[3]", x -> x.get(0).add(x.get(1)), normal(0, 3), normal(3)),
            smooth("sub[37]-[1]", x -> x.get(0).sub(x.get(1)), normal(37), normal(1)),
            smooth("mul[3,19]*[3,1]", x -> x.get(0).mul(x.get(1)), normal(3, 19), normal(3, 1)),
            smooth("div[5,7]/[7]", x -> x.get(0).div(x.get(1)), normal(5, 7), positive(7)),
            of("maximum[4,5]", x -> x.get(0).maximum(x.get(1)), kinkSafe(4, 5), kinkSafe(4, 5)),
            of("minimum[3,4]vs[4]", x -> x.get(0).minimum(x.get(1)), kinkSafe(3, 4), kinkSafe(4)),
            smooth("addScalar[7]", x -> x.get(0).add(2.5), normal(7)),
            smooth("subScalar[2,3]", x -> x.get(0).sub(1.5), normal(2, 3)),
            smooth("mulScalar[1,1]", x -> x.get(0).mul(-3.0), normal(1, 1)),
            smooth("divScalar[19]", x -> x.get(0).div(4.0), normal(19)),
            of("where[3,4]", x -> Tensor.where(x.get(0), x.get(1), x.get(2)), mask(3, 4), normal(3, 4), normal(4)),
            // elementwise math
            smooth("neg[2,3]", x -> x.get(0).neg(), normal(2, 3)),
            smooth("pow2.5[37]", x -> x.get(0).pow(2.5), positive(37)),
            smooth("pow3[4,5]", x -> x.get(0).pow(3), normal(4, 5)),
            smooth("exp[3,7]", x -> x.get(0).exp(), normal(3, 7)),
            of("exp[0]", x -> x.get(0).exp(), normal(0)),
            smooth("log[37]", x -> x.get(0).log(), positive(37)),
            smooth("sqrt[5,3]", x -> x.get(0).sqrt(), positive(5, 3)),
            of("abs[4,7]", x -> x.get(0).abs(), kinkSafe(4, 7)),
            smooth("erf[19]", x -> x.get(0).erf(), normal(19)),
            smooth("rsqrt[5,7]", x -> x.get(0).rsqrt(), positive(5, 7)),
            smooth("log1p[37]", x -> x.get(0).log1p(), positive(37)),
            smooth("softplus[4,19]", x -> x.get(0).softplus(), normal(4, 19)),
            smooth("softplus beta2 thr1[3,7]", x -> x.get(0).mul(3.0).softplus(2, 1), kinkSafe(3, 7)),
            of("maskedFill[3,4]", x -> x.get(0).maskedFill(x.get(1), -2.5), normal(3, 4), mask(4)),
            of("clamp[6,7]", x -> x.get(0).clamp(-0.5, 0.5), kinkSafe(6, 7)),
            // activations
            of("relu[4,19]", x -> x.get(0).relu(), kinkSafe(4, 19)),
            of("leakyRelu[37]", x -> x.get(0).leakyRelu(0.1), kinkSafe(37)),
            smooth("sigmoid[3,7]", x -> x.get(0).sigmoid(), normal(3, 7)),
            smooth("tanh[37]", x -> x.get(0).tanh(), normal(37)),
            smooth("gelu[5,7]", x -> x.get(0).gelu(), normal(5, 7)),
            smooth("silu[3,19]", x -> x.get(0).silu(), normal(3, 19)),
            smooth("softmax[4,7]dim1", x -> x.get(0).softmax(1), normal(4, 7)),
            smooth("softmax[5,3]dim0", x -> x.get(0).softmax(0), normal(5, 3)),
            smooth("logSoftmax[3,19]", x -> x.get(0).logSoftmax(-1), normal(3, 19)),
            smooth("logSoftmax[2,3,5]dim1", x -> x.get(0).logSoftmax(1), normal(2, 3, 5)),
            // matmul
            smooth("matmul[3,5]@[5,4]", x -> x.get(0).matmul(x.get(1)), normal(3, 5), normal(5, 4)),
            smooth("matmul[7,19]@[19,9]", x -> x.get(0).matmul(x.get(1)), normal(7, 19), normal(19, 9)),
            smooth("matmul[5]@[5,3]", x -> x.get(0).matmul(x.get(1)), normal(5), normal(5, 3)),
            smooth("matmul[4,5]@[5]", x -> x.get(0).matmul(x.get(1)), normal(4, 5), normal(5)),
            smooth("matmul[6]@[6]", x -> x.get(0).matmul(x.get(1)), normal(6), normal(6)),
            smooth("matmul[2,1,3,4]@[3,4,5]", x -> x.get(0).matmul(x.get(1)), normal(2, 1, 3, 4), normal(3, 4, 5)),
            of("matmul[0,3]@[3,2]", x -> x.get(0).matmul(x.get(1)), normal(0, 3), normal(3, 2)),
            of("matmul[2,0]@[0,3]", x -> x.get(0).matmul(x.get(1)), normal(2, 0), normal(0, 3)),
            // reductions
            smooth("sum[3,7]", x -> x.get(0).sum(), normal(3, 7)),
            smooth("sum[3,7]dim1keep", x -> x.get(0).sum(1, true), normal(3, 7)),
            smooth("sum[2,3,4]dim0", x -> x.get(0).sum(0, false), normal(2, 3, 4)),
            of("sum[0,3]dim0", x -> x.get(0).sum(0, false), normal(0, 3)),
            smooth("mean[37]", x -> x.get(0).mean(), normal(37)),
            smooth("mean[4,5]dim-1", x -> x.get(0).mean(-1, false), normal(4, 5)),
            smooth("var[4,7]dim1unbiased", x -> x.get(0).var(1, true, false), normal(4, 7)),
            smooth("var[5,3]dim0biasedKeep", x -> x.get(0).var(0, false, true), normal(5, 3)),
            smooth("std[3,19]dim-1", x -> x.get(0).std(-1, true, true), normal(3, 19)),
            of("max[4,7]dim1", x -> x.get(0).max(1, false), kinkSafe(4, 7)),
            of("min[5,3]dim0keep", x -> x.get(0).min(0, true), kinkSafe(5, 3)),
            of("maxAll[19]", x -> x.get(0).max(), kinkSafe(19)),
            of("argmax[4,7]dim1", x -> x.get(0).argmax(1), kinkSafe(4, 7)),
            of("argmin[5,3]dim0", x -> x.get(0).argmin(0), kinkSafe(5, 3)),
            // views and movement
            smooth("reshape[3,4]->[2,6]", x -> x.get(0).reshape(2, -1), normal(3, 4)),
            smooth("transpose[3,5]", x -> x.get(0).transpose(0, 1).mul(x.get(0).transpose(0, 1)), normal(3, 5)),
            smooth("permute[2,3,4]", x -> x.get(0).permute(2, 0, 1).contiguous(), normal(2, 3, 4)),
            smooth("expand[3,1]->[3,4]", x -> x.get(0).expand(2, 3, 4).mul(x.get(1)), normal(3, 1), normal(2, 3, 4)),
            smooth("squeeze/unsqueeze", x -> x.get(0).unsqueeze(1).squeeze().mul(2.0), normal(4, 1)),
            smooth("narrow[5,7]", x -> x.get(0).narrow(1, 2, 3).exp(), normal(5, 7)),
            smooth("select[4,6]", x -> x.get(0).select(0, -1).tanh(), normal(4, 6)),
            smooth("cat dim1", x -> Tensor.cat(List.of(x.get(0), x.get(1)), 1), normal(3, 2), normal(3, 5)),
            smooth("stack dim0", x -> Tensor.stack(List.of(x.get(0), x.get(1)), 0), normal(3, 2), normal(3, 2)),
            smooth("pad[3,4]last", x -> x.get(0).pad(new int[] {1, 2}, 0.5), normal(3, 4)),
            smooth("pad[2,3,5]crop", x -> x.get(0).pad(new int[] {-1, 2, 1, 0, 0, 1}, -1), normal(2, 3, 5)),
            of("pad[0,3]", x -> x.get(0).pad(new int[] {1, 1, 1, 1}, 2), normal(0, 3)),
            // indexing
            smooth("indexSelect[6,3]", x -> x.get(0).indexSelect(0, x.get(1)), normal(6, 3), index(6, 5)),
            smooth("gather[4,5]dim1", x -> x.get(0).gather(1, x.get(1)), normal(4, 5), index(5, 4, 2)),
            smooth("scatterAdd[4,5]", x -> x.get(0).scatterAdd(1, x.get(2), x.get(1)), normal(4, 5), normal(4, 3),
                    index(5, 4, 3)),
            // I64 data (labels, token ids) through the exact copies: selection, gathers, movement
            of("indexSelect I64[6,3]", x -> x.get(0).indexSelect(0, x.get(1)), index(1000, 6, 3), index(6, 5)),
            of("indexSelect I64 transposed dim1", x -> x.get(0).transpose(0, 1).indexSelect(1, x.get(1)),
                    index(1000, 6, 3), index(6, 4)),
            of("gather I64[4,5]dim1", x -> x.get(0).gather(1, x.get(1)), index(1000, 4, 5), index(5, 4, 2)),
            of("where I64 float cond", x -> Tensor.where(x.get(0), x.get(1), x.get(2)), mask(3, 4),
                    index(1000, 3, 4), index(1000, 4)),
            of("where I64 I64 cond", x -> Tensor.where(x.get(0), x.get(1), x.get(2)), index(2, 3, 1),
                    index(1000, 3, 4), index(1000, 3, 4)),
            of("cat/stack I64", x -> Tensor.cat(List.of(x.get(0), Tensor.stack(List.of(x.get(1), x.get(1)), 0)), 0),
                    index(1000, 3, 5), index(1000, 5)),
            of("views I64", x -> x.get(0).permute(2, 0, 1).narrow(1, 1, 2).reshape(-1), index(1000, 3, 4, 5)),
            // losses
            smooth("mse[8,3]", x -> Losses.mse(x.get(0), x.get(1)), normal(8, 3), normal(8, 3)),
            smooth("crossEntropy[6,5]", x -> Losses.crossEntropy(x.get(0), x.get(1)), normal(6, 5), index(5, 6)),
            smooth("nll[4,3]", x -> Losses.nll(x.get(0).logSoftmax(1), x.get(1)), normal(4, 3), index(3, 4)),
            smooth("bceWithLogits[5,2]", x -> Losses.binaryCrossEntropyWithLogits(x.get(0), x.get(1)), normal(5, 2),
                    prob(5, 2)),
            smooth("l1[4,5]", x -> Losses.l1(x.get(0), x.get(1)), normal(4, 5), normal(4, 5)),
            // against a zero target, so pred - target stays where kinkSafe keeps it (away from 0 and +-beta)
            of("smoothL1[3,7]", x -> Losses.smoothL1(x.get(0), x.get(0).detach().mul(0.0), 0.5, Reduction.SUM),
                    kinkSafe(3, 7)),
            of("huber[3,7]none", x -> Losses.huber(x.get(0), x.get(0).detach().mul(0.0), 0.3, Reduction.NONE),
                    kinkSafe(3, 7)),
            smooth("bce[5,2]", x -> Losses.binaryCrossEntropy(x.get(0).sigmoid(), x.get(1)), normal(5, 2), prob(5, 2)),
            smooth("klDiv[4,3]", x -> Losses.klDiv(x.get(0).logSoftmax(1), x.get(1), Reduction.SUM), normal(4, 3),
                    prob(4, 3)),
            smooth("crossEntropy smooth[6,5]", x -> Losses.crossEntropy(x.get(0), x.get(1), 0.2, Reduction.NONE),
                    normal(6, 5), index(5, 6)),
            // fused linear layers: matmul, then bias add + activation in one kernel
            of("linear relu", x -> Functional.linear(x.get(0), x.get(1), x.get(2), Functional.Activation.RELU),
                    normal(5, 7), normal(6, 7), normal(6)),
            smooth("linear gelu", x -> Functional.linear(x.get(0), x.get(1), x.get(2), Functional.Activation.GELU),
                    normal(5, 7), normal(6, 7), normal(6)),
            smooth("linear tanh", x -> Functional.linear(x.get(0), x.get(1), x.get(2), Functional.Activation.TANH),
                    normal(2, 3, 4), normal(19, 4), normal(19)),
            smooth("linear sigmoid", x -> Functional.linear(x.get(0), x.get(1), x.get(2),
                    Functional.Activation.SIGMOID), normal(3, 4), normal(5, 4), normal(5)),
            smooth("linear none", x -> Functional.linear(x.get(0), x.get(1), x.get(2), Functional.Activation.NONE),
                    normal(4, 37), normal(3, 37), normal(3)),
            // convolution (im2col + GEMM) and pooling: stride, padding, dilation, groups, odd sizes
            smooth("conv2d[2,3,7,6] k3 p1", x -> Functional.conv2d(x.get(0), x.get(1), x.get(2), 1, 1, 1, 1),
                    normal(2, 3, 7, 6), normal(4, 3, 3, 3), normal(4)),
            smooth("conv2d s2 p1 d2 g2", x -> Functional.conv2d(x.get(0), x.get(1), x.get(2), 2, 1, 2, 2),
                    normal(2, 4, 9, 8), normal(6, 2, 3, 3), normal(6)),
            smooth("conv2d 1x1 no bias", x -> Functional.conv2d(x.get(0), x.get(1), null, 1, 0, 1, 1),
                    normal(1, 5, 4, 3), normal(3, 5, 1, 1)),
            smooth("conv2d kernel>input p1", x -> Functional.conv2d(x.get(0), x.get(1), x.get(2), 1, 1, 1, 1),
                    normal(1, 2, 2, 3), normal(2, 2, 3, 3), normal(2)),
            smooth("conv2d s3 k2 depthwise", x -> Functional.conv2d(x.get(0), x.get(1), x.get(2), 3, 0, 1, 3),
                    normal(2, 3, 8, 7), normal(3, 1, 2, 2), normal(3)),
            of("conv2d empty batch", x -> Functional.conv2d(x.get(0), x.get(1), x.get(2), 1, 0, 1, 1),
                    normal(0, 2, 4, 4), normal(3, 2, 3, 3), normal(3)),
            of("maxPool2d[2,3,7,6] k2", x -> Functional.maxPool2d(x.get(0), 2, 2, 0), kinkSafe(2, 3, 7, 6)),
            of("maxPool2d k3 s2 p1", x -> Functional.maxPool2d(x.get(0), 3, 2, 1), kinkSafe(1, 2, 7, 7)),
            of("maxPool2d[3,5,4] k2 s1", x -> Functional.maxPool2d(x.get(0), 2, 1, 0), kinkSafe(3, 5, 4)),
            smooth("maxPool2d k3 s2 p1 squared", x -> Functional.maxPool2d(x.get(0), 3, 2, 1).pow(2),
                    kinkSafe(1, 2, 7, 7)),
            smooth("avgPool2d k2 s1 squared", x -> Functional.avgPool2d(x.get(0), 2, 1, 0).pow(2), normal(2, 2, 5, 4)),
            smooth("avgPool2d[2,3,7,6] k2", x -> Functional.avgPool2d(x.get(0), 2, 2, 0), normal(2, 3, 7, 6)),
            smooth("avgPool2d k3 s2 p1", x -> Functional.avgPool2d(x.get(0), 3, 2, 1), normal(1, 2, 7, 5)),
            smooth("adaptiveAvgPool2d[2,3,7,5]->3", x -> Functional.adaptiveAvgPool2d(x.get(0), 3), normal(2, 3, 7, 5)),
            smooth("adaptiveAvgPool2d[1,2,6,6]->2", x -> Functional.adaptiveAvgPool2d(x.get(0), 2), normal(1, 2, 6, 6)),
            of("cnn conv-tanh-pool-linear", x -> Functional.linear(Functional.maxPool2d(Functional.conv2d(x.get(0),
                    x.get(1), x.get(2), 1, 1, 1, 1).tanh(), 2, 2, 0).reshape(2, -1), x.get(3), null,
                    Functional.Activation.NONE).logSoftmax(1),
                    normal(2, 1, 5, 4), normal(3, 1, 3, 3), normal(3), normal(4, 12)),
            // normalisation, dropout, embedding
            smooth("layerNorm[3,4,5]", x -> Functional.layerNorm(x.get(0), new int[] {4, 5}, x.get(1), x.get(2), 1e-5),
                    normal(3, 4, 5), normal(4, 5), normal(4, 5)),
            smooth("layerNorm[2,37]noAffine", x -> Functional.layerNorm(x.get(0), new int[] {37}, null, null, 1e-3),
                    normal(2, 37)),
            smooth("layerNorm[5,67]shifted", x -> Functional.layerNorm(x.get(0).add(10.0), new int[] {67}, x.get(1),
                    x.get(2), 1e-5), normal(5, 67), normal(67), normal(67)),
            // the fused row kernels: weight or bias alone, and upstream gradients broadcast (sum, sum over
            // rows) or transposed as well as contiguous
            smooth("layerNorm[4,37]weightOnly sum", x -> Functional.layerNorm(x.get(0), new int[] {37}, x.get(1), null,
                    1e-5).sum(), normal(4, 37), normal(37)),
            smooth("layerNorm[3,19]biasOnly sum0", x -> Functional.layerNorm(x.get(0), new int[] {19}, null, x.get(1),
                    1e-5).sum(0, false), normal(3, 19), normal(19)),
            smooth("layerNorm[6,40]transposed", x -> Functional.layerNorm(x.get(0), new int[] {40}, x.get(1), x.get(2),
                    1e-5).transpose(0, 1).tanh(), normal(6, 40), normal(40), normal(40)),
            smooth("batchNorm train[6,3,2]", x -> Functional.batchNorm(x.get(0), null, null, x.get(1), x.get(2), true,
                    0.1, 1e-5), normal(6, 3, 2), normal(3), normal(3)),
            smooth("batchNorm train[4,5]", x -> Functional.batchNorm(x.get(0), null, null, x.get(1), x.get(2), true,
                    0.1, 1e-5), normal(4, 5), normal(5), normal(5)),
            // the fused per-channel kernels: rows longer than a vector with a tail, several rows per channel,
            // no affine on a shifted input (the statistics must not cancel), and S = 1 (BatchNorm1d)
            smooth("batchNorm train[5,3,4,7]", x -> Functional.batchNorm(x.get(0), null, null, x.get(1), x.get(2),
                    true, 0.1, 1e-5), normal(5, 3, 4, 7), normal(3), normal(3)),
            smooth("batchNorm train noAffine shifted[3,2,37]", x -> Functional.batchNorm(x.get(0).add(10.0), null,
                    null, null, null, true, 0.1, 1e-3), normal(3, 2, 37)),
            smooth("batchNorm train weightOnly[7,19]", x -> Functional.batchNorm(x.get(0), null, null, x.get(1), null,
                    true, 0.1, 1e-5), normal(7, 19), normal(19)),
            smooth("batchNorm eval[3,2,2,3]", x -> Functional.batchNorm(x.get(0), x.get(3), x.get(4), x.get(1), x.get(2),
                    false, 0.1, 1e-5), normal(3, 2, 2, 3), normal(2), normal(2), normal(2), positive(2)),
            smooth("dropout[5,7]p0.3", x -> Functional.dropout(x.get(0), 0.3, true, new SplittableRandom(7)),
                    normal(5, 7)),
            smooth("embedding[6,3]at[2,4]", x -> Functional.embedding(x.get(1), x.get(0)), normal(6, 3), index(6, 2, 4)),
            // a small MLP, the composition users actually run
            smooth("mlp 4-5-3", x -> x.get(0).matmul(x.get(1)).add(x.get(2)).tanh().matmul(x.get(3)).logSoftmax(1),
                    normal(2, 4), normal(4, 5), normal(5), normal(5, 3))
        );
    }
}
