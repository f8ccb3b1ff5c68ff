//===- CkptTraces.cpp - provenance traces in locations ----------*- C++ -*-===//

#include "ckpt/Dialect/Ckpt/IR/CkptTraces.h"

#include "mlir/IR/BuiltinAttributes.h"

using namespace mlir;
using namespace mlir::ckpt;

Location mlir::ckpt::addRegionTrace(Location loc, StringRef regionName,
                                    bool dropped) {
  MLIRContext *ctx = loc.getContext();
  SmallVector<NamedAttribute> entries = {NamedAttribute(
      StringAttr::get(ctx, kRegionTraceKey), StringAttr::get(ctx, regionName))};
  if (dropped)
    entries.push_back(NamedAttribute(StringAttr::get(ctx, kDroppedTraceKey),
                                     UnitAttr::get(ctx)));
  return FusedLoc::get(ctx, {stripRegionTrace(loc)},
                       DictionaryAttr::get(ctx, entries));
}

/// The trace dictionary of `loc` if it holds `key`.
static DictionaryAttr getTraceMetadata(Location loc,
                                       StringRef key = kRegionTraceKey) {
  auto fused = dyn_cast<FusedLoc>(loc);
  if (!fused)
    return {};
  auto metadata = dyn_cast_if_present<DictionaryAttr>(fused.getMetadata());
  if (!metadata || !metadata.get(key))
    return {};
  return metadata;
}

Location mlir::ckpt::addRecomputeTrace(Location loc, StringRef regionName) {
  MLIRContext *ctx = loc.getContext();
  NamedAttribute entry(StringAttr::get(ctx, kRecomputeTraceKey),
                       StringAttr::get(ctx, regionName));
  return FusedLoc::get(ctx, {stripRegionTrace(loc)},
                       DictionaryAttr::get(ctx, {entry}));
}

std::optional<StringRef> mlir::ckpt::getRecomputeTrace(Location loc) {
  if (DictionaryAttr metadata = getTraceMetadata(loc, kRecomputeTraceKey))
    if (auto name = metadata.getAs<StringAttr>(kRecomputeTraceKey))
      return name.getValue();
  return std::nullopt;
}

std::optional<StringRef> mlir::ckpt::getRegionTrace(Location loc) {
  if (DictionaryAttr metadata = getTraceMetadata(loc))
    if (auto name = metadata.getAs<StringAttr>(kRegionTraceKey))
      return name.getValue();
  return std::nullopt;
}

std::optional<StringRef> mlir::ckpt::getDroppedTrace(Location loc) {
  DictionaryAttr metadata = getTraceMetadata(loc);
  if (!metadata || !metadata.get(kDroppedTraceKey))
    return std::nullopt;
  return getRegionTrace(loc);
}

Location mlir::ckpt::stripRegionTrace(Location loc) {
  if (!getTraceMetadata(loc) && !getTraceMetadata(loc, kRecomputeTraceKey))
    return loc;
  auto fused = cast<FusedLoc>(loc);
  return FusedLoc::get(loc.getContext(), fused.getLocations());
}

