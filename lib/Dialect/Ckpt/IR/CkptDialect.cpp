//===- CkptDialect.cpp - ckpt dialect ---------------------------*- C++ -*-===//

#include "ckpt/Dialect/Ckpt/IR/CkptDialect.h"
#include "ckpt/Dialect/Ckpt/IR/CkptOps.h"
#include "mlir/Transforms/InliningUtils.h"

using namespace mlir;
using namespace mlir::ckpt;

#include "ckpt/Dialect/Ckpt/IR/CkptOpsDialect.cpp.inc"

namespace {
/// Inlining into and out of `ckpt.checkpoint` bodies: the region is a
/// module boundary, not a scope with rules of its own, so any op may be
/// inlined into it (upstream `-inline` into a checkpointed body, and the
/// conversion of checkpointed calls into regions), and the ckpt ops
/// themselves may be inlined with the function that holds them.
struct CkptInlinerInterface : public DialectInlinerInterface {
  using DialectInlinerInterface::DialectInlinerInterface;

  bool isLegalToInline(Operation *, Operation *, bool) const final {
    return true;
  }
  bool isLegalToInline(Region *, Region *, bool, IRMapping &) const final {
    return true;
  }
  bool isLegalToInline(Operation *, Region *, bool, IRMapping &) const final {
    return true;
  }
};
} // namespace

void CkptDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "ckpt/Dialect/Ckpt/IR/CkptOps.cpp.inc"
      >();
  addInterfaces<CkptInlinerInterface>();
}
