//===- GpuDeviceMemory.cpp - buffers in device memory -----------*- C++ -*-===//

#include "ckpt/Transforms/Passes.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
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
/// Ops that may stay on the host: buffer management, views and buffer
/// metadata (sizes, aligned pointers), scalar integer/index math (launch
/// sizes, the ownership checks of buffer deallocation), control flow
/// around kernels (`scf.for`/`scf.if`, whose bodies are handled the same
/// way), launches, calls and the terminator.
bool staysOnHost(Operation *op) {
  if (isa<gpu::LaunchOp, memref::AllocOp, memref::DeallocOp, memref::CopyOp,
          memref::GetGlobalOp, memref::DimOp,
          memref::ExtractAlignedPointerAsIndexOp, func::CallOp,
          func::ReturnOp, affine::AffineApplyOp, ViewLikeOpInterface,
          memref::ExtractStridedMetadataOp, scf::ForOp, scf::IfOp,
          scf::YieldOp>(op))
    return true;
  if (op->hasTrait<OpTrait::ConstantLike>())
    return true;
  // Scalar arithmetic on integers and indices (no floats: those are the
  // step's compute).
  auto isIntegerScalar = [](Type t) { return t.isIntOrIndex(); };
  if (isa<arith::ArithDialect>(op->getDialect()) &&
      llvm::all_of(op->getOperandTypes(), isIntegerScalar) &&
      llvm::all_of(op->getResultTypes(), isIntegerScalar))
    return true;
  return false;
}

/// Fails with an error at `func` unless `type` (of its argument or result
/// #`index`, `kind`) has the identity layout: the host copies in and out
/// are whole-buffer `gpu.memcpy`s (dynamic sizes are read from the host
/// buffer).
LogicalResult checkCopyable(func::FuncOp func, MemRefType type, StringRef kind,
                            unsigned index) {
  if (type.getLayout().isIdentity())
    return success();
  return func.emitError() << kind << " #" << index
                          << " must be an identity-layout memref";
}

/// A device buffer of `host`'s type and sizes, filled from `host`.
Value copyToDevice(OpBuilder &b, Location loc, Value host) {
  auto type = cast<MemRefType>(host.getType());
  SmallVector<Value> sizes;
  for (int64_t dim = 0; dim < type.getRank(); ++dim)
    if (type.isDynamicDim(dim))
      sizes.push_back(memref::DimOp::create(b, loc, host, dim));
  auto device = gpu::AllocOp::create(b, loc, type, Type(), ValueRange(), sizes,
                                     ValueRange());
  gpu::MemcpyOp::create(b, loc, Type(), ValueRange(), device.getMemref(), host);
  return device.getMemref();
}

/// Makes every current use of the host buffer `host` use a device copy of
/// it made at `b`'s insertion point; the copy is appended to `copies`.
void replaceWithDeviceCopy(OpBuilder &b, Location loc, Value host,
                           SmallVectorImpl<Value> &copies) {
  SmallVector<OpOperand *> uses =
      llvm::to_vector(llvm::make_pointer_range(host.getUses()));
  Value device = copyToDevice(b, loc, host);
  for (OpOperand *use : uses)
    use->set(device);
  copies.push_back(device);
}

/// Moves `ops` (consecutive) into a one-thread gpu.launch and returns it.
gpu::LaunchOp wrapInLaunch(ArrayRef<Operation *> ops) {
  OpBuilder b(ops.front());
  Location loc = ops.front()->getLoc();
  Value one = arith::ConstantIndexOp::create(b, loc, 1);
  auto launch = gpu::LaunchOp::create(b, loc, one, one, one, one, one, one);
  Block &body = launch.getBody().front();
  b.setInsertionPointToEnd(&body);
  auto terminator = gpu::TerminatorOp::create(b, loc);
  for (Operation *op : ops)
    op->moveBefore(terminator);
  return launch;
}

/// The buffer `value` is a view or cast of (through `memref.cast` and view
/// ops), or `value` itself.
Value getViewSource(Value value) {
  while (Operation *def = value.getDefiningOp()) {
    if (auto cast = dyn_cast<memref::CastOp>(def))
      value = cast.getSource();
    else if (auto view = dyn_cast<ViewLikeOpInterface>(def))
      value = view.getViewSource();
    else
      break;
  }
  return value;
}

/// Host bookkeeping buffers of `func`: `memref.alloc`s that (directly or
/// through casts) are passed to a call. Ownership-based buffer deallocation
/// lowers `bufferization.dealloc` into such buffers of pointers (`index`)
/// and ownership flags (`i1`), filled and read by host code around a call
/// of its `@dealloc_helper` (whose loads decide which buffers to free): they
/// stay in host memory, and their loads and stores stay on the host.
llvm::DenseSet<Value> getHostBuffers(func::FuncOp func) {
  llvm::DenseSet<Value> buffers;
  func.walk([&](func::CallOp call) {
    for (Value operand : call.getOperands())
      if (isa<MemRefType>(operand.getType()))
        if (Value source = getViewSource(operand);
            source.getDefiningOp<memref::AllocOp>() ||
            source.getDefiningOp<memref::AllocaOp>())
          buffers.insert(source);
  });
  return buffers;
}

/// Copies `source` into `target` (same shape, any strided layouts) in a
/// kernel of 256-thread blocks, one thread per element (row-major linear
/// index, delinearized by the sizes): `gpu.memcpy` lowers only between
/// identity-layout buffers, and views (a slice of an argument, the parts of
/// a `tensor.concat`) are not.
void createCopyKernel(OpBuilder &b, Location loc, Value source, Value target) {
  auto type = cast<MemRefType>(source.getType());
  Value one = arith::ConstantIndexOp::create(b, loc, 1);
  Value blockSize = arith::ConstantIndexOp::create(b, loc, 256);
  SmallVector<Value> sizes;
  Value total = one;
  for (int64_t dim = 0; dim < type.getRank(); ++dim) {
    sizes.push_back(memref::DimOp::create(b, loc, source, dim));
    total = arith::MulIOp::create(b, loc, total, sizes.back());
  }
  // At least one block (a launch of zero blocks is invalid).
  Value blocks = arith::MaxUIOp::create(
      b, loc, arith::CeilDivUIOp::create(b, loc, total, blockSize), one);
  auto launch =
      gpu::LaunchOp::create(b, loc, blocks, one, one, blockSize, one, one);
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToEnd(&launch.getBody().front());
  Value index = arith::AddIOp::create(
      b, loc,
      arith::MulIOp::create(b, loc, launch.getBlockIds().x, blockSize),
      launch.getThreadIds().x);
  Value inside = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ult,
                                       index, total);
  auto guardIf = scf::IfOp::create(b, loc, inside, /*withElse=*/false);
  b.setInsertionPointToStart(&guardIf.getThenRegion().front());
  SmallVector<Value> indices(type.getRank());
  Value rest = index;
  for (int64_t dim = type.getRank() - 1; dim >= 0; --dim) {
    indices[dim] = arith::RemUIOp::create(b, loc, rest, sizes[dim]);
    rest = arith::DivUIOp::create(b, loc, rest, sizes[dim]);
  }
  Value element = memref::LoadOp::create(b, loc, source, indices);
  memref::StoreOp::create(b, loc, element, target, indices);
  b.setInsertionPointToEnd(&launch.getBody().front());
  gpu::TerminatorOp::create(b, loc);
}

struct CkptGpuDeviceMemoryPass
    : public ckpt::impl::CkptGpuDeviceMemoryBase<CkptGpuDeviceMemoryPass> {
  /// `getHostBuffers` of the function being rewritten.
  llvm::DenseSet<Value> hostBuffers;

  /// True if `op` stays on the host: `staysOnHost`, or an access to a host
  /// bookkeeping buffer.
  bool isHostOp(Operation *op) {
    if (staysOnHost(op))
      return true;
    Value memref;
    if (auto load = dyn_cast<memref::LoadOp>(op))
      memref = load.getMemRef();
    else if (auto store = dyn_cast<memref::StoreOp>(op))
      memref = store.getMemRef();
    else if (auto alloca = dyn_cast<memref::AllocaOp>(op))
      memref = alloca.getResult();
    return memref && hostBuffers.contains(getViewSource(memref));
  }

  void runOnOperation() override {
    for (auto func : getOperation().getOps<func::FuncOp>()) {
      if (func.isExternal() || !llvm::hasSingleElement(func.getBody()))
        continue;
      bool launches = false;
      func.walk([&](gpu::LaunchOp) { launches = true; });
      if (!launches)
        continue;
      LDBG() << "device memory for @" << func.getSymName();
      hostBuffers = getHostBuffers(func);
      if (failed(moveHostCompute(func.getBody().front())) ||
          failed(useDeviceMemory(func)))
        return signalPassFailure();
    }
  }

  LogicalResult moveHostCompute(Block &body) {
    SmallVector<SmallVector<Operation *>> runs(1);
    for (Operation &op : body) {
      if (isHostOp(&op)) {
        if (!runs.back().empty())
          runs.emplace_back();
        // Host control flow: its bodies are host code too.
        if (isa<scf::ForOp, scf::IfOp>(op))
          for (Region &region : op.getRegions())
            for (Block &block : region)
              if (failed(moveHostCompute(block)))
                return failure();
        continue;
      }
      runs.back().push_back(&op);
    }
    for (ArrayRef<Operation *> run : runs) {
      if (run.empty())
        continue;
      llvm::DenseSet<Operation *> inRun(run.begin(), run.end());
      // Results the host reads after the run (an `scf.if` condition or a
      // loop bound computed from the step's data): scalars come back
      // through device memory; anything else is refused.
      SmallVector<Value> escaping;
      for (Operation *op : run)
        for (Value result : op->getResults())
          if (llvm::any_of(result.getUsers(), [&](Operation *user) {
                return !inRun.contains(body.findAncestorOpInBlock(*user));
              })) {
            if (!result.getType().isIntOrIndexOrFloat())
              return op->emitError()
                     << "the host needs this result computed from device "
                        "memory; not supported (only scalars are copied "
                        "back)";
            escaping.push_back(result);
          }
      gpu::LaunchOp launch = wrapInLaunch(run);
      for (Value value : escaping)
        copyBackToHost(launch, value);
    }
    return success();
  }

  /// Makes the host's uses of `value` (computed in the one-thread kernel
  /// `launch`) read a copy: the kernel stores it into a 0-d device buffer,
  /// which is copied into a host buffer after the launch and loaded there.
  void copyBackToHost(gpu::LaunchOp launch, Value value) {
    Location loc = value.getLoc();
    auto type = MemRefType::get({}, value.getType());
    OpBuilder b(launch);
    auto device = gpu::AllocOp::create(b, loc, type, Type(), ValueRange(),
                                       ValueRange(), ValueRange());
    b.setInsertionPoint(launch.getBody().front().getTerminator());
    memref::StoreOp::create(b, loc, value, device.getMemref(), ValueRange());
    b.setInsertionPointAfter(launch);
    auto host = memref::AllocOp::create(b, loc, type);
    hostBuffers.insert(host.getResult());
    gpu::MemcpyOp::create(b, loc, Type(), ValueRange(), host,
                          device.getMemref());
    auto load = memref::LoadOp::create(b, loc, host.getResult(), ValueRange());
    memref::DeallocOp::create(b, loc, host);
    gpu::DeallocOp::create(b, loc, Type(), ValueRange(), device.getMemref());
    value.replaceUsesWithIf(load.getResult(), [&](OpOperand &use) {
      return !launch->isProperAncestor(use.getOwner());
    });
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
      replaceWithDeviceCopy(b, arg.getLoc(), arg, deviceArgs);
    }
    // Constants (read-only globals on the host): a device copy each, freed
    // before the return.
    SmallVector<Value> deviceConstants;
    SmallVector<memref::GetGlobalOp> globals;
    func.walk([&](memref::GetGlobalOp op) { globals.push_back(op); });
    for (memref::GetGlobalOp global : globals) {
      b.setInsertionPointAfter(global);
      replaceWithDeviceCopy(b, global.getLoc(), global.getResult(),
                            deviceConstants);
    }
    // Allocation, deallocation and copies.
    SmallVector<Operation *> toErase;
    func.walk([&](Operation *op) {
      OpBuilder ob(op);
      if (auto alloc = dyn_cast<memref::AllocOp>(op)) {
        if (hostBuffers.contains(alloc.getResult()))
          return;
        auto device = gpu::AllocOp::create(
            ob, op->getLoc(), alloc.getType(), Type(), ValueRange(),
            alloc.getDynamicSizes(), alloc.getSymbolOperands());
        alloc.replaceAllUsesWith(device.getMemref());
        toErase.push_back(op);
      } else if (auto dealloc = dyn_cast<memref::DeallocOp>(op)) {
        if (hostBuffers.contains(getViewSource(dealloc.getMemref())))
          return;
        gpu::DeallocOp::create(ob, op->getLoc(), Type(), ValueRange(),
                               dealloc.getMemref());
        toErase.push_back(op);
      } else if (auto copy = dyn_cast<memref::CopyOp>(op)) {
        auto isIdentity = [](Value v) {
          return cast<MemRefType>(v.getType()).getLayout().isIdentity();
        };
        if (isIdentity(copy.getSource()) && isIdentity(copy.getTarget()))
          gpu::MemcpyOp::create(ob, op->getLoc(), Type(), ValueRange(),
                                copy.getTarget(), copy.getSource());
        else
          createCopyKernel(ob, op->getLoc(), copy.getSource(),
                           copy.getTarget());
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
      SmallVector<Value> sizes;
      for (int64_t dim = 0; dim < type.getRank(); ++dim)
        if (type.isDynamicDim(dim))
          sizes.push_back(memref::DimOp::create(b, ret->getLoc(), device, dim));
      auto host = memref::AllocOp::create(b, ret->getLoc(), type, sizes);
      gpu::MemcpyOp::create(b, ret->getLoc(), Type(), ValueRange(), host,
                            device);
      operand.set(host);
      if (freed.insert(device).second &&
          !llvm::is_contained(deviceArgs, device))
        gpu::DeallocOp::create(b, ret->getLoc(), Type(), ValueRange(), device);
    }
    for (Value device : llvm::concat<Value>(deviceArgs, deviceConstants))
      gpu::DeallocOp::create(b, ret->getLoc(), Type(), ValueRange(), device);
    return success();
  }
};
} // namespace
