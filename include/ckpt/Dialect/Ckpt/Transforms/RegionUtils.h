//===- RegionUtils.h - creating ckpt.checkpoint regions ----------*- C++ -*-===//

#ifndef CKPT_DIALECT_CKPT_TRANSFORMS_REGIONUTILS_H
#define CKPT_DIALECT_CKPT_TRANSFORMS_REGIONUTILS_H

#include "ckpt/Dialect/Ckpt/IR/CkptOps.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/SymbolTable.h"

namespace mlir::ckpt {

/// True if `call` is a checkpoint boundary: it carries the unit attribute
/// `ckpt.checkpoint`, or its callee does.
bool isCheckpointedCall(func::CallOp call, SymbolTableCollection &symbols);

/// Turns the checkpointed calls of `func`'s forward part (`isForward`) into
/// region ops named after the callee: the callee's body inlined into the
/// region, or for an external callee the call itself. Fails with an error on
/// a checkpointed call nested in an op other than the function or a region,
/// or to a multi-block or recursive function.
LogicalResult convertCheckpointedCalls(func::FuncOp func,
                                       function_ref<bool(Operation *)> isForward,
                                       SymbolTableCollection &symbols);

/// Wraps `ops` (consecutive ops of one block, in order) into a
/// `ckpt.checkpoint` named `name` (no name if empty): its inputs are the
/// values the ops read from outside them, its results the values they define
/// that are used after them. Returns the new region op.
CheckpointOp wrapInRegion(ArrayRef<Operation *> ops, StringRef name);

} // namespace mlir::ckpt

#endif // CKPT_DIALECT_CKPT_TRANSFORMS_REGIONUTILS_H
