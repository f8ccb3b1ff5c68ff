//===- CkptTraces.cpp - provenance traces in locations ----------*- C++ -*-===//

#include "ckpt/Dialect/Ckpt/IR/CkptTraces.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"

using namespace mlir;
using namespace mlir::ckpt;

/// Appends the instance entry for `instance` (if known) to `entries`.
static void addInstance(MLIRContext *ctx, SmallVectorImpl<NamedAttribute> &entries,
                        int64_t instance) {
  if (instance > 0)
    entries.push_back(NamedAttribute(
        StringAttr::get(ctx, kInstanceTraceKey),
        IntegerAttr::get(IntegerType::get(ctx, 64), instance)));
}

DictionaryAttr mlir::ckpt::getRegionTraceMetadata(MLIRContext *ctx,
                                                  StringRef regionName,
                                                  bool dropped,
                                                  int64_t instance) {
  SmallVector<NamedAttribute> entries = {NamedAttribute(
      StringAttr::get(ctx, kRegionTraceKey), StringAttr::get(ctx, regionName))};
  if (dropped)
    entries.push_back(NamedAttribute(StringAttr::get(ctx, kDroppedTraceKey),
                                     UnitAttr::get(ctx)));
  addInstance(ctx, entries, instance);
  return DictionaryAttr::get(ctx, entries);
}

DictionaryAttr mlir::ckpt::getRecomputeTraceMetadata(MLIRContext *ctx,
                                                     StringRef regionName,
                                                     int64_t instance) {
  SmallVector<NamedAttribute> entries = {NamedAttribute(
      StringAttr::get(ctx, kRecomputeTraceKey), StringAttr::get(ctx, regionName))};
  addInstance(ctx, entries, instance);
  return DictionaryAttr::get(ctx, entries);
}

int64_t mlir::ckpt::getTraceInstance(Location loc) {
  auto fused = dyn_cast<FusedLoc>(loc);
  auto metadata =
      fused ? dyn_cast_if_present<DictionaryAttr>(fused.getMetadata()) : nullptr;
  if (!metadata)
    return 0;
  if (auto instance = metadata.getAs<IntegerAttr>(kInstanceTraceKey))
    return instance.getInt();
  return 0;
}

Location mlir::ckpt::addTrace(Location loc, DictionaryAttr metadata) {
  return FusedLoc::get(loc.getContext(), {stripRegionTrace(loc)}, metadata);
}

Location mlir::ckpt::addRegionTrace(Location loc, StringRef regionName,
                                    bool dropped) {
  return addTrace(
      loc, getRegionTraceMetadata(loc.getContext(), regionName, dropped));
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
  return addTrace(loc, getRecomputeTraceMetadata(loc.getContext(), regionName));
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
