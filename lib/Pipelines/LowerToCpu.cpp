//===- LowerToCpu.cpp - the ckpt-lower-to-cpu pipeline ----------*- C++ -*-===//

#include "ckpt/Pipelines/Pipelines.h"
#include "PipelineHelpers.h"

#include "ckpt/Dialect/Ckpt/Transforms/Passes.h"
#include "mlir/Conversion/Passes.h"
#include "mlir/Dialect/Bufferization/Pipelines/Passes.h"
#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"

using namespace mlir;

void mlir::ckpt::detail::addBufferization(
    OpPassManager &pm, const std::optional<RunnerMain> &runner) {
  bufferization::OneShotBufferizePassOptions options;
  // The step and its callers exchange buffers, not tensors, so that the
  // runner (and any host code) can call it.
  options.bufferizeFunctionBoundaries = true;
  options.functionBoundaryTypeConversion =
      bufferization::LayoutMapOption::IdentityLayoutMap;
  pm.addPass(bufferization::createOneShotBufferizePass(options));
  // The driver works on host buffers and calls only the runtime library,
  // so a GPU lowering leaves it on the host.
  if (runner) {
    ckpt::CkptRunnerMainOptions main;
    main.entry = runner->entry;
    main.buffers = true;
    main.device = runner->device;
    pm.addPass(ckpt::createCkptRunnerMain(main));
  }
  // Only now: until buffers exist, cse could fold a recompute back.
  pm.addPass(ckpt::createCkptStripBarriers());
  // Frees every buffer (at the end of its block) ...
  bufferization::buildBufferDeallocationPipeline(pm);
  // ... then allocates each just before its first use and frees it right
  // after its last use, the liveness the memory report estimates;
  // otherwise nothing would be freed before the step returns.
  pm.addPass(ckpt::createCkptShrinkBufferLifetimes());
}

namespace {
void addLoweringToLLVM(OpPassManager &pm, bool countAllocations) {
  // Plain loops: deterministic, bitwise-reproducible order of operations.
  pm.addNestedPass<func::FuncOp>(createConvertLinalgToLoopsPass());
  pm.addPass(createSCFToControlFlowPass());
  pm.addPass(memref::createExpandStridedMetadataPass());
  pm.addPass(createLowerAffinePass());
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
}
} // namespace

void mlir::ckpt::buildLowerToCpuPipeline(OpPassManager &pm,
                                         const LowerToCpuOptions &options) {
  std::optional<detail::RunnerMain> runner;
  if (options.runnerMain)
    runner = detail::RunnerMain{options.runnerEntry, /*device=*/false};
  detail::addBufferization(pm, runner);
  addLoweringToLLVM(pm, options.countAllocations);
}

void mlir::ckpt::registerCkptPipelines() {
  PassPipelineRegistration<LowerToCpuOptions>(
      "ckpt-lower-to-cpu",
      "Bufferize, remove ckpt barriers, deallocate and lower to the LLVM "
      "dialect for the CPU (run with mlir-runner and the ckpt CPU runtime)",
      buildLowerToCpuPipeline);
  PassPipelineRegistration<LowerToNvvmOptions>(
      "ckpt-lower-to-nvvm",
      "Bufferize into device memory, remove ckpt barriers, map loops to GPU "
      "kernels and run MLIR's NVVM pipeline (sm_90 fatbin by default)",
      buildLowerToNvvmPipeline);
}
