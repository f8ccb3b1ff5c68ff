//===- GpuDeviceMemory.cpp - buffers in device memory -----------*- C++ -*-===//

#include "ckpt/Transforms/Passes.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Interfaces/ViewLikeInterface.h"
#include "llvm/Support/DebugLog.h"

namespace mlir::ckpt {
#define GEN_PASS_DEF_CKPTGPUDEVICEMEMORY
#include "ckpt/Transforms/Passes.h.inc"
} // namespace mlir::ckpt

using namespace mlir;
using namespace mlir::ckpt;

#define DEBUG_TYPE "ckpt-gpu-device-memory"

namespace {
/// Ops that may stay on the host: buffer management, views (metadata only),
/// scalar index/constant math, launches, calls and the terminator.
bool staysOnHost(Operation *op) {
  if (isa<gpu::LaunchOp, memref::AllocOp, memref::DeallocOp, memref::CopyOp,
          func::CallOp, func::ReturnOp, affine::AffineApplyOp,
          ViewLikeOpInterface, memref::ExtractStridedMetadataOp>(op))
    return true;
  if (op->hasTrait<OpTrait::ConstantLike>())
    return true;
  // Scalar arithmetic on index values (launch sizes).
  if (isa<arith::ArithDialect>(op->getDialect()) &&
      llvm::all_of(op->getOperandTypes(), [](Type t) { return t.isIndex(); }) &&
      llvm::all_of(op->getResultTypes(), [](Type t) { return t.isIndex(); }))
    return true;
  return false;
}

/// Fails with an error at `func` unless `type` (of its argument or result
/// #`index`, `kind`) is a static identity-layout memref: the host copies in
/// and out are whole-buffer `gpu.memcpy`s.
LogicalResult checkCopyable(func::FuncOp func, MemRefType type, StringRef kind,
                            unsigned index) {
  if (type.hasStaticShape() && type.getLayout().isIdentity())
    return success();
  return func.emitError() << kind << " #" << index
                          << " must be a static, identity-layout memref";
}

/// Moves `ops` (consecutive, with no result used after them) into a
/// one-thread gpu.launch.
void wrapInLaunch(ArrayRef<Operation *> ops) {
  OpBuilder b(ops.front());
  Location loc = ops.front()->getLoc();
  Value one = arith::ConstantIndexOp::create(b, loc, 1);
  auto launch = gpu::LaunchOp::create(b, loc, one, one, one, one, one, one);
  Block &body = launch.getBody().front();
  b.setInsertionPointToEnd(&body);
  auto terminator = gpu::TerminatorOp::create(b, loc);
  for (Operation *op : ops)
    op->moveBefore(terminator);
}

struct CkptGpuDeviceMemoryPass
    : public ckpt::impl::CkptGpuDeviceMemoryBase<CkptGpuDeviceMemoryPass> {
  void runOnOperation() override {
    for (auto func : getOperation().getOps<func::FuncOp>()) {
      if (func.isExternal() || !llvm::hasSingleElement(func.getBody()))
        continue;
      bool launches = false;
      func.walk([&](gpu::LaunchOp) { launches = true; });
      if (!launches)
        continue;
      LDBG() << "device memory for @" << func.getSymName();
      if (failed(moveHostCompute(func)) || failed(useDeviceMemory(func)))
        return signalPassFailure();
    }
  }

  LogicalResult moveHostCompute(func::FuncOp func) {
    Block &body = func.getBody().front();
    SmallVector<SmallVector<Operation *>> runs(1);
    for (Operation &op : body) {
      if (staysOnHost(&op)) {
        if (!runs.back().empty())
          runs.emplace_back();
        continue;
      }
      runs.back().push_back(&op);
    }
    for (ArrayRef<Operation *> run : runs) {
      if (run.empty())
        continue;
      llvm::DenseSet<Operation *> inRun(run.begin(), run.end());
      for (Operation *op : run)
        for (Value result : op->getResults())
          for (Operation *user : result.getUsers())
            if (!inRun.contains(body.findAncestorOpInBlock(*user)))
              return op->emitError()
                     << "the host needs this result "
                        "computed from device memory; not supported";
      wrapInLaunch(run);
    }
    return success();
  }

  LogicalResult useDeviceMemory(func::FuncOp func) {
    Block &body = func.getBody().front();
    OpBuilder b(func.getContext());
    // Arguments: copy into device buffers at entry.
    b.setInsertionPointToStart(&body);
    SmallVector<Value> deviceArgs;
    for (BlockArgument arg : body.getArguments()) {
      auto type = dyn_cast<MemRefType>(arg.getType());
      if (!type)
        continue;
      if (failed(checkCopyable(func, type, "argument", arg.getArgNumber())))
        return failure();
      auto device =
          gpu::AllocOp::create(b, arg.getLoc(), type, Type(), ValueRange(),
                               ValueRange(), ValueRange());
      Value buffer = device.getMemref();
      arg.replaceAllUsesWith(buffer);
      gpu::MemcpyOp::create(b, arg.getLoc(), Type(), ValueRange(), buffer, arg);
      deviceArgs.push_back(buffer);
    }
    // Allocation, deallocation and copies.
    SmallVector<Operation *> toErase;
    func.walk([&](Operation *op) {
      OpBuilder ob(op);
      if (auto alloc = dyn_cast<memref::AllocOp>(op)) {
        auto device = gpu::AllocOp::create(
            ob, op->getLoc(), alloc.getType(), Type(), ValueRange(),
            alloc.getDynamicSizes(), alloc.getSymbolOperands());
        alloc.replaceAllUsesWith(device.getMemref());
        toErase.push_back(op);
      } else if (auto dealloc = dyn_cast<memref::DeallocOp>(op)) {
        gpu::DeallocOp::create(ob, op->getLoc(), Type(), ValueRange(),
                               dealloc.getMemref());
        toErase.push_back(op);
      } else if (auto copy = dyn_cast<memref::CopyOp>(op)) {
        gpu::MemcpyOp::create(ob, op->getLoc(), Type(), ValueRange(),
                              copy.getTarget(), copy.getSource());
        toErase.push_back(op);
      }
    });
    for (Operation *op : toErase)
      op->erase();
    // Results: copy back into host buffers; free the device copies.
    Operation *ret = body.getTerminator();
    b.setInsertionPoint(ret);
    llvm::DenseSet<Value> freed;
    for (OpOperand &operand : ret->getOpOperands()) {
      auto type = dyn_cast<MemRefType>(operand.get().getType());
      if (!type)
        continue;
      if (failed(
              checkCopyable(func, type, "result", operand.getOperandNumber())))
        return failure();
      Value device = operand.get();
      auto host = memref::AllocOp::create(b, ret->getLoc(), type);
      gpu::MemcpyOp::create(b, ret->getLoc(), Type(), ValueRange(), host,
                            device);
      operand.set(host);
      if (freed.insert(device).second &&
          !llvm::is_contained(deviceArgs, device))
        gpu::DeallocOp::create(b, ret->getLoc(), Type(), ValueRange(), device);
    }
    for (Value device : deviceArgs)
      gpu::DeallocOp::create(b, ret->getLoc(), Type(), ValueRange(), device);
    return success();
  }
};
} // namespace
