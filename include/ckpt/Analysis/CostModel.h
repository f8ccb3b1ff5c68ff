//===- CostModel.h - bytes and FLOPs of values and ops -----------*- C++
//-*-===//
//
// The byte and FLOP model of rationale §5, shared by the rematerialization's
// "never worse" rule, remarks and the memory/cost report.
//
//===----------------------------------------------------------------------===//

#ifndef CKPT_ANALYSIS_COSTMODEL_H
#define CKPT_ANALYSIS_COSTMODEL_H

#include "mlir/IR/Operation.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/IR/Types.h"
#include "mlir/Interfaces/DataLayoutInterfaces.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/StringSet.h"
#include <optional>
#include <string>
#include <vector>

namespace mlir::ckpt {

/// Assumptions of the cost model.
struct CostModelOptions {
  /// Elements assumed for each dynamic dimension (the report says when it
  /// was used). Default 1, a lower bound.
  int64_t dynamicDimSize = 1;
};

/// Elements of one value of `type`: 1 for scalars; for shaped types the
/// product of the dimensions, each dynamic one (or an unranked shape) taken
/// as `options.dynamicDimSize`, which sets `usedAssumption`.
int64_t getElementCount(Type type, const CostModelOptions &options,
                        bool &usedAssumption);

/// True for ops with no operands and no regions (constants, static
/// `tensor.empty`): recreating them costs nothing.
bool isNullary(Operation *op);

/// True for ops whose results hold no data and so take no bytes: nullary
/// ops (constants become read-only globals), `tensor.empty` with any sizes
/// and `bufferization.alloc_tensor` without a copy (the op that fills them
/// materializes the buffer). The byte model charges their results nothing.
bool carriesNoData(Operation *op);

/// Which values carry no activation data (the cheap-value rule, rationale
/// §3.1): results of `carriesNoData` ops, shape queries (`tensor.dim`,
/// `memref.dim`, `tensor.rank`, `memref.rank`), and results of effect-free
/// ops all of whose read values are cheap (a zero fill of an empty tensor,
/// index arithmetic on dimensions, a broadcast of a constant). Such values
/// are never saved for their own sake: whoever needs one recomputes it, and
/// they are not activations a checkpoint drops. Function and block
/// arguments are data. Memoized; no recursion (deep graphs).
class CheapValues {
public:
  /// True if `value` carries no activation data.
  bool isCheap(Value value);
  /// True if every result of `op` does (ops without results: false).
  bool isCheapOp(Operation *op);

private:
  llvm::DenseMap<Operation *, bool> memo;
};

/// The byte rule of rationale §5, the only one in ckpt: bytes = element count x
/// element size, where the element size comes from MLIR's `DataLayout`
/// closest to the scope (so `i1` takes one byte, `index` eight by default,
/// `complex<f32>` eight) and each dynamic dimension counts
/// `options.dynamicDimSize` elements (`usedAssumption` says when it did).
/// Used by the liveness model, the "never worse" rule, remarks and the
/// report alike.
class ByteModel {
public:
  /// `scope`: any op whose closest data layout applies (the module, a
  /// function).
  ByteModel(Operation *scope, const CostModelOptions &options);

  /// Bytes of one value of `type`: ranked tensors, memrefs and vectors by
  /// their elements, scalars by their size; 0 for types with no size
  /// (tokens, unranked shapes of unsized elements).
  int64_t getTypeBytes(Type type);

  /// Bytes the liveness model charges to `value`: 0 for block arguments
  /// (function arguments belong to the caller), results of ops that carry no
  /// data (`carriesNoData`), views (`getAliasedOperand`, their source is
  /// charged) and
  /// values that are not shaped (scalars live in registers); otherwise
  /// `getTypeBytes`.
  int64_t getValueBytes(Value value);

  /// True once a dynamic dimension had to be assumed.
  bool usedAssumption() const { return assumed; }
  const CostModelOptions &getOptions() const { return options; }

private:
  int64_t getElementBytes(Type elementType);

  DataLayout layout;
  CostModelOptions options;
  bool assumed = false;
};

/// FLOPs of ops (rationale §5): linalg contractions and convolutions count
/// 2 × iteration-domain size (matmul: 2·M·N·K; convolution: 2 · outputs ·
/// reduction size); other linalg ops count domain size × body ops (one per
/// element per body op, the terminator excluded); `arith`/`math` ops count
/// one per element of their result (one for scalars; constants none); calls
/// to defined functions count the callee's body; `scf.for` multiplies its
/// body by a static trip count (1 when unknown, flagged); other ops with
/// regions sum their nested ops; everything else (tensor reshapes, slices,
/// `tensor.empty`, ckpt ops) counts 0. Calls to external functions that are
/// ByteIR library kernels (`byre_compute_name`, recognized by
/// `matchLibraryKernel`) count their kernel's FLOPs (LibraryKernels.h);
/// other calls to external functions count 0 and are listed as unknown.
class FlopModel {
public:
  explicit FlopModel(const CostModelOptions &options) : options(options) {}

  /// FLOPs of one execution of `op`, nested ops included.
  int64_t getFlops(Operation *op);

  /// External callees met so far (their FLOPs are unknown).
  ArrayRef<std::string> getUnknownCallees() const { return unknownCallees; }
  /// True if a dynamic dimension or trip count had to be assumed.
  bool usedAssumption() const { return assumed; }

private:
  int64_t sumNested(Operation *op);

  CostModelOptions options;
  SymbolTableCollection symbols;
  llvm::DenseMap<Operation *, int64_t> calleeMemo;
  std::vector<std::string> unknownCallees;
  llvm::StringSet<> unknownCalleeSet;
  bool assumed = false;
};

/// The machine a recompute is priced for: the roofline of Williams et al.
/// 2009, cost = max(FLOPs / peak FLOP/s, bytes moved / bandwidth) in
/// seconds, or (`flops`) the FLOPs alone, for comparisons with FLOP-based
/// results. Peak FLOP/s depend on the element type of the op's first result
/// (or operand).
struct CostTarget {
  /// "flops", "h200", "cpu" or "custom" (a named target with an override).
  std::string name = "flops";
  bool flopsOnly = true;
  /// Dense FLOP/s for 16-bit floats (f16, bf16), for f32 (and anything else
  /// that is not 16- or 64-bit) and for f64; bytes per second.
  double peakFlops16 = 0, peakFlops32 = 0, peakFlops64 = 0;
  double bandwidth = 0;

  /// The named targets:
  ///  * `flops`: cost = FLOPs;
  ///  * `h200`: NVIDIA H200 SXM, 4.8e12 B/s HBM3e, dense 989e12 FLOP/s
  ///    (BF16/FP16 tensor cores), 67e12 (FP32 and FP64), NVIDIA's figures
  ///    (494e12 TF32 tensor cores: give `peak-flops=494e12` for TF32
  ///    matmuls);
  ///  * `cpu`: measured by bench/cpu_roofline.py on the project's build
  ///    machine (docs/guide.md gives the run).
  /// std::nullopt for another name.
  static std::optional<CostTarget> get(llvm::StringRef name);
  /// Peak FLOP/s for an op whose data has `elementType` (null: 32-bit).
  double getPeakFlops(Type elementType) const;
  /// Sets every peak FLOP/s to `flops` (a user override).
  void overridePeakFlops(double flops) {
    peakFlops16 = peakFlops32 = peakFlops64 = flops;
    flopsOnly = false;
  }
};

/// The recompute cost of ops under a `CostTarget`, with the raw figures.
class OpCostModel {
public:
  OpCostModel(Operation *scope, const CostModelOptions &options,
              const CostTarget &target);

  struct OpCost {
    int64_t flops = 0;
    /// Bytes read plus bytes written: the tensor/memref operands the op reads
    /// (a linalg init only if its payload reads it; library kernels by their
    /// table row) and its results, by the byte rule (`ByteModel::
    /// getTypeBytes`). Views, constants and `tensor.empty` move nothing.
    int64_t bytesMoved = 0;
    /// Seconds for a roofline target, FLOPs for `flops`.
    double cost = 0;
    /// A call to an external function that is no known library kernel: its
    /// FLOPs and bytes are unknown (counted 0 FLOPs, its operands' and
    /// results' bytes).
    bool unknown = false;
  };
  /// The figures of one execution of `op`.
  OpCost getCost(Operation *op);
  const CostTarget &getTarget() const { return target; }
  /// External callees met so far whose cost is unknown.
  ArrayRef<std::string> getUnknownCallees() const {
    return flops.getUnknownCallees();
  }

private:
  ByteModel bytes;
  FlopModel flops;
  CostTarget target;
  SymbolTableCollection symbols;
};

} // namespace mlir::ckpt

#endif // CKPT_ANALYSIS_COSTMODEL_H
