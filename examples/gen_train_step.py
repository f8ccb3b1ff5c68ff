#!/usr/bin/env python3
"""Generate joint-form training steps (forward, loss, backward in one func)
with one `ckpt.checkpoint` region per block, for benchmarks.

  mlp:          L layers h' = tanh(h @ W); the backward is the exact gradient
                of 0.5*sum((h_L - y)^2) with respect to every W (the same
                structure as examples/mlp_train_step.mlir).
  cnn:          a small CNN: convolution (linalg.conv_2d_nchw_fchw, 3x3,
                no padding), ReLU, 2x2 max pooling, a linear layer, loss
                0.5*sum((out - y)^2); exact gradients for both weights.
                Regions: "conv" (convolution + ReLU), "pool", "fc".
                --batch is N, --width the image size, --layers the number of
                filters (channels in: 3, classes: 10).
  transformer:  L pre-norm blocks (RMS norm, Q/K/V projections, scores
                q @ k^T, softmax, p @ v, output projection, residual, MLP with
                a GELU, residual). Its backward is *structural*: one op per
                derivative, reading the same forward values and producing the
                same shapes as the true backward (e.g. the softmax derivative
                reads p, the GELU derivative reads its input, dW = x^T @ dy),
                but the arithmetic is not the exact gradient. It exists to
                measure memory and compile time, not numerics.

Usage: gen_train_step.py {mlp,transformer,cnn} --layers L --batch B --width D
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


def gen_cnn(F, N, S, regions):
    """N x 3 x S x S images, F filters of 3x3, pooling 2x2, 10 classes."""
    e = Emitter()
    C, K, H = 3, 10, S - 2
    assert H % 2 == 0, "--width must be even"
    P = H // 2
    D = F * P * P
    t = lambda *dims: "tensor<" + "x".join(map(str, dims)) + "xf32>"
    X, W1, Y1, PL = t(N, C, S, S), t(F, C, 3, 3), t(N, F, H, H), t(N, F, P, P)
    W2, OUT = t(D, K), t(N, K)
    head = (f"func.func @train_step(%x: {X}, %y: {OUT}, %w1: {W1}, %w2: {W2}) -> "
            f"(tensor<f32>, {W1}, {W2}) attributes {{ckpt.forward_results = [0]}} {{")
    id4 = "affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>"
    par4 = '["parallel", "parallel", "parallel", "parallel"]'

    def conv_block(a):
        z = e.fresh("z")
        e.emit(f"{z} = tensor.empty() : {Y1}")
        c = e.fresh("c")
        e.emit(f"{c} = arith.constant 0.000000e+00 : f32")
        zf = e.fresh("zf")
        e.emit(f"{zf} = linalg.fill ins({c} : f32) outs({z} : {Y1}) -> {Y1}")
        conv = e.fresh("conv")
        e.emit(f"{conv} = linalg.conv_2d_nchw_fchw ins({a[0]}, {a[1]} : {X}, {W1}) "
               f"outs({zf} : {Y1}) -> {Y1}")
        r = e.fresh("relu")
        e.emit(f"{r} = linalg.generic {{indexing_maps = [{id4}, {id4}], iterator_types = {par4}}} "
               f"ins({conv} : {Y1}) outs({z} : {Y1}) {{")
        e.emit("^bb0(%in: f32, %out: f32):")
        e.emit("  %zero = arith.constant 0.000000e+00 : f32")
        e.emit("  %res = arith.maximumf %in, %zero : f32")
        e.emit("  linalg.yield %res : f32")
        e.emit(f"}} -> {Y1}")
        return [(r, Y1)]

    def pool_block(a):
        z = e.fresh("z")
        e.emit(f"{z} = tensor.empty() : {PL}")
        c = e.fresh("c")
        e.emit(f"{c} = arith.constant 0xFF800000 : f32")
        zf = e.fresh("zf")
        e.emit(f"{zf} = linalg.fill ins({c} : f32) outs({z} : {PL}) -> {PL}")
        win = e.fresh("win")
        e.emit(f"{win} = tensor.empty() : tensor<2x2xf32>")
        p = e.fresh("pool")
        e.emit(f"{p} = linalg.pooling_nchw_max {{dilations = dense<1> : tensor<2xi64>, "
               f"strides = dense<2> : tensor<2xi64>}} ins({a[0]}, {win} : {Y1}, tensor<2x2xf32>) "
               f"outs({zf} : {PL}) -> {PL}")
        return [(p, PL)]

    def fc_block(a):
        flat = e.fresh("flat")
        e.emit(f"{flat} = tensor.collapse_shape {a[0]} [[0], [1, 2, 3]] : {PL} into {t(N, D)}")
        out = e.matmul(flat, a[1], N, D, K)
        return [(out, OUT)]

    relu = e.region("conv", ["%x", "%w1"], [X, W1], conv_block, regions)[0]
    pooled = e.region("pool", [relu], [Y1], pool_block, regions)[0]
    out = e.region("fc", [pooled, "%w2"], [PL, W2], fc_block, regions)[0]
    # loss = 0.5 * sum((out - y)^2)
    d = e.ewise([out, "%y"], N, K, lambda a: [f"%df = arith.subf {a[0]}, {a[1]} : f32",
                                               "%res = arith.mulf %df, %df : f32"])
    c0 = e.fresh("c")
    e.emit(f"{c0} = arith.constant 0.000000e+00 : f32")
    s0 = e.fresh("s")
    e.emit(f"{s0} = tensor.empty() : tensor<f32>")
    s1 = e.fresh("s")
    e.emit(f"{s1} = linalg.fill ins({c0} : f32) outs({s0} : tensor<f32>) -> tensor<f32>")
    loss = e.fresh("loss")
    e.emit(f"{loss} = linalg.reduce ins({d} : {OUT}) outs({s1} : tensor<f32>) dimensions = [0, 1]")
    e.emit("  (%in: f32, %acc: f32) {")
    e.emit("    %half = arith.constant 5.000000e-01 : f32")
    e.emit("    %hv = arith.mulf %in, %half : f32")
    e.emit("    %sum = arith.addf %hv, %acc : f32")
    e.emit("    linalg.yield %sum : f32")
    e.emit("  }")
    # Backward. dout = out - y; dW2 = flat^T dout; dflat = dout W2^T.
    dout = e.ewise([out, "%y"], N, K, lambda a: [f"%res = arith.subf {a[0]}, {a[1]} : f32"])
    flat = e.fresh("flat")
    e.emit(f"{flat} = tensor.collapse_shape {pooled} [[0], [1, 2, 3]] : {PL} into {t(N, D)}")
    dw2 = e.matmul(e.transpose(flat, N, D), dout, D, N, K)
    dflat = e.matmul(dout, e.transpose("%w2", D, K), N, K, D)
    dpool = e.fresh("dpool")
    e.emit(f"{dpool} = tensor.expand_shape {dflat} [[0], [1, 2, 3]] output_shape [{N}, {F}, {P}, {P}] "
           f": {t(N, D)} into {PL}")
    # Max-pool backward: the gradient goes where the ReLU output equals the
    # window's max (ties are all at 0, where the ReLU stops the gradient).
    # ReLU backward: times (relu > 0).
    z = e.fresh("z")
    e.emit(f"{z} = tensor.empty() : {Y1}")
    half = "affine_map<(d0, d1, d2, d3) -> (d0, d1, d2 floordiv 2, d3 floordiv 2)>"
    drelu = e.fresh("drelu")
    e.emit(f"{drelu} = linalg.generic {{indexing_maps = [{id4}, {half}, {half}, {id4}], "
           f"iterator_types = {par4}}} ins({relu}, {pooled}, {dpool} : {Y1}, {PL}, {PL}) "
           f"outs({z} : {Y1}) {{")
    e.emit("^bb0(%r: f32, %m: f32, %g: f32, %out: f32):")
    e.emit("  %zero = arith.constant 0.000000e+00 : f32")
    e.emit("  %isMax = arith.cmpf oeq, %r, %m : f32")
    e.emit("  %pos = arith.cmpf ogt, %r, %zero : f32")
    e.emit("  %both = arith.andi %isMax, %pos : i1")
    e.emit("  %res = arith.select %both, %g, %zero : f32")
    e.emit("  linalg.yield %res : f32")
    e.emit(f"}} -> {Y1}")
    # dW1[f, c, kh, kw] = sum_{n, i, j} drelu[n, f, i, j] * x[n, c, i + kh, j + kw]
    zw = e.fresh("zw")
    e.emit(f"{zw} = tensor.empty() : {W1}")
    c1 = e.fresh("c")
    e.emit(f"{c1} = arith.constant 0.000000e+00 : f32")
    zwf = e.fresh("zwf")
    e.emit(f"{zwf} = linalg.fill ins({c1} : f32) outs({zw} : {W1}) -> {W1}")
    dw1 = e.fresh("dw1")
    e.emit(f"{dw1} = linalg.generic {{indexing_maps = ["
           "affine_map<(f, c, kh, kw, n, i, j) -> (n, f, i, j)>, "
           "affine_map<(f, c, kh, kw, n, i, j) -> (n, c, i + kh, j + kw)>, "
           "affine_map<(f, c, kh, kw, n, i, j) -> (f, c, kh, kw)>], iterator_types = "
           '["parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]} '
           f"ins({drelu}, %x : {Y1}, {X}) outs({zwf} : {W1}) {{")
    e.emit("^bb0(%g: f32, %xv: f32, %acc: f32):")
    e.emit("  %p = arith.mulf %g, %xv : f32")
    e.emit("  %res = arith.addf %acc, %p : f32")
    e.emit("  linalg.yield %res : f32")
    e.emit(f"}} -> {W1}")
    e.emit(f"return {loss}, {dw1}, {dw2} : tensor<f32>, {W1}, {W2}")
    return "\n".join([head] + e.lines + ["}"])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("kind", choices=["mlp", "transformer", "cnn"])
    parser.add_argument("--layers", type=int, default=4)
    parser.add_argument("--batch", type=int, default=16)
    parser.add_argument("--width", type=int, default=64)
    parser.add_argument("--no-regions", action="store_true",
                        help="emit the same graph without ckpt.checkpoint regions")
    args = parser.parse_args()
    gen = {"mlp": gen_mlp, "transformer": gen_transformer, "cnn": gen_cnn}[args.kind]
    print(gen(args.layers, args.batch, args.width, not args.no_regions))


if __name__ == "__main__":
    main()
