//===- CkptAttributes.h - the ckpt discardable attributes -------*- C++ -*-===//
//
// Typed access to the discardable attributes of the ckpt dialect (rationale §1,
// §2). The dialect verifies them (`CkptDialect::verifyOperationAttribute`),
// so these accessors assume well-formed values; passes that read them call
// `verifyCkptAttributes` first, since a module parsed before the ckpt
// dialect was loaded has not been checked yet.
//
//===----------------------------------------------------------------------===//

#ifndef CKPT_DIALECT_CKPT_IR_CKPTATTRIBUTES_H
#define CKPT_DIALECT_CKPT_IR_CKPTATTRIBUTES_H

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Operation.h"
#include <optional>

namespace mlir::ckpt {

/// True if `op` carries the unit attribute `ckpt.checkpoint` (a function
/// whose forward calls are boundaries, or one boundary call).
bool hasCheckpointAttr(Operation *op);

/// True if `op` carries `ckpt.forward_results`.
bool hasForwardResultsAttr(Operation *op);

/// The forward result indices of a joint-form function, sorted: the
/// `ckpt.forward_results` entries, or `[0]` (the loss, as in PyTorch's
/// AOTAutograd joint graph) when the attribute is absent and the function
/// has results, or `[]` for a function without results.
SmallVector<int64_t> getForwardResults(Operation *func);

/// The backward function of a split-form forward function (`ckpt.backward`),
/// or null if `func` is not one.
FlatSymbolRefAttr getBackwardAttr(Operation *func);

/// K of a split-form forward function (`ckpt.num_outputs`): results `[0, K)`
/// are outputs, the rest are saved values. std::nullopt if absent.
std::optional<int64_t> getNumOutputs(Operation *func);

/// Runs the ckpt dialect's attribute verifier on every op nested in `root`
/// (and `root`) that carries a `ckpt.*` discardable attribute, emitting an
/// error at each bad one. Needed where the IR was verified before the ckpt
/// dialect was loaded (a file with only `{ckpt.checkpoint}` attributes is
/// parsed without loading it). Fails if any attribute is malformed.
LogicalResult verifyCkptAttributes(Operation *root);

} // namespace mlir::ckpt

#endif // CKPT_DIALECT_CKPT_IR_CKPTATTRIBUTES_H
