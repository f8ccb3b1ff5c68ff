//===- ckpt-opt.cpp - the ckpt driver ---------------------------*- C++ -*-===//
//
// An mlir-opt with the upstream dialects, extensions and passes plus
// everything in ckpt.
//
//===----------------------------------------------------------------------===//

#include "ckpt/Dialect/Ckpt/IR/CkptDialect.h"
#include "ckpt/Dialect/Ckpt/Transforms/Passes.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"

namespace mlir::ckpt::test {
void registerTestPasses();
} // namespace mlir::ckpt::test

int main(int argc, char **argv) {
  mlir::registerAllPasses();
  mlir::ckpt::registerCkptPasses();
  mlir::ckpt::test::registerTestPasses();

  mlir::DialectRegistry registry;
  mlir::registerAllDialects(registry);
  mlir::registerAllExtensions(registry);
  registry.insert<mlir::ckpt::CkptDialect>();

  return mlir::asMainReturnCode(mlir::MlirOptMain(
      argc, argv, "ckpt: activation checkpointing for MLIR training graphs\n",
      registry));
}
