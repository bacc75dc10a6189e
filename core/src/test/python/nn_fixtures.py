#!/usr/bin/python3
"""Writes the PyTorch-agreement fixtures that dev.jgrad.nn.PyTorchAgreementTest reads.

Run with Debian's torch 1.13:  /usr/bin/python3 core/src/test/python/nn_fixtures.py
Everything is float64, so the tests compare at ~1e-10. Each case is one text file under
core/src/test/resources/dev/jgrad/nn/fixtures/<case>.txt holding tensors as

    <name> <f64|i64> <rank> <dims...>
    <values, space separated, row-major>

Gradients are of loss = sum(out * gout) for a random gout that is itself stored ("gout").
"""
import os
import torch
import torch.nn as nn
import torch.nn.functional as F

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "resources", "dev", "jgrad", "nn", "fixtures")
torch.set_default_dtype(torch.float64)


class Writer:
    def __init__(self, name):
        self.path = os.path.join(OUT, name + ".txt")
        self.lines = []

    def put(self, name, t):
        t = t.detach()
        kind = "i64" if t.dtype == torch.int64 else "f64"
        self.lines.append(" ".join([name, kind, str(t.dim())] + [str(d) for d in t.shape]))
        vals = t.reshape(-1).tolist()
        self.lines.append(" ".join(str(int(v)) if kind == "i64" else repr(float(v)) for v in vals))

    def close(self):
        with open(self.path, "w") as f:
            f.write("\n".join(self.lines) + "\n")


def backprop(w, out, inputs, prefix=""):
    """Seeds a random gout, back-propagates sum(out * gout) and stores gout and each input's gradient."""
    gout = torch.randn_like(out)
    w.put(prefix + "gout", gout)
    (out * gout).sum().backward()
    for name, t in inputs:
        w.put("grad." + name, t.grad if t.grad is not None else torch.zeros_like(t))


def module_case(name, m, x, extra=None):
    w = Writer(name)
    for k, v in m.state_dict().items():
        w.put("state." + k, v)
    x = x.clone().requires_grad_(x.dtype.is_floating_point)
    w.put("x", x)
    out = m(x)
    w.put("out", out)
    if x.dtype.is_floating_point:
        backprop(w, out, [("x", x)] + list(m.named_parameters()))
    else:
        backprop(w, out, list(m.named_parameters()))
    w.close()


def activations():
    acts = {"relu": nn.ReLU(), "leakyRelu": nn.LeakyReLU(0.2), "sigmoid": nn.Sigmoid(), "tanh": nn.Tanh(),
            "gelu": nn.GELU(), "silu": nn.SiLU(), "softmax": nn.Softmax(1), "logSoftmax": nn.LogSoftmax(1),
            "softplus": nn.Softplus(), "identity": nn.Identity(), "flatten": nn.Flatten()}
    for k, m in acts.items():
        module_case("act_" + k, m, torch.randn(3, 4, 2))


def norms():
    ln = nn.LayerNorm([4, 5])
    with torch.no_grad():
        ln.weight.copy_(torch.randn(4, 5))
        ln.bias.copy_(torch.randn(4, 5))
    module_case("layerNorm", ln, torch.randn(3, 4, 5) * 2 + 1)
    module_case("layerNormNoAffine", nn.LayerNorm([6], 1e-3, False), torch.randn(2, 3, 6))
    for name, m, shape in [("batchNorm1d", nn.BatchNorm1d(4, 1e-3, 0.2), (6, 4)),
                           ("batchNorm1d3", nn.BatchNorm1d(3), (5, 3, 7)),
                           ("batchNorm2d", nn.BatchNorm2d(4), (3, 4, 5, 5))]:
        with torch.no_grad():
            m.weight.copy_(torch.randn(m.num_features))
            m.bias.copy_(torch.randn(m.num_features))
        w = Writer(name)
        for k, v in m.state_dict().items():
            w.put("state." + k, v)
        for step in range(3):
            x = (torch.randn(*shape) * (step + 1) + step).requires_grad_()
            w.put("x%d" % step, x)
            out = m(x)
            w.put("out%d" % step, out)
            m.zero_grad()
            backprop(w, out, [], "step%d." % step)
            w.put("grad%d.x" % step, x.grad)
            w.put("grad%d.weight" % step, m.weight.grad)
            w.put("grad%d.bias" % step, m.bias.grad)
            for k, v in m.state_dict().items():
                if k.startswith("running") or k.startswith("num"):
                    w.put("after%d.%s" % (step, k), v)
        m.eval()
        x = torch.randn(*shape).requires_grad_()
        w.put("xEval", x)
        out = m(x)
        w.put("outEval", out)
        m.zero_grad()
        backprop(w, out, [], "eval.")
        w.put("gradEval.x", x.grad)
        w.put("gradEval.weight", m.weight.grad)
        w.close()


def layers():
    module_case("linear", nn.Linear(5, 3), torch.randn(4, 5))
    module_case("linear3d", nn.Linear(5, 3), torch.randn(2, 4, 5))
    module_case("linearNoBias", nn.Linear(6, 2, bias=False), torch.randn(3, 6))
    module_case("embedding", nn.Embedding(10, 4), torch.tensor([[1, 3, 3], [9, 0, 1]]))
    module_case("sequential", nn.Sequential(nn.Linear(4, 8), nn.Tanh(), nn.Linear(8, 8), nn.LayerNorm(8), nn.GELU(),
                                            nn.Linear(8, 3), nn.LogSoftmax(1)), torch.randn(5, 4))


def recurrent():
    cases = [("rnn", nn.RNN(3, 5, 2), False), ("lstm", nn.LSTM(3, 5, 2), True), ("gru", nn.GRU(3, 5, 2), False),
             ("lstmBatchFirst", nn.LSTM(3, 4, 2, batch_first=True), True),
             ("gruBatchFirst", nn.GRU(3, 4, 1, batch_first=True), False),
             ("rnn1", nn.RNN(4, 3), False)]
    for name, m, has_c in cases:
        w = Writer(name)
        for k, v in m.state_dict().items():
            w.put("state." + k, v)
        n, t = 2, 4
        x = (torch.randn(n, t, m.input_size) if m.batch_first else torch.randn(t, n, m.input_size)).requires_grad_()
        h0 = torch.randn(m.num_layers, n, m.hidden_size).requires_grad_()
        w.put("x", x)
        w.put("h0", h0)
        if has_c:
            c0 = torch.randn(m.num_layers, n, m.hidden_size).requires_grad_()
            w.put("c0", c0)
            out, (h, c) = m(x, (h0, c0))
            w.put("c", c)
        else:
            out, h = m(x, h0)
        w.put("out", out)
        w.put("h", h)
        gout, gh = torch.randn_like(out), torch.randn_like(h)
        w.put("gout", gout)
        w.put("gh", gh)
        loss = (out * gout).sum() + (h * gh).sum()
        if has_c:
            gc = torch.randn_like(c)
            w.put("gc", gc)
            loss = loss + (c * gc).sum()
        loss.backward()
        w.put("grad.x", x.grad)
        w.put("grad.h0", h0.grad)
        if has_c:
            w.put("grad.c0", c0.grad)
        for k, p in m.named_parameters():
            w.put("grad." + k, p.grad)
        # zero initial state: forward(x) without a state
        w.put("outZeroState", m(x)[0])
        w.close()


def losses():
    w = Writer("losses")
    pred, target = torch.randn(4, 3), torch.randn(4, 3)
    w.put("pred", pred)
    w.put("target", target)
    probs = torch.rand(4, 3) * 0.98 + 0.01
    ptarget = torch.rand(4, 3)
    w.put("probs", probs)
    w.put("ptarget", ptarget)
    logits, labels = torch.randn(5, 4), torch.tensor([0, 3, 1, 1, 2])
    w.put("logits", logits)
    w.put("labels", labels)
    logq = torch.log_softmax(torch.randn(4, 3), 1)
    p = torch.softmax(torch.randn(4, 3), 1)
    p[0, 1] = 0.0  # a zero target contributes 0 (xlogy)
    w.put("logq", logq)
    w.put("p", p)
    for red in ["mean", "sum", "none"]:
        fns = {
            "mse": lambda a: F.mse_loss(a, target, reduction=red),
            "l1": lambda a: F.l1_loss(a, target, reduction=red),
            "smoothL1": lambda a: F.smooth_l1_loss(a, target, reduction=red, beta=0.5),
            "huber": lambda a: F.huber_loss(a, target, reduction=red, delta=2.0),
        }
        for k, f in fns.items():
            a = pred.clone().requires_grad_()
            out = f(a)
            w.put("%s.%s.out" % (k, red), out)
            out.backward(torch.ones_like(out) if red == "none" else None)
            w.put("%s.%s.grad" % (k, red), a.grad)
        a = probs.clone().requires_grad_()
        out = F.binary_cross_entropy(a, ptarget, reduction=red)
        w.put("bce.%s.out" % red, out)
        out.backward(torch.ones_like(out) if red == "none" else None)
        w.put("bce.%s.grad" % red, a.grad)
        a = logq.clone().requires_grad_()
        out = F.kl_div(a, p, reduction=red)
        w.put("klDiv.%s.out" % red, out)
        out.backward(torch.ones_like(out) if red == "none" else None)
        w.put("klDiv.%s.grad" % red, a.grad)
        for ls in [0.0, 0.1]:
            a = logits.clone().requires_grad_()
            out = F.cross_entropy(a, labels, reduction=red, label_smoothing=ls)
            w.put("crossEntropy%s.%s.out" % (ls, red), out)
            out.backward(torch.ones_like(out) if red == "none" else None)
            w.put("crossEntropy%s.%s.grad" % (ls, red), a.grad)
    # the log clamp at -100: probabilities 0 and 1 against opposite targets
    a = torch.tensor([0.0, 1.0, 0.5])
    w.put("bceEdge.out", F.binary_cross_entropy(a, torch.tensor([1.0, 0.0, 1.0]), reduction="none"))
    w.close()


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    torch.manual_seed(1234)
    activations()
    norms()
    layers()
    recurrent()
    losses()
    print("wrote", len(os.listdir(OUT)), "fixtures to", os.path.normpath(OUT))
