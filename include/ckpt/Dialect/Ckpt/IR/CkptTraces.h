//===- CkptTraces.h - provenance traces in locations -------------*- C++
//-*-===//
//
// The traces `ckpt-rematerialize` leaves in locations, read by `ckpt-verify`
// and the memory report, removed by `ckpt-strip-barriers`.
//
//===----------------------------------------------------------------------===//

#ifndef CKPT_DIALECT_CKPT_IR_CKPTTRACES_H
#define CKPT_DIALECT_CKPT_IR_CKPTTRACES_H

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Location.h"
#include <optional>

namespace mlir::ckpt {

/// Location metadata keys of the trace that `ckpt-rematerialize` leaves on
/// every forward op it inlined from a checkpointed region:
/// `fused<{ckpt.region = "<name>"}>[loc]`, plus `ckpt.dropped` (unit) when the
/// op's tensor results were dropped (recomputed in the backward instead of
/// stored). Locations take no part in `cse` equivalence, so the trace does
/// not change what later passes may fold; `ckpt-verify` reads it.
///
/// Ops of a recompute (clones and their barrier) carry
/// `fused<{ckpt.recompute = "<name>"}>[loc]` instead, which the memory report
/// reads to attribute recompute FLOPs and bytes to regions.
inline constexpr llvm::StringLiteral kRegionTraceKey = "ckpt.region";
inline constexpr llvm::StringLiteral kDroppedTraceKey = "ckpt.dropped";
inline constexpr llvm::StringLiteral kRecomputeTraceKey = "ckpt.recompute";
/// Which instance of a region name (two calls to one checkpointed function
/// are two regions of one name): 1, 2, ... in the order the rewrite met
/// them in the function; absent (0) when unknown.
inline constexpr llvm::StringLiteral kInstanceTraceKey = "ckpt.instance";

/// The metadata of a region trace for `regionName`, marked dropped if
/// `dropped`. Build it once per region and attach it with `addTrace`.
DictionaryAttr getRegionTraceMetadata(MLIRContext *ctx, StringRef regionName,
                                      bool dropped, int64_t instance = 0);

/// The metadata of a recompute trace for `regionName`.
DictionaryAttr getRecomputeTraceMetadata(MLIRContext *ctx,
                                         StringRef regionName,
                                         int64_t instance = 0);

/// The instance number of `loc`'s region or recompute trace (0 if it has
/// none).
int64_t getTraceInstance(Location loc);

/// Returns `loc` (without any previous trace) wrapped in the trace
/// `metadata` (from `getRegionTraceMetadata` or
/// `getRecomputeTraceMetadata`).
Location addTrace(Location loc, DictionaryAttr metadata);

/// Returns `loc` (without any previous trace) wrapped in a region trace for
/// `regionName`, marked dropped if `dropped`.
Location addRegionTrace(Location loc, StringRef regionName, bool dropped);

/// The region name of `loc`'s trace, or std::nullopt if it has none.
std::optional<StringRef> getRegionTrace(Location loc);

/// The region name of `loc`'s trace if the trace marks the op dropped.
std::optional<StringRef> getDroppedTrace(Location loc);

/// Returns `loc` (without any previous trace) marked as part of the recompute
/// of region `regionName`.
Location addRecomputeTrace(Location loc, StringRef regionName);

/// The region name of `loc`'s recompute trace, or std::nullopt.
std::optional<StringRef> getRecomputeTrace(Location loc);

/// `loc` without a region or recompute trace (unchanged if it has none).
Location stripRegionTrace(Location loc);

} // namespace mlir::ckpt

#endif // CKPT_DIALECT_CKPT_IR_CKPTTRACES_H
