//===- Rematerialize.h - shared pieces of the rematerialization -*- C++ -*-===//

#ifndef CKPT_DIALECT_CKPT_TRANSFORMS_REMATERIALIZE_H
#define CKPT_DIALECT_CKPT_TRANSFORMS_REMATERIALIZE_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Location.h"

namespace mlir::ckpt {

/// Location metadata keys of the trace that `ckpt-rematerialize` leaves on
/// every forward op it inlined from a checkpointed region:
/// `fused<{ckpt.region = "<name>"}>[loc]`, plus `ckpt.dropped` (unit) when the
/// op's tensor results were dropped (recomputed in the backward instead of
/// stored). Locations take no part in `cse` equivalence, so the trace does
/// not change what later passes may fold; `ckpt-verify` reads it.
inline constexpr llvm::StringLiteral kRegionTraceKey = "ckpt.region";
inline constexpr llvm::StringLiteral kDroppedTraceKey = "ckpt.dropped";

/// Returns `loc` (without any previous trace) wrapped in a region trace for
/// `regionName`, marked dropped if `dropped`.
Location addRegionTrace(Location loc, StringRef regionName, bool dropped);

/// The region name of `loc`'s trace, or std::nullopt if it has none.
std::optional<StringRef> getRegionTrace(Location loc);

/// The region name of `loc`'s trace if the trace marks the op dropped.
std::optional<StringRef> getDroppedTrace(Location loc);

/// `loc` without a region trace (unchanged if it has none).
Location stripRegionTrace(Location loc);

/// The post-condition of `ckpt-rematerialize` (DESIGN §3.10): no tensor
/// result of an op with a dropped trace is used by an op outside the forward
/// part of its joint-form function (ops that carry a region trace count as
/// forward: they were inlined from a forward region). Emits one error per offending use (at the
/// user, with a note at the dropped value) and fails if there is any, or if a
/// function's forward part cannot be computed.
LogicalResult verifyNoDroppedValueInBackward(ModuleOp module);

} // namespace mlir::ckpt

#endif // CKPT_DIALECT_CKPT_TRANSFORMS_REMATERIALIZE_H
