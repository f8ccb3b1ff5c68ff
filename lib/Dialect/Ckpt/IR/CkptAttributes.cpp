//===- CkptAttributes.cpp - the ckpt discardable attributes -----*- C++ -*-===//
//
// The verifier of the dialect's discardable attributes and their typed
// accessors.
//
//===----------------------------------------------------------------------===//

#include "ckpt/Dialect/Ckpt/IR/CkptAttributes.h"

#include "ckpt/Dialect/Ckpt/IR/CkptDialect.h"
#include "ckpt/Dialect/Ckpt/IR/CkptOps.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Interfaces/FunctionInterfaces.h"
#include "llvm/ADT/STLExtras.h"

using namespace mlir;
using namespace mlir::ckpt;

//===----------------------------------------------------------------------===//
// Accessors
//===----------------------------------------------------------------------===//

bool mlir::ckpt::hasCheckpointAttr(Operation *op) {
  return isa_and_present<UnitAttr>(
      op->getDiscardableAttr(CkptDialect::getCheckpointAttrName()));
}

bool mlir::ckpt::hasForwardResultsAttr(Operation *op) {
  return op->getDiscardableAttr(CkptDialect::getForwardResultsAttrName()) !=
         nullptr;
}

SmallVector<int64_t> mlir::ckpt::getForwardResults(Operation *func) {
  SmallVector<int64_t> indices;
  if (auto array = dyn_cast_if_present<ArrayAttr>(
          func->getDiscardableAttr(CkptDialect::getForwardResultsAttrName()))) {
    for (Attribute element : array)
      if (auto index = dyn_cast<IntegerAttr>(element))
        indices.push_back(index.getInt());
    llvm::sort(indices);
    return indices;
  }
  if (auto function = dyn_cast<FunctionOpInterface>(func))
    if (function.getNumResults() > 0)
      indices.push_back(0);
  return indices;
}

FlatSymbolRefAttr mlir::ckpt::getBackwardAttr(Operation *func) {
  return dyn_cast_if_present<FlatSymbolRefAttr>(
      func->getDiscardableAttr(CkptDialect::getBackwardAttrName()));
}

std::optional<int64_t> mlir::ckpt::getNumOutputs(Operation *func) {
  if (auto count = dyn_cast_if_present<IntegerAttr>(
          func->getDiscardableAttr(CkptDialect::getNumOutputsAttrName())))
    return count.getInt();
  return std::nullopt;
}

//===----------------------------------------------------------------------===//
// Verifier
//===----------------------------------------------------------------------===//

namespace {
/// The attribute names the dialect defines.
constexpr llvm::StringLiteral kKnownAttrNames[] = {
    CkptDialect::getCheckpointAttrName(),
    CkptDialect::getForwardResultsAttrName(),
    CkptDialect::getBackwardAttrName(), CkptDialect::getNumOutputsAttrName(),
    CkptDialect::getAutoAttrName()};

LogicalResult verifyCheckpointAttr(Operation *op, Attribute value) {
  StringRef name = CkptDialect::getCheckpointAttrName();
  if (!isa<UnitAttr>(value))
    return op->emitError() << "'" << name
                           << "' must be a unit attribute (written `{" << name
                           << "}`), got " << value;
  // On other ops it has no effect; `ckpt-rematerialize` warns and removes
  // it there (the attribute is discardable).
  return success();
}

LogicalResult verifyForwardResultsAttr(Operation *op, Attribute value) {
  StringRef name = CkptDialect::getForwardResultsAttrName();
  auto func = dyn_cast<FunctionOpInterface>(op);
  if (!func)
    return op->emitError() << "'" << name << "' applies to functions, not to '"
                           << op->getName() << "'";
  // A split-form forward function's forward results are its first
  // `ckpt.num_outputs` results, the rest are saved values (rationale §1).
  if (op->getDiscardableAttr(CkptDialect::getBackwardAttrName()))
    return op->emitError()
           << "'" << name << "' does not apply to a split-form forward "
           << "function ('" << CkptDialect::getBackwardAttrName()
           << "'): its forward results are the first '"
           << CkptDialect::getNumOutputsAttrName() << "' results";
  auto array = dyn_cast<ArrayAttr>(value);
  if (!array)
    return op->emitError() << "'" << name
                           << "' must be an array of integers, got " << value;
  int64_t numResults = func.getNumResults();
  SmallVector<int64_t> seen;
  for (Attribute element : array) {
    auto index = dyn_cast<IntegerAttr>(element);
    if (!index)
      return op->emitError()
             << "'" << name << "' must be an array of integers, got " << element
             << " in " << value;
    int64_t result = index.getInt();
    if (result < 0 || result >= numResults)
      return op->emitError() << "'" << name << "' entry " << result
                             << " is out of range: the function has "
                             << numResults << " results";
    if (llvm::is_contained(seen, result))
      return op->emitError()
             << "'" << name << "' lists result " << result << " twice";
    seen.push_back(result);
  }
  return success();
}

/// Checks `ckpt.backward` together with `ckpt.num_outputs` (rationale §1): the
/// saved results K.. of the forward function are the first arguments of the
/// backward function, in order and with the same types.
LogicalResult verifySplitFormAttrs(Operation *op) {
  StringRef backwardName = CkptDialect::getBackwardAttrName();
  StringRef countName = CkptDialect::getNumOutputsAttrName();
  Attribute backwardValue = op->getDiscardableAttr(backwardName);
  Attribute countValue = op->getDiscardableAttr(countName);
  auto fwd = dyn_cast<func::FuncOp>(op);
  if (!fwd)
    return op->emitError() << "'" << (backwardValue ? backwardName : countName)
                           << "' applies to 'func.func', not to '"
                           << op->getName() << "'";
  if (!backwardValue)
    return op->emitError() << "'" << countName << "' needs '" << backwardName
                           << "' (the split-form pair)";
  auto backward = dyn_cast<FlatSymbolRefAttr>(backwardValue);
  if (!backward)
    return op->emitError() << "'" << backwardName
                           << "' must be a symbol reference to the backward "
                              "function, got "
                           << backwardValue;
  auto count = dyn_cast_if_present<IntegerAttr>(countValue);
  int64_t numResults = fwd.getNumResults();
  if (!count || count.getInt() < 0 || count.getInt() > numResults)
    return op->emitError() << "'" << countName
                           << "' must be an integer between 0 and the "
                           << numResults << " results of the function";
  auto bwd = SymbolTable::lookupNearestSymbolFrom<func::FuncOp>(op, backward);
  if (!bwd || bwd.isExternal())
    return op->emitError() << "'" << backwardName << "' names " << backward
                           << ", which is not a func.func with a body in "
                              "this module";
  int64_t numSaved = numResults - count.getInt();
  if (static_cast<int64_t>(bwd.getNumArguments()) < numSaved)
    return op->emitError() << "the backward function " << backward << " takes "
                           << bwd.getNumArguments()
                           << " arguments, fewer than the " << numSaved
                           << " saved values";
  for (int64_t j = 0; j < numSaved; ++j)
    if (bwd.getArgumentTypes()[j] != fwd.getResultTypes()[count.getInt() + j])
      return op->emitError() << "saved value #" << j << " has type "
                             << fwd.getResultTypes()[count.getInt() + j]
                             << ", but argument #" << j << " of " << backward
                             << " has type " << bwd.getArgumentTypes()[j];
  return success();
}
} // namespace

LogicalResult CkptDialect::verifyOperationAttribute(Operation *op,
                                                    NamedAttribute attribute) {
  StringRef name = attribute.getName().getValue();
  if (name == getCheckpointAttrName())
    return verifyCheckpointAttr(op, attribute.getValue());
  if (name == getForwardResultsAttrName())
    return verifyForwardResultsAttr(op, attribute.getValue());
  if (name == getBackwardAttrName())
    return verifySplitFormAttrs(op);
  if (name == getAutoAttrName()) {
    if (!isa<UnitAttr>(attribute.getValue()) || !isa<CheckpointOp>(op))
      return op->emitError() << "'" << name
                             << "' must be a unit attribute on "
                                "'ckpt.checkpoint'";
    return success();
  }
  if (name == getNumOutputsAttrName())
    // Checked with `ckpt.backward`, once; alone it is an error.
    return op->getDiscardableAttr(getBackwardAttrName())
               ? success()
               : verifySplitFormAttrs(op);
  // A typo of a known name, most likely.
  InFlightDiagnostic diag = op->emitError() << "unknown attribute '" << name
                                            << "' of the ckpt dialect";
  StringRef closest;
  unsigned best = ~0u;
  for (StringRef known : kKnownAttrNames) {
    unsigned distance = name.edit_distance(known);
    if (distance < best) {
      best = distance;
      closest = known;
    }
  }
  if (best <= 3)
    diag << "; did you mean '" << closest << "'?";
  else {
    diag << "; it defines ";
    llvm::interleaveComma(kKnownAttrNames, diag, [&](StringRef known) {
      diag << "'" << known << "'";
    });
  }
  return diag;
}

LogicalResult CkptDialect::verifyRegionArgAttribute(Operation *op,
                                                    unsigned regionIndex,
                                                    unsigned argIndex,
                                                    NamedAttribute attribute) {
  StringRef name = attribute.getName().getValue();
  if (name != getShardDimAttrName() && name != getInputRangeAttrName()) {
    InFlightDiagnostic diag = op->emitError()
                              << "unknown argument attribute '" << name
                              << "' of the ckpt dialect";
    for (StringRef known : {getShardDimAttrName(), getInputRangeAttrName()})
      if (name.edit_distance(known) <= 3)
        return diag << "; did you mean '" << known << "'?";
    return diag << "; it defines '" << getShardDimAttrName() << "' and '"
                << getInputRangeAttrName() << "'";
  }
  auto func = dyn_cast<FunctionOpInterface>(op);
  if (!func || regionIndex != 0)
    return op->emitError() << "'" << name
                           << "' applies to function arguments, not to "
                              "arguments of '"
                           << op->getName() << "'";
  // The wording is ckpt-runner-main's, which checks the same (on IR
  // verified before the dialect was loaded).
  auto value = dyn_cast<IntegerAttr>(attribute.getValue());
  Type argType = func.getArgumentTypes()[argIndex];
  if (name == getInputRangeAttrName()) {
    if (!value || value.getInt() < 1)
      return op->emitError() << "argument #" << argIndex << " has '" << name
                             << "' = " << attribute.getValue()
                             << "; expected a positive integer";
    return success();
  }
  auto shaped = dyn_cast<ShapedType>(argType);
  if (!shaped || !shaped.hasRank())
    return op->emitError() << "argument #" << argIndex << " has '" << name
                           << "' but type " << argType
                           << "; expected a ranked tensor or memref";
  if (!value || value.getInt() < 0 || value.getInt() >= shaped.getRank())
    return op->emitError() << "argument #" << argIndex << " has '" << name
                           << "' = " << attribute.getValue()
                           << "; expected an integer dimension in [0, "
                           << shaped.getRank() << ")";
  return success();
}

LogicalResult mlir::ckpt::verifyCkptAttributes(Operation *root) {
  auto *dialect = root->getContext()->getLoadedDialect<CkptDialect>();
  if (!dialect)
    return success(); // nothing can refer to it
  bool failedAny = false;
  root->walk([&](Operation *op) {
    for (NamedAttribute attr : op->getDiscardableAttrs())
      if (attr.getName().getValue().starts_with("ckpt."))
        failedAny |= failed(dialect->verifyOperationAttribute(op, attr));
  });
  return failure(failedAny);
}
