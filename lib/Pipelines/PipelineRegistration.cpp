//===- PipelineRegistration.cpp - registering the ckpt pipelines --------===//

#include "ckpt/Pipelines/Pipelines.h"

#include "mlir/Pass/PassRegistry.h"

using namespace mlir;

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
