//===- TrainingStep.h - which functions are training steps ------*- C++ -*-===//
//
// The one answer to "which functions are training steps" and "which ops are
// forward" (rationale §1), used by ckpt-annotate, ckpt-rematerialize,
// ckpt-verify and the memory report.
//
//===----------------------------------------------------------------------===//

#ifndef CKPT_ANALYSIS_TRAININGSTEP_H
#define CKPT_ANALYSIS_TRAININGSTEP_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include <optional>

namespace mlir::ckpt {

/// The split-form pairs of a module (rationale §1): each forward function
/// `@fwd {ckpt.backward = @bwd, ckpt.num_outputs = K}` with its backward
/// function. Found in one pass over the module's functions; the attributes
/// are assumed verified (`verifyCkptAttributes`).
class SplitFormPairs {
public:
  explicit SplitFormPairs(ModuleOp module);

  /// The backward function of `fwd`, or null if `fwd` is not a split-form
  /// forward function (with a body).
  func::FuncOp getBackward(func::FuncOp fwd) const {
    return backwardOf.lookup(fwd);
  }
  /// True if some split-form forward function names `func` as its backward.
  bool isBackward(func::FuncOp func) const { return forwardOf.contains(func); }
  /// The forward functions, in module order.
  ArrayRef<func::FuncOp> getForwardFunctions() const { return forwards; }

private:
  SmallVector<func::FuncOp> forwards;
  llvm::DenseMap<func::FuncOp, func::FuncOp> backwardOf, forwardOf;
};

/// A training step and the split of its body into a forward and a backward
/// part.
///
/// Which functions are training steps:
/// * a function with `ckpt.forward_results` (joint form), one with
///   `ckpt.backward` (the forward function of a split-form pair: every op is
///   forward) and the function it names (its backward: every op is
///   backward);
/// * a public function with a single-block body that has a backward part,
///   with the default forward results `[0]` (PyTorch's AOTAutograd joint
///   graph returns the loss first).
/// Private functions without those attributes are helpers (a layer as a
/// function, scenario S17), and a function whose body has no backward part
/// is inference (rationale §3.8): neither is a training step, and neither is
/// ever rewritten.
///
/// Joint form: the forward part is every op of the body's (single) block
/// that one of the forward results depends on, transitively, through
/// operands and through values used inside nested regions, plus every op
/// inlined from a checkpointed region (it carries a `ckpt.region` trace); the
/// backward part is every other op, the terminator excepted. Nested ops
/// belong to the part of their ancestor in the body block. The forward part
/// is the backward slice of the forward results (what MLIR's
/// `getBackwardSlice` computes with `omitUsesFromAbove = false`), found by
/// one reverse sweep over the block, which is in SSA order: linear in the
/// number of ops and without `getBackwardSlice`'s recursion, whose depth is
/// the longest def-use chain (tens of thousands of frames on a deep graph).
class TrainingStep {
public:
  enum class Form { Joint, SplitForward, SplitBackward };

  /// Called on each op of the body block (terminator included), from the
  /// last to the first, as soon as its part is known: `partial` then answers
  /// `isForward`/`isBackward` for that op and every op after it (what a
  /// single pass over the graph, like `ckpt-verify`'s, needs about the users
  /// of a value).
  using Visitor =
      function_ref<void(const TrainingStep &partial, Operation *op)>;

  /// The training step `func` is, or std::nullopt if it is none (a helper,
  /// an external function, inference, a public function whose body has
  /// several blocks). Fails with an error at `func` if it carries
  /// `ckpt.forward_results` or belongs to a split-form pair but its body is
  /// not a single block. `visit` (if given) sees every op of a joint-form
  /// body as above.
  static FailureOr<std::optional<TrainingStep>>
  get(func::FuncOp func, const SplitFormPairs &pairs, Visitor visit = nullptr);

  Form getForm() const { return form; }
  func::FuncOp getFunction() const { return func; }
  /// The body block of the function.
  Block *getBody() const { return body; }
  /// The forward result indices (sorted, distinct): `ckpt.forward_results`
  /// or `[0]` (joint form), `[0, K)` (split forward), none (split backward).
  ArrayRef<int64_t> getForwardResults() const { return forwardResults; }
  /// The backward function of a split-form forward function, or null.
  func::FuncOp getBackwardFunction() const { return backward; }
  /// True if some op of the body is in the backward part (always for both
  /// halves of a split-form pair).
  bool hasBackwardPart() const { return backwardPart; }

  /// The ancestor of `op` (or `op` itself) whose parent block is the body
  /// block, or null if `op` is not inside the function.
  Operation *getTopLevelOp(Operation *op) const {
    return body->findAncestorOpInBlock(*op);
  }
  /// True if `op` (or its ancestor in the body block) is in the forward part.
  bool isForward(Operation *op) const;
  /// True if `op` (or its ancestor in the body block) is in the backward
  /// part; the function's terminator is in neither part.
  bool isBackward(Operation *op) const;

private:
  TrainingStep(func::FuncOp func, Form form)
      : func(func), body(&func.getBody().front()), form(form) {}
  /// The reverse sweep of the joint form.
  void computeJointParts(Visitor visit);

  func::FuncOp func;
  Block *body;
  Form form;
  func::FuncOp backward;
  SmallVector<int64_t> forwardResults;
  llvm::DenseSet<Operation *> forwardOps;
  bool backwardPart = false;
};

} // namespace mlir::ckpt

#endif // CKPT_ANALYSIS_TRAININGSTEP_H
