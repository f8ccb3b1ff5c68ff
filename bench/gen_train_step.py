#!/usr/bin/env python3
"""Generate joint-form training steps (forward, loss, backward in one func)
with one `ckpt.checkpoint` region per block, for benchmarks.

  mlp:          L layers h' = tanh(h @ W); the backward is the exact gradient
                of 0.5*sum((h_L - y)^2) with respect to every W (the same
                structure as examples/mlp_train_step.mlir).
  transformer:  L pre-norm blocks (RMS norm, Q/K/V projections, scores
                q @ k^T, softmax, p @ v, output projection, residual, MLP with
                a GELU, residual). Its backward is *structural*: one op per
                derivative, reading the same forward values and producing the
                same shapes as the true backward (e.g. the softmax derivative
                reads p, the GELU derivative reads its input, dW = x^T @ dy),
                but the arithmetic is not the exact gradient. It exists to
                measure memory and compile time, not numerics.

Usage: gen_train_step.py {mlp,transformer} --layers L --batch B --width D
       [--no-regions] > step.mlir
"""
import argparse

ID2 = "affine_map<(d0, d1) -> (d0, d1)>"


class Emitter:
    def __init__(self):
        self.lines = []
        self.counter = 0
        self.indent = "  "

    def fresh(self, stem):
        self.counter += 1
        return f"%{stem}{self.counter}"

    def emit(self, text):
        self.lines.append(self.indent + text)

    def t(self, m, n):
        return f"tensor<{m}x{n}xf32>"

    def empty(self, m, n):
        v = self.fresh("e")
        self.emit(f"{v} = tensor.empty() : {self.t(m, n)}")
        return v

    def zeros(self, m, n):
        e = self.empty(m, n)
        c = self.fresh("c")
        self.emit(f"{c} = arith.constant 0.000000e+00 : f32")
        z = self.fresh("z")
        self.emit(f"{z} = linalg.fill ins({c} : f32) outs({e} : {self.t(m, n)}) -> {self.t(m, n)}")
        return z

    def matmul(self, a, b, m, k, n):
        z = self.zeros(m, n)
        r = self.fresh("mm")
        self.emit(f"{r} = linalg.matmul ins({a}, {b} : {self.t(m, k)}, {self.t(k, n)}) "
                  f"outs({z} : {self.t(m, n)}) -> {self.t(m, n)}")
        return r

    def transpose(self, a, m, n):
        e = self.empty(n, m)
        r = self.fresh("tr")
        self.emit(f"{r} = linalg.transpose ins({a} : {self.t(m, n)}) outs({e} : {self.t(n, m)}) "
                  f"permutation = [1, 0]")
        return r

    def ewise(self, ins, m, n, body):
        """body(args) -> list of lines using %arg names; last defines %res."""
        e = self.empty(m, n)
        r = self.fresh("ew")
        maps = ", ".join([ID2] * (len(ins) + 1))
        types = ", ".join([self.t(m, n)] * len(ins))
        self.emit(f"{r} = linalg.generic {{indexing_maps = [{maps}], iterator_types = "
                  f"[\"parallel\", \"parallel\"]}} ins({', '.join(ins)} : {types}) "
                  f"outs({e} : {self.t(m, n)}) {{")
        args = [f"%a{i}" for i in range(len(ins))]
        self.emit(f"^bb0({', '.join(a + ': f32' for a in args)}, %out: f32):")
        for line in body(args):
            self.emit("  " + line)
        self.emit("  linalg.yield %res : f32")
        self.emit(f"}} -> {self.t(m, n)}")
        return r

    def region(self, name, inputs, types, build, regions=True):
        """build(args) -> list of (value, type) to yield."""
        if not regions:
            outs = build(inputs)
            return [v for v, _ in outs]
        args = [self.fresh("in") for _ in inputs]
        header_pos = len(self.lines)
        self.emit("")  # placeholder
        saved = self.indent
        self.indent += "  "
        outs = build(args)
        self.emit(f"ckpt.yield {', '.join(v for v, _ in outs)} : {', '.join(t for _, t in outs)}")
        self.indent = saved
        self.emit("}")
        results = [self.fresh("r") for _ in outs]
        binds = ", ".join(f"{a} = {i}" for a, i in zip(args, inputs))
        self.lines[header_pos] = (
            f"{self.indent}{', '.join(results)} = ckpt.checkpoint \"{name}\" ({binds} : "
            f"{', '.join(types)}) -> ({', '.join(t for _, t in outs)}) {{")
        return results


def tanh_body(a):
    return [f"%res = math.tanh {a[0]} : f32"]


def gen_mlp(L, B, D, regions):
    e = Emitter()
    T, W = e.t(B, D), e.t(D, D)
    params = ", ".join(f"%w{i}: {W}" for i in range(L))
    grads = ", ".join([W] * L)
    head = (f"func.func @train_step(%x: {T}, %y: {T}, {params}) -> (tensor<f32>, {grads}) "
            f"attributes {{ckpt.forward_results = [0]}} {{")
    hs, gs = ["%x"], []
    for i in range(L):
        def build(args, i=i):
            a = e.matmul(args[0], args[1], B, D, D)
            h = e.ewise([a], B, D, tanh_body)
            g = e.ewise([a], B, D, lambda x: [f"%t = math.tanh {x[0]} : f32",
                                              "%t2 = arith.mulf %t, %t : f32",
                                              "%one = arith.constant 1.000000e+00 : f32",
                                              "%res = arith.subf %one, %t2 : f32"])
            return [(h, T), (g, T)]
        h, g = e.region(f"layers.{i}", [hs[-1], f"%w{i}"], [T, W], build, regions)
        hs.append(h)
        gs.append(g)
    # loss = 0.5 * sum((h_L - y)^2)
    d = e.ewise([hs[-1], "%y"], B, D, lambda a: [f"%df = arith.subf {a[0]}, {a[1]} : f32",
                                                  "%res = arith.mulf %df, %df : f32"])
    c0 = e.fresh("c")
    e.emit(f"{c0} = arith.constant 0.000000e+00 : f32")
    s0 = e.fresh("s")
    e.emit(f"{s0} = tensor.empty() : tensor<f32>")
    s1 = e.fresh("s")
    e.emit(f"{s1} = linalg.fill ins({c0} : f32) outs({s0} : tensor<f32>) -> tensor<f32>")
    loss = e.fresh("loss")
    e.emit(f"{loss} = linalg.reduce ins({d} : {T}) outs({s1} : tensor<f32>) dimensions = [0, 1]")
    e.emit("  (%in: f32, %acc: f32) {")
    e.emit("    %half = arith.constant 5.000000e-01 : f32")
    e.emit("    %hv = arith.mulf %in, %half : f32")
    e.emit("    %sum = arith.addf %hv, %acc : f32")
    e.emit("    linalg.yield %sum : f32")
    e.emit("  }")
    # backward
    dh = e.ewise([hs[-1], "%y"], B, D, lambda a: [f"%res = arith.subf {a[0]}, {a[1]} : f32"])
    dws = [None] * L
    for i in reversed(range(L)):
        da = e.ewise([dh, gs[i]], B, D, lambda a: [f"%res = arith.mulf {a[0]}, {a[1]} : f32"])
        hT = e.transpose(hs[i], B, D)
        dws[i] = e.matmul(hT, da, D, B, D)
        if i > 0:
            wT = e.transpose(f"%w{i}", D, D)
            dh = e.matmul(da, wT, B, D, D)
    e.emit(f"return {loss}, {', '.join(dws)} : tensor<f32>, {grads}")
    return "\n".join([head] + e.lines + ["}"])


def gen_transformer(L, B, D, regions):
    e = Emitter()
    T, W = e.t(B, D), e.t(D, D)
    S = e.t(B, B)
    names = ["wq", "wk", "wv", "wo", "w1", "w2"]
    params = ", ".join(f"%{n}{i}: {W}" for i in range(L) for n in names)
    grads = ", ".join([W] * (6 * L))
    head = (f"func.func @train_step(%x: {T}, %y: {T}, {params}) -> (tensor<f32>, {grads}) "
            f"attributes {{ckpt.forward_results = [0]}} {{")
    acts = []
    hs = ["%x"]
    for i in range(L):
        def build(a, i=i):
            x = a[0]
            n = e.ewise([x], B, D, lambda v: [f"%sq = arith.mulf {v[0]}, {v[0]} : f32",
                                              "%eps = arith.constant 1.000000e-05 : f32",
                                              "%se = arith.addf %sq, %eps : f32",
                                              "%r = math.rsqrt %se : f32",
                                              f"%res = arith.mulf {v[0]}, %r : f32"])
            q = e.matmul(n, a[1], B, D, D)
            k = e.matmul(n, a[2], B, D, D)
            v = e.matmul(n, a[3], B, D, D)
            kT = e.transpose(k, B, D)
            s = e.matmul(q, kT, B, D, B)
            p = e.ewise([s], B, B, lambda z: [f"%ex = math.exp {z[0]} : f32",
                                              "%one = arith.constant 1.000000e+00 : f32",
                                              "%den = arith.addf %ex, %one : f32",
                                              "%res = arith.divf %ex, %den : f32"])
            att = e.matmul(p, v, B, B, D)
            o = e.matmul(att, a[4], B, D, D)
            h = e.ewise([x, o], B, D, lambda z: [f"%res = arith.addf {z[0]}, {z[1]} : f32"])
            u = e.matmul(h, a[5], B, D, D)
            g = e.ewise([u], B, D, lambda z: [f"%c = arith.constant 0.707106769 : f32",
                                              f"%m = arith.mulf {z[0]}, %c : f32",
                                              "%er = math.erf %m : f32",
                                              "%one = arith.constant 1.000000e+00 : f32",
                                              "%ep = arith.addf %er, %one : f32",
                                              "%half = arith.constant 5.000000e-01 : f32",
                                              "%hx = arith.mulf %half, " + z[0] + " : f32",
                                              "%res = arith.mulf %hx, %ep : f32"])
            m = e.matmul(g, a[6], B, D, D)
            y = e.ewise([h, m], B, D, lambda z: [f"%res = arith.addf {z[0]}, {z[1]} : f32"])
            return [(y, T), (n, T), (q, T), (k, T), (v, T), (p, S), (att, T), (h, T),
                    (u, T), (g, T)]
        ins = [hs[-1]] + [f"%{nm}{i}" for nm in names]
        res = e.region(f"blocks.{i}", ins, [T] + [W] * 6, build, regions)
        hs.append(res[0])
        acts.append(res[1:])
    d = e.ewise([hs[-1], "%y"], B, D, lambda a: [f"%df = arith.subf {a[0]}, {a[1]} : f32",
                                                  "%res = arith.mulf %df, %df : f32"])
    c0 = e.fresh("c")
    e.emit(f"{c0} = arith.constant 0.000000e+00 : f32")
    s0 = e.fresh("s")
    e.emit(f"{s0} = tensor.empty() : tensor<f32>")
    s1 = e.fresh("s")
    e.emit(f"{s1} = linalg.fill ins({c0} : f32) outs({s0} : tensor<f32>) -> tensor<f32>")
    loss = e.fresh("loss")
    e.emit(f"{loss} = linalg.reduce ins({d} : {T}) outs({s1} : tensor<f32>) dimensions = [0, 1]")
    e.emit("  (%in: f32, %acc: f32) {")
    e.emit("    %sum = arith.addf %in, %acc : f32")
    e.emit("    linalg.yield %sum : f32")
    e.emit("  }")
    dy = e.ewise([hs[-1], "%y"], B, D, lambda a: [f"%res = arith.subf {a[0]}, {a[1]} : f32"])
    dws = {}
    mul = lambda a: [f"%res = arith.mulf {a[0]}, {a[1]} : f32"]
    for i in reversed(range(L)):
        n, q, k, v, p, att, h, u, g = acts[i]
        x = hs[i]
        # MLP: dW2 = g^T dy; dg = dy W2^T; du = dg * gelu'(u); dW1 = h^T du
        dws[("w2", i)] = e.matmul(e.transpose(g, B, D), dy, D, B, D)
        dg = e.matmul(dy, e.transpose(f"%w2{i}", D, D), B, D, D)
        du = e.ewise([dg, u], B, D, mul)
        dws[("w1", i)] = e.matmul(e.transpose(h, B, D), du, D, B, D)
        dh = e.ewise([dy, e.matmul(du, e.transpose(f"%w1{i}", D, D), B, D, D)], B, D,
                     lambda a: [f"%res = arith.addf {a[0]}, {a[1]} : f32"])
        # Attention: dWo = att^T dh; datt = dh Wo^T; dp = datt v^T; dv = p^T datt
        dws[("wo", i)] = e.matmul(e.transpose(att, B, D), dh, D, B, D)
        datt = e.matmul(dh, e.transpose(f"%wo{i}", D, D), B, D, D)
        dp = e.matmul(datt, e.transpose(v, B, D), B, D, B)
        dv = e.matmul(e.transpose(p, B, B), datt, B, B, D)
        ds = e.ewise([dp, p], B, B, mul)  # softmax derivative reads p
        dq = e.matmul(ds, k, B, B, D)
        dk = e.matmul(e.transpose(ds, B, B), q, B, B, D)
        nT = e.transpose(n, B, D)
        dws[("wq", i)] = e.matmul(nT, dq, D, B, D)
        dws[("wk", i)] = e.matmul(nT, dk, D, B, D)
        dws[("wv", i)] = e.matmul(nT, dv, D, B, D)
        dn = e.matmul(dq, e.transpose(f"%wq{i}", D, D), B, D, D)
        dxn = e.ewise([dn, x], B, D, mul)  # the norm derivative reads x
        dy = e.ewise([dh, dxn], B, D, lambda a: [f"%res = arith.addf {a[0]}, {a[1]} : f32"])
    outs = [dws[(nm, i)] for i in range(L) for nm in names]
    e.emit(f"return {loss}, {', '.join(outs)} : tensor<f32>, {grads}")
    return "\n".join([head] + e.lines + ["}"])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("kind", choices=["mlp", "transformer"])
    parser.add_argument("--layers", type=int, default=4)
    parser.add_argument("--batch", type=int, default=16)
    parser.add_argument("--width", type=int, default=64)
    parser.add_argument("--no-regions", action="store_true",
                        help="emit the same graph without ckpt.checkpoint regions")
    args = parser.parse_args()
    gen = gen_mlp if args.kind == "mlp" else gen_transformer
    print(gen(args.layers, args.batch, args.width, not args.no_regions))


if __name__ == "__main__":
    main()
