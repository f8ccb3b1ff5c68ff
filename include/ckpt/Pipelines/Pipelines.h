//===- Pipelines.h - ckpt lowering pipelines ---------------------*- C++
//-*-===//

#ifndef CKPT_PIPELINES_PIPELINES_H
#define CKPT_PIPELINES_PIPELINES_H

#include "mlir/Pass/PassOptions.h"

#include <string>

namespace mlir {
class OpPassManager;
namespace ckpt {

/// The options both lowering pipelines share: a runner driver for the step.
template <typename Derived>
struct RunnerMainPipelineOptions : public PassPipelineOptions<Derived> {
  mlir::detail::PassOptions::Option<bool> runnerMain{
      *this, "runner-main",
      llvm::cl::desc("Add a host @main that runs the step on generated "
                     "inputs and prints its results (ckpt-runner-main "
                     "{buffers}), right after bufferization"),
      llvm::cl::init(false)};
  mlir::detail::PassOptions::Option<std::string> runnerEntry{
      *this, "runner-entry",
      llvm::cl::desc("The step @main runs (default: the only public "
                     "function)"),
      llvm::cl::init("")};
};

/// The MPI library a distributed step is lowered for (`mpi=`).
enum class MPILibrary { None, OpenMPI, MPICH };

/// Options of `ckpt-lower-to-cpu`.
struct LowerToCpuOptions : public RunnerMainPipelineOptions<LowerToCpuOptions> {
  PassOptions::Option<bool> countAllocations{
      *this, "count-allocations",
      llvm::cl::desc("Allocate and free through _mlir_memref_to_llvm_* so "
                     "that the ckpt CPU runtime counts the bytes"),
      llvm::cl::init(true)};
  PassOptions::Option<MPILibrary> mpi{
      *this, "mpi",
      llvm::cl::desc("Lower shard collectives (convert-shard-to-mpi, before "
                     "bufferization) and mpi ops (ckpt-convert-mpi-to-llvm) "
                     "for this MPI library"),
      llvm::cl::init(MPILibrary::None),
      llvm::cl::values(
          clEnumValN(MPILibrary::None, "none", "no MPI (default)"),
          clEnumValN(MPILibrary::OpenMPI, "openmpi", "Open MPI's ABI"),
          clEnumValN(MPILibrary::MPICH, "mpich", "MPICH's ABI"))};
};

/// Tensors to the LLVM dialect on the CPU (rationale §6): One-Shot Bufferize
/// (function boundaries included, identity layouts), then
/// `ckpt-strip-barriers` (barriers are removed after bufferization, never
/// before), ownership-based buffer deallocation followed by
/// `ckpt-shrink-buffer-lifetimes` (free after last use), linalg to loops, and
/// the standard conversions to LLVM. Allocation goes through the generic
/// `_mlir_memref_to_llvm_alloc/free` entry points unless
/// `count-allocations=false`. With `mpi=openmpi|mpich`, `shard` collectives
/// become `mpi` ops first (upstream `convert-shard-to-mpi`) and the `mpi`
/// ops become calls of that library (`ckpt-convert-mpi-to-llvm`) before the
/// memref conversion (docs/distributed.md).
void buildLowerToCpuPipeline(OpPassManager &pm,
                             const LowerToCpuOptions &options);

/// The GPU binary `ckpt-lower-to-nvvm` embeds.
enum class BinaryFormat { Fatbin, Isa, Auto };

/// Options of `ckpt-lower-to-nvvm`.
struct LowerToNvvmOptions
    : public RunnerMainPipelineOptions<LowerToNvvmOptions> {
  PassOptions::Option<std::string> chip{
      *this, "chip", llvm::cl::desc("GPU architecture (sm_XX)"),
      llvm::cl::init("sm_90")};
  PassOptions::Option<std::string> features{
      *this, "features", llvm::cl::desc("PTX features (sm_90 needs +ptx80)"),
      llvm::cl::init("+ptx80")};
  PassOptions::Option<BinaryFormat> format{
      *this, "format",
      llvm::cl::desc("Embedded binary (an unknown value is an error)"),
      llvm::cl::init(BinaryFormat::Auto),
      llvm::cl::values(
          clEnumValN(BinaryFormat::Fatbin, "fatbin", "through ptxas"),
          clEnumValN(BinaryFormat::Isa, "isa", "PTX"),
          clEnumValN(BinaryFormat::Auto, "auto",
                     "fatbin when ptxas is on PATH or in cuda-path/bin, PTX "
                     "otherwise"))};
  PassOptions::Option<std::string> cudaPath{
      *this, "cuda-path",
      llvm::cl::desc("CUDA toolkit with ptxas and libdevice (the toolkit "
                     "option of gpu-module-to-binary)"),
      llvm::cl::init("/usr/local/cuda")};
};

/// Tensors to host LLVM code plus an embedded GPU binary for NVIDIA GPUs
/// (rationale §6): the bufferization of `ckpt-lower-to-cpu` (barriers removed
/// after it), linalg to parallel loops mapped to `gpu.launch` kernels,
/// `ckpt-gpu-device-memory` (device buffers, host copies in and out, the
/// last host compute moved into one-thread kernels), asynchronous GPU ops,
/// and the passes of MLIR's NVVM pipeline (`gpu-lower-to-nvvm-pipeline`)
/// for `chip`, with `cuda-path` as `gpu-module-to-binary`'s toolkit.
/// Host code calls the `mgpu*` runtime entry points (ckpt's CUDA runtime
/// library implements them and counts device bytes).
void buildLowerToNvvmPipeline(OpPassManager &pm,
                              const LowerToNvvmOptions &options);

/// Registers `ckpt-lower-to-cpu` and `ckpt-lower-to-nvvm`.
void registerCkptPipelines();

} // namespace ckpt
} // namespace mlir

#endif // CKPT_PIPELINES_PIPELINES_H
