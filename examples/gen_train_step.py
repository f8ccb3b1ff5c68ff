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
  encoder:      L pre-norm transformer encoder blocks with an exact
                backward: layer norm (no affine), single-head scaled
                dot-product attention (Q/K/V and output projections, softmax),
                residual, layer norm, MLP with an exact (erf) GELU and
                dropout (p = 0.1) whose keep mask is a stateless hash of
                (block, element index), residual; loss 0.5*sum((y - t)^2).
                Results: the loss, then dWq dWk dWv dWo dW1 dW2 per block.
                --batch is the number of tokens, --width the model width
                (MLP width 2x).
  transformer:  L pre-norm blocks (RMS norm, Q/K/V projections, scores
                q @ k^T, softmax, p @ v, output projection, residual, MLP with
                a GELU, residual). Its backward is *structural*: one op per
                derivative, reading the same forward values and producing the
                same shapes as the true backward (e.g. the softmax derivative
                reads p, the GELU derivative reads its input, dW = x^T @ dy),
                but the arithmetic is not the exact gradient. It exists to
                measure memory and compile time, not numerics.

Usage: gen_train_step.py {mlp,transformer,cnn,encoder} --layers L --batch B --width D
       [--no-regions] [--widths W0,...,WL (mlp: uneven layers)] > step.mlir
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

    def filled(self, type_, literal, stems=("e", "c", "z")):
        """A new tensor of `type_` filled with the f32 `literal`: returns the
        `tensor.empty` and the filled value (SSA names from `stems`)."""
        empty = self.fresh(stems[0])
        self.emit(f"{empty} = tensor.empty() : {type_}")
        c = self.fresh(stems[1])
        self.emit(f"{c} = arith.constant {literal} : f32")
        full = self.fresh(stems[2])
        self.emit(f"{full} = linalg.fill ins({c} : f32) outs({empty} : {type_}) -> {type_}")
        return empty, full

    def zeros(self, m, n):
        return self.filled(self.t(m, n), "0.000000e+00")[1]

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

    def sum_all(self, x, type_, scale=None):
        """The 0-d f32 sum of all elements of the 2-d `x`, each times `scale`
        (an f32 literal) if given: the loss reduction."""
        c0 = self.fresh("c")
        self.emit(f"{c0} = arith.constant 0.000000e+00 : f32")
        s0 = self.fresh("s")
        self.emit(f"{s0} = tensor.empty() : tensor<f32>")
        s1 = self.fresh("s")
        self.emit(f"{s1} = linalg.fill ins({c0} : f32) outs({s0} : tensor<f32>) -> tensor<f32>")
        total = self.fresh("loss")
        self.emit(f"{total} = linalg.reduce ins({x} : {type_}) outs({s1} : tensor<f32>) dimensions = [0, 1]")
        self.emit("  (%in: f32, %acc: f32) {")
        if scale is None:
            self.emit("    %sum = arith.addf %in, %acc : f32")
        else:
            self.emit(f"    %half = arith.constant {scale} : f32")
            self.emit("    %hv = arith.mulf %in, %half : f32")
            self.emit("    %sum = arith.addf %hv, %acc : f32")
        self.emit("    linalg.yield %sum : f32")
        self.emit("  }")
        return total

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


def gen_mlp(L, B, D, regions, widths=None):
    """widths: L + 1 layer widths (input, then each layer's output); default
    all D. Layer i multiplies by W_i of widths[i] x widths[i + 1]."""
    e = Emitter()
    ws = widths or [D] * (L + 1)
    assert len(ws) == L + 1
    Ts = [e.t(B, w) for w in ws]
    Ws = [e.t(ws[i], ws[i + 1]) for i in range(L)]
    params = ", ".join(f"%w{i}: {Ws[i]}" for i in range(L))
    grads = ", ".join(Ws)
    head = (f"func.func @train_step(%x: {Ts[0]}, %y: {Ts[L]}, {params}) -> (tensor<f32>, {grads}) "
            f"attributes {{ckpt.forward_results = [0]}} {{")
    hs, gs = ["%x"], []
    for i in range(L):
        def build(args, i=i):
            a = e.matmul(args[0], args[1], B, ws[i], ws[i + 1])
            h = e.ewise([a], B, ws[i + 1], tanh_body)
            g = e.ewise([a], B, ws[i + 1], lambda x: [f"%t = math.tanh {x[0]} : f32",
                                                      "%t2 = arith.mulf %t, %t : f32",
                                                      "%one = arith.constant 1.000000e+00 : f32",
                                                      "%res = arith.subf %one, %t2 : f32"])
            return [(h, Ts[i + 1]), (g, Ts[i + 1])]
        h, g = e.region(f"layers.{i}", [hs[-1], f"%w{i}"], [Ts[i], Ws[i]], build, regions)
        hs.append(h)
        gs.append(g)
    # loss = 0.5 * sum((h_L - y)^2)
    d = e.ewise([hs[-1], "%y"], B, ws[L], lambda a: [f"%df = arith.subf {a[0]}, {a[1]} : f32",
                                                     "%res = arith.mulf %df, %df : f32"])
    loss = e.sum_all(d, Ts[L], scale="5.000000e-01")
    # backward
    dh = e.ewise([hs[-1], "%y"], B, ws[L], lambda a: [f"%res = arith.subf {a[0]}, {a[1]} : f32"])
    dws = [None] * L
    for i in reversed(range(L)):
        da = e.ewise([dh, gs[i]], B, ws[i + 1], lambda a: [f"%res = arith.mulf {a[0]}, {a[1]} : f32"])
        hT = e.transpose(hs[i], B, ws[i])
        dws[i] = e.matmul(hT, da, ws[i], B, ws[i + 1])
        if i > 0:
            wT = e.transpose(f"%w{i}", ws[i], ws[i + 1])
            dh = e.matmul(da, wT, B, ws[i + 1], ws[i])
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
    loss = e.sum_all(d, T)
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
        z, zf = e.filled(Y1, "0.000000e+00", ("z", "c", "zf"))
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
        _, zf = e.filled(PL, "0xFF800000", ("z", "c", "zf"))
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
    loss = e.sum_all(d, OUT, scale="5.000000e-01")
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
    _, zwf = e.filled(W1, "0.000000e+00", ("zw", "c", "zwf"))
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


# The dropout hash of the encoder: element i of block b is kept when
# (i * 747796405 + (17 + b) * 2891336453) mod 2^32 < KEEP_BELOW.
DROP_P = 0.1
KEEP_BELOW = 3865470566  # floor(0.9 * 2^32)


def gen_encoder(L, T, D, regions):
    e = Emitter()
    F = 2 * D
    t2 = lambda m, n: f"tensor<{m}x{n}xf32>"
    t1 = lambda m: f"tensor<{m}xf32>"
    full = "affine_map<(d0, d1) -> (d0, d1)>"
    row = "affine_map<(d0, d1) -> (d0)>"
    par = '["parallel", "parallel"]'

    def gen2(ins, m, n, body, out_elem="f32"):
        """ins: list of (value, 'full'|'row', type); body(args) -> lines with %res."""
        outt = f"tensor<{m}x{n}x{out_elem}>"
        em = e.fresh("e")
        e.emit(f"{em} = tensor.empty() : {outt}")
        r = e.fresh("g")
        maps = ", ".join([full if k == "full" else row for _, k, _ in ins] + [full])
        e.emit(f"{r} = linalg.generic {{indexing_maps = [{maps}], iterator_types = {par}}} "
               f"ins({', '.join(v for v, _, _ in ins)} : {', '.join(ty for _, _, ty in ins)}) "
               f"outs({em} : {outt}) {{")
        args = [f"%a{i}" for i in range(len(ins))]
        elem_types = ["i1" if "xi1>" in ty else "f32" for _, _, ty in ins]
        e.emit(f"^bb0({', '.join(f'{a}: {et}' for a, et in zip(args, elem_types))}, %out: {out_elem}):")
        for line in body(args):
            e.emit("  " + line)
        e.emit(f"  linalg.yield %res : {out_elem}")
        e.emit(f"}} -> {outt}")
        return r

    def rowreduce(x, m, n, body, init="0.000000e+00"):
        """Reduces rows of x (m x n) to tensor<m>; body(x, acc) -> lines with %res."""
        _, z = e.filled(t1(m), init)
        r = e.fresh("red")
        e.emit(f"{r} = linalg.generic {{indexing_maps = [{full}, {row}], iterator_types = "
               f'["parallel", "reduction"]}} ins({x} : {t2(m, n)}) outs({z} : {t1(m)}) {{')
        e.emit("^bb0(%rv: f32, %racc: f32):")
        for line in body("%rv", "%racc"):
            e.emit("  " + line)
        e.emit("  linalg.yield %res : f32")
        e.emit(f"}} -> {t1(m)}")
        return r

    def rowmean(x, m, n):
        s_ = rowreduce(x, m, n, lambda a, acc: [f"%res = arith.addf {a}, {acc} : f32"])
        return row_map(s_, m, "sc", [f"%k = arith.constant {1.0 / n:.9e} : f32",
                                     "%res = arith.mulf %v, %k : f32"])

    def row_map(v, m, prefix, body):
        """Elementwise over a tensor<m>: `body` reads %v and defines %res."""
        em = e.fresh("e")
        e.emit(f"{em} = tensor.empty() : {t1(m)}")
        r = e.fresh(prefix)
        ident = "affine_map<(d0) -> (d0)>"
        e.emit(f"{r} = linalg.generic {{indexing_maps = [{ident}, {ident}], iterator_types = [\"parallel\"]}} "
               f"ins({v} : {t1(m)}) outs({em} : {t1(m)}) {{")
        e.emit("^bb0(%v: f32, %out: f32):")
        for line in body:
            e.emit(f"  {line}")
        e.emit("  linalg.yield %res : f32")
        e.emit(f"}} -> {t1(m)}")
        return r

    def layernorm(x):
        """n = (x - mean) * rsqrt(var + 1e-5); returns (n, rstd)."""
        mu = rowmean(x, T, D)
        xc = gen2([(x, "full", t2(T, D)), (mu, "row", t1(T))], T, D,
                  lambda a: [f"%res = arith.subf {a[0]}, {a[1]} : f32"])
        sq = gen2([(xc, "full", t2(T, D))], T, D, lambda a: [f"%res = arith.mulf {a[0]}, {a[0]} : f32"])
        var = rowmean(sq, T, D)
        rstd = row_map(var, T, "rstd", ["%eps = arith.constant 9.99999974E-6 : f32",
                                        "%ve = arith.addf %v, %eps : f32",
                                        "%res = math.rsqrt %ve : f32"])
        n = gen2([(xc, "full", t2(T, D)), (rstd, "row", t1(T))], T, D,
                 lambda a: [f"%res = arith.mulf {a[0]}, {a[1]} : f32"])
        return n, rstd

    def layernorm_backward(dn, n, rstd):
        """dx = rstd * (dn - mean(dn) - n * mean(dn * n))."""
        m1 = rowmean(dn, T, D)
        dnn = gen2([(dn, "full", t2(T, D)), (n, "full", t2(T, D))], T, D,
                   lambda a: [f"%res = arith.mulf {a[0]}, {a[1]} : f32"])
        m2 = rowmean(dnn, T, D)
        return gen2([(dn, "full", t2(T, D)), (m1, "row", t1(T)), (n, "full", t2(T, D)),
                     (m2, "row", t1(T)), (rstd, "row", t1(T))], T, D,
                    lambda a: [f"%t0 = arith.subf {a[0]}, {a[1]} : f32",
                               f"%t1 = arith.mulf {a[2]}, {a[3]} : f32",
                               "%t2 = arith.subf %t0, %t1 : f32",
                               f"%res = arith.mulf %t2, {a[4]} : f32"])

    add = lambda a: [f"%res = arith.addf {a[0]}, {a[1]} : f32"]
    mul = lambda a: [f"%res = arith.mulf {a[0]}, {a[1]} : f32"]
    scale = 1.0 / (D ** 0.5)
    names = ["wq", "wk", "wv", "wo", "w1", "w2"]
    shapes = {"wq": (D, D), "wk": (D, D), "wv": (D, D), "wo": (D, D), "w1": (D, F), "w2": (F, D)}
    params = ", ".join(f"%{nm}{i}: {t2(*shapes[nm])}" for i in range(L) for nm in names)
    grads = ", ".join(t2(*shapes[nm]) for i in range(L) for nm in names)
    head = (f"func.func @train_step(%x: {t2(T, D)}, %tgt: {t2(T, D)}, {params}) -> "
            f"(tensor<f32>, {grads}) attributes {{ckpt.forward_results = [0]}} {{")
    hs, saved = ["%x"], []
    for b in range(L):
        def block(a, b=b):
            x, wq, wk, wv, wo, w1, w2 = a
            n, rstd = layernorm(x)
            q = e.matmul(n, wq, T, D, D)
            k = e.matmul(n, wk, T, D, D)
            v = e.matmul(n, wv, T, D, D)
            s0 = e.matmul(q, e.transpose(k, T, D), T, D, T)
            s_ = gen2([(s0, "full", t2(T, T))], T, T,
                      lambda z: [f"%k = arith.constant {scale:.9e} : f32",
                                 f"%res = arith.mulf {z[0]}, %k : f32"])
            mx = rowreduce(s_, T, T, lambda xv, acc: [f"%res = arith.maximumf {xv}, {acc} : f32"],
                           init="0xFF800000")
            ex = gen2([(s_, "full", t2(T, T)), (mx, "row", t1(T))], T, T,
                      lambda z: [f"%d = arith.subf {z[0]}, {z[1]} : f32", "%res = math.exp %d : f32"])
            den = rowreduce(ex, T, T, lambda xv, acc: [f"%res = arith.addf {xv}, {acc} : f32"])
            p = gen2([(ex, "full", t2(T, T)), (den, "row", t1(T))], T, T,
                     lambda z: [f"%res = arith.divf {z[0]}, {z[1]} : f32"])
            att = e.matmul(p, v, T, T, D)
            o = e.matmul(att, wo, T, D, D)
            h = gen2([(x, "full", t2(T, D)), (o, "full", t2(T, D))], T, D, add)
            n2, rstd2 = layernorm(h)
            u = e.matmul(n2, w1, T, D, F)
            g = gen2([(u, "full", t2(T, F))], T, F,
                     lambda z: ["%c = arith.constant 0.707106769 : f32",
                                f"%m = arith.mulf {z[0]}, %c : f32",
                                "%er = math.erf %m : f32",
                                "%one = arith.constant 1.000000e+00 : f32",
                                "%ep = arith.addf %er, %one : f32",
                                "%half = arith.constant 5.000000e-01 : f32",
                                f"%hx = arith.mulf %half, {z[0]} : f32",
                                "%res = arith.mulf %hx, %ep : f32"])
            # Keep mask: a stateless hash of (block, element index).
            em = e.fresh("e")
            e.emit(f"{em} = tensor.empty() : tensor<{T}x{F}xi1>")
            mask = e.fresh("mask")
            e.emit(f"{mask} = linalg.generic {{indexing_maps = [{full}], iterator_types = {par}}} "
                   f"outs({em} : tensor<{T}x{F}xi1>) {{")
            e.emit("^bb0(%out: i1):")
            for line in ["%i = linalg.index 0 : index", "%j = linalg.index 1 : index",
                         f"%cF = arith.constant {F} : index", "%r = arith.muli %i, %cF : index",
                         "%lin = arith.addi %r, %j : index",
                         "%l32 = arith.index_cast %lin : index to i32",
                         "%mul = arith.constant 747796405 : i32",
                         "%hm = arith.muli %l32, %mul : i32",
                         f"%sd = arith.constant {((17 + b) * 2891336453) % 2**32 - (2**32 if ((17 + b) * 2891336453) % 2**32 >= 2**31 else 0)} : i32",
                         "%h = arith.addi %hm, %sd : i32",
                         f"%thr = arith.constant {KEEP_BELOW - 2**32} : i32",
                         "%res = arith.cmpi ult, %h, %thr : i32"]:
                e.emit("  " + line)
            e.emit("  linalg.yield %res : i1")
            e.emit(f"}} -> tensor<{T}x{F}xi1>")
            gd = gen2([(g, "full", t2(T, F)), (mask, "full", f"tensor<{T}x{F}xi1>")], T, F,
                      lambda z: [f"%k = arith.constant {1.0 / (1.0 - DROP_P):.9e} : f32",
                                 f"%sv = arith.mulf {z[0]}, %k : f32",
                                 "%zero = arith.constant 0.000000e+00 : f32",
                                 f"%res = arith.select {z[1]}, %sv, %zero : f32"])
            zz = e.matmul(gd, w2, T, F, D)
            y = gen2([(h, "full", t2(T, D)), (zz, "full", t2(T, D))], T, D, add)
            outs = [y, n, rstd, q, k, v, p, att, n2, rstd2, u, gd, mask]
            types = [t2(T, D), t2(T, D), t1(T), t2(T, D), t2(T, D), t2(T, D), t2(T, T), t2(T, D),
                     t2(T, D), t1(T), t2(T, F), t2(T, F), f"tensor<{T}x{F}xi1>"]
            return list(zip(outs, types))
        ins = [hs[-1]] + [f"%{nm}{b}" for nm in names]
        res = e.region(f"blocks.{b}", ins, [t2(T, D)] + [t2(*shapes[nm]) for nm in names], block,
                       regions)
        hs.append(res[0])
        saved.append(res[1:])
    # Loss.
    dl = gen2([(hs[-1], "full", t2(T, D)), ("%tgt", "full", t2(T, D))], T, D,
              lambda a: [f"%df = arith.subf {a[0]}, {a[1]} : f32", "%res = arith.mulf %df, %df : f32"])
    loss = e.sum_all(dl, t2(T, D), scale="5.000000e-01")
    # Backward.
    dy = gen2([(hs[-1], "full", t2(T, D)), ("%tgt", "full", t2(T, D))], T, D,
              lambda a: [f"%res = arith.subf {a[0]}, {a[1]} : f32"])
    dws = {}
    for b in reversed(range(L)):
        n, rstd, q, k, v, p, att, n2, rstd2, u, gd, mask = saved[b]
        wq, wk, wv, wo, w1, w2 = [f"%{nm}{b}" for nm in names]
        # MLP.
        dws[("w2", b)] = e.matmul(e.transpose(gd, T, F), dy, F, T, D)
        dgd = e.matmul(dy, e.transpose(w2, F, D), T, D, F)
        du = gen2([(dgd, "full", t2(T, F)), (mask, "full", f"tensor<{T}x{F}xi1>"), (u, "full", t2(T, F))],
                  T, F,
                  lambda z: [f"%k = arith.constant {1.0 / (1.0 - DROP_P):.9e} : f32",
                             f"%sv = arith.mulf {z[0]}, %k : f32",
                             "%zero = arith.constant 0.000000e+00 : f32",
                             f"%dg = arith.select {z[1]}, %sv, %zero : f32",
                             "%c = arith.constant 0.707106769 : f32",
                             f"%m = arith.mulf {z[2]}, %c : f32",
                             "%er = math.erf %m : f32",
                             "%one = arith.constant 1.000000e+00 : f32",
                             "%ep = arith.addf %er, %one : f32",
                             "%half = arith.constant 5.000000e-01 : f32",
                             "%cdf = arith.mulf %half, %ep : f32",
                             f"%u2 = arith.mulf {z[2]}, {z[2]} : f32",
                             "%nh = arith.constant -5.000000e-01 : f32",
                             "%ex = arith.mulf %u2, %nh : f32",
                             "%pd = math.exp %ex : f32",
                             "%is = arith.constant 0.398942292 : f32",
                             "%pdf = arith.mulf %pd, %is : f32",
                             f"%upd = arith.mulf {z[2]}, %pdf : f32",
                             "%der = arith.addf %cdf, %upd : f32",
                             "%res = arith.mulf %dg, %der : f32"])
        dws[("w1", b)] = e.matmul(e.transpose(n2, T, D), du, D, T, F)
        dn2 = e.matmul(du, e.transpose(w1, D, F), T, F, D)
        dh = gen2([(dy, "full", t2(T, D)), (layernorm_backward(dn2, n2, rstd2), "full", t2(T, D))],
                  T, D, add)
        # Attention.
        dws[("wo", b)] = e.matmul(e.transpose(att, T, D), dh, D, T, D)
        datt = e.matmul(dh, e.transpose(wo, D, D), T, D, D)
        dp = e.matmul(datt, e.transpose(v, T, D), T, D, T)
        dv = e.matmul(e.transpose(p, T, T), datt, T, T, D)
        dpp = gen2([(dp, "full", t2(T, T)), (p, "full", t2(T, T))], T, T, mul)
        rs = rowreduce(dpp, T, T, lambda xv, acc: [f"%res = arith.addf {xv}, {acc} : f32"])
        ds = gen2([(dp, "full", t2(T, T)), (rs, "row", t1(T)), (p, "full", t2(T, T))], T, T,
                  lambda z: [f"%d = arith.subf {z[0]}, {z[1]} : f32",
                             f"%pd = arith.mulf {z[2]}, %d : f32",
                             f"%k = arith.constant {scale:.9e} : f32",
                             "%res = arith.mulf %pd, %k : f32"])
        dq = e.matmul(ds, k, T, T, D)
        dk = e.matmul(e.transpose(ds, T, T), q, T, T, D)
        nT = e.transpose(n, T, D)
        dws[("wq", b)] = e.matmul(nT, dq, D, T, D)
        dws[("wk", b)] = e.matmul(nT, dk, D, T, D)
        dws[("wv", b)] = e.matmul(nT, dv, D, T, D)
        dnq = e.matmul(dq, e.transpose(wq, D, D), T, D, D)
        dnk = e.matmul(dk, e.transpose(wk, D, D), T, D, D)
        dnv = e.matmul(dv, e.transpose(wv, D, D), T, D, D)
        dn = gen2([(gen2([(dnq, "full", t2(T, D)), (dnk, "full", t2(T, D))], T, D, add), "full", t2(T, D)),
                   (dnv, "full", t2(T, D))], T, D, add)
        dy = gen2([(dh, "full", t2(T, D)), (layernorm_backward(dn, n, rstd), "full", t2(T, D))],
                  T, D, add)
    outs = [dws[(nm, b)] for b in range(L) for nm in names]
    e.emit(f"return {loss}, {', '.join(outs)} : tensor<f32>, {grads}")
    return "\n".join([head] + e.lines + ["}"])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("kind", choices=["mlp", "transformer", "cnn", "encoder"])
    parser.add_argument("--layers", type=int, default=4)
    parser.add_argument("--batch", type=int, default=16)
    parser.add_argument("--width", type=int, default=64)
    parser.add_argument("--no-regions", action="store_true",
                        help="emit the same graph without ckpt.checkpoint regions")
    parser.add_argument("--widths", type=str, default=None,
                        help="mlp only: comma-separated L + 1 widths (input, then "
                             "each layer's output), for uneven layers")
    args = parser.parse_args()
    if args.widths is not None:
        if args.kind != "mlp":
            parser.error("--widths applies to mlp")
        widths = [int(w) for w in args.widths.split(",")]
        if len(widths) != args.layers + 1 or min(widths) < 1:
            parser.error(f"--widths needs {args.layers + 1} positive widths "
                         f"for {args.layers} layers")
        print(gen_mlp(args.layers, args.batch, args.width, not args.no_regions, widths))
        return
    gen = {"mlp": gen_mlp, "transformer": gen_transformer, "cnn": gen_cnn,
           "encoder": gen_encoder}[args.kind]
    print(gen(args.layers, args.batch, args.width, not args.no_regions))


if __name__ == "__main__":
    main()
