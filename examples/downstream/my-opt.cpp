//===- my-opt.cpp - a downstream tool on the installed ckpt -----*- C++ -*-===//
//
// mlir-opt with the dialects of a training step (func, arith, math, tensor,
// linalg), upstream's cse and canonicalize, and everything in ckpt: its
// dialect and every ckpt pass, the memory report included
// (`--pass-pipeline='builtin.module(ckpt-memory-report{pipeline=...})'`).
//
//===----------------------------------------------------------------------===//

#include "ckpt/InitAllCkpt.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/Extensions/InlinerExtension.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"
#include "mlir/Transforms/Passes.h"

int main(int argc, char **argv) {
  mlir::registerTransformsPasses();
  mlir::ckpt::registerAllCkptPasses();
  mlir::DialectRegistry registry;
  registry.insert<mlir::arith::ArithDialect, mlir::func::FuncDialect,
                  mlir::linalg::LinalgDialect, mlir::math::MathDialect,
                  mlir::tensor::TensorDialect>();
  // ckpt-rematerialize inlines checkpointed calls.
  mlir::func::registerInlinerExtension(registry);
  mlir::ckpt::registerAllCkptDialects(registry);
  return mlir::asMainReturnCode(mlir::MlirOptMain(
      argc, argv, "my-opt: a tool built on ckpt\n", registry));
}
