//===- CkptOps.h - ckpt operations ------------------------------*- C++ -*-===//

#ifndef CKPT_DIALECT_CKPT_IR_CKPTOPS_H
#define CKPT_DIALECT_CKPT_IR_CKPTOPS_H

#include "ckpt/Dialect/Ckpt/IR/CkptDialect.h"
#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/Interfaces/ControlFlowInterfaces.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

namespace mlir::ckpt {
/// The memory resource that `ckpt.barrier` reads and writes. No other op
/// touches it; the effect exists only so that `cse`, `canonicalize` and
/// code motion treat the barrier as an op that must stay where it is.
struct BarrierResource : public SideEffects::Resource::Base<BarrierResource> {
  llvm::StringRef getName() override { return "ckpt::BarrierResource"; }
};
} // namespace mlir::ckpt

#define GET_OP_CLASSES
#include "ckpt/Dialect/Ckpt/IR/CkptOps.h.inc"

#endif // CKPT_DIALECT_CKPT_IR_CKPTOPS_H
