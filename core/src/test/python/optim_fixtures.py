#!/usr/bin/python3
"""Writes the optimizer, schedule and clipping fixtures that dev.jgrad.optim tests read.

Run with Debian's PyTorch 1.13:  /usr/bin/python3 core/src/test/python/optim_fixtures.py
Output: core/src/test/resources/dev/jgrad/optim/{optimizers-F64,optimizers-F32,schedules,clip}.txt

Format, one record per line:  name|shape|values   (shape comma-separated, values space-separated
Python reprs, which Java's Double.parseDouble reads exactly). Lines starting with # are comments.
"""
import math
import os

import torch

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "resources", "dev", "jgrad", "optim")
STEPS = 10


def record(lines, name, t):
    t = t.detach().to(torch.float64) if torch.is_tensor(t) else torch.tensor(t, dtype=torch.float64)
    shape = ",".join(str(s) for s in t.shape)
    lines.append(f"{name}|{shape}|" + " ".join(repr(float(v)) for v in t.reshape(-1)))


def model_inputs():
    g = torch.Generator().manual_seed(11)
    x = torch.randn(5, 3, generator=g, dtype=torch.float64)
    y = torch.randn(5, 2, generator=g, dtype=torch.float64)
    params = [torch.randn(3, 4, generator=g, dtype=torch.float64) * 0.5,
              torch.randn(4, generator=g, dtype=torch.float64) * 0.1,
              torch.randn(4, 2, generator=g, dtype=torch.float64) * 0.5]
    return x, y, params


def loss_of(x, y, w1, b1, w2):
    """mean((tanh(x @ w1 + b1) @ w2 - y)^2): the tests compute the same with jgrad."""
    return ((torch.tanh(x @ w1 + b1) @ w2 - y) ** 2).mean()


CASES = {
    "sgd": lambda p: torch.optim.SGD(p, lr=0.1),
    "sgd_momentum": lambda p: torch.optim.SGD(p, lr=0.1, momentum=0.9, dampening=0.1, weight_decay=0.01),
    "sgd_nesterov": lambda p: torch.optim.SGD(p, lr=0.1, momentum=0.9, weight_decay=1e-3, nesterov=True),
    "adam": lambda p: torch.optim.Adam(p, lr=0.01),
    "adam_decay_amsgrad": lambda p: torch.optim.Adam(p, lr=0.01, betas=(0.8, 0.99), eps=1e-6, weight_decay=0.1,
                                                     amsgrad=True),
    "adamw": lambda p: torch.optim.AdamW(p, lr=0.01),
    "adamw_amsgrad": lambda p: torch.optim.AdamW(p, lr=0.01, weight_decay=0.1, amsgrad=True),
    "rmsprop": lambda p: torch.optim.RMSprop(p, lr=0.01),
    "rmsprop_centered_momentum": lambda p: torch.optim.RMSprop(p, lr=0.01, alpha=0.9, eps=1e-6, weight_decay=0.01,
                                                               momentum=0.5, centered=True),
    "rmsprop_momentum": lambda p: torch.optim.RMSprop(p, lr=0.01, momentum=0.9),
    "adagrad": lambda p: torch.optim.Adagrad(p, lr=0.1),
    "adagrad_decay": lambda p: torch.optim.Adagrad(p, lr=0.1, lr_decay=0.01, weight_decay=0.01,
                                                   initial_accumulator_value=0.1),
    # parameter groups: the bias gets no weight decay and its own lr
    "adamw_groups": lambda p: torch.optim.AdamW([{"params": [p[0], p[2]]},
                                                 {"params": [p[1]], "lr": 0.05, "weight_decay": 0.0}],
                                                lr=0.01, weight_decay=0.1),
}


def optimizers(dtype):
    x, y, init = model_inputs()
    x, y = x.to(dtype), y.to(dtype)
    lines = [f"# {STEPS} steps of each optimizer on mean((tanh(x @ w1 + b1) @ w2 - y)^2), torch {torch.__version__}"]
    record(lines, "x", x)
    record(lines, "y", y)
    for i, p in enumerate(init):
        record(lines, f"init.{i}", p.to(dtype))
    for name, make in CASES.items():
        params = [p.to(dtype).clone().requires_grad_(True) for p in init]
        opt = make(params)
        for _ in range(STEPS):
            opt.zero_grad()
            loss_of(x, y, *params).backward()
            opt.step()
        for i, p in enumerate(params):
            record(lines, f"{name}.{i}", p)
    return lines


PLATEAU_METRICS = [1.0, 0.9, 0.8, 0.8, 0.85, 0.79999, 0.81, 0.7, 0.7, 0.7, 0.7, 0.69995, 0.6, 0.6, 0.61, 0.62,
                   0.5, 0.5, 0.5, 0.5, 0.5, 0.4, 0.45, 0.45, 0.45, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.2, 0.2, 0.25,
                   0.25, 0.25, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.05, 0.01, 0.01, 0.01]


def schedules():
    def opt():
        return torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=0.1)

    def seq(o, s, steps=50, metric=None):
        out = [s.get_last_lr()[0] if metric is None else o.param_groups[0]["lr"]]
        for k in range(steps):
            o.step()
            if metric is None:
                s.step()
                out.append(s.get_last_lr()[0])
            else:
                s.step(metric[k])
                out.append(o.param_groups[0]["lr"])
        return out

    lines = ["# learning rates: the initial one, then after each of 50 steps; SGD with lr 0.1"]
    o = opt(); record(lines, "StepLR", seq(o, torch.optim.lr_scheduler.StepLR(o, 7, 0.5)))
    o = opt(); record(lines, "MultiStepLR", seq(o, torch.optim.lr_scheduler.MultiStepLR(o, [5, 12, 12, 30], 0.3)))
    o = opt(); record(lines, "ExponentialLR", seq(o, torch.optim.lr_scheduler.ExponentialLR(o, 0.9)))
    o = opt(); record(lines, "CosineAnnealingLR", seq(o, torch.optim.lr_scheduler.CosineAnnealingLR(o, 10, 0.001)))
    o = opt(); record(lines, "LinearLR", seq(o, torch.optim.lr_scheduler.LinearLR(o, 0.25, 1.0, 8)))
    o = opt(); record(lines, "OneCycleLR", seq(o, torch.optim.lr_scheduler.OneCycleLR(o, 0.5, 50,
                                                                                      cycle_momentum=False)))
    o = opt(); record(lines, "ReduceLROnPlateau", seq(o, torch.optim.lr_scheduler.ReduceLROnPlateau(
        o, "min", 0.5, 2, 1e-4), metric=PLATEAU_METRICS))
    o = opt(); record(lines, "ReduceLROnPlateauMax", seq(o, torch.optim.lr_scheduler.ReduceLROnPlateau(
        o, "max", 0.3, 1, 1e-3), metric=[-m for m in PLATEAU_METRICS]))
    record(lines, "plateauMetrics", PLATEAU_METRICS)
    o = opt()
    warm = torch.optim.lr_scheduler.LinearLR(o, 0.25, 1.0, 5)
    cos = torch.optim.lr_scheduler.CosineAnnealingLR(o, 20, 0.001)
    record(lines, "SequentialLR", seq(o, torch.optim.lr_scheduler.SequentialLR(o, [warm, cos], [5])))
    o = opt()
    a = torch.optim.lr_scheduler.ExponentialLR(o, 0.9)
    b = torch.optim.lr_scheduler.StepLR(o, 4, 0.5)
    c = torch.optim.lr_scheduler.MultiStepLR(o, [3, 6], 0.1)
    record(lines, "SequentialLR3", seq(o, torch.optim.lr_scheduler.SequentialLR(o, [a, b, c], [10, 25])))
    return lines


def clipping():
    g = torch.Generator().manual_seed(5)
    grads = [torch.randn(3, 4, generator=g, dtype=torch.float64) * 2, torch.randn(7, generator=g, dtype=torch.float64),
             torch.randn(2, 2, 2, generator=g, dtype=torch.float64) * 0.1]
    lines = ["# clip_grad_norm_ (max_norm 1.0; 100.0 for the unclipped case) and clip_grad_value_ (0.5)"]
    for i, gr in enumerate(grads):
        record(lines, f"grad.{i}", gr)
    for label, norm_type, max_norm in [("2", 2.0, 1.0), ("1", 1.0, 1.0), ("inf", math.inf, 1.0),
                                       ("3", 3.0, 1.0), ("2big", 2.0, 100.0)]:
        ps = [torch.zeros_like(gr, requires_grad=True) for gr in grads]
        for p, gr in zip(ps, grads):
            p.grad = gr.clone()
        total = torch.nn.utils.clip_grad_norm_(ps, max_norm, norm_type)
        record(lines, f"norm{label}.total", [float(total)])
        for i, p in enumerate(ps):
            record(lines, f"norm{label}.{i}", p.grad)
    ps = [torch.zeros_like(gr, requires_grad=True) for gr in grads]
    for p, gr in zip(ps, grads):
        p.grad = gr.clone()
    torch.nn.utils.clip_grad_value_(ps, 0.5)
    for i, p in enumerate(ps):
        record(lines, f"value.{i}", p.grad)
    return lines


def main():
    os.makedirs(OUT, exist_ok=True)
    files = {"optimizers-F64.txt": optimizers(torch.float64), "optimizers-F32.txt": optimizers(torch.float32),
             "schedules.txt": schedules(), "clip.txt": clipping()}
    for name, lines in files.items():
        with open(os.path.join(OUT, name), "w") as f:
            f.write("\n".join(lines) + "\n")
        print("wrote", name, len(lines), "records")


if __name__ == "__main__":
    main()
