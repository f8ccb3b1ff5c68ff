//===- Passes.td - ckpt transformation passes --------------*- tablegen -*-===//

#ifndef CKPT_DIALECT_CKPT_TRANSFORMS_PASSES_TD
#define CKPT_DIALECT_CKPT_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def CkptRematerialize : Pass<"ckpt-rematerialize", "::mlir::ModuleOp"> {
  let summary = "Drop the stored intermediates of checkpointed regions and "
                "recompute them in the backward part";
  let description = [{
    Input: a joint training graph (one `func.func` computing forward, loss and
    backward), or a split-form pair (below), whose forward part is given by `ckpt.forward_results` (default
    `[0]`, the loss). Module boundaries are `ckpt.checkpoint` region ops, or
    the unit attribute `ckpt.checkpoint` on a `func.func` (every call to it in
    a forward part) or on one `func.call` (that call only); such calls are
    first turned into region ops with the callee's body inlined (for an
    external callee, the region holds the call itself).

    Only training steps are rewritten (docs/rationale.md §1: a function
    with `ckpt.forward_results` or in a split-form pair, or a public
    single-block function with a backward part). In any other function (a
    private helper, an inference function) regions are simply inlined and
    calls stay calls.

    The core is `rematerialize()` (Rematerialize.h), callable without a pass
    manager: per region, RematerializationAnalysis computes a plan before
    the region changes, and the apply step of the joint or split form
    executes it.

    For each region, outermost first, in program order:

    1. The body is inlined in place (the forward runs as before).
    2. The *saved set* is computed: the region's inputs; results of ops the
       `save` attribute or the `policy` keeps; results of ops that must not run
       twice (memory effects, unknown effects, calls to external functions not
       matched by `assume-pure`, ops whose regions hold such ops); scalar
       (non-tensor) values, which may decide shapes or control flow and cost
       almost nothing to keep; values that are inputs of another
       checkpointed region; and results of *collectives*: every `mpi` op,
       the `shard` dialect's communication ops (`shard.all_reduce` and most
       others are declared Pure upstream; they are collectives all the
       same), calls whose callee matches `collectives=` (NCCL-style
       wrappers), and ops or defined callees holding one. The remark names
       them "kept: collective". A collective replayed on one rank only
       deadlocks or mixes steps; `recompute-collectives` lets them be
       replayed (their memory effects still decide: a Pure
       `shard.all_reduce` is then recomputed, an `mpi.allreduce` writing a
       memref is not), and is sound only when every rank runs the same
       program with the same options and no rank-dependent control flow
       around regions, so that every rank makes the same decisions in the
       same order and each replay is matched on all ranks.
    3. Every other region value the backward part uses is *dropped*: only its
       backward-needed slice ("early stop") is cloned, exactly (same op names,
       attributes, types), immediately before the first backward op that needs
       it, taking its saved inputs through one `ckpt.barrier` ordered after the
       nearest preceding backward value.
    4. Inner regions are processed after the outer one, both in the forward
       copy and in the recompute (so no op runs more than nesting depth + 1
       times). A region whose values no backward op uses is simply inlined.
    5. Never worse: a function-level region whose recompute would raise the
       estimated peak of live tensor bytes is not rematerialized (a remark
       says so; `force` overrides), and one that lowers neither the peak nor
       the bytes live at the first backward op gets a "no benefit" remark.

    Split form: for `@fwd {ckpt.backward = @bwd, ckpt.num_outputs = K}`
    (results K.. of @fwd are the saved values, the first arguments of @bwd),
    the dropped values leave @fwd's saved results, the region inputs the
    recompute reads join them (no duplicates; constants and empty tensors
    are recreated in @bwd instead), the recompute is cloned into @bwd before
    the first op that needs it (no barrier: another function), both
    signatures change, and every call pair that feeds @fwd's saved results
    into @bwd is updated; the two attributes keep describing the contract.

    Afterwards no `ckpt.checkpoint` op or attribute remains; run
    `ckpt-verify` after the pass to check the post-condition (builds with
    assertions also check it inside the pass). Each op inlined from a region
    keeps a trace in
    its location, `fused<{ckpt.region = "<name>"}>`, with `ckpt.dropped` added
    when its tensor results were dropped; `ckpt-verify` reads it later on.

    Refused, with an error and the module left unchanged: a region in the
    backward part; a region nested in an op other than `ckpt.checkpoint`; a
    checkpointed call nested in another op, or to a multi-block or recursive
    function; a malformed `ckpt.forward_results`; a function with annotations
    whose body has more than one block; a malformed split-form pair or a call
    pair it cannot update. Every function is checked before the first change;
    a module with only joint-form functions is then rewritten in place,
    without a copy (with split-form pairs, whose rewrites can touch each
    other's calls, a copy is rewritten and swapped in).

    Rationale: this is PyTorch's non-reentrant `checkpoint(module)` with
    `early_stop`, decided once at compile time.
  }];
  let options = [
    Option<"policy", "policy", "::mlir::ckpt::SavePolicy",
           "::mlir::ckpt::SavePolicy::RecomputeAll",
           "Which region results to store instead of recomputing",
           [{::llvm::cl::values(
             clEnumValN(::mlir::ckpt::SavePolicy::RecomputeAll,
                        "recompute-all",
                        "recompute everything that is not in the saved set "
                        "(default)"),
             clEnumValN(::mlir::ckpt::SavePolicy::SaveContractions,
                        "save-contractions",
                        "also store the results of contractions and "
                        "convolutions (by the linalg interfaces; ByteIR "
                        "matmul and convolution kernels)"),
             clEnumValN(::mlir::ckpt::SavePolicy::SaveContractions,
                        "save-matmuls", "alias of save-contractions"))}]>,
    ListOption<"saveOps", "save-ops", "std::string",
               "Op names (dialect.op) or callees (@name) whose results "
               "every region stores (added to each region's `save` "
               "attribute)">,
    Option<"assumePure", "assume-pure", "std::string", "\"\"",
           "Regex over callee names: external functions that match are "
           "treated as free of effects and may be recomputed">,
    Option<"collectives", "collectives", "std::string", "\"\"",
           "Regex over callee names: calls that match are collectives "
           "(e.g. NCCL wrappers), saved like mpi ops and shard collectives">,
    Option<"recomputeCollectives", "recompute-collectives", "bool", "false",
           "Allow replaying collectives on recompute; only for programs "
           "whose ranks all make the same decisions in the same order">,
    Option<"force", "force", "bool", "false",
           "Rematerialize every region, even one whose recompute would "
           "raise the estimated peak (\"never worse\" is off)">,
    Option<"dynamicDimSize", "dynamic-dim-size", "int64_t", "1",
           "Elements assumed for each dynamic dimension by the peak "
           "estimate (at least 1)">,
    Option<"remarks", "remarks", "::mlir::ckpt::RemarkLevel",
           "::mlir::ckpt::RemarkLevel::Changed",
           "Which remarks to emit (warnings about skipped regions the user "
           "annotated always appear)",
           [{::llvm::cl::values(
             clEnumValN(::mlir::ckpt::RemarkLevel::Changed, "changed",
                        "a summary per training step and a remark per "
                        "region that changed something (default)"),
             clEnumValN(::mlir::ckpt::RemarkLevel::Regions, "regions",
                        "a remark per region, changed or not, and no "
                        "summary"),
             clEnumValN(::mlir::ckpt::RemarkLevel::All, "all",
                        "summaries and every region"),
             clEnumValN(::mlir::ckpt::RemarkLevel::None, "none",
                        "no remarks"))}]>,
  ];
  let statistics = [
    Statistic<"numRegions", "regions", "Checkpointed regions processed">,
    Statistic<"numDroppedValues", "dropped-values",
              "Region values used by the backward part and recomputed">,
    Statistic<"numDroppedBytes", "dropped-bytes",
              "Bytes of static-shaped dropped values">,
    Statistic<"numSavedValues", "saved-values",
              "Region values used by the backward part and kept">,
    Statistic<"numClonedOps", "cloned-ops", "Ops cloned into the backward">,
    Statistic<"numBarriers", "barriers", "ckpt.barrier ops created">,
  ];
  let dependentDialects = ["::mlir::ckpt::CkptDialect"];
}

def CkptAnnotate : Pass<"ckpt-annotate", "::mlir::ModuleOp"> {
  let summary = "Create ckpt.checkpoint regions in the forward part of "
                "unannotated training graphs";
  let description = [{
    Works on joint-form functions (the forward part from
    `ckpt.forward_results`, default `[0]`) and on the forward function of a
    split-form pair (all of it). Exactly one mode:

    * `callee=<regex>`: each forward call at the top level whose callee
      matches (whole name) becomes a region (a defined callee is inlined into
      it; an external one is wrapped).
    * `loc=<regex>`: maximal runs of consecutive forward ops whose location
      name (a `NameLoc`, possibly inside a `FusedLoc`, as JAX name scopes and
      torch module paths are exported) contains a match of the regex, with
      the same matched text, become one region named after that text. First
      the ops of one name are gathered where the ops between them allow it
      (what CSE splits: a mask shared by two blocks keeps the first block's
      name and sits apart from its run): from the name's first op to its
      last, an op that reads nothing computed from the name's ops moves
      before the first, one that does moves after the last. Ops of the name
      computed from constants alone that feed such an op (an iota shared
      with a position embedding) lose the name. A name whose ops are not
      convex otherwise (a module called twice around another one), or whose
      span holds an op with memory effects (a call), keeps its runs.
    * `segments=N` or `segments=sqrt`: the forward ops are cut into N
      regions (sqrt: the square root of the number of layers, and at least
      one per piece (below); a layer is a forward op that is a contraction
      or a convolution by the linalg interfaces, or a ByteIR matmul or
      convolution kernel call; without any, the square root of the number of
      forward ops; Chen et al. 2016,
      "Training Deep Nets with Sublinear Memory Cost"): no segment recomputes
      more than twice the average of the bytes the backward reads from the
      forward, and among those cuts, dynamic programming picks the ones
      across which the fewest bytes flow (the checkpoints that are stored).

    * `budget=<bytes>` (K, M, G: powers of 1024): the region plan of least
      recompute cost (`target=`) whose estimated peak fits the budget, by an
      exact dynamic program over candidate cuts (regions contiguous in
      program order; `cuts=`: every cut on graphs of up to 1024 ops, else
      those where the bytes crossing are a local minimum; always those
      between pieces), keeping per cut the Pareto set of
      (dropped bytes, cost): docs/guide.md states the plan model, the
      recurrence and its complexity. The chosen plan is then checked with
      `ckpt-rematerialize` on a copy of the module (the memory report's
      estimate); if that estimate exceeds the budget, the search runs again
      with the budget lowered by the excess (at most 8 times). None of the
      regions if the graph fits already; an error giving the least reachable
      peak if nothing fits. A remark gives the plan's figures (estimated
      peak, plan model peak, cost, FLOPs). Joint form only.

      With `solver=milp`, the plan also chooses per region whether it saves
      its contractions (a `save` list of the named linalg contraction and
      convolution ops in the region; PyTorch's selective checkpointing of
      matmuls, per region): a MILP over candidate (segment, policy) pairs
      (Checkmate, Jain et al. 2020, on region plans) solved with COIN-OR CBC,
      started from the DP's plan (so never worse), within
      `milp-time-limit` seconds and `milp-candidates` variables (segments
      longer than fit are left out, except the DP's). The remark adds the
      solver's proven gap over its candidates.

    Regions never contain backward ops nor ops that must not run twice (ops
    with effects, external calls not matched by `assume-pure`) nor
    collectives (`mpi` ops, `shard` collectives, calls matched by
    `collectives=`; ckpt-rematerialize would save them anyway): those split
    the forward part into pieces that regions do not cross, so each
    collective is a segment boundary. Only training
    steps get regions (docs/rationale.md §1): private helpers, functions
    without a backward part and the backward function of a split-form pair
    are left alone.
  }];
  let options = [
    Option<"callee", "callee", "std::string", "\"\"",
           "Regex over callee names: forward calls that match become regions">,
    Option<"loc", "loc", "std::string", "\"\"",
           "Regex over location names: the forward ops of each matched name, "
           "gathered where the ops between can move, become one region per "
           "run">,
    Option<"segments", "segments", "std::string", "\"\"",
           "Number of regions to cut the forward part into, or 'sqrt'">,
    Option<"budget", "budget", "std::string", "\"\"",
           "Peak bytes to fit (K/M/G suffixes): the least recompute FLOPs "
           "that fit">,
    Option<"assumePure", "assume-pure", "std::string", "\"\"",
           "Regex over external callee names that may be recomputed (as for "
           "ckpt-rematerialize)">,
    Option<"collectives", "collectives", "std::string", "\"\"",
           "Regex over callee names: calls that match are collectives, at "
           "which regions are cut (as for ckpt-rematerialize)">,
    Option<"target", "target", "std::string", "\"flops\"",
           "What a recompute costs: 'flops' (FLOPs), 'h200' or 'cpu' "
           "(roofline seconds, max(FLOPs / peak FLOP/s, bytes moved / "
           "bandwidth))">,
    Option<"peakFlops", "peak-flops", "double", "0",
           "Override of the target's peak FLOP/s (all element types; turns "
           "'flops' into a roofline)">,
    Option<"bandwidth", "bandwidth", "double", "0",
           "Override of the target's memory bandwidth, bytes per second">,
    Option<"cuts", "cuts", "::mlir::ckpt::CutCandidates",
           "::mlir::ckpt::CutCandidates::Auto",
           "Candidate cuts of budget= and pareto=",
           [{::llvm::cl::values(
             clEnumValN(::mlir::ckpt::CutCandidates::Auto, "auto",
                        "every cut on graphs of up to 1024 ops, "
                        "else the minima"),
             clEnumValN(::mlir::ckpt::CutCandidates::Minima, "minima",
                        "local minima of the bytes crossing the cut"),
             clEnumValN(::mlir::ckpt::CutCandidates::All, "all",
                        "every cut between ops"))}]>,
    Option<"solver", "solver", "::mlir::ckpt::PlanSolver",
           "::mlir::ckpt::PlanSolver::DP",
           "How budget= chooses the plan",
           [{::llvm::cl::values(
             clEnumValN(::mlir::ckpt::PlanSolver::DP, "dp",
                        "exact dynamic program over region plans"),
             clEnumValN(::mlir::ckpt::PlanSolver::MILP, "milp",
                        "regions and a save policy per region, a MILP "
                        "solved with COIN-OR CBC from the DP's plan"))}]>,
    Option<"milpTimeLimit", "milp-time-limit", "double", "60",
           "Seconds the MILP solver may take (solver=milp)">,
    Option<"milpCandidates", "milp-candidates", "int64_t", "20000",
           "Most (segment, policy) variables of the MILP (solver=milp)">,
    Option<"pareto", "pareto", "std::string", "\"\"",
           "Write the front of (estimated peak, recompute cost) region plans "
           "to <pareto>.json and <pareto>.svg (budget= and segments= modes)">,
  ];
  let dependentDialects = ["::mlir::ckpt::CkptDialect"];
}

def CkptVerify : Pass<"ckpt-verify", "::mlir::ModuleOp"> {
  let summary = "Check that no dropped forward value is used by the backward";
  let description = [{
    The post-condition of `ckpt-rematerialize` (docs/rationale.md §3.10) as a standalone
    pass that can run after any later pipeline (`cse`, `canonicalize`, ...):
    every forward value used by the backward part is in a saved set or was
    never inside a checkpointed region.

    A forward op whose results `ckpt-rematerialize` dropped carries
    `fused<{ckpt.region = "<name>", ckpt.dropped}>` in its location. For each
    joint-form function (the forward part is again the slice of
    `ckpt.forward_results`, default `[0]`; ops inlined from a region, which
    carry `ckpt.region`, count as forward), every use of a tensor result of a
    dropped op by an op outside the forward part is an error at the using op,
    with a note at the dropped value. Scalar results are exempt (they are
    saved), and so are values computed from constants alone (a zero-filled
    accumulator that `cse` shares between forward and backward holds no
    activation).

    The pass changes nothing.
  }];
}

def CkptStripBarriers : Pass<"ckpt-strip-barriers"> {
  let summary = "Remove ckpt.barrier ops, location traces and ckpt.* attributes";
  let description = [{
    Replaces each `ckpt.barrier` with its inputs, removes the `ckpt.region`
    and `ckpt.recompute` traces from locations and the discardable `ckpt.*`
    attributes (`ckpt.forward_results`, `ckpt.backward`, `ckpt.num_outputs`)
    and function argument attributes (`ckpt.shard_dim`, `ckpt.input_range`),
    so no annotation reaches LLVM. Lowering pipelines run it after
    bufferization.

    Refused with an error: a barrier on tensors, unless `allow-tensors`.
    Rationale: before bufferization the barrier is the only thing that keeps
    `cse` from folding a recompute back into the forward (JAX issue 13999),
    and the traces it removes are what `ckpt-verify` reads, so a pipeline
    that strips barriers and then runs `cse` would defeat checkpointing with
    nothing left to catch it.
  }];
  let options = [
    Option<"allowTensors", "allow-tensors", "bool", "false",
           "Also strip barriers on tensors (before bufferization): later "
           "cleanups may then fold recomputes back into the forward, and "
           "ckpt-verify can no longer tell">,
  ];
}

def CkptDropAnnotations : Pass<"ckpt-drop-annotations", "::mlir::ModuleOp"> {
  let summary = "Inline every ckpt.checkpoint region and remove the "
                "ckpt.checkpoint attributes: the graph without checkpointing";
  let description = [{
    The baseline that checkpointing is compared against (gradients bit for
    bit, peak bytes): the same computation as `ckpt-rematerialize` produces,
    with nothing recomputed. The checkpointed calls of each training step's
    forward part are inlined as `ckpt-rematerialize` inlines them (a call
    boundary would otherwise keep buffers alive and inflate the measured
    baseline), each region's body is inlined in place, its results replaced
    by the yielded values, and the `ckpt.checkpoint` and `ckpt.auto`
    attributes are removed. Refused like `ckpt-rematerialize`: a
    checkpointed call it cannot inline (recursive, multi-block callee,
    nested in another op).
  }];
}

#endif // CKPT_DIALECT_CKPT_TRANSFORMS_PASSES_TD
