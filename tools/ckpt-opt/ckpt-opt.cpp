//===- ckpt-opt.cpp - the ckpt driver ---------------------------*- C++ -*-===//
//
// mlir-opt with the upstream dialects, extensions and passes, everything in
// ckpt, and the memory/cost report over the pipeline it runs.
//
//===----------------------------------------------------------------------===//

#include "ckpt/InitAllCkpt.h"
#include "ckpt/Tools/CkptOptMain.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Target/LLVMIR/Dialect/All.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"

namespace mlir::ckpt::test {
void registerTestPasses();
void registerTestTransformsPasses();
} // namespace mlir::ckpt::test

int main(int argc, char **argv) {
  mlir::registerAllPasses();
  // ckpt-memory-report comes with CkptOptMain (--ckpt-memory-report is also
  // one of ckpt-opt's own flags).
  mlir::ckpt::registerAllCkptPassesExceptMemoryReport();
  mlir::ckpt::test::registerTestPasses();
  mlir::ckpt::test::registerTestTransformsPasses();
  mlir::DialectRegistry registry;
  mlir::registerAllDialects(registry);
  mlir::registerAllExtensions(registry);
  // gpu-module-to-binary translates kernels to LLVM IR and PTX.
  mlir::registerAllToLLVMIRTranslations(registry);
  mlir::ckpt::registerAllCkptDialects(registry);
  return mlir::asMainReturnCode(mlir::ckpt::CkptOptMain(
      argc, argv, "ckpt: activation checkpointing for MLIR training graphs\n",
      registry));
}
