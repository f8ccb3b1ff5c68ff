//===- LowerToCpu.cpp - the ckpt-lower-to-cpu pipeline ----------*- C++ -*-===//

#include "PipelineHelpers.h"
#include "ckpt/Conversion/Passes.h"
#include "ckpt/Pipelines/Pipelines.h"
#include "ckpt/Transforms/Passes.h"

#include "mlir/Conversion/Passes.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/Pass/PassManager.h"

using namespace mlir;

namespace {
void addLoweringToLLVM(OpPassManager &pm, bool countAllocations,
                       ckpt::MPILibrary mpi) {
  // Plain loops: deterministic, bitwise-reproducible order of operations,
  // nested so that the innermost loop is a parallel one with contiguous
  // accesses where there is one (matmul as i, k, j), which LLVM vectorizes
  // without changing any element's order of summation.
  pm.addNestedPass<func::FuncOp>(ckpt::createCkptLinalgLoopOrder());
  pm.addNestedPass<func::FuncOp>(createConvertLinalgToLoopsPass());
  pm.addPass(createSCFToControlFlowPass());
  pm.addPass(memref::createExpandStridedMetadataPass());
  pm.addPass(createLowerAffinePass());
  // MPI calls read the buffers' descriptors, which the memref conversion
  // then completes.
  if (mpi != ckpt::MPILibrary::None) {
    ckpt::CkptConvertMPIToLLVMOptions mpiOptions;
    mpiOptions.abi = mpi == ckpt::MPILibrary::OpenMPI ? ckpt::MPIABI::OpenMPI
                                                      : ckpt::MPIABI::MPICH;
    // The driver ckpt-runner-main writes is the program's entry point.
    mpiOptions.initFunction = "main";
    pm.addPass(ckpt::createCkptConvertMPIToLLVM(mpiOptions));
  }
  FinalizeMemRefToLLVMConversionPassOptions memrefOptions;
  memrefOptions.useGenericFunctions = countAllocations;
  pm.addPass(createFinalizeMemRefToLLVMConversionPass(memrefOptions));
  // LLVM intrinsics where they exist (sqrt, rsqrt, exp, ...), then libm for
  // the rest (erf, ...).
  pm.addPass(createConvertMathToLLVMPass());
  pm.addPass(createConvertMathToLibmPass());
  pm.addPass(createArithToLLVMConversionPass());
  pm.addPass(createConvertIndexToLLVMPass());
  pm.addPass(createConvertFuncToLLVMPass());
  pm.addPass(createConvertControlFlowToLLVMPass());
  pm.addPass(createReconcileUnrealizedCastsPass());
  // Exit 0 only with output mlir-runner can run.
  pm.addPass(ckpt::createCkptCheckLoweringOutput());
}
} // namespace

void mlir::ckpt::buildLowerToCpuPipeline(OpPassManager &pm,
                                         const LowerToCpuOptions &options) {
  std::optional<detail::RunnerMain> runner;
  if (options.runnerMain)
    runner = detail::RunnerMain{options.runnerEntry, /*device=*/false};
  // Shard collectives become mpi ops on tensors, which bufferization then
  // turns into the buffers the mpi ops read and write.
  if (options.mpi != MPILibrary::None)
    pm.addPass(createConvertShardToMPIPass());
  detail::addBufferization(pm, runner, /*inlineCalls=*/true);
  addLoweringToLLVM(pm, options.countAllocations, options.mpi);
}
