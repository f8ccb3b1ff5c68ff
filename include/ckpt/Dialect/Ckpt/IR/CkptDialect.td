//===- CkptDialect.td - ckpt dialect definition ------------*- tablegen -*-===//
//
// The `ckpt` dialect: module boundaries for activation checkpointing and the
// optimization barrier that keeps recomputed values apart from the forward.
//
//===----------------------------------------------------------------------===//

#ifndef CKPT_DIALECT_CKPT_IR_CKPTDIALECT_TD
#define CKPT_DIALECT_CKPT_IR_CKPTDIALECT_TD

include "mlir/IR/OpBase.td"

def Ckpt_Dialect : Dialect {
  let name = "ckpt";
  let cppNamespace = "::mlir::ckpt";
  let summary = "Activation checkpointing for MLIR training graphs";
  let description = [{
    The `ckpt` dialect marks the module boundaries of a training graph that
    should be checkpointed (`ckpt.checkpoint`), and carries the optimization
    barrier (`ckpt.barrier`) through which recomputed values take their saved
    inputs, so that later cleanup passes cannot fold a recompute back into the
    forward part.

    It is the compile-time counterpart of PyTorch's composable
    `checkpoint(module)` API (non-reentrant `torch.utils.checkpoint`): for a
    marked module only its inputs (and what its `save` policy keeps) are
    stored between forward and backward; `ckpt-rematerialize` recomputes the
    rest in the backward part just before it is needed.

    The dialect also owns five discardable attributes, verified wherever
    they appear (an unknown `ckpt.*` name, a wrong type or a wrong place is
    an error at the op):

    * `ckpt.checkpoint` (unit, on `func.func` or `func.call`): checkpoint
      every forward call of the function / this call. `= false`, `= 3` and
      other values are refused rather than read as "true".
    * `ckpt.forward_results` (array of distinct integers in range, on a
      `func.func`): the results that make up the forward part of a joint
      training step (default `[0]`, the loss).
    * `ckpt.backward` (flat symbol reference to a `func.func` with a body)
      and `ckpt.num_outputs` (integer K, 0 <= K <= number of results), both
      on the forward function of a split-form pair: results K.. are the
      saved values, passed in order as the first arguments of the backward
      function (their types must match).
    * `ckpt.auto` (unit, on `ckpt.checkpoint`): the region was created by
      `ckpt-annotate`, not asked for by the user.

    And two function argument attributes, for running the step
    (`ckpt-run`):

    * `ckpt.shard_dim` (integer D, 0 <= D < rank, on a ranked tensor or
      memref argument): the argument is this rank's slice of a global
      tensor along dimension D (a batch-sharded input of a data-parallel
      step, a column- or row-split weight of a tensor-parallel one;
      docs/distributed.md).
    * `ckpt.input_range` (integer N >= 1): an integer argument's generated
      values lie in [0, N).
  }];
  let hasOperationAttrVerify = 1;
  let hasRegionArgAttrVerify = 1;
  let extraClassDeclaration = [{
    /// Unit attribute on a `func.func` (every forward call to it is a
    /// checkpointed module) or on one `func.call` (that call only).
    static constexpr ::llvm::StringLiteral getCheckpointAttrName() {
      return ::llvm::StringLiteral("ckpt.checkpoint");
    }
    /// Array of i64 on a joint-form `func.func`: the indices of the results
    /// that make up the forward part (default `[0]`, the loss).
    static constexpr ::llvm::StringLiteral getForwardResultsAttrName() {
      return ::llvm::StringLiteral("ckpt.forward_results");
    }
    /// Symbol reference on the forward function of a split-form pair
    /// (rationale §1): the backward function that receives its saved values.
    static constexpr ::llvm::StringLiteral getBackwardAttrName() {
      return ::llvm::StringLiteral("ckpt.backward");
    }
    /// Integer on the forward function of a split-form pair: results
    /// `[0, K)` are outputs, the rest are the saved values, passed in order
    /// as the first arguments of the backward function.
    static constexpr ::llvm::StringLiteral getNumOutputsAttrName() {
      return ::llvm::StringLiteral("ckpt.num_outputs");
    }
    /// Unit attribute on a `ckpt.checkpoint` that `ckpt-annotate` created
    /// (the user did not ask for this region: if "never worse" skips it,
    /// that is a remark, not a warning).
    static constexpr ::llvm::StringLiteral getAutoAttrName() {
      return ::llvm::StringLiteral("ckpt.auto");
    }
    /// Integer on a function argument: the dimension along which the
    /// argument is this rank's slice of a global tensor (SPMD steps).
    static constexpr ::llvm::StringLiteral getShardDimAttrName() {
      return ::llvm::StringLiteral("ckpt.shard_dim");
    }
    /// Integer N on an integer function argument: generated values lie in
    /// [0, N).
    static constexpr ::llvm::StringLiteral getInputRangeAttrName() {
      return ::llvm::StringLiteral("ckpt.input_range");
    }
  }];
}

class Ckpt_Op<string mnemonic, list<Trait> traits = []>
    : Op<Ckpt_Dialect, mnemonic, traits>;

#endif // CKPT_DIALECT_CKPT_IR_CKPTDIALECT_TD
