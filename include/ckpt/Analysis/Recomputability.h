//===- Recomputability.h - which ops may run twice ---------------*- C++
//-*-===//
//
// Decides which region values belong to the saved set (rationale §3.1).
//
//===----------------------------------------------------------------------===//

#ifndef CKPT_ANALYSIS_RECOMPUTABILITY_H
#define CKPT_ANALYSIS_RECOMPUTABILITY_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Interfaces/CallInterfaces.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/Support/Regex.h"

namespace mlir::ckpt {

/// Which region values a region stores instead of recomputing, beyond the
/// saved set that correctness requires. Mirrors PyTorch's selective
/// activation checkpointing policies (`context_fn`).
enum class SavePolicy {
  /// Recompute everything that may be recomputed (PyTorch's default).
  RecomputeAll,
  /// Store results of contractions and convolutions (`isContractionOp`);
  /// recompute the cheap elementwise work around them. `save-contractions`,
  /// alias `save-matmuls`.
  SaveContractions,
};

/// Why a region value is kept (stored from forward to backward) rather than
/// recomputed. `Recompute` means it may be dropped and recomputed.
enum class SaveReason {
  Recompute,
  /// An input of the region (PyTorch's checkpoint stores module inputs).
  RegionInput,
  /// Kept by the region's `save` list or the pass's `policy`/`save-ops`
  /// (PyTorch's selective-checkpointing `context_fn`).
  Policy,
  /// Defined by an op with memory effects or unknown effects, or an op whose
  /// regions hold one: it must not run twice (PyTorch issue 96136).
  MemoryEffects,
  /// Defined by a call to an external function that `assume-pure` does not
  /// match: its body and effects are unknown.
  ExternalCall,
  /// Defined by a call to a defined function that has effects.
  EffectfulCallee,
  /// A scalar (non-tensor) value: it may decide shapes or control flow, and
  /// keeping it costs a few bytes.
  Scalar,
  /// Also an input of another checkpointed region, which stores it anyway.
  InputOfRegion,
  /// Defined by an effect-free op with no operands and no regions (a
  /// constant, `tensor.empty`): it holds no activation data.
  Nullary,
  /// Still read by the forward part, or returned by the function, after its
  /// recompute would start: recomputing it would free nothing and add a
  /// second copy (rationale §3.9, outputs that are also returned).
  LiveAfterRecompute,
  /// Defined by a collective (an `mpi` op, a `shard` collective, a call
  /// matched by `collectives=`): replaying it on one rank and not on the
  /// others deadlocks or mixes steps (Megatron-LM issue 1514, PyTorch's
  /// `force_save_collectives`), so it runs once per step unless
  /// `recompute-collectives` is given.
  Collective,
};

/// A short human-readable phrase for `reason`, used in remarks.
StringRef stringifySaveReason(SaveReason reason);

/// Which ops count as collectives (communication between ranks) and whether
/// they may be replayed.
struct CollectivePolicy {
  /// Callee names (whole name) of calls that are collectives, e.g. NCCL
  /// wrappers (`ncclAllReduce`, `my_allreduce`); null: no call is.
  const llvm::Regex *callees = nullptr;
  /// Replay collectives on recompute like any other op (their effects still
  /// decide). Sound only when every rank makes the same rematerialization
  /// decisions in the same order (the same program and options on every
  /// rank, no rank-dependent control flow around regions), so that every
  /// replayed collective is matched by the same replay on all ranks.
  bool recompute = false;
};

/// True if `op` itself is a collective under `policy`: any op of the `mpi`
/// dialect (`mpi.comm_split` and `mpi.comm_rank` are declared Pure
/// upstream, but a communicator split is collective too); the `shard`
/// dialect's communication ops (all_gather, all_reduce, all_slice,
/// all_to_all, broadcast, gather, recv, reduce, reduce_scatter, scatter,
/// send, shift, update_halo; most are declared Pure upstream); and
/// `func.call`s (any `CallOpInterface` with a symbol callee) whose callee
/// `policy.callees` matches. Nested ops are not looked at.
bool isCollective(Operation *op, const CollectivePolicy &policy);

/// Decides whether an op may be executed a second time to recompute its
/// results (rationale §3.1; PyTorch issue 96136 for what replaying effects
/// does). An op may run twice when upstream's `getEffectsRecursively` finds
/// no memory effect in it other than allocating its own results, and every
/// call it makes (calls have no effects of their own to ask about) is to a
/// defined function whose body may run twice or to an external function
/// whose name matches the `assume-pure` regex. Results are memoized per
/// callee; recursive call chains count as effectful.
class RecomputeSafety {
public:
  /// `assumePure` (may be null) matches the names of external callees to be
  /// treated as effect-free; `collectives` says which ops are collectives
  /// and whether they may be replayed.
  explicit RecomputeSafety(const llvm::Regex *assumePure,
                           CollectivePolicy collectives = {})
      : assumePure(assumePure), collectives(collectives) {}

  /// `SaveReason::Recompute` if `op` (with everything nested in it) may run
  /// twice, otherwise the reason it may not (`Collective` first: a
  /// collective in `op`, or in a defined callee it reaches, unless the
  /// policy allows replaying collectives; then `MemoryEffects`,
  /// `ExternalCall` or `EffectfulCallee`).
  SaveReason classify(Operation *op);

private:
  SaveReason classifyCall(CallOpInterface call);
  SaveReason classifyCallee(func::FuncOp callee);

  const llvm::Regex *assumePure;
  CollectivePolicy collectives;
  SymbolTableCollection symbolTables;
  /// Memo for defined callees; `EffectfulCallee` while a callee is being
  /// analyzed, so a recursive chain counts as effectful.
  llvm::DenseMap<Operation *, SaveReason> calleeMemo;
};

/// True for ops that `policy = save-contractions` keeps, chosen by
/// interface, not by name: linalg ops that are contractions or convolutions
/// (`linalg::isaContractionOpInterface`, `isaConvolutionOpInterface`:
/// matmul, batch matmul, matvec, generics whose body is a multiply-add
/// reduction, every convolution), and ByteIR library kernel calls of the
/// matmul and convolution families (LibraryKernels.h: `MatmulOp`, `ConvOp`,
/// `ConvBackwardDataOp`, `ConvBackwardFilterOp`).
bool isContractionOp(Operation *op);

/// The `save` list entry that names `op`: `@callee` for a call to a symbol
/// (a library kernel call is saved by its callee, as PyTorch's selective
/// checkpointing names `aten.mm`), else its op name `dialect.op`.
std::string getSaveEntry(Operation *op);

/// True if `entry` of a `save` list or `save-ops` matches `op`: an op name
/// matches ops of that name, `@callee` matches calls to that symbol.
bool matchesSaveEntry(Operation *op, StringRef entry);

} // namespace mlir::ckpt

#endif // CKPT_ANALYSIS_RECOMPUTABILITY_H
