//===- LowerToNvvm.cpp - the ckpt-lower-to-nvvm pipeline --------*- C++ -*-===//

#include "ckpt/Pipelines/Pipelines.h"

#include "PipelineHelpers.h"
#include "ckpt/Transforms/Passes.h"
#include "mlir/Conversion/Passes.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/Pipelines/Passes.h"
#include "mlir/Dialect/GPU/Transforms/Passes.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Program.h"

#include <cstdlib>

using namespace mlir;

namespace {
/// True if ptxas can be found, as gpu-module-to-binary looks for it.
bool hasPtxas(StringRef cudaPath) {
  if (llvm::sys::findProgramByName("ptxas"))
    return true;
  return llvm::sys::fs::can_execute((cudaPath + "/bin/ptxas").str());
}

/// MLIR's NVVM serializer finds libdevice (and ptxas) through CUDA_ROOT,
/// CUDA_HOME or CUDA_PATH; without them kernels that call math functions
/// fail to link. Point it at `cudaPath` when none is set.
void exportCudaPath(StringRef cudaPath) {
  if (std::getenv("CUDA_ROOT") || std::getenv("CUDA_HOME") ||
      std::getenv("CUDA_PATH"))
    return;
  if (llvm::sys::fs::is_directory(cudaPath))
    ::setenv("CUDA_ROOT", cudaPath.str().c_str(), /*overwrite=*/0);
}
} // namespace

void mlir::ckpt::buildLowerToNvvmPipeline(OpPassManager &pm,
                                          const LowerToNvvmOptions &options) {
  std::optional<detail::RunnerMain> runner;
  if (options.runnerMain)
    runner = detail::RunnerMain{options.runnerEntry, /*device=*/true};
  // Calls stay calls on the GPU: inlined, the deallocation of buffers whose
  // ownership is decided at run time becomes host code on device buffers,
  // which ckpt-gpu-device-memory refuses (ByteIR's ResNet-18).
  detail::addBufferization(pm, runner, /*inlineCalls=*/false);
  // Every linalg op becomes parallel loops, each loop nest one kernel.
  pm.addNestedPass<func::FuncOp>(createConvertLinalgToParallelLoopsPass());
  pm.addNestedPass<func::FuncOp>(createGpuMapParallelLoopsPass());
  pm.addNestedPass<func::FuncOp>(createConvertParallelLoopToGpuPass());
  // Device buffers (no managed memory), host copies in and out, and what
  // compute is left on the host into one-thread kernels.
  pm.addPass(ckpt::createCkptGpuDeviceMemory());
  pm.addPass(createGpuKernelOutliningPass());
  // gpu.alloc and friends lower to runtime calls only in async form.
  pm.addNestedPass<func::FuncOp>(createGpuAsyncRegionPass());
  gpu::GPUToNVVMPipelineOptions nvvm;
  nvvm.cubinChip = options.chip;
  nvvm.cubinFeatures = options.features;
  exportCudaPath(options.cudaPath);
  BinaryFormat format = options.format;
  if (format == BinaryFormat::Auto)
    format = hasPtxas(options.cudaPath) ? BinaryFormat::Fatbin
                                        : BinaryFormat::Isa;
  nvvm.cubinFormat = format == BinaryFormat::Fatbin ? "fatbin" : "isa";
  gpu::buildLowerToNVVMPassPipeline(pm, nvvm);
  ckpt::CkptCheckLoweringOutputOptions check;
  check.allowGpuBinary = true;
  pm.addPass(ckpt::createCkptCheckLoweringOutput(check));
}
