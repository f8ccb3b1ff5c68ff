//===- MemoryEffects.cpp - memory-effect models of the mpi ops --*- C++ -*-===//
//
// Upstream declares no effects on the mpi ops that move data, so they count
// as having unknown effects: ownership-based buffer deallocation refuses
// them, and nothing keeps cleanups from reordering them. These models say
// what each op does to its memref operands (what MPI's C functions do to
// their buffers: MPI 4.1 standard, sections 3.2, 3.4, 6.9).
//
//===----------------------------------------------------------------------===//

#include "ckpt/Conversion/MPIToLLVM/MPIToLLVM.h"

#include "mlir/Dialect/MPI/IR/MPI.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

using namespace mlir;
using namespace mlir::ckpt;

namespace {
using EffectList =
    SmallVectorImpl<SideEffects::EffectInstance<MemoryEffects::Effect>>;

/// What one op does: reads or writes of its memref operands (by operand
/// index), and whether it synchronizes with other ranks (a write of the
/// default resource, so it is neither erased nor moved).
struct Effects {
  SmallVector<unsigned, 2> reads, writes;
  bool synchronizes = false;
};

template <typename OpTy>
struct MPIEffectsModel
    : public MemoryEffectOpInterface::ExternalModel<MPIEffectsModel<OpTy>,
                                                    OpTy> {
  void getEffects(Operation *op, EffectList &effects) const {
    Effects what = describe(cast<OpTy>(op));
    for (unsigned index : what.reads)
      effects.emplace_back(MemoryEffects::Read::get(),
                           &op->getOpOperand(index));
    for (unsigned index : what.writes)
      effects.emplace_back(MemoryEffects::Write::get(),
                           &op->getOpOperand(index));
    if (what.synchronizes)
      effects.emplace_back(MemoryEffects::Write::get());
  }

  // A send only reads its buffer, but it communicates: with a read alone it
  // would be trivially dead (no results) and cleanups would erase it.
  static Effects describe(mpi::SendOp op) {
    return {{op.getRefMutable().getOperandNumber()}, {}, true};
  }
  static Effects describe(mpi::ISendOp op) {
    return {{op.getRefMutable().getOperandNumber()}, {}, true};
  }
  static Effects describe(mpi::RecvOp op) {
    return {{}, {op.getRefMutable().getOperandNumber()}, false};
  }
  static Effects describe(mpi::IRecvOp op) {
    return {{}, {op.getRefMutable().getOperandNumber()}, false};
  }
  static Effects describe(mpi::AllReduceOp op) {
    // With the same buffer twice (MPI_IN_PLACE) both apply to it.
    return {{op.getSendbufMutable().getOperandNumber()},
            {op.getRecvbufMutable().getOperandNumber()},
            false};
  }
  static Effects describe(mpi::InitOp) { return {{}, {}, true}; }
  static Effects describe(mpi::FinalizeOp) { return {{}, {}, true}; }
  static Effects describe(mpi::Barrier) { return {{}, {}, true}; }
  static Effects describe(mpi::Wait) { return {{}, {}, true}; }
  static Effects describe(mpi::RetvalCheckOp) { return {}; }
  static Effects describe(mpi::ErrorClassOp) { return {}; }
};

template <typename... OpTys>
void attachModels(MLIRContext *context) {
  (OpTys::template attachInterface<MPIEffectsModel<OpTys>>(*context), ...);
}
} // namespace

void mlir::ckpt::registerMPIMemoryEffectModels(DialectRegistry &registry) {
  registry.addExtension(+[](MLIRContext *context, mpi::MPIDialect *) {
    attachModels<mpi::SendOp, mpi::ISendOp, mpi::RecvOp, mpi::IRecvOp,
                 mpi::AllReduceOp, mpi::InitOp, mpi::FinalizeOp, mpi::Barrier,
                 mpi::Wait, mpi::RetvalCheckOp, mpi::ErrorClassOp>(context);
  });
}
