//===- MemoryProfile.cpp - live tensor bytes over program order -*- C++ -*-===//

#include "ckpt/Analysis/MemoryProfile.h"

#include "ckpt/Analysis/PeakEstimate.h"
#include "ckpt/Dialect/Ckpt/IR/CkptOps.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Interfaces/DestinationStyleOpInterface.h"
#include "mlir/Interfaces/ViewLikeInterface.h"
#include "mlir/Transforms/RegionUtils.h"
#include "llvm/ADT/SmallPtrSet.h"

using namespace mlir;
using namespace mlir::ckpt;

llvm::SmallSetVector<Value, 4> mlir::ckpt::getReadValues(Operation *op) {
  llvm::SmallSetVector<Value, 4> values;
  values.insert(op->getOperands().begin(), op->getOperands().end());
  if (op->getNumRegions() != 0)
    visitUsedValuesDefinedAbove(op->getRegions(), [&](OpOperand *operand) {
      values.insert(operand->get());
    });
  return values;
}

Value mlir::ckpt::getAliasedOperand(OpResult result) {
  Operation *op = result.getOwner();
  if (isa<tensor::ExtractSliceOp, tensor::CollapseShapeOp,
          tensor::ExpandShapeOp, tensor::CastOp>(op))
    return op->getOperand(0);
  if (auto barrier = dyn_cast<BarrierOp>(op))
    return barrier.getInputs()[result.getResultNumber()];
  // A region result that passes an input through (or a view of one) is that
  // input's buffer.
  if (auto region = dyn_cast<CheckpointOp>(op)) {
    Value yielded = region.getYield().getOperand(result.getResultNumber());
    while (auto inner = dyn_cast<OpResult>(yielded)) {
      Value source = getAliasedOperand(inner);
      if (!source)
        return {};
      yielded = source;
    }
    Value outer = region.getOuterValue(yielded);
    return outer != yielded ? outer : Value();
  }
  if (auto view = dyn_cast<ViewLikeOpInterface>(op))
    if (op->getNumResults() == 1)
      return view.getViewSource();
  return {};
}

Value mlir::ckpt::getBufferRoot(Value value) {
  while (true) {
    if (auto arg = dyn_cast<BlockArgument>(value)) {
      auto region = dyn_cast_if_present<CheckpointOp>(arg.getOwner()->getParentOp());
      if (!region)
        return value;
      value = region.getInputs()[arg.getArgNumber()];
      continue;
    }
    Value source = getAliasedOperand(cast<OpResult>(value));
    if (!source)
      return value;
    value = source;
  }
}

void mlir::ckpt::forEachBufferUse(Value value,
                                  function_ref<void(OpOperand &use)> callback) {
  SmallVector<Value, 4> worklist = {value};
  llvm::SmallDenseSet<Value, 4> seen = {value};
  while (!worklist.empty()) {
    Value alias = worklist.pop_back_val();
    for (OpOperand &use : alias.getUses()) {
      callback(use);
      for (OpResult result : use.getOwner()->getResults())
        if (getAliasedOperand(result) == alias && seen.insert(result).second)
          worklist.push_back(result);
    }
  }
}

/// True if `op` reads the operands in `reads` element by element at the
/// positions it writes its init `init` (One-Shot Bufferize's
/// `bufferizesToElementwiseAccess`): a linalg op with only parallel loops
/// whose indexing map of each such operand is the init's.
static bool readsElementwise(Operation *op, OpOperand *init,
                             ArrayRef<OpOperand *> reads) {
  auto linalgOp = dyn_cast<linalg::LinalgOp>(op);
  if (!linalgOp || !init ||
      linalgOp.getNumLoops() != linalgOp.getNumParallelLoops())
    return false;
  AffineMap initMap = linalgOp.getMatchingIndexingMap(init);
  return llvm::all_of(reads, [&](OpOperand *read) {
    return read->getOwner() == op &&
           linalgOp.getMatchingIndexingMap(read) == initMap;
  });
}

llvm::DenseMap<Value, Value>
mlir::ckpt::getInPlaceResults(ArrayRef<Operation *> ops,
                              ArrayRef<Value> liveAfter,
                              function_ref<Value(Value)> rootOf,
                              function_ref<bool(Value root)> isWritable) {
  auto viewRoot = [&](Value value) { return rootOf ? rootOf(value) : value; };
  int64_t end = ops.size();
  // The last read of each value and of its views (by view root).
  llvm::DenseMap<Value, int64_t> viewEnd;
  auto noteRead = [&](Value value, int64_t index) {
    int64_t &last = viewEnd.try_emplace(viewRoot(value), index).first->second;
    last = std::max(last, index);
  };
  for (auto [index, op] : llvm::enumerate(ops))
    for (Value value : getReadValues(op))
      noteRead(value, index);
  for (Value value : liveAfter)
    noteRead(value, end);

  // Buffers as a union-find over view roots. Bottom-up, as One-Shot
  // Bufferize's default heuristic decides: a later op that writes a buffer
  // in place is decided first, so an earlier writer must not need its
  // value after that write.
  struct Buffer {
    Value leader;
    int64_t lastRead = -1;
    llvm::SmallVector<int64_t, 2> writes; // positions of in-place writes
  };
  llvm::DenseMap<Value, Value> parent;
  llvm::DenseMap<Value, Buffer> buffers;
  auto find = [&](Value value) {
    value = viewRoot(value);
    while (true) {
      auto it = parent.find(value);
      if (it == parent.end())
        return value;
      value = it->second;
    }
  };
  auto getBuffer = [&](Value leader) -> Buffer & {
    auto [it, inserted] = buffers.try_emplace(leader);
    if (inserted) {
      it->second.leader = leader;
      it->second.lastRead = viewEnd.lookup_or(leader, -1);
    }
    return it->second;
  };
  llvm::DenseMap<Value, Value> inPlace;
  for (int64_t index = end - 1; index >= 0; --index) {
    Operation *op = ops[index];
    auto dps = dyn_cast<DestinationStyleOpInterface>(op);
    if (!dps)
      continue;
    for (OpResult result : op->getResults()) {
      if (!isa<RankedTensorType>(result.getType()) || getAliasedOperand(result))
        continue;
      OpOperand *init = dps.getTiedOpOperand(result);
      if (!init)
        continue;
      Value target = find(init->get());
      if (target == viewRoot(result) || !isWritable(target))
        continue;
      // An empty init (or a barrier or view of one) is a fresh buffer of
      // the writer's own: the lowering gives each user its own empty tensor
      // (ckpt-clone-empty-tensors), and a barrier on one allocates.
      Value initRoot = viewRoot(init->get());
      Operation *initDef = initRoot.getDefiningOp();
      if (initDef && isa<tensor::EmptyOp, bufferization::AllocTensorOp>(initDef) &&
          carriesNoData(initDef))
        continue;
      // (1) What the init holds is not read after this op; another operand
      // of this op may read it only element by element.
      SmallVector<OpOperand *> sameBuffer;
      for (OpOperand &operand : op->getOpOperands())
        if (&operand != init && find(operand.get()) == target)
          sameBuffer.push_back(&operand);
      if (viewEnd.lookup_or(initRoot, -1) > index)
        continue;
      if (!sameBuffer.empty() && !readsElementwise(op, init, sameBuffer))
        continue;
      // (2) No later in-place write into the buffer clobbers this result
      // while it (or what is written in place into it) is still read; the
      // writer that reads it last may overwrite it element by element.
      // (Both entries first: a later insertion would move the first.)
      Value ownKey = find(result);
      getBuffer(ownKey);
      getBuffer(target);
      Buffer &own = buffers.find(ownKey)->second;
      Buffer &into = buffers.find(target)->second;
      int64_t nextWrite = INT64_MAX;
      for (int64_t write : into.writes)
        if (write > index)
          nextWrite = std::min(nextWrite, write);
      if (nextWrite < own.lastRead)
        continue;
      if (nextWrite == own.lastRead) {
        Operation *writer = ops[nextWrite];
        auto writerDps = dyn_cast<DestinationStyleOpInterface>(writer);
        SmallVector<OpOperand *> reads;
        OpOperand *writerInit = nullptr;
        for (OpOperand &operand : writer->getOpOperands())
          if (find(operand.get()) == find(result))
            reads.push_back(&operand);
        if (writerDps)
          for (OpOperand &operand : writerDps.getDpsInitsMutable())
            if (find(operand.get()) == target)
              writerInit = &operand;
        if (!readsElementwise(writer, writerInit, reads))
          continue;
      }
      // Merge: this result's buffer is the init's.
      Value ownLeader = own.leader;
      into.lastRead = std::max(into.lastRead, own.lastRead);
      into.writes.append(own.writes.begin(), own.writes.end());
      into.writes.push_back(index);
      parent[ownLeader] = target;
      buffers.erase(ownLeader);
      inPlace[result] = init->get();
    }
  }
  return inPlace;
}

Value MemoryProfile::getAliasSource(OpResult result) const {
  if (Value source = getAliasedOperand(result))
    return source;
  return inPlaceInits.lookup(result);
}

Value MemoryProfile::getAliasRoot(Value value) const {
  while (auto result = dyn_cast<OpResult>(value)) {
    Value source = getAliasSource(result);
    if (!source)
      break;
    value = source;
  }
  return value;
}

int64_t MemoryProfile::getChargedBytes(Value value) const {
  return chargedBytes.lookup(value);
}

FailureOr<MemoryProfile>
MemoryProfile::compute(func::FuncOp func, const CostModelOptions &options) {
  if (func.isExternal())
    return func.emitError() << "expects a function with a body";
  if (!llvm::hasSingleElement(func.getBody()))
    return func.emitError()
           << "expects a single-block body for the memory "
              "profile, got "
           << llvm::range_size(func.getBody().getBlocks()) << " blocks";
  Block &body = func.getBody().front();
  MemoryProfile profile(body);
  ByteModel bytes(func, options);
  for (BlockArgument arg : body.getArguments())
    profile.argumentBytes += bytes.getTypeBytes(arg.getType());
  ArrayRef<Operation *> schedule = profile.getSchedule();
  profile.chargedBytes.reserve(schedule.size());
  // Function arguments are writable (One-Shot Bufferize's function
  // boundaries); a result with bytes of its own is a buffer.
  profile.inPlaceInits = getInPlaceResults(
      schedule, /*liveAfter=*/{}, getBufferRoot,
      [&](Value root) {
        if (auto arg = dyn_cast<BlockArgument>(root))
          return arg.getOwner() == &body;
        return bytes.getValueBytes(root) > 0;
      });

  // Each root's definition, last use and bytes, in an array; views extend
  // their root's entry through `rootIndex`.
  struct RootLifetime {
    int64_t start, end, bytes;
  };
  SmallVector<RootLifetime> roots;
  llvm::DenseMap<Value, unsigned> rootIndex(schedule.size());
  for (auto [position, op] : llvm::enumerate(schedule)) {
    for (OpResult result : op->getResults()) {
      int64_t endPosition = profile.order.getLastUsePosition(result, position);
      Value root = profile.getAliasRoot(result);
      if (root != result) {
        if (auto it = rootIndex.find(root); it != rootIndex.end())
          roots[it->second].end = std::max(roots[it->second].end, endPosition);
        continue;
      }
      // No tensor data (scalars are a few bytes in registers), or a cheap
      // value that carries none (constants, empty tensors).
      int64_t charged = bytes.getValueBytes(result);
      if (charged == 0)
        continue;
      profile.chargedBytes[result] = charged;
      rootIndex[result] = roots.size();
      roots.push_back({static_cast<int64_t>(position), endPosition, charged});
    }
  }
  profile.assumed = bytes.usedAssumption();

  // Sweep: +bytes at the definition, -bytes after the last use.
  SmallVector<int64_t> delta(schedule.size() + 1, 0);
  for (const RootLifetime &root : roots) {
    delta[root.start] += root.bytes;
    delta[root.end + 1] -= root.bytes;
  }
  // An op's bodies run at its step: their own intermediates on top.
  SmallVector<int64_t> transient(schedule.size(), 0);
  for (auto [position, op] : llvm::enumerate(schedule))
    transient[position] = getNestedBytes(op, bytes);
  int64_t live = 0;
  for (size_t i = 0; i < schedule.size(); ++i) {
    live += delta[i];
    int64_t atStep = live + transient[i];
    profile.liveBytes.push_back(atStep);
    if (atStep > profile.peakBytes || profile.peakPosition < 0) {
      profile.peakBytes = atStep;
      profile.peakPosition = i;
    }
  }
  return profile;
}
