//===- LibraryKernels.h - ByteIR library kernels: recognition and cost -*- C++
//-*-===//
//
// The one table of the library kernels ckpt knows: ByteIR's CUDA runtime
// kernels (cuDNN/cuBLAS calls) as they appear in ByteIR's graphs, a call to
// an external declaration with the kernel's name in `byre_compute_name` and
// its parameters as attributes on the call. For each kernel: which operands,
// attributes and values are accepted, and its FLOPs and bytes moved from the
// shapes and attributes. The FLOP model (CostModel.h) and the conversion into
// linalg (ckpt-convert-byteir-kernels) both read it, so a kernel is
// recognized, validated and costed in one place.
//
// Sources of every rule (bytedance/byteir @0e83d42b, the commit the graphs in
// ../shared/models come from): `runtime/lib/backends/cuda/providers/default/`
// (math/conv.cc, math/conv_backward.cc, math/helper.cc handleConvParam,
// math/matmul.cc, math/pool.cc, math/pool_grad.cc,
// normalization/batch_norm_training.cc, normalization/batch_norm_grad.cc,
// reduction/reduce_impl.h, tensor_manipulate/transpose.cc),
// `compiler/lib/Dialect/mhlo/Transforms/ConvBackwardFusion.cpp` (what the
// backward convolutions' attributes mean) and the StableHLO specification
// of the mhlo ops the kernels were fused from.
//
//===----------------------------------------------------------------------===//

#ifndef CKPT_ANALYSIS_LIBRARYKERNELS_H
#define CKPT_ANALYSIS_LIBRARYKERNELS_H

#include "ckpt/Analysis/CostModel.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Operation.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"
#include <array>
#include <optional>

namespace mlir::ckpt {

/// The attribute on a call that names its ByteIR kernel, e.g.
/// `byre_compute_name = "ConvOp_f16f16_f16"`: the kernel, then the element
/// types of its inputs and of its results (ByteIR's byre naming).
inline constexpr llvm::StringLiteral kByreComputeNameAttrName =
    "byre_compute_name";

/// The kernel families of the table.
enum class LibraryKernelKind {
  /// `ConvOp`: y = pad(x, p, 0) ⋆ w, stride s (cross-correlation).
  Conv,
  /// `ConvBackwardDataOp`: dx, the adjoint of `Conv` with respect to x,
  /// given the forward convolution's parameters (cuDNN's convention).
  ConvBackwardData,
  /// `ConvBackwardFilterOp`: dw, the adjoint of `Conv` with respect to w.
  ConvBackwardFilter,
  /// `BatchNormTrainingOp`: batch statistics and normalisation; with three
  /// results also the batch mean and (unbiased) variance.
  BatchNormTraining,
  /// `BatchNormGradOp`: dx, dγ, dβ with the statistics recomputed from x.
  BatchNormGrad,
  /// `PoolMaxOp`: max pooling, padding never selected.
  PoolMax,
  /// `PoolMaxGradOp`: the gradient goes to the first maximum of each window.
  PoolMaxGrad,
  /// `MatmulOp`: C = op(A)·op(B), optionally transposed.
  Matmul,
  /// `ReduceSumOp`, `ReduceMaxOp`: reductions over `dimensions`.
  ReduceSum,
  ReduceMax,
  /// `TransposeOp`: a permutation of the dimensions.
  Transpose,
};

/// One row of the kernel table.
struct LibraryKernelSpec {
  /// The kernel name without its type suffix (`ConvOp`).
  llvm::StringLiteral name;
  LibraryKernelKind kind;
  /// Inputs before the destination operands.
  unsigned numInputs;
  /// Accepted numbers of results (= destination operands).
  unsigned minResults, maxResults;
  /// The attributes the kernel reads; others are refused.
  ArrayRef<StringRef> attributes;
  /// The FLOP formula, in words (for documentation and remarks).
  llvm::StringLiteral flopFormula;
};

/// The table, one row per kernel family.
ArrayRef<LibraryKernelSpec> getLibraryKernelTable();

/// A recognized, validated call of a ByteIR kernel: its types and its
/// parameters decoded from the call's attributes. Spatial parameters are
/// given for (H, W) of NCHW tensors.
struct LibraryKernel {
  const LibraryKernelSpec *spec = nullptr;
  LibraryKernelKind kind = LibraryKernelKind::Conv;
  /// The full `byre_compute_name`.
  StringRef computeName;
  /// Types of the inputs (the destination operands excluded) and results;
  /// all statically shaped ranked tensors.
  SmallVector<RankedTensorType> inputTypes, resultTypes;

  /// Convolutions and pooling: window size, strides and the padding on each
  /// side (ByteIR's runtime requires equal low and high padding).
  std::array<int64_t, 2> window = {1, 1};
  std::array<int64_t, 2> strides = {1, 1};
  std::array<int64_t, 2> padding = {0, 0};

  /// Batch-norm: `epsilon` (f32) added to the variance.
  FloatAttr epsilon;

  /// Matmul: the contracting dimension of each operand and whether the
  /// product is transposed.
  int64_t lhsContractingDimension = 1, rhsContractingDimension = 0;
  bool outputTranspose = false;

  /// Reductions: the reduced dimensions, sorted. Transpose: the permutation
  /// (result dimension i is input dimension dimensions[i]).
  SmallVector<int64_t> dimensions;

  /// Batch-norm: true for the variant that also returns mean and variance.
  bool returnsStatistics() const {
    return kind == LibraryKernelKind::BatchNormTraining &&
           resultTypes.size() == 3;
  }
};

/// The kernel name of `op` (its `byre_compute_name` string attribute), or
/// nullopt if it has none: such an op is not a ByteIR kernel call.
std::optional<StringRef> getByreComputeName(Operation *op);

/// Recognizes a ByteIR kernel call: an op (a `func.call`) with
/// `byre_compute_name = "<Kernel>_<input types>_<result types>"` whose
/// operands are the kernel's inputs followed by one destination per result
/// (byre's destination-passing style; destinations are never read).
/// Checks, against ByteIR's runtime and the kernel's mhlo definition:
///  * the kernel is in the table and the type suffix spells the element
///    types of the inputs and results (f16 or f32 data; f32 batch-norm
///    parameters and statistics);
///  * operand and result counts, static shapes, and each destination's
///    type equals its result's;
///  * every attribute is one the kernel reads (names with a '.', dialect
///    attributes such as `ckpt.checkpoint`, are ignored), with a supported
///    value: NCHW layouts, group counts and dilations 1, positive strides,
///    equal low and high padding (the runtime's `handleConvParam` rule),
///    padding smaller than the window for the backward and pooling kernels,
///    `feature_index = 1`, contracting dimensions 0 or 1, a permutation for
///    the transpose, distinct in-range reduced dimensions;
///  * the shapes agree (a convolution's output size is
///    floor((I + 2p - K) / s) + 1, the runtime's `DeduceOutputShape`).
/// On failure, emits an error at `op` saying what is wrong when
/// `emitErrors` is set.
FailureOr<LibraryKernel> matchLibraryKernel(Operation *op,
                                            bool emitErrors = false);

/// FLOPs of one execution of `kernel` (multiply-adds count 2):
///  * Conv, ConvBackwardData, ConvBackwardFilter: 2·N·F·Oh·Ow·C·Kh·Kw, the
///    forward convolution's (cuDNN performs the useful products only; the
///    zero-inserted convolution that ckpt-convert-byteir-kernels emits for
///    a stride-s ConvBackwardData performs about s² times as many);
///  * BatchNormTraining: 8 per element of x (sum 1; centred square-sum 3;
///    normalise and scale 4); BatchNormGrad: 13 per element (statistics 4;
///    Σdy 1; Σdy·x̂ 4; dx 4, x̂ reused);
///  * PoolMax: (Kh·Kw - 1) comparisons per output; PoolMaxGrad: Kh·Kw per
///    output of the forward pool (the comparisons and one add);
///  * Matmul: 2·M·N·K; ReduceSum, ReduceMax: input elements - output
///    elements; Transpose: 0.
/// Per-channel work of batch-norm (a few ops per channel) is not counted.
int64_t getLibraryKernelFlops(const LibraryKernel &kernel);

/// Bytes `kernel` moves at least: its inputs read once plus its results
/// written once, each by `bytes` (the byte rule of rationale §5; the
/// destination operands are not read).
int64_t getLibraryKernelBytes(const LibraryKernel &kernel, ByteModel &bytes);

} // namespace mlir::ckpt

#endif // CKPT_ANALYSIS_LIBRARYKERNELS_H
