//===- Rematerialize.cpp - the ckpt-rematerialize pass ----------*- C++ -*-===//
//
// Drops the stored intermediates of checkpointed regions and recomputes them
// in the backward part (DESIGN §3), on joint-form training graphs.
//
//===----------------------------------------------------------------------===//

#include "ckpt/Analysis/CostModel.h"
#include "ckpt/Analysis/ForwardBackward.h"
#include "ckpt/Analysis/MemoryProfile.h"
#include "ckpt/Analysis/Recomputability.h"
#include "ckpt/Dialect/Ckpt/IR/CkptOps.h"
#include "ckpt/Dialect/Ckpt/IR/CkptDialect.h"
#include "ckpt/Dialect/Ckpt/Transforms/Passes.h"
#include "ckpt/Dialect/Ckpt/Transforms/Rematerialize.h"
#include "ckpt/Dialect/Ckpt/Transforms/RegionUtils.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/IRMapping.h"
#include "llvm/ADT/SetVector.h"
#include "llvm/ADT/StringSet.h"

#include <deque>

namespace mlir::ckpt {
#define GEN_PASS_DEF_CKPTREMATERIALIZE
#include "ckpt/Dialect/Ckpt/Transforms/Passes.h.inc"
} // namespace mlir::ckpt

using namespace mlir;
using namespace mlir::ckpt;

namespace {

/// A remark held back until the whole module has been rewritten, so that a
/// failing run reports only errors.
struct PendingRemark {
  Location loc;
  std::string message;
  SmallVector<std::pair<Location, std::string>> notes;
};

/// What happened to one region; turned into a remark at the end.
struct RegionRecord {
  Location loc;
  std::string name;
  /// `name` quoted, and for a copy inside another region's recompute, which.
  std::string displayName;
  int64_t droppedValues = 0;
  int64_t droppedBytes = 0;
  bool droppedBytesDynamic = false;
  int64_t clonedOps = 0;
  std::string insertedBefore;
  SmallVector<std::pair<Location, SaveReason>> keptValues;
  /// "Never worse" (§3.9): skipped because the estimated peak would rise
  /// from/to these bytes, or rematerialized without lowering the peak or the
  /// bytes live at the forward->backward boundary.
  bool skipped = false;
  bool noBenefit = false;
  int64_t peakBefore = 0, peakAfter = 0;
};

struct Counters {
  int64_t regions = 0, droppedValues = 0, droppedBytes = 0, savedValues = 0,
          clonedOps = 0, barriers = 0;
};

/// Estimated live bytes over the original schedule, updated as regions are
/// rematerialized: a segment tree with range add and range max, so each
/// region's effect on the peak is known in O(log n) per changed range.
class LiveBytesTimeline {
public:
  explicit LiveBytesTimeline(ArrayRef<int64_t> bytes)
      : size(std::max<size_t>(bytes.size(), 1)), maxTree(4 * size, 0),
        pending(4 * size, 0) {
    build(1, 0, size - 1, bytes);
  }
  /// Adds `delta` bytes at positions [lo, hi] (nothing if lo > hi).
  void add(int64_t lo, int64_t hi, int64_t delta) {
    if (lo <= hi && delta != 0)
      add(1, 0, size - 1, lo, hi, delta);
  }
  int64_t max() const { return maxTree[1]; }
  int64_t at(int64_t position) {
    return query(1, 0, size - 1, position);
  }

private:
  void build(size_t node, int64_t l, int64_t r, ArrayRef<int64_t> bytes) {
    if (l == r) {
      maxTree[node] = l < static_cast<int64_t>(bytes.size()) ? bytes[l] : 0;
      return;
    }
    int64_t mid = (l + r) / 2;
    build(2 * node, l, mid, bytes);
    build(2 * node + 1, mid + 1, r, bytes);
    maxTree[node] = std::max(maxTree[2 * node], maxTree[2 * node + 1]);
  }
  void add(size_t node, int64_t l, int64_t r, int64_t lo, int64_t hi,
           int64_t delta) {
    if (hi < l || r < lo)
      return;
    if (lo <= l && r <= hi) {
      maxTree[node] += delta;
      pending[node] += delta;
      return;
    }
    int64_t mid = (l + r) / 2;
    add(2 * node, l, mid, lo, hi, delta);
    add(2 * node + 1, mid + 1, r, lo, hi, delta);
    maxTree[node] =
        std::max(maxTree[2 * node], maxTree[2 * node + 1]) + pending[node];
  }
  int64_t query(size_t node, int64_t l, int64_t r, int64_t position) {
    if (l == r)
      return maxTree[node];
    int64_t mid = (l + r) / 2;
    return pending[node] + (position <= mid
                                ? query(2 * node, l, mid, position)
                                : query(2 * node + 1, mid + 1, r, position));
  }

  size_t size;
  std::vector<int64_t> maxTree, pending;
};

/// A set of the few values of one region; no heap allocation for small
/// regions (the pass builds several per region).
using ValueSet = llvm::SmallDenseSet<Value, 8>;

bool isRecomputableType(Type type) { return isa<TensorType, VectorType>(type); }

/// Op names whose results `region` keeps: its own `save` list, then the
/// pass-wide `save-ops`.
llvm::StringSet<> collectSaveNames(CheckpointOp region,
                                   ArrayRef<std::string> saveOps) {
  llvm::StringSet<> saveNames;
  if (ArrayAttr save = region.getSaveAttr())
    for (StringRef name : save.getAsValueRange<StringAttr>())
      saveNames.insert(name);
  for (const std::string &name : saveOps)
    saveNames.insert(name);
  return saveNames;
}

/// "`count` `noun`s", with the plural only when `count` is not 1.
std::string pluralize(int64_t count, StringRef noun) {
  return (Twine(count) + " " + noun + (count == 1 ? "" : "s")).str();
}

/// The saved set and the backward-needed slice of one inlined region
/// (DESIGN §3.1-3.2), shared by the joint and the split form.
class RegionSlice {
public:
  /// `bodyOps` are the region's ops (inlined, in order), `inputs` its
  /// inputs. Nullary ops (constants, `tensor.empty`) are kept like inputs
  /// when `keepNullary` (joint form: they reach the recompute through the
  /// barrier, so a later `cse` cannot merge a clone back through them), and
  /// recomputed otherwise (split form: the recompute is in another
  /// function).
  RegionSlice(ArrayRef<Operation *> bodyOps, ArrayRef<Value> inputs,
              RecomputeSafety &safety, SavePolicy policy,
              const llvm::StringSet<> &saveNames, bool keepNullary)
      : bodyOps(bodyOps), inputs(inputs), inRegion(bodyOps.begin(),
                                                  bodyOps.end()),
        safety(safety), policy(policy), saveNames(saveNames),
        keepNullary(keepNullary) {}

  bool contains(Operation *op) const { return inRegion.contains(op); }

  /// Why `op`'s results are kept, or Recompute.
  SaveReason getOpReason(Operation *op) {
    auto [it, inserted] = opReasons.try_emplace(op, SaveReason::Recompute);
    if (!inserted)
      return it->second;
    SaveReason reason = safety.classify(op);
    if (reason == SaveReason::Recompute && keepNullary && isNullary(op))
      reason = SaveReason::Nullary;
    else if (reason == SaveReason::Recompute &&
             (saveNames.contains(op->getName().getStringRef()) ||
              (policy == SavePolicy::SaveMatmuls && isMatmulOrConvolution(op))))
      reason = SaveReason::Policy;
    opReasons[op] = reason;
    return reason;
  }

  /// Why `value` is kept, or Recompute (memoized: the slice asks once per
  /// use, and the last rule scans users).
  SaveReason getValueReason(Value value) {
    auto it = valueReasons.find(value);
    if (it != valueReasons.end())
      return it->second;
    SaveReason reason = computeValueReason(value);
    valueReasons[value] = reason;
    return reason;
  }

  /// Splits the values the backward needs from the region (`needed`; a
  /// repeated value counts once) into `dropped` (recomputed) and `kept` (the
  /// location of each kept value's definition, or `regionLoc`, and why it is
  /// kept).
  void partition(ArrayRef<Value> needed, Location regionLoc,
                 SmallVectorImpl<Value> &dropped,
                 SmallVectorImpl<std::pair<Location, SaveReason>> &kept) {
    llvm::SmallDenseSet<Value, 8> seen;
    for (Value value : needed) {
      if (!seen.insert(value).second)
        continue;
      SaveReason reason = getValueReason(value);
      if (reason == SaveReason::Recompute) {
        dropped.push_back(value);
        continue;
      }
      Location loc = value.getDefiningOp() ? value.getDefiningOp()->getLoc()
                                           : regionLoc;
      kept.push_back({stripRegionTrace(loc), reason});
    }
  }

  /// True if `op` is recomputed and every tensor it defines (at least one)
  /// is dropped: what the `ckpt.dropped` trace marks (DESIGN §4).
  bool isDroppedOp(Operation *op) {
    if (getOpReason(op) != SaveReason::Recompute)
      return false;
    bool anyTensor = false;
    for (Value result : op->getResults()) {
      if (!isRecomputableType(result.getType()))
        continue;
      anyTensor = true;
      if (getValueReason(result) != SaveReason::Recompute)
        return false;
    }
    return anyTensor;
  }

  /// The slice that recomputes `dropped`, down to saved values (early stop).
  void compute(ArrayRef<Value> dropped) {
    llvm::SmallPtrSet<Operation *, 16> toClone;
    llvm::SmallDenseSet<Value, 8> saved;
    SmallVector<Value> stack(dropped.begin(), dropped.end());
    while (!stack.empty()) {
      Value value = stack.pop_back_val();
      if (getValueReason(value) != SaveReason::Recompute) {
        saved.insert(value);
        continue;
      }
      Operation *def = value.getDefiningOp();
      if (!toClone.insert(def).second)
        continue;
      llvm::append_range(stack, getReadValues(def));
    }
    // Stable orders: clones as in the body; saved inputs region inputs
    // first, then body values.
    clones.clear();
    savedInputs.clear();
    for (Value input : inputs)
      if (saved.erase(input))
        savedInputs.push_back(input);
    for (Operation *op : bodyOps) {
      if (toClone.contains(op))
        clones.push_back(op);
      for (Value result : op->getResults())
        if (saved.erase(result))
          savedInputs.push_back(result);
    }
    // Values from outside the region that are not its inputs (split form:
    // none; kept for safety).
    for (Value value : saved)
      savedInputs.push_back(value);
  }

  /// The ops to clone, in body order, and the saved values they read.
  ArrayRef<Operation *> getClones() const { return clones; }
  ArrayRef<Value> getSavedInputs() const { return savedInputs; }

private:
  SaveReason computeValueReason(Value value) {
    Operation *def = value.getDefiningOp();
    if (!def || !inRegion.contains(def))
      return SaveReason::RegionInput;
    SaveReason reason = getOpReason(def);
    if (reason != SaveReason::Recompute)
      return reason;
    if (!isRecomputableType(value.getType()) && !isNullary(def))
      return SaveReason::Scalar;
    for (Operation *user : value.getUsers())
      if (isa<CheckpointOp>(user) && !inRegion.contains(user))
        return SaveReason::InputOfRegion;
    return SaveReason::Recompute;
  }

  ArrayRef<Operation *> bodyOps;
  ArrayRef<Value> inputs;
  llvm::SmallPtrSet<Operation *, 16> inRegion;
  RecomputeSafety &safety;
  SavePolicy policy;
  const llvm::StringSet<> &saveNames;
  bool keepNullary;
  llvm::SmallDenseMap<Operation *, SaveReason, 16> opReasons;
  llvm::SmallDenseMap<Value, SaveReason, 16> valueReasons;
  SmallVector<Operation *> clones;
  SmallVector<Value> savedInputs;
};

/// Rewrites one joint-form function.
class FunctionRematerializer {
public:
  FunctionRematerializer(func::FuncOp func, RecomputeSafety &safety,
                         SavePolicy policy, ArrayRef<std::string> saveOps,
                         bool force, const CostModelOptions &costOptions,
                         SymbolTableCollection &symbols, Counters &counters,
                         SmallVectorImpl<PendingRemark> &remarks)
      : func(func), safety(safety), policy(policy), saveOps(saveOps),
        force(force), costOptions(costOptions), symbols(symbols),
        counters(counters), remarks(remarks) {}

  /// Reports every error the rewrite of `func` could hit, changing nothing;
  /// `annotations` are those `collectCheckpointAnnotations` found in `func`.
  LogicalResult check(const CheckpointAnnotations &annotations);
  /// Rewrites `func` in place; `check` must have succeeded. The partition
  /// `check` computed is reused if `partitionStillValid` (nothing changed
  /// `func` in between).
  LogicalResult run(bool partitionStillValid);

  func::FuncOp getFunction() { return func; }
  /// Whether an op nested in `func` may still carry `ckpt.checkpoint` after
  /// the rewrite (set by `check`).
  bool mayKeepAnnotations = false;

private:
  /// Fails with an error at each of the top-level `regions` (in program
  /// order) that is in the backward part of `fb`.
  LogicalResult validateRegions(const ForwardBackwardPartition &fb,
                                ArrayRef<CheckpointOp> regions);
  void processRegion(CheckpointOp region);
  void eraseDeadClones();
  void emitRemarks();

  Operation *getTopLevelOp(Operation *op) {
    return body->findAncestorOpInBlock(*op);
  }
  /// Bytes the estimate charges to `value` (see MemoryProfile).
  int64_t getModelBytes(Value value);
  /// The largest bytes that `ops`, run in order, hold beyond `outputs` (which
  /// the estimate already counts as live): `inputs` and intermediates live
  /// until their last use in `ops`, minus outputs not produced yet. At
  /// least 0.
  int64_t getTransientBytes(ArrayRef<Operation *> ops,
                            const ValueSet &outputs,
                            ArrayRef<Value> inputs = {});
  /// The "never worse" estimate for one region about to be rematerialized;
  /// false if the region should be skipped.
  bool acceptRecompute(RegionRecord &record, int64_t regionPosition,
                       Operation *insertBefore, ArrayRef<Value> dropped,
                       ArrayRef<Value> savedInputs, ArrayRef<Operation *> clones);

  bool isBackwardUse(Operation *user) {
    Operation *top = getTopLevelOp(user);
    return top && backwardOps.contains(top);
  }

  func::FuncOp func;
  RecomputeSafety &safety;
  SavePolicy policy;
  ArrayRef<std::string> saveOps;
  bool force;
  CostModelOptions costOptions;
  SymbolTableCollection &symbols;
  Counters &counters;
  SmallVectorImpl<PendingRemark> &remarks;

  /// What `check` found: the partition, and how many checkpointed calls
  /// become regions.
  FailureOr<ForwardBackwardPartition> checkedPartition = failure();
  int64_t numCallsToConvert = 0;

  Block *body = nullptr;
  /// Top-level ops of the original backward part, with their position.
  llvm::DenseSet<Operation *> backwardOps;
  llvm::DenseMap<Operation *, int64_t> position;
  /// For each original top-level op, by position, the nearest backward value
  /// before it (what a barrier inserted there is ordered after), or null.
  SmallVector<Value> previousBackwardValues;
  /// Clones and barriers, mapped to the index of their region's record.
  llvm::DenseMap<Operation *, unsigned> createdOps;
  SmallVector<RegionRecord> records;
  std::deque<CheckpointOp> worklist;
  /// Regions at the top level of the function before any rewrite: the ones
  /// the "never worse" rule decides on.
  llvm::DenseSet<Operation *> originalRegions;
  std::optional<LiveBytesTimeline> timeline;
  /// Position of the first backward op that reads a value (the boundary).
  int64_t boundaryPosition = 0;
};

LogicalResult
FunctionRematerializer::validateRegions(const ForwardBackwardPartition &fb,
                                        ArrayRef<CheckpointOp> regions) {
  bool failed = false;
  for (CheckpointOp region : regions) {
    if (!fb.isForward(region)) {
      InFlightDiagnostic diag =
          region.emitError()
          << "'ckpt.checkpoint' is in the backward part: no forward result "
             "depends on it (forward results: [";
      llvm::interleaveComma(fb.getForwardResults(), diag);
      diag << "])";
      failed = true;
    }
  }
  return failure(failed);
}

void FunctionRematerializer::processRegion(CheckpointOp region) {
  // A region cloned into another region's recompute (nesting, §3.6): its
  // inlined body is part of that recompute.
  auto owner = createdOps.find(region);
  std::optional<unsigned> ownerRecord;
  if (owner != createdOps.end())
    ownerRecord = owner->second;
  unsigned recordIndex = records.size();
  std::string displayName = ("'" + region.getDisplayName() + "'").str();
  if (ownerRecord)
    displayName += " (inside the recompute of " +
                   records[*ownerRecord].displayName + ")";
  records.push_back(RegionRecord{region.getLoc(),
                                 region.getDisplayName().str(), displayName});
  ++counters.regions;

  llvm::StringSet<> saveNames = collectSaveNames(region, saveOps);

  // Results that a backward op uses, looked up before inlining.
  SmallVector<unsigned> neededResults;
  for (OpResult result : region->getResults())
    if (llvm::any_of(result.getUsers(),
                     [&](Operation *user) { return isBackwardUse(user); }))
      neededResults.push_back(result.getResultNumber());

  bool decideByPeak = originalRegions.contains(region);
  int64_t regionPosition = position.lookup(region);

  // Inline the body in place: the forward runs as before.
  if (ownerRecord)
    createdOps.erase(region);
  InlinedRegion inlined = inlineRegion(region);
  SmallVector<Value> &regionInputs = inlined.inputs;
  SmallVector<Operation *> &bodyOps = inlined.bodyOps;
  SmallVector<Value> &yielded = inlined.yielded;
  for (Operation *op : bodyOps)
    position[op] = regionPosition;
  if (ownerRecord) {
    // The owner's clone count now holds the inlined ops, not the region op.
    for (Operation *op : bodyOps)
      createdOps[op] = *ownerRecord;
    records[*ownerRecord].clonedOps += bodyOps.size() - 1;
  }

  RegionSlice slice(bodyOps, regionInputs, safety, policy, saveNames,
                    /*keepNullary=*/true);
  RegionRecord &record = records[recordIndex];
  SmallVector<Value> needed;
  for (unsigned index : neededResults)
    needed.push_back(yielded[index]);
  SmallVector<Value> dropped;
  slice.partition(needed, record.loc, dropped, record.keptValues);
  counters.savedValues += record.keptValues.size();

  // The backward-needed slice (early stop).
  slice.compute(dropped);

  // Immediately before the first backward op that needs a dropped value.
  Operation *insertBefore = nullptr;
  for (Value value : dropped) {
    for (Operation *user : value.getUsers()) {
      Operation *top = getTopLevelOp(user);
      if (!top || !backwardOps.contains(top))
        continue;
      if (!insertBefore || position.lookup(top) < position.lookup(insertBefore))
        insertBefore = top;
    }
  }
  assert((dropped.empty() || insertBefore) &&
         "a needed value has a backward user");
  ArrayRef<Value> savedInputs = slice.getSavedInputs();
  ArrayRef<Operation *> clones = slice.getClones();

  // Never worse (§3.9): a region whose recompute would raise the estimated
  // peak keeps everything, as if it were not annotated.
  if (!dropped.empty() && decideByPeak &&
      !acceptRecompute(record, regionPosition, insertBefore, dropped,
                       savedInputs, clones)) {
    record.skipped = true;
    dropped.clear();
  }

  // Trace metadata is built once per region, and only when used (uniquing
  // is not free on large graphs).
  MLIRContext *ctx = func.getContext();
  if (!dropped.empty()) {
    DictionaryAttr recomputeTrace =
        getRecomputeTraceMetadata(ctx, record.name);
    OpBuilder builder(insertBefore);
    IRMapping mapping;
    if (!savedInputs.empty()) {
      auto barrier = BarrierOp::create(
          builder, addTrace(record.loc, recomputeTrace), savedInputs,
          previousBackwardValues[position.lookup(insertBefore)]);
      mapping.map(savedInputs, barrier.getResults());
      createdOps[barrier] = recordIndex;
      position[barrier] = position.lookup(insertBefore);
      ++counters.barriers;
    }
    for (Operation *op : clones) {
      Operation *clone = builder.clone(*op, mapping);
      clone->setLoc(addTrace(op->getLoc(), recomputeTrace));
      createdOps[clone] = recordIndex;
      position[clone] = position.lookup(insertBefore);
      if (auto nested = dyn_cast<CheckpointOp>(clone))
        worklist.push_back(nested);
    }
    record.clonedOps = clones.size();
    record.insertedBefore = insertBefore->getName().getStringRef().str();
    for (Value value : dropped) {
      value.replaceUsesWithIf(mapping.lookup(value), [&](OpOperand &use) {
        return isBackwardUse(use.getOwner());
      });
      ++record.droppedValues;
      if (std::optional<int64_t> bytes = getStaticSizeInBytes(value.getType()))
        record.droppedBytes += *bytes;
      else
        record.droppedBytesDynamic = true;
    }
    counters.droppedValues += record.droppedValues;
    counters.droppedBytes += record.droppedBytes;
  }

  // Leave the trace that ckpt-verify reads: every inlined op is marked as
  // coming from this region, and dropped if its tensor results now are.
  // Inside a recompute, the region's ops are part of that recompute.
  DictionaryAttr ownerTrace =
      ownerRecord ? getRecomputeTraceMetadata(ctx, records[*ownerRecord].name)
                  : DictionaryAttr();
  DictionaryAttr keptTrace, droppedTrace;
  auto getTrace = [&](Operation *op) {
    if (ownerTrace)
      return ownerTrace;
    bool isDropped = !record.skipped && slice.isDroppedOp(op);
    DictionaryAttr &trace = isDropped ? droppedTrace : keptTrace;
    if (!trace)
      trace = getRegionTraceMetadata(ctx, record.name, isDropped);
    return trace;
  };
  for (Operation *op : bodyOps)
    op->setLoc(addTrace(op->getLoc(), getTrace(op)));

  // Forward ops that only fed the backward are dead now.
  llvm::SmallPtrSet<Operation *, 8> erased;
  SmallVector<Operation *> deadCandidates;
  for (Value value : dropped)
    deadCandidates.push_back(value.getDefiningOp());
  while (!deadCandidates.empty()) {
    Operation *op = deadCandidates.pop_back_val();
    if (!op || !slice.contains(op) || erased.contains(op) ||
        !isOpTriviallyDead(op))
      continue;
    for (Value operand : op->getOperands())
      deadCandidates.push_back(operand.getDefiningOp());
    erased.insert(op);
    // A dead op inside another region's recompute was counted as a clone;
    // forget it before its address can be reused.
    auto created = createdOps.find(op);
    if (created != createdOps.end()) {
      --records[created->second].clonedOps;
      createdOps.erase(created);
    }
    op->erase();
  }

  // Inner regions of the forward copy come next (outer first, §3.6).
  for (Operation *op : bodyOps)
    if (!erased.contains(op))
      if (auto nested = dyn_cast<CheckpointOp>(op))
        worklist.push_back(nested);
}

int64_t FunctionRematerializer::getModelBytes(Value value) {
  Operation *def = value.getDefiningOp();
  if (!def || !isa<ShapedType>(value.getType()) ||
      isNullary(def) ||
      getAliasedOperand(cast<OpResult>(value)))
    return 0; // arguments, scalars, constants, empty tensors, views
  bool assumed = false;
  return getSizeInBytes(value.getType(), costOptions, assumed);
}

int64_t FunctionRematerializer::getTransientBytes(
    ArrayRef<Operation *> ops, const ValueSet &outputs,
    ArrayRef<Value> inputs) {
  llvm::SmallDenseMap<Value, size_t, 16> lastUse;
  for (auto [index, op] : llvm::enumerate(ops)) {
    for (Value value : getReadValues(op))
      lastUse[value] = index;
  }
  SmallVector<SmallVector<Value, 2>> dyingAt(ops.size());
  for (auto [value, last] : lastUse)
    dyingAt[last].push_back(value);
  llvm::SmallPtrSet<Operation *, 16> inOps(ops.begin(), ops.end());
  int64_t missing = 0;
  for (Value output : outputs)
    missing += getModelBytes(output);
  int64_t live = 0, transient = 0;
  ValueSet liveInputs;
  for (Value input : inputs)
    if (lastUse.count(input) && liveInputs.insert(input).second)
      live += getModelBytes(input);
  for (auto [index, op] : llvm::enumerate(ops)) {
    for (Value result : op->getResults()) {
      if (outputs.contains(result))
        missing -= getModelBytes(result);
      else
        live += getModelBytes(result);
    }
    transient = std::max(transient, live - missing);
    for (Value result : op->getResults())
      if (!outputs.contains(result) && !lastUse.count(result))
        live -= getModelBytes(result);
    for (Value value : dyingAt[index])
      if (!outputs.contains(value) &&
          (liveInputs.contains(value) || inOps.contains(value.getDefiningOp())))
        live -= getModelBytes(value);
  }
  return transient;
}

bool FunctionRematerializer::acceptRecompute(
    RegionRecord &record, int64_t regionPosition, Operation *insertBefore,
    ArrayRef<Value> dropped, ArrayRef<Value> savedInputs,
    ArrayRef<Operation *> clones) {
  int64_t insertPosition = position.lookup(insertBefore);
  auto lastUse = [&](Value value, bool forwardOnly) {
    int64_t last = regionPosition;
    for (Operation *user : value.getUsers()) {
      Operation *top = getTopLevelOp(user);
      if (!top || (forwardOnly && backwardOps.contains(top)))
        continue;
      last = std::max(last, position.lookup(top));
    }
    return last;
  };
  // Each change is a range of positions and a byte delta.
  SmallVector<std::tuple<int64_t, int64_t, int64_t>> changes;
  ValueSet droppedSet(dropped.begin(), dropped.end());
  // A dropped value now dies after its last forward use; its recompute
  // lives from the insertion point on, as the stored value did.
  for (Value value : dropped)
    changes.push_back({lastUse(value, /*forwardOnly=*/true) + 1,
                       insertPosition - 1, -getModelBytes(value)});
  // Saved inputs now live at least until the recompute reads them; those
  // that would have died before it are live when it starts and die at their
  // last use inside it.
  SmallVector<Value> revived;
  for (Value value : savedInputs) {
    int64_t last = lastUse(value, /*forwardOnly=*/false);
    if (last >= insertPosition)
      continue;
    changes.push_back({last + 1, insertPosition - 1, getModelBytes(value)});
    revived.push_back(value);
  }
  // The recompute's own intermediates, at the insertion point (the
  // insertion op's results do not exist yet while it runs).
  int64_t transient = getTransientBytes(clones, droppedSet, revived);
  for (Value result : insertBefore->getResults())
    transient -= getModelBytes(result);
  changes.push_back(
      {insertPosition, insertPosition, std::max<int64_t>(transient, 0)});

  int64_t peakBefore = timeline->max();
  int64_t boundaryBefore = timeline->at(boundaryPosition);
  for (auto [lo, hi, delta] : changes)
    timeline->add(lo, hi, delta);
  int64_t peakAfter = timeline->max();
  int64_t boundaryAfter = timeline->at(boundaryPosition);
  record.peakBefore = peakBefore;
  record.peakAfter = peakAfter;
  if (peakAfter > peakBefore && !force) {
    for (auto [lo, hi, delta] : changes)
      timeline->add(lo, hi, -delta);
    return false;
  }
  record.noBenefit = peakAfter >= peakBefore && boundaryAfter >= boundaryBefore;
  return true;
}

void FunctionRematerializer::eraseDeadClones() {
  // A worklist over the created ops alone (not a walk over the body): a
  // clone or barrier is revisited whenever one of its users goes.
  SmallVector<Operation *> worklist;
  worklist.reserve(createdOps.size());
  for (auto &entry : createdOps)
    worklist.push_back(entry.first);
  auto revisitOperands = [&](Operation *op) {
    for (Value operand : op->getOperands())
      if (Operation *def = operand.getDefiningOp())
        worklist.push_back(def);
  };
  while (!worklist.empty()) {
    Operation *op = worklist.pop_back_val();
    auto it = createdOps.find(op);
    if (it == createdOps.end())
      continue; // not created here, or already erased
    unsigned recordIndex = it->second;
    if (auto barrier = dyn_cast<BarrierOp>(op)) {
      if (llvm::all_of(barrier.getResults(),
                       [](Value v) { return !v.use_empty(); }))
        continue;
      // Keep only the inputs some clone still reads.
      SmallVector<Value> inputs;
      SmallVector<Value> results;
      for (auto [input, result] :
           llvm::zip_equal(barrier.getInputs(), barrier.getResults()))
        if (!result.use_empty()) {
          inputs.push_back(input);
          results.push_back(result);
        }
      createdOps.erase(it);
      revisitOperands(barrier);
      if (!inputs.empty()) {
        OpBuilder builder(barrier);
        auto shrunk = BarrierOp::create(builder, barrier.getLoc(), inputs,
                                        barrier.getOrder());
        for (auto [oldResult, newResult] :
             llvm::zip_equal(results, shrunk.getResults()))
          oldResult.replaceAllUsesWith(newResult);
        createdOps[shrunk] = recordIndex;
      } else {
        --counters.barriers;
      }
      barrier.erase();
      continue;
    }
    if (!op->use_empty())
      continue;
    createdOps.erase(it);
    --records[recordIndex].clonedOps;
    revisitOperands(op);
    op->erase();
  }
}

void FunctionRematerializer::emitRemarks() {
  for (RegionRecord &record : records) {
    counters.clonedOps += record.clonedOps;
    PendingRemark remark{record.loc, "", {}};
    llvm::raw_string_ostream os(remark.message);
    os << "checkpointed region " << record.displayName << ": ";
    if (record.skipped) {
      os << "not rematerialized: recomputing it would raise the estimated "
            "peak from "
         << record.peakBefore << " to " << record.peakAfter
         << " bytes (the 'force' option rematerializes it anyway)";
      remarks.push_back(std::move(remark));
      continue;
    }
    if (record.droppedValues == 0 && record.keptValues.empty()) {
      os << "no backward op uses its values; inlined, nothing to recompute";
    } else {
      os << "drops " << pluralize(record.droppedValues, "value") << " ("
         << record.droppedBytes << (record.droppedBytesDynamic ? "+" : "")
         << " bytes), clones " << pluralize(record.clonedOps, "op");
      if (!record.insertedBefore.empty())
        os << " before the first backward use ('" << record.insertedBefore
           << "')";
      os << "; keeps " << pluralize(record.keptValues.size(), "value")
         << " used by the backward";
      if (record.noBenefit)
        os << "; no benefit: neither the estimated peak (" << record.peakAfter
           << " bytes) nor the bytes live at the forward->backward boundary "
              "go down";
      for (auto [loc, reason] : record.keptValues)
        remark.notes.push_back(
            {loc, ("kept: " + stringifySaveReason(reason)).str()});
    }
    remarks.push_back(std::move(remark));
  }
}

LogicalResult
FunctionRematerializer::check(const CheckpointAnnotations &annotations) {
  // The partition's sweep collects the top-level regions on its way (a
  // separate pass over a large body is not free).
  SmallVector<CheckpointOp> regions;
  checkedPartition = ForwardBackwardPartition::compute(
      func, [&](const ForwardBackwardPartition &, Operation *op) {
        if (auto region = dyn_cast<CheckpointOp>(op))
          regions.push_back(region);
      });
  if (failed(checkedPartition))
    return failure();
  // Checkpointed calls become regions in the forward part, where they are;
  // regions already in the body are checked as they are.
  FailureOr<CheckpointBoundaries> boundaries = checkCheckpointBoundaries(
      func, annotations,
      [&](Operation *op) { return checkedPartition->isForward(op); }, symbols);
  if (failed(boundaries))
    return failure();
  numCallsToConvert = boundaries->numCallsToConvert;
  // Converted calls bring their callees' annotated ops along.
  mayKeepAnnotations = boundaries->numAnnotatedOps != 0 ||
                       boundaries->numCallsToConvert != 0;
  std::reverse(regions.begin(), regions.end());
  return validateRegions(*checkedPartition, regions);
}

LogicalResult FunctionRematerializer::run(bool partitionStillValid) {
  FailureOr<ForwardBackwardPartition> fb =
      partitionStillValid ? std::move(checkedPartition)
                          : ForwardBackwardPartition::compute(func);
  if (failed(fb))
    return failure();
  body = fb->getBody();
  // Calls that became regions: split again.
  // (Fewer calls than counted may remain: a callee rewritten in between has
  // its checkpointed calls inlined already, and a split-form rewrite
  // rebuilds the calls to its pair.)
  if (numCallsToConvert != 0) {
    convertCheckpointedCalls(
        func, [&](Operation *op) { return fb->isForward(op); }, symbols);
    fb = ForwardBackwardPartition::compute(func);
    if (failed(fb))
      return failure();
  }

  // The estimate the "never worse" rule works on: live bytes over the
  // schedule, each region op carrying its internal bytes as a transient.
  // (It cannot fail: the body is one block.)
  FailureOr<MemoryProfile> profile = MemoryProfile::compute(func, costOptions);
  if (failed(profile))
    return failure();
  position = profile->getPositions();
  // One sweep over the body (each one costs a cache miss per op on a large
  // graph): the backward ops, and the regions in order.
  Value lastBackwardValue;
  SmallVector<CheckpointOp> regions;
  boundaryPosition = -1;
  for (Operation &op : *body) {
    previousBackwardValues.push_back(lastBackwardValue);
    if (fb->isBackward(&op)) {
      backwardOps.insert(&op);
      if (boundaryPosition < 0 && op.getNumOperands() != 0)
        boundaryPosition = position.lookup(&op);
      if (op.getNumResults() != 0)
        lastBackwardValue = op.getResult(0);
    }
    if (auto region = dyn_cast<CheckpointOp>(op))
      regions.push_back(region);
  }
  if (boundaryPosition < 0)
    boundaryPosition = static_cast<int64_t>(previousBackwardValues.size()) - 1;
  timeline.emplace(profile->getLiveBytes());
  for (CheckpointOp region : regions) {
    SmallVector<Operation *> ops;
    for (Operation &op : region.getBodyBlock().without_terminator())
      ops.push_back(&op);
    ValueSet outputs(region.getYield().getOperands().begin(),
                     region.getYield().getOperands().end());
    int64_t transient = getTransientBytes(ops, outputs);
    timeline->add(position.lookup(region), position.lookup(region), transient);
    originalRegions.insert(region);
    worklist.push_back(region);
  }

  while (!worklist.empty()) {
    CheckpointOp region = worklist.front();
    worklist.pop_front();
    processRegion(region);
  }
  eraseDeadClones();
  emitRemarks();
  return success();
}

constexpr llvm::StringLiteral kBackwardAttrName =
    CkptDialect::getBackwardAttrName();
constexpr llvm::StringLiteral kNumOutputsAttrName =
    CkptDialect::getNumOutputsAttrName();

/// Rewrites a split-form pair `@fwd {ckpt.backward = @bwd,
/// ckpt.num_outputs = K}` (DESIGN §1): results K.. of @fwd are the saved
/// values, passed in order as the first arguments of @bwd (the AOTAutograd
/// partitioner's convention). A region's dropped values leave @fwd's saved
/// results; its saved inputs join them (no duplicates); the recompute is
/// cloned into @bwd before the first op that needs it, with no barrier (the
/// clone and the original are in different functions, DESIGN §3.5); both
/// signatures and every call pair that feeds @fwd's saved results into @bwd
/// are rewritten.
class SplitFormRematerializer {
public:
  SplitFormRematerializer(func::FuncOp fwd, RecomputeSafety &safety,
                          SavePolicy policy, ArrayRef<std::string> saveOps,
                          bool force, SymbolTableCollection &symbols,
                          Counters &counters,
                          SmallVectorImpl<PendingRemark> &remarks)
      : fwd(fwd), safety(safety), policy(policy), saveOps(saveOps),
        force(force), symbols(symbols), counters(counters), remarks(remarks) {
  }

  /// Reports every error the rewrite of the pair could hit, changing
  /// nothing.
  LogicalResult check();
  /// Rewrites the pair and its calls in place; `check` must have succeeded.
  LogicalResult run();

  func::FuncOp getForward() { return fwd; }
  /// Whether an op nested in @fwd may still carry `ckpt.checkpoint` after
  /// the rewrite (set by `check`).
  bool mayKeepAnnotations = false;

private:
  /// What one region contributes.
  struct Region {
    Location loc;
    std::string name;
    SmallVector<Value> dropped;
    SmallVector<Operation *> clones;
    SmallVector<Value> savedInputs;
    SmallVector<std::pair<Location, SaveReason>> kept;
    SmallVector<Operation *> bodyOps;
    /// Skipped by "never worse": saved bytes would grow (before, after).
    bool skipped = false;
    int64_t savedBefore = 0, savedAfter = 0;
  };

  LogicalResult checkPair();
  void processRegion(CheckpointOp region, std::deque<CheckpointOp> &worklist);
  /// Each call to @fwd with the call to @bwd its saved results feed; fails
  /// with an error on a call that does not pair up so.
  FailureOr<SmallVector<std::pair<func::CallOp, func::CallOp>>>
  getCallPairs();
  LogicalResult rewriteCalls(ArrayRef<Value> newSaved);

  func::FuncOp fwd, bwd;
  RecomputeSafety &safety;
  SavePolicy policy;
  ArrayRef<std::string> saveOps;
  bool force;
  SymbolTableCollection &symbols;
  Counters &counters;
  SmallVectorImpl<PendingRemark> &remarks;
  int64_t numOutputs = 0, numSaved = 0;
  std::vector<Region> regions;
};

LogicalResult SplitFormRematerializer::checkPair() {
  auto backward = fwd->getAttrOfType<FlatSymbolRefAttr>(kBackwardAttrName);
  if (!backward)
    return fwd.emitError() << "'" << kBackwardAttrName
                           << "' must be a symbol reference to the backward "
                              "function";
  bwd = symbols.lookupNearestSymbolFrom<func::FuncOp>(fwd, backward);
  if (!bwd || bwd.isExternal())
    return fwd.emitError() << "'" << kBackwardAttrName << "' names "
                           << backward << ", which is not a func.func with a "
                                          "body in this module";
  auto count = fwd->getAttrOfType<IntegerAttr>(kNumOutputsAttrName);
  int64_t numResults = fwd.getNumResults();
  if (!count || count.getInt() < 0 || count.getInt() > numResults)
    return fwd.emitError() << "'" << kNumOutputsAttrName
                           << "' must be an integer between 0 and the "
                           << numResults << " results of the function";
  numOutputs = count.getInt();
  numSaved = numResults - numOutputs;
  if (static_cast<int64_t>(bwd.getNumArguments()) < numSaved)
    return fwd.emitError() << "the backward function " << backward << " takes "
                           << bwd.getNumArguments() << " arguments, fewer "
                           << "than the " << numSaved << " saved values";
  for (int64_t j = 0; j < numSaved; ++j)
    if (bwd.getArgumentTypes()[j] != fwd.getResultTypes()[numOutputs + j])
      return fwd.emitError()
             << "saved value #" << j << " has type "
             << fwd.getResultTypes()[numOutputs + j] << ", but argument #" << j
             << " of " << backward << " has type "
             << bwd.getArgumentTypes()[j];
  for (func::FuncOp f : {fwd, bwd})
    if (!llvm::hasSingleElement(f.getBody()))
      return f.emitError() << "expects a single-block body in a split-form "
                              "pair";
  return success();
}

void SplitFormRematerializer::processRegion(
    CheckpointOp region, std::deque<CheckpointOp> &worklist) {
  Region record{region.getLoc(), region.getDisplayName().str(), {}, {}, {},
                {}};
  ++counters.regions;
  llvm::StringSet<> saveNames = collectSaveNames(region, saveOps);

  // Inline the body in place.
  InlinedRegion inlined = inlineRegion(region);
  SmallVector<Value> &inputs = inlined.inputs;
  SmallVector<Operation *> &bodyOps = inlined.bodyOps;
  SmallVector<Value> &yielded = inlined.yielded;

  // Needed: yielded values that leave @fwd as saved values.
  Operation *ret = fwd.getBody().front().getTerminator();
  RegionSlice slice(bodyOps, inputs, safety, policy, saveNames,
                    /*keepNullary=*/false);
  SmallVector<Value> needed;
  for (Value value : yielded)
    if (llvm::any_of(value.getUses(), [&](OpOperand &use) {
          return use.getOwner() == ret &&
                 use.getOperandNumber() >= static_cast<unsigned>(numOutputs);
        }))
      needed.push_back(value);
  slice.partition(needed, record.loc, record.dropped, record.kept);
  counters.savedValues += record.kept.size();
  slice.compute(record.dropped);
  record.clones.assign(slice.getClones().begin(), slice.getClones().end());
  record.savedInputs.assign(slice.getSavedInputs().begin(),
                            slice.getSavedInputs().end());
  record.bodyOps = bodyOps;

  for (Operation *op : bodyOps) {
    op->setLoc(addRegionTrace(op->getLoc(), record.name,
                              slice.isDroppedOp(op)));
    if (auto nested = dyn_cast<CheckpointOp>(op))
      worklist.push_back(nested);
  }
  regions.push_back(std::move(record));
}

FailureOr<SmallVector<std::pair<func::CallOp, func::CallOp>>>
SplitFormRematerializer::getCallPairs() {
  SmallVector<func::CallOp> fwdCalls, bwdCalls;
  fwd->getParentOp()->walk([&](func::CallOp call) {
    if (call.getCallee() == fwd.getSymName())
      fwdCalls.push_back(call);
    else if (call.getCallee() == bwd.getSymName())
      bwdCalls.push_back(call);
  });
  llvm::DenseSet<Operation *> paired;
  SmallVector<std::pair<func::CallOp, func::CallOp>> pairs;
  for (func::CallOp fwdCall : fwdCalls) {
    func::CallOp bwdCall;
    if (numSaved > 0 && !fwdCall.getResult(numOutputs).use_empty())
      if (auto user = dyn_cast<func::CallOp>(
              *fwdCall.getResult(numOutputs).getUsers().begin()))
        if (user.getCallee() == bwd.getSymName())
          bwdCall = user;
    bool ok = bwdCall && bwdCall.getNumOperands() >= numSaved;
    for (int64_t j = 0; ok && j < numSaved; ++j) {
      Value result = fwdCall.getResult(numOutputs + j);
      ok = bwdCall.getOperand(j) == result && result.hasOneUse();
    }
    if (!ok)
      return fwdCall.emitError()
             << "cannot update this call to @" << fwd.getSymName()
             << ": its saved results must feed the first arguments of one "
                "call to @"
             << bwd.getSymName() << ", in order and nowhere else";
    paired.insert(bwdCall);
    pairs.push_back({fwdCall, bwdCall});
  }
  for (func::CallOp bwdCall : bwdCalls)
    if (!paired.contains(bwdCall))
      return bwdCall.emitError()
             << "cannot update this call to @" << bwd.getSymName()
             << ": its saved arguments do not come from a call to @"
             << fwd.getSymName();
  return pairs;
}

LogicalResult SplitFormRematerializer::rewriteCalls(ArrayRef<Value> newSaved) {
  auto pairs = getCallPairs();
  if (failed(pairs))
    return failure();
  for (auto [fwdCall, bwdCall] : *pairs) {
    OpBuilder builder(fwdCall);
    auto newFwd = func::CallOp::create(builder, fwdCall.getLoc(), fwd,
                                       fwdCall.getOperands());
    for (int64_t i = 0; i < numOutputs; ++i)
      fwdCall.getResult(i).replaceAllUsesWith(newFwd.getResult(i));
    builder.setInsertionPoint(bwdCall);
    SmallVector<Value> operands(newFwd.getResults().drop_front(numOutputs));
    llvm::append_range(operands, bwdCall.getOperands().drop_front(numSaved));
    auto newBwd =
        func::CallOp::create(builder, bwdCall.getLoc(), bwd, operands);
    bwdCall->replaceAllUsesWith(newBwd.getResults());
    bwdCall.erase();
    fwdCall.erase();
  }
  return success();
}

LogicalResult SplitFormRematerializer::check() {
  if (failed(checkPair()))
    return failure();
  FailureOr<CheckpointBoundaries> boundaries = checkCheckpointBoundaries(
      fwd, [](Operation *) { return true; }, symbols);
  if (failed(boundaries))
    return failure();
  mayKeepAnnotations = boundaries->numAnnotatedOps != 0 ||
                       boundaries->numCallsToConvert != 0;
  return failure(failed(getCallPairs()));
}

LogicalResult SplitFormRematerializer::run() {
  convertCheckpointedCalls(fwd, [](Operation *) { return true; }, symbols);

  Block &fwdBody = fwd.getBody().front();
  Operation *ret = fwdBody.getTerminator();
  std::deque<CheckpointOp> worklist;
  for (auto region : fwdBody.getOps<CheckpointOp>())
    worklist.push_back(region);
  while (!worklist.empty()) {
    CheckpointOp region = worklist.front();
    worklist.pop_front();
    processRegion(region, worklist);
  }
  // The saved values as the inlined regions now define them.
  SmallVector<Value> oldSaved(ret->getOperands().drop_front(numOutputs));
  int64_t oldSavedBytes = 0;
  for (Value value : llvm::SetVector<Value>(oldSaved.begin(), oldSaved.end()))
    oldSavedBytes += getStaticSizeInBytes(value.getType()).value_or(0);

  // Free values (constants, empty tensors) are recreated in @bwd, not saved.
  auto isFree = [&](Value value) {
    Operation *def = value.getDefiningOp();
    return def && isNullary(def) &&
           safety.classify(def) == SaveReason::Recompute;
  };
  // Arguments of @fwd (inputs, weights) cost nothing more when saved: the
  // caller holds them anyway.
  auto bytesOf = [](Value value) -> int64_t {
    if (isa<BlockArgument>(value))
      return 0;
    return getStaticSizeInBytes(value.getType()).value_or(0);
  };
  // Never worse (§3.9), for the split form: a region whose rewrite would not
  // lower the bytes @fwd saves (arguments aside) keeps everything, unless
  // `force`.
  llvm::SetVector<Value> current(oldSaved.begin(), oldSaved.end());
  for (Region &region : regions) {
    if (region.dropped.empty())
      continue;
    int64_t before = 0, after = 0;
    for (Value value : current)
      before += bytesOf(value);
    llvm::SetVector<Value> next;
    llvm::DenseSet<Value> mine(region.dropped.begin(), region.dropped.end());
    for (Value value : current)
      if (!mine.contains(value))
        next.insert(value);
    for (Value input : region.savedInputs)
      if (!isFree(input))
        next.insert(input);
    for (Value value : next)
      after += bytesOf(value);
    region.savedBefore = before;
    region.savedAfter = after;
    if (after >= before && !force) {
      region.skipped = true;
      region.dropped.clear();
      region.clones.clear();
      region.savedInputs.clear();
      for (Operation *op : region.bodyOps)
        op->setLoc(addRegionTrace(op->getLoc(), region.name, false));
      continue;
    }
    current = std::move(next);
  }

  // The new saved values: the old ones that stay, then what the recomputes
  // read, without duplicates.
  llvm::DenseSet<Value> droppedSet;
  for (Region &region : regions)
    droppedSet.insert(region.dropped.begin(), region.dropped.end());
  llvm::SetVector<Value> newSaved;
  for (Value value : oldSaved)
    if (!droppedSet.contains(value))
      newSaved.insert(value);
  for (Region &region : regions)
    for (Value input : region.savedInputs)
      if (!isFree(input))
        newSaved.insert(input);

  // @bwd: new saved arguments first, recomputes before their first use,
  // then the old saved arguments go.
  Block &bwdBody = bwd.getBody().front();
  SmallVector<BlockArgument> oldArgs(bwdBody.getArguments().take_front(numSaved));
  llvm::DenseMap<Value, Value> toBwd;
  for (auto [index, value] : llvm::enumerate(newSaved))
    toBwd[value] = bwdBody.insertArgument(index, value.getType(), value.getLoc());
  for (Region &region : regions) {
    llvm::DenseSet<Value> mine(region.dropped.begin(), region.dropped.end());
    Operation *insertBefore = nullptr;
    for (auto [j, arg] : llvm::enumerate(oldArgs)) {
      if (!mine.contains(oldSaved[j]))
        continue;
      for (Operation *user : arg.getUsers()) {
        Operation *top = bwdBody.findAncestorOpInBlock(*user);
        if (top && (!insertBefore || top->isBeforeInBlock(insertBefore)))
          insertBefore = top;
      }
    }
    int64_t bytes = 0;
    for (Value value : region.dropped)
      bytes += getStaticSizeInBytes(value.getType()).value_or(0);
    PendingRemark remark{region.loc, "", {}};
    llvm::raw_string_ostream os(remark.message);
    if (region.skipped) {
      os << "checkpointed region '" << region.name
         << "': not rematerialized: @" << fwd.getSymName()
         << " would save " << region.savedAfter << " bytes instead of "
         << region.savedBefore
         << " (arguments aside; the 'force' option rematerializes it "
            "anyway)";
      remarks.push_back(std::move(remark));
      continue;
    }
    os << "checkpointed region '" << region.name << "': drops "
       << pluralize(region.dropped.size(), "saved value") << " of @"
       << fwd.getSymName() << " (" << bytes << " bytes)";
    counters.droppedValues += region.dropped.size();
    counters.droppedBytes += bytes;
    if (insertBefore) {
      OpBuilder builder(insertBefore);
      IRMapping mapping;
      for (Value input : region.savedInputs) {
        if (!isFree(input)) {
          mapping.map(input, toBwd.lookup(input));
          continue;
        }
        Operation *def = builder.clone(*input.getDefiningOp());
        def->setLoc(addRecomputeTrace(def->getLoc(), region.name));
        mapping.map(input, def->getResult(cast<OpResult>(input).getResultNumber()));
      }
      for (Operation *op : region.clones) {
        Operation *clone = builder.clone(*op, mapping);
        clone->setLoc(addRecomputeTrace(op->getLoc(), region.name));
      }
      counters.clonedOps += region.clones.size();
      os << ", clones " << pluralize(region.clones.size(), "op") << " into @"
         << bwd.getSymName() << " before '" << insertBefore->getName()
         << "', reading "
         << pluralize(llvm::count_if(region.savedInputs,
                                     [&](Value v) { return !isFree(v); }),
                      "saved value");
      for (auto [j, arg] : llvm::enumerate(oldArgs))
        if (mine.contains(oldSaved[j]))
          arg.replaceAllUsesWith(mapping.lookup(oldSaved[j]));
    }
    os << "; keeps " << pluralize(region.kept.size(), "saved value");
    for (auto [loc, reason] : region.kept)
      remark.notes.push_back(
          {loc, ("kept: " + stringifySaveReason(reason)).str()});
    remarks.push_back(std::move(remark));
  }
  for (auto [j, arg] : llvm::enumerate(oldArgs))
    if (!droppedSet.contains(oldSaved[j]))
      arg.replaceAllUsesWith(toBwd.lookup(oldSaved[j]));
  // Any old argument still used (a dropped value no op needed) has no uses
  // left by now.
  llvm::BitVector erase(bwdBody.getNumArguments());
  for (BlockArgument arg : oldArgs)
    erase.set(arg.getArgNumber());
  bwdBody.eraseArguments(erase);
  bwd.setFunctionType(FunctionType::get(
      bwd.getContext(), bwdBody.getArgumentTypes(), bwd.getResultTypes()));
  // Inner regions cloned into @bwd run as plain code there.
  SmallVector<CheckpointOp> cloned;
  bwd.walk([&](CheckpointOp op) { cloned.push_back(op); });
  for (CheckpointOp op : llvm::reverse(cloned))
    inlineRegion(op);

  // @fwd returns its outputs, then the new saved values.
  SmallVector<Value> results(ret->getOperands().take_front(numOutputs));
  llvm::append_range(results, newSaved);
  ret->setOperands(results);
  fwd.setFunctionType(FunctionType::get(fwd.getContext(), fwd.getArgumentTypes(),
                                        ValueRange(results).getTypes()));
  // Forward ops that only produced dropped saved values are dead now.
  for (Operation &op : llvm::make_early_inc_range(llvm::reverse(fwdBody)))
    if (getRegionTrace(op.getLoc()) && isOpTriviallyDead(&op))
      op.erase();

  int64_t newSavedBytes = 0;
  for (Value value : newSaved)
    newSavedBytes += getStaticSizeInBytes(value.getType()).value_or(0);
  PendingRemark summary{fwd.getLoc(), "", {}};
  llvm::raw_string_ostream os(summary.message);
  os << "@" << fwd.getSymName() << " now saves " << newSaved.size()
     << " values (" << newSavedBytes << " bytes) for @" << bwd.getSymName()
     << ", was " << llvm::SetVector<Value>(oldSaved.begin(), oldSaved.end()).size()
     << " (" << oldSavedBytes << " bytes)";
  remarks.push_back(std::move(summary));
  return rewriteCalls(newSaved.getArrayRef());
}

struct CkptRematerializePass
    : public ckpt::impl::CkptRematerializeBase<CkptRematerializePass> {
  using Base::Base;

  void runOnOperation() override;

private:
  /// Checks every annotated function and split-form pair of `module`, then,
  /// if none failed, rewrites them and consumes the annotations. Fails with
  /// the errors of the checks (`module` unchanged) or, if a split-form
  /// rewrite fails after the checks, with `module` partly rewritten.
  LogicalResult rewriteModule(ModuleOp module, RecomputeSafety &safety,
                              Counters &counters,
                              SmallVectorImpl<PendingRemark> &remarks);
};

LogicalResult CkptRematerializePass::rewriteModule(
    ModuleOp module, RecomputeSafety &safety, Counters &counters,
    SmallVectorImpl<PendingRemark> &remarks) {
  SymbolTableCollection symbols;
  CostModelOptions costOptions;
  costOptions.dynamicDimSize = dynamicDimSize;
  // Split-form pairs first: their rewrite changes two signatures and calls.
  std::vector<std::unique_ptr<SplitFormRematerializer>> pairs;
  for (auto func : module.getOps<func::FuncOp>())
    if (!func.isExternal() && func->hasAttr(kBackwardAttrName))
      pairs.push_back(std::make_unique<SplitFormRematerializer>(
          func, safety, policy, saveOps, force, symbols, counters, remarks));
  llvm::DenseSet<StringAttr> backwardFunctions =
      getSplitFormBackwardFunctions(module);
  // One walk of each top-level op finds its annotations: misplaced regions
  // anywhere in the module (a checkpointed call inlines its callee's), and
  // each function's regions and checkpointed calls, which the checks of a
  // joint function then use instead of a walk of their own (a walk of a
  // large graph is not free).
  SmallVector<CheckpointOp> misplacedRegions;
  std::vector<std::pair<std::unique_ptr<FunctionRematerializer>,
                        CheckpointAnnotations>>
      joints;
  for (Operation &top : module.getBody()->getOperations()) {
    CheckpointAnnotations annotations =
        collectCheckpointAnnotations(&top, symbols, &misplacedRegions);
    auto func = dyn_cast<func::FuncOp>(top);
    // Split-form pairs are rewritten above, both halves.
    if (!func || func.isExternal() || func->hasAttr(kBackwardAttrName) ||
        backwardFunctions.contains(func.getSymNameAttr()) ||
        !annotations.hasBoundary())
      continue;
    joints.emplace_back(std::make_unique<FunctionRematerializer>(
                            func, safety, policy, saveOps, force, costOptions,
                            symbols, counters, remarks),
                        std::move(annotations));
  }

  // Every error is reported before the first change; misplaced regions
  // first and alone, each once.
  for (CheckpointOp region : misplacedRegions)
    region.emitError()
        << "'ckpt.checkpoint' nested in '" << region->getParentOp()->getName()
        << "' is not supported: regions must be at the top level of the "
           "function or directly inside another 'ckpt.checkpoint'";
  if (!misplacedRegions.empty())
    return failure();
  bool failedAny = false;
  for (auto &pair : pairs)
    failedAny |= failed(pair->check());
  for (auto &[joint, annotations] : joints)
    failedAny |= failed(joint->check(annotations));
  if (failedAny)
    return failure();

  for (auto &pair : pairs)
    failedAny |= failed(pair->run());
  if (failedAny)
    return failure();
  // A split-form rewrite may replace calls in any function.
  for (auto &joint : llvm::make_first_range(joints))
    if (failed(joint->run(/*partitionStillValid=*/pairs.empty()))) {
      emitError(module.getLoc())
          << "internal error: ckpt-rematerialize failed after its checks "
             "passed";
      return failure();
    }

  // The annotation is a discardable attribute (DESIGN §2); none remains.
  // The checks counted the annotated ops of each rewritten function, so the
  // walk skips the bodies that hold none (a walk of a large graph is not
  // free).
  llvm::DenseSet<Operation *> clean;
  for (auto &joint : llvm::make_first_range(joints))
    if (!joint->mayKeepAnnotations)
      clean.insert(joint->getFunction());
  for (auto &pair : pairs)
    if (!pair->mayKeepAnnotations)
      clean.insert(pair->getForward());
  auto attrName = StringAttr::get(module.getContext(),
                                  CkptDialect::getCheckpointAttrName());
  module.walk<WalkOrder::PreOrder>([&](Operation *op) {
    if (op->getDiscardableAttr(attrName))
      op->removeDiscardableAttr(attrName);
    return clean.contains(op) ? WalkResult::skip() : WalkResult::advance();
  });
  return success();
}

void CkptRematerializePass::runOnOperation() {
  ModuleOp module = getOperation();
  StringRef attrName = CkptDialect::getCheckpointAttrName();
  bool annotated = false;
  module.walk([&](Operation *op) {
    annotated = isa<CheckpointOp>(op) || op->hasAttr(attrName);
    return annotated ? WalkResult::interrupt() : WalkResult::advance();
  });
  if (!annotated) {
    markAllAnalysesPreserved();
    return;
  }

  std::optional<llvm::Regex> assumePureRegex;
  if (!assumePure.empty()) {
    // Whole-name match, as for a symbol filter.
    assumePureRegex.emplace(("^(" + assumePure + ")$"));
    std::string error;
    if (!assumePureRegex->isValid(error)) {
      emitError(module.getLoc())
          << "invalid 'assume-pure' regex '" << assumePure << "': " << error;
      return signalPassFailure();
    }
  }
  for (const std::string &name : saveOps) {
    auto [dialect, op] = StringRef(name).split('.');
    if (dialect.empty() || op.empty()) {
      emitError(module.getLoc()) << "invalid 'save-ops' entry '" << name
                                 << "': expected an op name 'dialect.op'";
      return signalPassFailure();
    }
  }

  RecomputeSafety safety(assumePureRegex ? &*assumePureRegex : nullptr);
  Counters counters;
  SmallVector<PendingRemark> remarks;
  bool hasSplitForm = llvm::any_of(
      module.getOps<func::FuncOp>(), [](func::FuncOp func) {
        return !func.isExternal() && func->hasAttr(kBackwardAttrName);
      });
  if (!hasSplitForm) {
    // Joint form: every error is reported before the first change, and the
    // rewrite itself cannot fail, so it works in place (no copy of the
    // module, which on a large graph cost as much as the rewrite itself).
    if (failed(rewriteModule(module, safety, counters, remarks)))
      return signalPassFailure();
  } else {
    // A split-form rewrite updates call pairs anywhere in the module, and one
    // pair's recompute may clone or inline calls of another pair; a copy is
    // rewritten and replaces the module only if everything succeeds.
    OwningOpRef<ModuleOp> work(module.clone());
    if (failed(rewriteModule(*work, safety, counters, remarks)))
      return signalPassFailure();
    module.getBodyRegion().takeBody(work->getBodyRegion());
  }
#ifndef NDEBUG
  // The post-condition is ckpt-verify's job in a pipeline; builds with
  // assertions also check it here.
  if (failed(verifyNoDroppedValueInBackward(module))) {
    emitError(module.getLoc())
        << "internal error: the rewritten module fails ckpt-verify";
    return signalPassFailure();
  }
#endif

  for (PendingRemark &remark : remarks) {
    InFlightDiagnostic diag = emitRemark(remark.loc) << remark.message;
    for (auto &[loc, note] : remark.notes)
      diag.attachNote(loc) << note;
  }
  numRegions += counters.regions;
  numDroppedValues += counters.droppedValues;
  numDroppedBytes += counters.droppedBytes;
  numSavedValues += counters.savedValues;
  numClonedOps += counters.clonedOps;
  numBarriers += counters.barriers;
}

} // namespace
