//===- RunnerInputs.h - the runner's arguments: checks and generators ----===//
//
// Private to lib/Runner: what ckpt-runner-main checks of the entry's
// signature and how it builds each argument (the rules are stated in the
// pass description, include/ckpt/Runner/Passes.td).
//
//===----------------------------------------------------------------------===//

#ifndef CKPT_LIB_RUNNER_RUNNERINPUTS_H
#define CKPT_LIB_RUNNER_RUNNERINPUTS_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinTypes.h"
#include <optional>

namespace mlir::ckpt::runner {

/// How one argument of the entry is built.
struct ArgumentPlan {
  /// The argument's type (may have dynamic dimensions).
  RankedTensorType type;
  /// The local shape built, every dynamic dimension bound.
  RankedTensorType local;
  /// `ckpt.shard_dim`, if any.
  std::optional<int64_t> shardDim;
  /// Integer inputs are uniform in [0, range).
  int64_t range = 2;
};

/// Reads argument `k` of `step` into `plan`: its type (a ranked tensor of
/// f16, bf16, f32, f64 or a signless integer), the local shape with every
/// dynamic dimension `dynamicDimSize`, `ckpt.shard_dim` and the integer
/// range (`ckpt.input_range`, else `intRange`; `i1` at most 2). Fails with
/// an error at `step` for an unsupported type or a malformed attribute.
LogicalResult planArgument(func::FuncOp step, unsigned k, int64_t intRange,
                           int64_t dynamicDimSize, ArgumentPlan &plan);

/// Fails with an error at `step` naming the first result that is not a
/// ranked tensor of a supported element type.
LogicalResult checkResults(func::FuncOp step);

/// The runtime's name of an element type that can be loaded from and stored
/// to raw files (the suffix of `ckpt_rt_load_input_*`: f16, bf16, f32, f64,
/// i1, i8, i16, i32, i64), or "" if none.
StringRef rawElementName(Type type);

/// Fails with an error at `step` if argument or result `index` (`kind`) of
/// type `type` cannot be exchanged through raw files (`option`).
LogicalResult checkRaw(func::FuncOp step, StringRef kind, unsigned index,
                       Type type, StringRef option);

/// The runtime values an input generator reads: this rank's index and the
/// number of ranks (index type), present only if some argument is sharded.
struct Ranks {
  Value rank, count;
};

/// Argument `k` as the pass description states (sin or `hash` floats, hashed
/// integers), a linalg.generic over the local shape that reads the global
/// index (`ranks` set if the argument is sharded), cast to the argument's
/// type if it has dynamic dimensions.
Value buildInput(OpBuilder &b, Location loc, const ArgumentPlan &plan,
                 int64_t k, bool hash, const Ranks &ranks);

} // namespace mlir::ckpt::runner

#endif // CKPT_LIB_RUNNER_RUNNERINPUTS_H
