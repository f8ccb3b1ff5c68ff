#!/usr/bin/env python3
"""Seeded random joint (or split-form) training steps for differential
fuzzing of ckpt (issue 19).

A graph is a random forward DAG over activations of one shape BxH (B = 32,
or `?` with --dynamic; H = 64), each op drawn from OP_KINDS (linalg.matmul,
linalg.generic elementwise and reductions, arith/math on tensors,
linalg.reduce, linalg.softmax, extract_slice/concat, collapse/expand_shape,
scf.for, scf.if, a stateless dropout mask, calls of a defined private
helper), in f32 mostly and sometimes f16/bf16. Forward result 0 is the last
activation (the "loss" output, its incoming gradient `%dy` an argument);
the backward is derived mechanically by a reverse sweep over the forward
ops, each op emitting its vector-Jacobian product that reads the forward
inputs and/or outputs the way real VJPs do (tanh' from the output, sin'
from the input, matmul from both operands, softmax from its output, ...),
so rematerialization has something to recompute.

Annotations are drawn from a second stream seeded by the same seed, so a
smaller --max-ops keeps the same kinds of choices: `ckpt.checkpoint`
regions over random runs of forward ops (named, some with `save` lists,
some nested), `{ckpt.checkpoint}` on the helper function or on single
calls, a `ckpt-rematerialize` policy (`policy=save-matmuls`,
`save-ops=...`), or no manual annotation and `ckpt-annotate{segments=N}`.
With --split the forward and backward go into @fwd {ckpt.backward = @bwd,
ckpt.num_outputs = 1} and @bwd, run by a private @step.

Usage: gen_graph.py --seed S [--dynamic|--static] [--split|--joint]
                    [--max-ops N] [--no-annotations] [--drop-region K ...]
Prints the module; its header comment lines `// FUZZ-...:` give the
passes that ckpt-run and ckpt-opt should use (fuzz.py reads `meta`).
"""
import argparse
import random
import re

H = 64
B_STATIC = 32
# Relative distance to a discontinuity (of the tensor's largest magnitude)
# below which float32 and float64 may branch differently: a few float32
# roundings (2^-24 relative each) through up to 12 ops: seeds 1107, 1530 and
# 1807 failed at 1e-7, 7e-9 and 1e-9 (1e-5 skipped a third of the graphs).
UNSTABLE_GAP = 1e-6
DYN_SIZE = 32  # --dynamic-dim-size used by the harness for '?'

OP_KINDS = ["tanh", "sin", "exp", "mulw", "add2", "mul2", "relu", "matmul",
            "softmax", "rowsum", "rowmax", "slicecat", "reshape", "loop",
            "ifelse", "dropout", "call"]
# Relative weights (matmul and elementwise most common).
OP_WEIGHTS = [3, 3, 1, 3, 2, 2, 2, 3, 2, 1, 1, 2, 1, 1, 1, 1, 2]

NEG_BIG = {"f32": "-3.0e+38", "f16": "-6.0e+04", "bf16": "-3.0e+38"}


class Graph:
    def __init__(self, seed, dynamic=None, split=None, max_ops=None,
                 annotations=True, drop_regions=(), dtype=None, ops=None):
        self.seed = seed
        rng = random.Random(seed * 7919 + 1)
        arng = random.Random(seed * 104729 + 2)
        # Always draw, then override: forcing a choice keeps the stream.
        r_dyn, r_split, r_dt = rng.random(), rng.random(), rng.random()
        self.dyn = r_dyn < 0.3 if dynamic is None else dynamic
        self.split = r_split < 0.2 if split is None else split
        if dtype is None:
            dtype = "f32" if r_dt < 0.8 else ("f16" if r_dt < 0.9 else "bf16")
        self.dt = dtype
        n = rng.randint(3, 12)
        self.n_full = n
        kinds = rng.choices(OP_KINDS, OP_WEIGHTS, k=n)
        self.picks = [rng.random() for _ in range(n)]
        if ops:  # explicit op kinds (reproducers), picks drawn as usual
            kinds = list(ops)
            self.picks = (self.picks * len(ops))[:len(ops)] or [0.5] * len(ops)
        if max_ops is not None:
            kinds = kinds[:max_ops]
        self.kinds = kinds
        self.B = "?" if self.dyn else str(B_STATIC)
        self.AT = f"tensor<{self.B}x{H}x{self.dt}>"
        self.RT = f"tensor<{self.B}x{self.dt}>"
        self.MT = f"tensor<{H}x{H}x{self.dt}>"
        self.TT = f"tensor<{H}x{self.B}x{self.dt}>"
        self.HALF = f"tensor<{self.B}x{H // 2}x{self.dt}>"
        self.FT = f"tensor<{self.B}x8x{H // 8}x{self.dt}>"
        self.counter = 0
        self.types = {}
        self.args = []  # (id, kind) kind: 'x', 'w', 'm', 'dy'
        self.ops = []   # dicts: kind, ins, outs, attrs
        self.features = set()
        self._build(rng)
        self._annotate(arng, annotations, set(drop_regions))

    # ---- values ----------------------------------------------------------
    def new(self, ty):
        v = len(self.types)
        self.types[v] = ty
        return v

    def fresh(self, p="v"):
        self.counter += 1
        return f"%{p}{self.counter}"

    # ---- forward DAG -----------------------------------------------------
    def _build(self, rng):
        x = self.new(self.AT)
        self.args.append((x, "x"))
        acts = [x]
        cur = x
        for i, k in enumerate(self.kinds):
            p = self.picks[i]
            op = {"kind": k, "ins": [cur], "outs": [], "attrs": {}}
            if k == "mulw":
                w = self.new(self.AT)
                self.args.append((w, "w"))
                op["ins"].append(w)
            elif k == "matmul":
                w = self.new(self.MT)
                self.args.append((w, "m"))
                op["ins"].append(w)
            elif k == "call":
                w = self.new(self.AT)
                self.args.append((w, "w"))
                op["ins"].append(w)
            elif k in ("add2", "mul2"):
                op["ins"].append(acts[int(p * len(acts))])
            y = self.new(self.AT)
            op["outs"].append(y)
            if k in ("rowmax",):
                op["outs"].append(self.new(self.RT))
            if k == "slicecat":
                op["outs"].append(self.new(self.HALF))
            if k == "reshape":
                op["outs"].append(self.new(self.FT))
            if k == "ifelse":
                op["outs"].append(self.new("i1"))
            if k == "call":
                op["outs"].append(self.new(self.AT))
            self.ops.append(op)
            acts.append(y)
            cur = y
            self.features.add(k)
        self.y = cur
        self.dy = self.new(self.AT)
        self.args.append((self.dy, "dy"))

    # ---- annotations -----------------------------------------------------
    def _annotate(self, arng, annotations, drop):
        self.regions = []  # (start, end, name, save, nested(start,end)|None)
        self.fn_attr = False
        self.rem_opts = []
        self.annotate = None
        # Bounds are drawn over the untruncated op count and clipped, so a
        # smaller --max-ops keeps the regions over the ops that remain.
        n, nf = len(self.ops), self.n_full
        mode = arng.random()
        nreg = arng.randint(1, 3)
        bounds = [min(b, n) for b in
                  sorted(arng.sample(range(nf + 1), min(nf + 1, 2 * nreg)))]
        saves = [arng.random() for _ in range(nreg)]
        nests = [arng.random() for _ in range(nreg)]
        pol = arng.random()
        callattr = [arng.random() < 0.5 for _ in range(nf)]
        self.fn_attr_pick = arng.random() < 0.3
        segs = arng.randint(1, 4)
        if not annotations:
            return
        if mode < 0.15 and not self.split:
            # No more segments than forward ops: more is a user error that
            # ckpt-annotate refuses ("cannot cut the forward part into N
            # segments", test/Dialect/Ckpt/Transforms/annotate-errors.mlir), seed 1983.
            self.annotate = f"segments={min(segs, n)}"
            self.features.add("annotate-segments")
            return
        for r in range(len(bounds) // 2):
            s, e = bounds[2 * r], bounds[2 * r + 1]
            if e <= s or r in drop:
                continue
            save = None
            if saves[r] < 0.3:
                save = arng.choice([["math.tanh"], ["linalg.matmul"],
                                    ["math.exp", "linalg.softmax"],
                                    ["linalg.generic"]])
                self.features.add("save-list")
            nested = None
            if nests[r] < 0.3 and e - s >= 2:
                a = arng.randint(s, e - 1)
                b = arng.randint(a + 1, e)
                if (a, b) != (s, e):
                    nested = (a, b)
                    self.features.add("nested-region")
            self.regions.append((s, e, f"r{r}", save, nested))
            self.features.add("region")
        in_region = set()
        for s, e, *_ in self.regions:
            in_region.update(range(s, e))
        if "call" in self.kinds:
            self.fn_attr = self.fn_attr_pick
            if self.fn_attr:
                self.features.add("func-attr")
            for i, op in enumerate(self.ops):
                if op["kind"] == "call" and callattr[i] and not self.fn_attr \
                        and i not in in_region:
                    op["attrs"]["callattr"] = True
                    self.features.add("call-attr")
        if pol < 0.15:
            self.rem_opts.append("policy=save-matmuls")
            self.features.add("policy-save-matmuls")
        elif pol < 0.25:
            self.rem_opts.append("save-ops=math.exp,math.tanh")
            self.features.add("save-ops")

    # ---- text helpers ----------------------------------------------------
    def empty(self, L, ty, ref):
        """tensor.empty of `ty`; dynamic dims taken from dim 0 of `ref`."""
        e = self.fresh("e")
        if "?" not in ty:
            L.append(f"{e} = tensor.empty() : {ty}")
            return e
        c0, d = self.fresh("c"), self.fresh("d")
        reft = ref[1]
        L.append(f"{c0} = arith.constant 0 : index")
        L.append(f"{d} = tensor.dim {ref[0]}, {c0} : {reft}")
        L.append(f"{e} = tensor.empty({d}) : {ty}")
        return e

    def generic(self, L, ins, out_ty, body, maps=None, rank=2, ref=None,
                iters=None, init=None):
        """A linalg.generic over `ins` [(ssa, type)], identity maps unless
        given; `body(L, args)` appends scalar lines, returns the yield."""
        dt = self.dt
        idm = {1: "affine_map<(d0) -> (d0)>",
               2: "affine_map<(d0, d1) -> (d0, d1)>",
               3: "affine_map<(d0, d1, d2) -> (d0, d1, d2)>"}[rank]
        maps = maps or [idm] * (len(ins) + 1)
        iters = iters or ", ".join(['"parallel"'] * rank)
        outs = init if init is not None else \
            self.empty(L, out_ty, ref or ins[0])
        r = self.fresh()
        args = [self.fresh("a") for _ in ins]
        o = self.fresh("o")
        ins_s = ", ".join(n for n, _ in ins)
        ins_t = ", ".join(t for _, t in ins)
        L.append(f"{r} = linalg.generic {{indexing_maps = [{', '.join(maps)}], "
                 f"iterator_types = [{iters}]}} ins({ins_s} : {ins_t}) "
                 f"outs({outs} : {out_ty}) {{")
        sig = ", ".join(f"{a}: {dt}" for a in args + [o])
        L.append(f"^bb0({sig}):")
        BL = []
        res = body(BL, args, o)
        L.extend("  " + l for l in BL)
        L.append(f"  linalg.yield {res} : {dt}")
        L.append(f"}} -> {out_ty}")
        return r

    def cst(self, L, val, ty=None):
        c = self.fresh("k")
        L.append(f"{c} = arith.constant {val} : {ty or self.dt}")
        return c

    def zero_fill(self, L, ty, ref):
        e = self.empty(L, ty, ref)
        z = self.cst(L, "0.0")
        f = self.fresh("f")
        L.append(f"{f} = linalg.fill ins({z} : {self.dt}) outs({e} : {ty}) -> {ty}")
        return f

    def matmul(self, L, a, b, out_ty, ref):
        z = self.zero_fill(L, out_ty, ref)
        r = self.fresh()
        L.append(f"{r} = linalg.matmul ins({a[0]}, {b[0]} : {a[1]}, {b[1]}) "
                 f"outs({z} : {out_ty}) -> {out_ty}")
        return r

    def transpose(self, L, a, out_ty, ref):
        e = self.empty(L, out_ty, ref)
        r = self.fresh()
        L.append(f"{r} = linalg.transpose ins({a[0]} : {a[1]}) outs({e} : "
                 f"{out_ty}) permutation = [1, 0]")
        return r

    def rowsum(self, L, a):
        z = self.zero_fill(L, self.RT, a)
        r = self.fresh()
        L.append(f"{r} = linalg.reduce ins({a[0]} : {a[1]}) outs({z} : {self.RT}) dimensions = [1]")
        i, acc, s = self.fresh("a"), self.fresh("a"), self.fresh()
        L.append(f"  ({i}: {self.dt}, {acc}: {self.dt}) {{")
        L.append(f"    {s} = arith.addf {i}, {acc} : {self.dt}")
        L.append(f"    linalg.yield {s} : {self.dt}")
        L.append("  }")
        return r

    def ew(self, L, op, *vals):
        r = self.fresh()
        L.append(f"{r} = {op} {', '.join(vals)} : {self.AT}")
        return r

    # ---- forward emission ------------------------------------------------
    def emit_fwd(self, L, op, env):
        k, AT, dt = op["kind"], self.AT, self.dt
        a = env[op["ins"][0]]
        A = (a, AT)
        outs = []
        if k in ("tanh", "sin", "exp"):
            outs = [self.ew(L, f"math.{k}", a)]
        elif k == "mulw" or k == "mul2":
            outs = [self.ew(L, "arith.mulf", a, env[op["ins"][1]])]
        elif k == "add2":
            outs = [self.ew(L, "arith.addf", a, env[op["ins"][1]])]
        elif k == "relu":
            def body(BL, args, o):
                z = self.cst(BL, "0.0")
                m = self.fresh()
                BL.append(f"{m} = arith.maximumf {args[0]}, {z} : {dt}")
                return m
            outs = [self.generic(L, [A], AT, body)]
        elif k == "matmul":
            outs = [self.matmul(L, A, (env[op["ins"][1]], self.MT), AT, A)]
        elif k == "softmax":
            e = self.empty(L, AT, A)
            r = self.fresh()
            L.append(f"{r} = linalg.softmax dimension(1) ins({a} : {AT}) outs({e} : {AT}) -> {AT}")
            outs = [r]
        elif k == "rowsum":
            s = self.rowsum(L, A)
            outs = [self.row_bcast_add(L, A, s, "addf")]
        elif k == "rowmax":
            e = self.empty(L, self.RT, A)
            nb = self.cst(L, NEG_BIG[dt])
            f = self.fresh("f")
            L.append(f"{f} = linalg.fill ins({nb} : {dt}) outs({e} : {self.RT}) -> {self.RT}")
            m = self.fresh()
            L.append(f"{m} = linalg.reduce ins({a} : {AT}) outs({f} : {self.RT}) dimensions = [1]")
            i, acc, s = self.fresh("a"), self.fresh("a"), self.fresh()
            L.append(f"  ({i}: {dt}, {acc}: {dt}) {{")
            L.append(f"    {s} = arith.maximumf {i}, {acc} : {dt}")
            L.append(f"    linalg.yield {s} : {dt}")
            L.append("  }")
            outs = [self.row_bcast_add(L, A, m, "subf"), m]
        elif k == "slicecat":
            h = H // 2
            d = self.dim0(L, A)
            s1, s2 = self.fresh(), self.fresh()
            sz = d if self.dyn else B_STATIC
            L.append(f"{s1} = tensor.extract_slice {a}[0, 0] [{sz}, {h}] [1, 1] : {AT} to {self.HALF}")
            L.append(f"{s2} = tensor.extract_slice {a}[0, {h}] [{sz}, {h}] [1, 1] : {AT} to {self.HALF}")
            t = self.fresh()
            L.append(f"{t} = math.tanh {s1} : {self.HALF}")
            c = self.fresh()
            L.append(f"{c} = tensor.concat dim(1) {t}, {s2} : ({self.HALF}, {self.HALF}) -> {AT}")
            outs = [c, t]
        elif k == "reshape":
            d = self.dim0(L, A)
            f = self.fresh()
            shape = f"[{d}, 8, {H // 8}]" if self.dyn else f"[{B_STATIC}, 8, {H // 8}]"
            L.append(f"{f} = tensor.expand_shape {a} [[0], [1, 2]] output_shape {shape} : {AT} into {self.FT}")
            t = self.fresh()
            L.append(f"{t} = math.tanh {f} : {self.FT}")
            y = self.fresh()
            L.append(f"{y} = tensor.collapse_shape {t} [[0], [1, 2]] : {self.FT} into {AT}")
            outs = [y, t]
        elif k == "loop":
            lb, ub, st = self.fresh("c"), self.fresh("c"), self.fresh("c")
            L.append(f"{lb} = arith.constant 0 : index")
            L.append(f"{ub} = arith.constant 3 : index")
            L.append(f"{st} = arith.constant 1 : index")
            r, i, it = self.fresh(), self.fresh("i"), self.fresh("it")
            L.append(f"{r} = scf.for {i} = {lb} to {ub} step {st} iter_args({it} = {a}) -> ({AT}) {{")
            s, n = self.fresh(), self.fresh()
            L.append(f"  {s} = math.sin {a} : {AT}")
            L.append(f"  {n} = arith.addf {it}, {s} : {AT}")
            L.append(f"  scf.yield {n} : {AT}")
            L.append("}")
            outs = [r]
        elif k == "ifelse":
            c0, z, e, c = self.fresh("c"), self.cst(L, "0.0"), self.fresh(), self.fresh("b")
            L.append(f"{c0} = arith.constant 0 : index")
            L.append(f"{e} = tensor.extract {a}[{c0}, {c0}] : {AT}")
            L.append(f"{c} = arith.cmpf ogt, {e}, {z} : {dt}")
            r = self.fresh()
            L.append(f"{r} = scf.if {c} -> ({AT}) {{")
            t = self.fresh()
            L.append(f"  {t} = math.tanh {a} : {AT}")
            L.append(f"  scf.yield {t} : {AT}")
            L.append("} else {")
            m = self.fresh()
            L.append(f"  {m} = arith.mulf {a}, {a} : {AT}")
            L.append(f"  scf.yield {m} : {AT}")
            L.append("}")
            outs = [r, c]
        elif k == "dropout":
            outs = [self.generic(L, [A], AT, self.dropout_body, iters=None)]
        elif k == "call":
            r = self.fresh()
            attr = " {ckpt.checkpoint}" if op["attrs"].get("callattr") else ""
            L.append(f"{r}:2 = func.call @gate({a}, {env[op['ins'][1]]}){attr} : ({AT}, {AT}) -> ({AT}, {AT})")
            outs = [f"{r}#0", f"{r}#1"]
        for v, s in zip(op["outs"], outs):
            env[v] = s

    def dim0(self, L, A):
        if not self.dyn:
            return None
        c0, d = self.fresh("c"), self.fresh("d")
        L.append(f"{c0} = arith.constant 0 : index")
        L.append(f"{d} = tensor.dim {A[0]}, {c0} : {A[1]}")
        return d

    def dropout_body(self, BL, args, o):
        dt = self.dt
        i, j = self.fresh("i"), self.fresh("i")
        BL.append(f"{i} = linalg.index 0 : index")
        BL.append(f"{j} = linalg.index 1 : index")
        c7, c13, c5, c0 = (self.cst(BL, v, "index") for v in (7, 13, 5, 0))
        p, q, s, h, keep = (self.fresh() for _ in range(5))
        BL.append(f"{p} = arith.muli {i}, {c7} : index")
        BL.append(f"{q} = arith.muli {j}, {c13} : index")
        BL.append(f"{s} = arith.addi {p}, {q} : index")
        BL.append(f"{h} = arith.remui {s}, {c5} : index")
        BL.append(f"{keep} = arith.cmpi ne, {h}, {c0} : index")
        sc, z = self.cst(BL, "1.25"), self.cst(BL, "0.0")
        m, r = self.fresh(), self.fresh()
        BL.append(f"{m} = arith.mulf {args[0]}, {sc} : {dt}")
        BL.append(f"{r} = arith.select {keep}, {m}, {z} : {dt}")
        return r

    def row_bcast_add(self, L, A, row, op):
        """A[i, j] (op) row[i] * (1/H for addf)."""
        dt = self.dt
        maps = ["affine_map<(d0, d1) -> (d0, d1)>", "affine_map<(d0, d1) -> (d0)>",
                "affine_map<(d0, d1) -> (d0, d1)>"]

        def body(BL, args, o):
            v = args[1]
            if op == "addf":
                inv = self.cst(BL, "0.015625")
                v = self.fresh()
                BL.append(f"{v} = arith.mulf {args[1]}, {inv} : {dt}")
            r = self.fresh()
            BL.append(f"{r} = arith.{op} {args[0]}, {v} : {dt}")
            return r
        return self.generic(L, [A, (row, self.RT)], self.AT, body, maps=maps,
                            ref=A)

    # ---- backward emission -----------------------------------------------
    def emit_bwd(self, L, op, env, g):
        """Returns [(input value id, gradient ssa)]."""
        k, AT, dt = op["kind"], self.AT, self.dt
        a = env[op["ins"][0]]
        A, G = (a, AT), (g, AT)
        y = env[op["outs"][0]]
        Y = (y, AT)
        if k == "tanh":
            def body(BL, args, o):
                one = self.cst(BL, "1.0")
                t2, d, m = self.fresh(), self.fresh(), self.fresh()
                BL.append(f"{t2} = arith.mulf {args[1]}, {args[1]} : {dt}")
                BL.append(f"{d} = arith.subf {one}, {t2} : {dt}")
                BL.append(f"{m} = arith.mulf {args[0]}, {d} : {dt}")
                return m
            return [(op["ins"][0], self.generic(L, [G, Y], AT, body))]
        if k == "sin":
            c = self.ew(L, "math.cos", a)
            return [(op["ins"][0], self.ew(L, "arith.mulf", g, c))]
        if k == "exp":
            return [(op["ins"][0], self.ew(L, "arith.mulf", g, y))]
        if k == "mulw" or k == "mul2":
            b = env[op["ins"][1]]
            return [(op["ins"][0], self.ew(L, "arith.mulf", g, b)),
                    (op["ins"][1], self.ew(L, "arith.mulf", g, a))]
        if k == "add2":
            return [(op["ins"][0], g), (op["ins"][1], g)]
        if k == "relu":
            def body(BL, args, o):
                z = self.cst(BL, "0.0")
                p, s = self.fresh(), self.fresh()
                BL.append(f"{p} = arith.cmpf ogt, {args[1]}, {z} : {dt}")
                BL.append(f"{s} = arith.select {p}, {args[0]}, {z} : {dt}")
                return s
            return [(op["ins"][0], self.generic(L, [G, A], AT, body))]
        if k == "matmul":
            W = (env[op["ins"][1]], self.MT)
            wt = self.transpose(L, W, self.MT, W)
            dx = self.matmul(L, G, (wt, self.MT), AT, G)
            xt = self.transpose(L, A, self.TT, A)
            dw = self.matmul(L, (xt, self.TT), G, self.MT, None)
            return [(op["ins"][0], dx), (op["ins"][1], dw)]
        if k == "softmax":
            def body(BL, args, o):
                m = self.fresh()
                BL.append(f"{m} = arith.mulf {args[0]}, {args[1]} : {dt}")
                return m
            p = self.generic(L, [G, Y], AT, body)
            s = self.rowsum(L, (p, AT))
            maps = ["affine_map<(d0, d1) -> (d0, d1)>"] * 2 + \
                ["affine_map<(d0, d1) -> (d0)>", "affine_map<(d0, d1) -> (d0, d1)>"]

            def body2(BL, args, o):
                d, m = self.fresh(), self.fresh()
                BL.append(f"{d} = arith.subf {args[1]}, {args[2]} : {dt}")
                BL.append(f"{m} = arith.mulf {args[0]}, {d} : {dt}")
                return m
            return [(op["ins"][0], self.generic(L, [Y, G, (s, self.RT)], AT,
                                                body2, maps=maps))]
        if k == "rowsum":
            s = self.rowsum(L, G)
            return [(op["ins"][0], self.row_bcast_add(L, G, s, "addf"))]
        if k == "rowmax":
            m = env[op["outs"][1]]
            s = self.rowsum(L, G)
            maps = ["affine_map<(d0, d1) -> (d0, d1)>"] * 2 + \
                ["affine_map<(d0, d1) -> (d0)>"] * 2 + ["affine_map<(d0, d1) -> (d0, d1)>"]

            def body(BL, args, o):
                z = self.cst(BL, "0.0")
                e, t, r = self.fresh(), self.fresh(), self.fresh()
                BL.append(f"{e} = arith.cmpf oeq, {args[1]}, {args[2]} : {dt}")
                BL.append(f"{t} = arith.select {e}, {args[3]}, {z} : {dt}")
                BL.append(f"{r} = arith.subf {args[0]}, {t} : {dt}")
                return r
            return [(op["ins"][0], self.generic(
                L, [G, A, (m, self.RT), (s, self.RT)], AT, body, maps=maps))]
        if k == "slicecat":
            h = H // 2
            t = env[op["outs"][1]]
            d = self.dim0(L, G)
            sz = d if self.dyn else B_STATIC
            g1, g2 = self.fresh(), self.fresh()
            L.append(f"{g1} = tensor.extract_slice {g}[0, 0] [{sz}, {h}] [1, 1] : {AT} to {self.HALF}")
            L.append(f"{g2} = tensor.extract_slice {g}[0, {h}] [{sz}, {h}] [1, 1] : {AT} to {self.HALF}")

            def body(BL, args, o):
                one = self.cst(BL, "1.0")
                t2, dd, m = self.fresh(), self.fresh(), self.fresh()
                BL.append(f"{t2} = arith.mulf {args[1]}, {args[1]} : {dt}")
                BL.append(f"{dd} = arith.subf {one}, {t2} : {dt}")
                BL.append(f"{m} = arith.mulf {args[0]}, {dd} : {dt}")
                return m
            dt1 = self.generic(L, [(g1, self.HALF), (t, self.HALF)], self.HALF,
                               body, ref=(g1, self.HALF))
            c = self.fresh()
            L.append(f"{c} = tensor.concat dim(1) {dt1}, {g2} : ({self.HALF}, {self.HALF}) -> {AT}")
            return [(op["ins"][0], c)]
        if k == "reshape":
            t = env[op["outs"][1]]
            d = self.dim0(L, G)
            f = self.fresh()
            shape = f"[{d}, 8, {H // 8}]" if self.dyn else f"[{B_STATIC}, 8, {H // 8}]"
            L.append(f"{f} = tensor.expand_shape {g} [[0], [1, 2]] output_shape {shape} : {AT} into {self.FT}")

            def body(BL, args, o):
                one = self.cst(BL, "1.0")
                t2, dd, m = self.fresh(), self.fresh(), self.fresh()
                BL.append(f"{t2} = arith.mulf {args[1]}, {args[1]} : {dt}")
                BL.append(f"{dd} = arith.subf {one}, {t2} : {dt}")
                BL.append(f"{m} = arith.mulf {args[0]}, {dd} : {dt}")
                return m
            r = self.generic(L, [(f, self.FT), (t, self.FT)], self.FT, body,
                             rank=3, ref=(f, self.FT))
            out = self.fresh()
            L.append(f"{out} = tensor.collapse_shape {r} [[0], [1, 2]] : {self.FT} into {AT}")
            return [(op["ins"][0], out)]
        if k == "loop":
            lb, ub, st = self.fresh("c"), self.fresh("c"), self.fresh("c")
            L.append(f"{lb} = arith.constant 0 : index")
            L.append(f"{ub} = arith.constant 3 : index")
            L.append(f"{st} = arith.constant 1 : index")
            r, i, it = self.fresh(), self.fresh("i"), self.fresh("it")
            L.append(f"{r} = scf.for {i} = {lb} to {ub} step {st} iter_args({it} = {g}) -> ({AT}) {{")
            c, m, n = self.fresh(), self.fresh(), self.fresh()
            L.append(f"  {c} = math.cos {a} : {AT}")
            L.append(f"  {m} = arith.mulf {g}, {c} : {AT}")
            L.append(f"  {n} = arith.addf {it}, {m} : {AT}")
            L.append(f"  scf.yield {n} : {AT}")
            L.append("}")
            return [(op["ins"][0], r)]
        if k == "ifelse":
            c = env[op["outs"][1]]
            r = self.fresh()
            L.append(f"{r} = scf.if {c} -> ({AT}) {{")
            IL = []

            def body(BL, args, o):
                one = self.cst(BL, "1.0")
                t2, d, m = self.fresh(), self.fresh(), self.fresh()
                BL.append(f"{t2} = arith.mulf {args[1]}, {args[1]} : {dt}")
                BL.append(f"{d} = arith.subf {one}, {t2} : {dt}")
                BL.append(f"{m} = arith.mulf {args[0]}, {d} : {dt}")
                return m
            t = self.generic(IL, [G, Y], AT, body)
            IL.append(f"scf.yield {t} : {AT}")
            L.extend("  " + l for l in IL)
            L.append("} else {")
            EL = []
            m1 = self.ew(EL, "arith.mulf", g, a)
            m2 = self.ew(EL, "arith.addf", m1, m1)
            EL.append(f"scf.yield {m2} : {AT}")
            L.extend("  " + l for l in EL)
            L.append("}")
            return [(op["ins"][0], r)]
        if k == "dropout":
            return [(op["ins"][0], self.generic(L, [G], AT, self.dropout_body))]
        if k == "call":
            w = env[op["ins"][1]]
            t = env[op["outs"][1]]

            def body(BL, args, o):  # u = g * x * (1 - t^2)
                one = self.cst(BL, "1.0")
                t2, d, m, u = (self.fresh() for _ in range(4))
                BL.append(f"{t2} = arith.mulf {args[2]}, {args[2]} : {dt}")
                BL.append(f"{d} = arith.subf {one}, {t2} : {dt}")
                BL.append(f"{m} = arith.mulf {args[0]}, {args[1]} : {dt}")
                BL.append(f"{u} = arith.mulf {m}, {d} : {dt}")
                return u
            u = self.generic(L, [G, A, (t, AT)], AT, body)
            gt = self.ew(L, "arith.mulf", g, t)
            uw = self.ew(L, "arith.mulf", u, w)
            dx = self.ew(L, "arith.addf", gt, uw)
            dw = self.ew(L, "arith.mulf", u, a)
            return [(op["ins"][0], dx), (op["ins"][1], dw)]
        raise ValueError(k)

    # ---- numpy reference (float64) ---------------------------------------
    def reference(self):
        """The step's results in float64 numpy on ckpt-runner-main's 'sin'
        inputs (argument k, element i: 0.5 * sin(0.37 * i + 1.3 * k),
        rounded to the element type): [y, gradients of x and the weights].

        Sets `self.unstable` to the reasons the float32 run may take another
        branch of a discontinuous op than float64 does, where the results
        cannot be compared: a row max whose two largest entries are within
        UNSTABLE_GAP of the tensor's magnitude (the `oeq` mask of the VJP
        then picks another entry or two; fuzz seeds 1107, 1530, 1807, after
        softmax rows of near-equal values), a relu input or a branch
        condition that close to 0 (but not exactly 0, nor an argument:
        those are the same in float32)."""
        import numpy as np
        self.unstable = []
        exact = {v for v, _ in self.args}  # float32 values in both
        def near(gap, scale, what):
            # Arguments hold the same float32 values in both runs, and an
            # exact tie (0 against 0 after relu or dropout) is one in both.
            if op["ins"][0] in exact or gap == 0:
                return
            if gap <= UNSTABLE_GAP * max(scale, 1e-30):
                self.unstable.append(f"{what} within {gap:.1e} of a tie "
                                     f"(magnitude {scale:.1e})")
        B = DYN_SIZE if self.dyn else B_STATIC
        val = {}
        for k, (v, kind) in enumerate(self.args):
            shape = (H, H) if kind == "m" else (B, H)
            i = np.arange(int(np.prod(shape)), dtype=np.float64)
            val[v] = (0.5 * np.sin(0.37 * i + 1.3 * k)).astype(np.float32) \
                .astype(np.float64).reshape(shape)
        ii, jj = np.meshgrid(np.arange(B), np.arange(H), indexing="ij")
        keep = ((ii * 7 + jj * 13) % 5) != 0
        for op in self.ops:
            k, a = op["kind"], val[op["ins"][0]]
            b = val[op["ins"][1]] if len(op["ins"]) > 1 else None
            o = op["outs"]
            if k == "tanh": val[o[0]] = np.tanh(a)
            elif k == "sin": val[o[0]] = np.sin(a)
            elif k == "exp": val[o[0]] = np.exp(a)
            elif k in ("mulw", "mul2"): val[o[0]] = a * b
            elif k == "add2": val[o[0]] = a + b
            elif k == "relu":
                near(np.abs(a[a != 0]).min(initial=np.inf), np.abs(a).max(), "relu input")
                val[o[0]] = np.maximum(a, 0)
            elif k == "matmul": val[o[0]] = a @ b
            elif k == "softmax":
                e = np.exp(a - a.max(axis=1, keepdims=True))
                val[o[0]] = e / e.sum(axis=1, keepdims=True)
            elif k == "rowsum": val[o[0]] = a + a.sum(axis=1, keepdims=True) / H
            elif k == "rowmax":
                m = a.max(axis=1)
                top2 = np.sort(a, axis=1)[:, -2:]
                near((top2[:, 1] - top2[:, 0]).min(), np.abs(a).max(), "row max")
                val[o[0]], val[o[1]] = a - m[:, None], m
            elif k == "slicecat":
                t = np.tanh(a[:, :H // 2])
                val[o[0]], val[o[1]] = np.concatenate([t, a[:, H // 2:]], 1), t
            elif k == "reshape":
                t = np.tanh(a)
                val[o[0]], val[o[1]] = t, t
            elif k == "loop": val[o[0]] = a + 3 * np.sin(a)
            elif k == "ifelse":
                c = a[0, 0] > 0
                near(abs(a[0, 0]), np.abs(a).max(), "branch condition")
                val[o[0]], val[o[1]] = (np.tanh(a) if c else a * a), c
            elif k == "dropout": val[o[0]] = np.where(keep, a * 1.25, 0)
            elif k == "call":
                t = np.tanh(a * b)
                val[o[0]], val[o[1]] = t * a, t
        grads = {self.y: val[self.dy]}
        def acc(v, d):
            grads[v] = grads[v] + d if v in grads else d
        for op in reversed(self.ops):
            g = grads.get(op["outs"][0])
            if g is None:
                continue
            k, a = op["kind"], val[op["ins"][0]]
            b = val[op["ins"][1]] if len(op["ins"]) > 1 else None
            y, i0 = val[op["outs"][0]], op["ins"][0]
            if k == "tanh": acc(i0, g * (1 - y * y))
            elif k == "sin": acc(i0, g * np.cos(a))
            elif k == "exp": acc(i0, g * y)
            elif k in ("mulw", "mul2"):
                acc(i0, g * b); acc(op["ins"][1], g * a)
            elif k == "add2":
                acc(i0, g); acc(op["ins"][1], g)
            elif k == "relu": acc(i0, np.where(a > 0, g, 0))
            elif k == "matmul":
                acc(i0, g @ b.T); acc(op["ins"][1], a.T @ g)
            elif k == "softmax":
                acc(i0, y * (g - (g * y).sum(axis=1, keepdims=True)))
            elif k == "rowsum": acc(i0, g + g.sum(axis=1, keepdims=True) / H)
            elif k == "rowmax":
                m = val[op["outs"][1]]
                acc(i0, g - np.where(a == m[:, None], g.sum(axis=1, keepdims=True), 0))
            elif k == "slicecat":
                t = val[op["outs"][1]]
                acc(i0, np.concatenate([g[:, :H // 2] * (1 - t * t), g[:, H // 2:]], 1))
            elif k == "reshape":
                t = val[op["outs"][1]]
                acc(i0, g * (1 - t * t))
            elif k == "loop": acc(i0, g + 3 * g * np.cos(a))
            elif k == "ifelse":
                acc(i0, g * (1 - y * y) if val[op["outs"][1]] else 2 * g * a)
            elif k == "dropout": acc(i0, np.where(keep, g * 1.25, 0))
            elif k == "call":
                t = val[op["outs"][1]]
                u = g * a * (1 - t * t)
                acc(i0, g * t + u * b); acc(op["ins"][1], u * a)
        params = [v for v, kind in self.args if kind in ("x", "w", "m")]
        return [val[self.y]] + [grads[p] for p in params]

    # ---- whole module ----------------------------------------------------
    def helper_text(self):
        AT = self.AT
        attr = " attributes {ckpt.checkpoint}" if self.fn_attr else ""
        return [f"func.func private @gate(%gx: {AT}, %gw: {AT}) -> ({AT}, {AT}){attr} {{",
                f"  %gm = arith.mulf %gx, %gw : {AT}",
                f"  %gt = math.tanh %gm : {AT}",
                f"  %gy = arith.mulf %gt, %gx : {AT}",
                f"  return %gy, %gt : {AT}, {AT}",
                "}"]

    def emit_forward(self, L, env, uses_after):
        """Forward ops with regions. `uses_after(v, i)`: v is read at or
        after top-level op index i or by the backward/results."""
        i = 0
        n = len(self.ops)
        starts = {s: (s, e, name, save, nested)
                  for s, e, name, save, nested in self.regions}
        while i < n:
            if i in starts:
                s, e, name, save, nested = starts[i]
                self.emit_region(L, env, s, e, name, save, nested, uses_after, "")
                i = e
            else:
                self.emit_fwd(L, self.ops[i], env)
                i += 1

    def emit_region(self, L, env, s, e, name, save, nested, uses_after, ind):
        defined = set()
        inputs = []
        for op in self.ops[s:e]:
            for v in op["ins"]:
                if v not in defined and v not in inputs:
                    inputs.append(v)
            defined.update(op["outs"])
        outputs = [v for op in self.ops[s:e] for v in op["outs"]
                   if uses_after(v, e)]
        if not outputs:  # keep every region live (its last value)
            outputs = [self.ops[e - 1]["outs"][0]]
        inner = {}
        binds = []
        for v in inputs:
            b = self.fresh("b")
            inner[v] = b
            binds.append(f"{b} = {env[v]}")
        r = self.fresh("r")
        tys = [self.types[v] for v in outputs]
        res = r if len(outputs) == 1 else f"{r}:{len(outputs)}"
        save_s = f" save [{', '.join(chr(34) + x + chr(34) for x in save)}]" if save else ""
        rt = tys[0] if len(tys) == 1 else f"({', '.join(tys)})"
        L.append(f'{res} = ckpt.checkpoint "{name}" ({", ".join(binds)} : '
                 f'{", ".join(self.types[v] for v in inputs)}){save_s} -> {rt} {{')
        IL = []
        j = s
        while j < e:
            if nested and j == nested[0]:
                self.emit_region(IL, inner, nested[0], nested[1], name + ".inner",
                                 None, None, uses_after_in(self, nested[1], e, uses_after), "")
                j = nested[1]
            else:
                self.emit_fwd(IL, self.ops[j], inner)
                j += 1
        IL.append(f"ckpt.yield {', '.join(inner[v] for v in outputs)} : {', '.join(tys)}")
        L.extend("  " + l for l in IL)
        L.append("}")
        for k, v in enumerate(outputs):
            env[v] = r if len(outputs) == 1 else f"{r}#{k}"

    def emit_backward(self, L, env):
        grads = {self.y: env[self.dy]}
        for op in reversed(self.ops):
            g = grads.get(op["outs"][0])
            if g is None:
                continue
            for v, dv in self.emit_bwd(L, op, env, g):
                if v in grads:
                    grads[v] = self.ew(L, "arith.addf", grads[v], dv) \
                        if self.types[v] == self.AT else self.add_mat(L, grads[v], dv)
                else:
                    grads[v] = dv
        return grads

    def add_mat(self, L, a, b):
        r = self.fresh()
        L.append(f"{r} = arith.addf {a}, {b} : {self.types_of_mat()}")
        return r

    def types_of_mat(self):
        return self.MT

    def text(self):
        # Uses: which top-level op indices read each value; backward reads
        # are found by emitting the backward once into a scratch env.
        uses = {}
        for i, op in enumerate(self.ops):
            for v in op["ins"]:
                uses.setdefault(v, set()).add(i)
        bwd_reads = self.bwd_reads()
        n = len(self.ops)

        def uses_after(v, i):
            return v in bwd_reads or v == self.y or \
                any(j >= i for j in uses.get(v, ()))
        self._uses, self._bwd_reads = uses, bwd_reads
        argname = {v: f"%{kind}{k}" for k, (v, kind) in enumerate(self.args)}
        params = [a for a, kind in self.args if kind in ("x", "w", "m")]
        out = [f"// FUZZ-SEED: {self.seed}",
               f"// FUZZ-FORM: {'split' if self.split else 'joint'} "
               f"{'dynamic' if self.dyn else 'static'} {self.dt}",
               f"// FUZZ-OPS: {' '.join(self.kinds)}",
               f"// FUZZ-FEATURES: {' '.join(sorted(self.features))}",
               f"// FUZZ-PASSES: {self.passes()}"]
        if "call" in self.kinds:
            out += self.helper_text()
        if not self.split:
            env = Lazy(argname)
            L = []
            self.emit_forward(L, env, uses_after)
            grads = self.emit_backward(L, env)
            res = [env[self.y]] + [grads[p] for p in params]
            rtys = [self.AT] + [self.types[p] for p in params]
            sig = ", ".join(f"{argname[v]}: {self.types[v]}" for v, _ in self.args)
            out.append(f"func.func @step({sig}) -> ({', '.join(rtys)}) {{")
            out += ["  " + l for l in L]
            out.append(f"  return {', '.join(res)} : {', '.join(rtys)}")
            out.append("}")
            return "\n".join(out) + "\n"
        # Split form: saved = forward values and params the backward reads.
        fwd_args = [(v, k) for v, k in self.args if k != "dy"]
        env = Lazy(argname)
        L = []
        self.emit_forward(L, env, uses_after)
        saved = [v for v in sorted(bwd_reads)]
        stys = [self.types[v] for v in saved]
        fsig = ", ".join(f"{argname[v]}: {self.types[v]}" for v, _ in fwd_args)
        frt = [self.AT] + stys
        out.append(f"func.func @fwd({fsig}) -> ({', '.join(frt)}) attributes "
                   f"{{ckpt.backward = @bwd, ckpt.num_outputs = 1 : i64}} {{")
        out += ["  " + l for l in L]
        out.append(f"  return {', '.join([env[self.y]] + [env[v] for v in saved])} : {', '.join(frt)}")
        out.append("}")
        benv = Lazy({v: f"%s{k}" for k, v in enumerate(saved)})
        benv[self.dy] = "%dy"
        L = []
        grads = self.emit_backward(L, benv)
        res = [grads[p] for p in params]
        rtys = [self.types[p] for p in params]
        bsig = ", ".join([f"%s{k}: {t}" for k, t in enumerate(stys)] + [f"%dy: {self.AT}"])
        out.append(f"func.func @bwd({bsig}) -> ({', '.join(rtys)}) {{")
        out += ["  " + l for l in L]
        out.append(f"  return {', '.join(res)} : {', '.join(rtys)}")
        out.append("}")
        sig = ", ".join(f"{argname[v]}: {self.types[v]}" for v, _ in self.args)
        out.append(f"func.func private @step({sig}) -> ({', '.join([self.AT] + rtys)}) {{")
        fa = ", ".join(argname[v] for v, _ in fwd_args)
        out.append(f"  %f:{len(frt)} = call @fwd({fa}) : ({', '.join(self.types[v] for v, _ in fwd_args)}) -> ({', '.join(frt)})")
        ba = ", ".join([f"%f#{k + 1}" for k in range(len(saved))] + [argname[self.dy]])
        gs = f"%g:{len(rtys)}" if len(rtys) > 1 else "%g"
        out.append(f"  {gs} = call @bwd({ba}) : ({', '.join(stys + [self.AT])}) -> ({', '.join(rtys)})")
        gl = [f"%g#{k}" for k in range(len(rtys))] if len(rtys) > 1 else ["%g"]
        out.append(f"  return {', '.join(['%f#0'] + gl)} : {', '.join([self.AT] + rtys)}")
        out.append("}")
        return "\n".join(out) + "\n"

    def bwd_reads(self):
        """Forward values (and arguments) the backward reads: emit the
        backward once with placeholder names and see which occur."""
        saved_counter = self.counter
        env = {v: f"%FWD{v}_" for v in self.types}
        env[self.dy] = "%dy"
        L = []
        self.emit_backward(L, env)
        self.counter = saved_counter
        text = "\n".join(L)
        return {int(m) for m in re.findall(r"%FWD(\d+)_", text)}

    def passes(self):
        rem = "ckpt-rematerialize"
        # Priced as the harness's report and runner bind '?' (fuzz seed 5219).
        opts = self.rem_opts + ([f"dynamic-dim-size={DYN_SIZE}"] if self.dyn else [])
        if opts:
            rem += "{" + " ".join(opts) + "}"
        if self.annotate:
            return f"ckpt-annotate{{{self.annotate}}},{rem}"
        return rem

    def meta(self):
        return {"seed": self.seed, "split": self.split, "dynamic": self.dyn,
                "dtype": self.dt, "kinds": list(self.kinds),
                "features": sorted(self.features), "passes": self.passes(),
                "rem_opts": list(self.rem_opts), "annotate": self.annotate,
                "entry": "step", "regions": len(self.regions)}


class Lazy(dict):
    """An env whose missing entries are never printed (VJPs look up an
    op's operands eagerly even when they do not read them)."""
    def __missing__(self, k):
        return "%UNUSED"


def uses_after_in(g, inner_end, outer_end, outer_uses_after):
    """Inside an outer region: a value of the nested region is an output
    when read at or after `inner_end` (inside the outer region or later)."""
    def f(v, i):
        return outer_uses_after(v, inner_end)
    return f


def generate(seed, **kw):
    g = Graph(seed, **kw)
    text, meta = g.text(), g.meta()
    meta["graph"] = g
    return text, meta


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--seed", type=int, required=True)
    p.add_argument("--dynamic", action="store_true", default=None)
    p.add_argument("--static", dest="dynamic", action="store_false")
    p.add_argument("--split", action="store_true", default=None)
    p.add_argument("--joint", dest="split", action="store_false")
    p.add_argument("--dtype", choices=["f32", "f16", "bf16"])
    p.add_argument("--max-ops", type=int)
    p.add_argument("--ops", help="comma-separated op kinds instead of random "
                   "ones: " + ",".join(OP_KINDS))
    p.add_argument("--no-annotations", action="store_true")
    p.add_argument("--drop-region", type=int, action="append", default=[])
    a = p.parse_args()
    text, _ = generate(a.seed, dynamic=a.dynamic, split=a.split,
                       max_ops=a.max_ops, annotations=not a.no_annotations,
                       drop_regions=a.drop_region, dtype=a.dtype,
                       ops=a.ops.split(",") if a.ops else None)
    print(text, end="")


if __name__ == "__main__":
    main()
