//===- LowerToNvvm.cpp - the ckpt-lower-to-nvvm pipeline --------*- C++ -*-===//

#include "ckpt/Pipelines/Pipelines.h"

#include "PipelineHelpers.h"
#include "ckpt/Transforms/Passes.h"
#include "mlir/Conversion/Passes.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/GPU/Transforms/Passes.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Transforms/Passes.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Program.h"

using namespace mlir;

namespace {
/// True if ptxas can be found, as gpu-module-to-binary looks for it.
bool hasPtxas(StringRef cudaPath) {
  if (llvm::sys::findProgramByName("ptxas"))
    return true;
  return llvm::sys::fs::can_execute((cudaPath + "/bin/ptxas").str());
}

/// MLIR 22's `gpu-lower-to-nvvm-pipeline` (mlir/lib/Dialect/GPU/Pipelines/
/// GPUToNVVMPipeline.cpp), assembled here from the same upstream passes in
/// the same order so that `gpu-module-to-binary` gets the CUDA toolkit as
/// its `toolkit` option (ptxas and libdevice are found there), instead of
/// through the CUDA_ROOT environment variable, which upstream's options
/// cannot set and which a pipeline builder must not change for the whole
/// process. `mlir-opt --dump-pass-pipeline` on the upstream pipeline lists
/// the same passes.
void addNvvmPasses(OpPassManager &pm, const ckpt::LowerToNvvmOptions &options,
                   StringRef binaryFormat) {
  pm.addPass(createConvertNVGPUToNVVMPass());
  pm.addPass(createGpuKernelOutliningPass());
  pm.addPass(createConvertVectorToSCFPass());
  pm.addPass(createSCFToControlFlowPass());
  pm.addPass(createConvertNVVMToLLVMPass());
  pm.addPass(createConvertFuncToLLVMPass());
  pm.addPass(memref::createExpandStridedMetadataPass());
  GpuNVVMAttachTargetOptions target;
  target.chip = options.chip;
  target.features = options.features;
  pm.addPass(createGpuNVVMAttachTarget(target));
  pm.addPass(createLowerAffinePass());
  pm.addPass(createArithToLLVMConversionPass());
  ConvertIndexToLLVMPassOptions index;
  index.indexBitwidth = 64;
  pm.addPass(createConvertIndexToLLVMPass(index));
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
  ConvertGpuOpsToNVVMOpsOptions kernels;
  kernels.indexBitwidth = 64;
  pm.addNestedPass<gpu::GPUModuleOp>(createConvertGpuOpsToNVVMOps(kernels));
  pm.addNestedPass<gpu::GPUModuleOp>(createCanonicalizerPass());
  pm.addNestedPass<gpu::GPUModuleOp>(createCSEPass());
  pm.addNestedPass<gpu::GPUModuleOp>(createReconcileUnrealizedCastsPass());
  pm.addPass(createGpuToLLVMConversionPass());
  GpuModuleToBinaryPassOptions binary;
  binary.toolkitPath = options.cudaPath;
  binary.compilationTarget = binaryFormat.str();
  pm.addPass(createGpuModuleToBinaryPass(binary));
  pm.addPass(createConvertMathToLLVMPass());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
  pm.addPass(createReconcileUnrealizedCastsPass());
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
  // Every linalg op becomes parallel loops, each loop nest one kernel,
  // tiled into thread blocks of up to 256 threads.
  pm.addNestedPass<func::FuncOp>(createConvertLinalgToParallelLoopsPass());
  pm.addNestedPass<func::FuncOp>(ckpt::createCkptGpuTileParallelLoops());
  // The innermost loop (contiguous in row-major buffers) on threadIdx.x:
  // neighbouring threads read and write neighbouring elements.
  GpuMapParallelLoopsPassOptions mapping;
  mapping.mappingPolicyStr = "innermost-first";
  pm.addNestedPass<func::FuncOp>(createGpuMapParallelLoopsPass(mapping));
  pm.addNestedPass<func::FuncOp>(createConvertParallelLoopToGpuPass());
  // Launch sizes computed from constant bounds become constants.
  pm.addNestedPass<func::FuncOp>(createCanonicalizerPass());
  // Device buffers (no managed memory), host copies in and out, and what
  // compute is left on the host into one-thread kernels.
  pm.addPass(ckpt::createCkptGpuDeviceMemory());
  pm.addPass(createGpuKernelOutliningPass());
  // gpu.alloc and friends lower to runtime calls only in async form.
  pm.addNestedPass<func::FuncOp>(createGpuAsyncRegionPass());
  BinaryFormat format = options.format;
  if (format == BinaryFormat::Auto)
    format = hasPtxas(options.cudaPath) ? BinaryFormat::Fatbin
                                        : BinaryFormat::Isa;
  addNvvmPasses(pm, options,
                format == BinaryFormat::Fatbin ? "fatbin" : "isa");
  ckpt::CkptCheckLoweringOutputOptions check;
  check.allowGpuBinary = true;
  pm.addPass(ckpt::createCkptCheckLoweringOutput(check));
}
