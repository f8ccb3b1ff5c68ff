//===- CkptDialect.cpp - ckpt dialect ---------------------------*- C++ -*-===//

#include "ckpt/Dialect/Ckpt/IR/CkptDialect.h"
#include "ckpt/Dialect/Ckpt/IR/CkptOps.h"

using namespace mlir;
using namespace mlir::ckpt;

#include "ckpt/Dialect/Ckpt/IR/CkptOpsDialect.cpp.inc"

void CkptDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "ckpt/Dialect/Ckpt/IR/CkptOps.cpp.inc"
      >();
}
