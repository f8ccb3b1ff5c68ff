//===- Rematerialize.h - shared pieces of the rematerialization -*- C++ -*-===//

#ifndef CKPT_DIALECT_CKPT_TRANSFORMS_REMATERIALIZE_H
#define CKPT_DIALECT_CKPT_TRANSFORMS_REMATERIALIZE_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Location.h"

namespace mlir::ckpt {

/// The name of the location metadata key that marks a forward op whose
/// (tensor) results a checkpointed region dropped.
inline constexpr llvm::StringLiteral kDroppedTraceKey = "ckpt.dropped";

/// Returns `loc` wrapped as `fused<{ckpt.dropped = regionName}>[loc]`: the
/// trace `ckpt-rematerialize` leaves on forward ops whose results it dropped.
/// Locations take no part in `cse` equivalence, so the trace does not change
/// what later passes may fold.
Location addDroppedTrace(Location loc, StringRef regionName);

/// The region name in `loc`'s dropped trace, or std::nullopt if `loc` has
/// none.
std::optional<StringRef> getDroppedTrace(Location loc);

/// `loc` without a dropped trace (unchanged if it has none).
Location stripDroppedTrace(Location loc);

/// The post-condition of `ckpt-rematerialize` (DESIGN §3.10): no tensor
/// result of an op with a dropped trace is used by an op outside the forward
/// part of its joint-form function. Emits one error per offending use (at the
/// user, with a note at the dropped value) and fails if there is any, or if a
/// function's forward part cannot be computed.
LogicalResult verifyNoDroppedValueInBackward(ModuleOp module);

} // namespace mlir::ckpt

#endif // CKPT_DIALECT_CKPT_TRANSFORMS_REMATERIALIZE_H
