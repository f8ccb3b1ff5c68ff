//===- CkptOps.cpp - ckpt operations ----------------------------*- C++ -*-===//

#include "ckpt/Dialect/Ckpt/IR/CkptOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/OpImplementation.h"

using namespace mlir;
using namespace mlir::ckpt;

//===----------------------------------------------------------------------===//
// CheckpointOp
//===----------------------------------------------------------------------===//

YieldOp CheckpointOp::getYield() {
  return cast<YieldOp>(getBodyBlock().getTerminator());
}

void CheckpointOp::getSuccessorRegions(
    RegionBranchPoint point, SmallVectorImpl<RegionSuccessor> &regions) {
  // The body runs once: from the parent into it, and from it back out.
  if (point.isParent()) {
    regions.push_back(RegionSuccessor(&getBody(), getBody().getArguments()));
    return;
  }
  regions.push_back(RegionSuccessor(getOperation(), getResults()));
}

OperandRange CheckpointOp::getEntrySuccessorOperands(RegionSuccessor) {
  return getInputs();
}

Value CheckpointOp::getOuterValue(Value bodyValue) {
  if (auto arg = dyn_cast<BlockArgument>(bodyValue))
    if (arg.getOwner() == &getBodyBlock())
      return getInputs()[arg.getArgNumber()];
  return bodyValue;
}

StringRef CheckpointOp::getDisplayName() {
  if (std::optional<StringRef> name = getName())
    return *name;
  return "<unnamed>";
}

// Custom form:
//   ckpt.checkpoint ("name")? (%arg = %operand, ... : type, ...)
//       (save [ "dialect.op", ... ])? -> (type, ...) (attributes {...})? region
ParseResult CheckpointOp::parse(OpAsmParser &parser, OperationState &result) {
  Builder &b = parser.getBuilder();
  std::string name;
  if (succeeded(parser.parseOptionalString(&name)))
    result.getOrAddProperties<Properties>().name = b.getStringAttr(name);

  SmallVector<OpAsmParser::Argument> regionArgs;
  SmallVector<OpAsmParser::UnresolvedOperand> operands;
  SmallVector<Type> operandTypes;
  if (parser.parseLParen())
    return failure();
  if (failed(parser.parseOptionalRParen())) {
    do {
      OpAsmParser::Argument arg;
      OpAsmParser::UnresolvedOperand operand;
      if (parser.parseArgument(arg) || parser.parseEqual() ||
          parser.parseOperand(operand))
        return failure();
      regionArgs.push_back(arg);
      operands.push_back(operand);
    } while (succeeded(parser.parseOptionalComma()));
    if (parser.parseColonTypeList(operandTypes) || parser.parseRParen())
      return failure();
  }
  if (operandTypes.size() != operands.size())
    return parser.emitError(parser.getCurrentLocation())
           << "expected " << operands.size() << " operand types, got "
           << operandTypes.size();
  for (auto [arg, type] : llvm::zip_equal(regionArgs, operandTypes))
    arg.type = type;
  if (parser.resolveOperands(operands, operandTypes,
                             parser.getCurrentLocation(), result.operands))
    return failure();

  if (succeeded(parser.parseOptionalKeyword("save"))) {
    Attribute save;
    if (parser.parseAttribute(save))
      return failure();
    auto saveArray = dyn_cast<ArrayAttr>(save);
    if (!saveArray)
      return parser.emitError(parser.getCurrentLocation(),
                              "expected an array of op names after 'save'");
    result.getOrAddProperties<Properties>().save = saveArray;
  }

  SmallVector<Type> resultTypes;
  if (parser.parseArrowTypeList(resultTypes))
    return failure();
  result.addTypes(resultTypes);
  if (parser.parseOptionalAttrDictWithKeyword(result.attributes))
    return failure();

  Region *body = result.addRegion();
  if (parser.parseRegion(*body, regionArgs, /*enableNameShadowing=*/false))
    return failure();
  return success();
}

void CheckpointOp::print(OpAsmPrinter &p) {
  if (std::optional<StringRef> name = getName()) {
    p << ' ';
    p.printString(*name);
  }
  p << " (";
  Block *block = getBody().empty() ? nullptr : &getBody().front();
  bool argsMirror = block && block->getNumArguments() == getNumOperands();
  llvm::interleaveComma(llvm::seq<unsigned>(0, getNumOperands()), p,
                        [&](unsigned i) {
                          if (argsMirror)
                            p.printRegionArgument(block->getArgument(i), {},
                                                  /*omitType=*/true);
                          p << " = " << getOperand(i);
                        });
  if (getNumOperands() != 0) {
    p << " : ";
    llvm::interleaveComma(getOperandTypes(), p);
  }
  p << ")";
  if (ArrayAttr save = getSaveAttr()) {
    p << " save ";
    p.printAttribute(save);
  }
  p << " -> (";
  llvm::interleaveComma(getResultTypes(), p);
  p << ")";
  p.printOptionalAttrDictWithKeyword((*this)->getAttrs(),
                                     {getNameAttrName(), getSaveAttrName()});
  p << ' ';
  p.printRegion(getBody(), /*printEntryBlockArgs=*/false,
                /*printBlockTerminators=*/true);
}

LogicalResult CheckpointOp::verify() {
  if (ArrayAttr save = getSaveAttr()) {
    for (auto [i, entry] :
         llvm::enumerate(save.getAsValueRange<StringAttr>())) {
      // A callee: calls to that symbol.
      if (entry.starts_with("@") && entry.size() > 1)
        continue;
      auto [dialect, op] = entry.split('.');
      // A nested region's results follow its own save set: a region cannot
      // save another (ckpt-rematerialize would hold its plan's values past
      // the nested region's rewrite).
      if (dialect == CkptDialect::getDialectNamespace())
        return emitOpError() << "'save' entry #" << i << " (\"" << entry
                             << "\") names a ckpt op: a nested region's "
                                "results follow its own save list";
      if (dialect.empty() || op.empty())
        return emitOpError() << "'save' entry #" << i << " (\"" << entry
                             << "\") is not an op name of the form "
                                "'dialect.op' nor a callee '@name'";
      // A loaded dialect knows its ops: a misspelt one is an error (an
      // unloaded dialect cannot be asked; ckpt-rematerialize warns).
      if (getContext()->getLoadedDialect(dialect) &&
          !RegisteredOperationName::lookup(entry, getContext()))
        return emitOpError() << "'save' entry #" << i << " (\"" << entry
                             << "\") names no op of the '" << dialect
                             << "' dialect";
    }
  }
  // The body's shape, checked here rather than in verifyRegions: the
  // RegionBranchOpInterface verifier, which runs before verifyRegions,
  // relies on it.
  Region &body = getBody();
  if (!llvm::hasSingleElement(body))
    return emitOpError() << "expects a body region with exactly one block, got "
                         << llvm::range_size(body.getBlocks());
  Block &block = body.front();
  if (block.getNumArguments() != getNumOperands())
    return emitOpError() << "expects " << getNumOperands()
                         << " block arguments to mirror the operands, got "
                         << block.getNumArguments();
  for (auto [i, arg, operand] :
       llvm::enumerate(block.getArguments(), getOperands())) {
    if (arg.getType() != operand.getType())
      return emitOpError() << "block argument #" << i << " has type "
                           << arg.getType() << ", but operand #" << i
                           << " has type " << operand.getType();
  }
  if (block.empty() || !isa<YieldOp>(block.back()))
    return emitOpError() << "expects the body to end with 'ckpt.yield'";
  return success();
}

//===----------------------------------------------------------------------===//
// YieldOp
//===----------------------------------------------------------------------===//

LogicalResult YieldOp::verify() {
  auto parent = cast<CheckpointOp>((*this)->getParentOp());
  if (getNumOperands() != parent.getNumResults())
    return emitOpError() << "has " << getNumOperands()
                         << " operands, but the parent 'ckpt.checkpoint' has "
                         << parent.getNumResults() << " results";
  for (auto [i, operand, type] :
       llvm::enumerate(getOperandTypes(), parent.getResultTypes())) {
    if (operand != type)
      return emitOpError() << "operand #" << i << " has type " << operand
                           << ", but the parent's result #" << i << " has type "
                           << type;
  }
  return success();
}

//===----------------------------------------------------------------------===//
// BarrierOp
//===----------------------------------------------------------------------===//

LogicalResult
BarrierOp::inferReturnTypes(MLIRContext *, std::optional<Location>,
                            ValueRange operands, DictionaryAttr,
                            OpaqueProperties properties, RegionRange,
                            SmallVectorImpl<Type> &inferredReturnTypes) {
  // The last operand is the optional ordering value; the segment sizes say
  // whether it is there.
  BarrierOp::Adaptor adaptor(operands, DictionaryAttr(), properties, {});
  for (Value input : adaptor.getInputs())
    inferredReturnTypes.push_back(input.getType());
  return success();
}

LogicalResult BarrierOp::verify() {
  if (getInputs().empty())
    return emitOpError() << "expects at least one input";
  return success();
}

#define GET_OP_CLASSES
#include "ckpt/Dialect/Ckpt/IR/CkptOps.cpp.inc"
