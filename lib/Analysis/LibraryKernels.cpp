//===- LibraryKernels.cpp - the ByteIR kernel table, FLOPs and bytes -----===//
//
// The table and the cost of a recognized kernel; the recognition itself is
// in LibraryKernelMatcher.cpp. Sources (bytedance/byteir @0e83d42b): the
// list in LibraryKernels.h.
//
//===----------------------------------------------------------------------===//

#include "ckpt/Analysis/LibraryKernels.h"

using namespace mlir;
using namespace mlir::ckpt;

//===----------------------------------------------------------------------===//
// The table
//===----------------------------------------------------------------------===//

// The attributes each kernel reads (ByteIR's runtime and the byre ops the
// calls were respelled from); matchLibraryKernel refuses any other
// attribute without a dialect prefix, since the runtime might read it
// (`compute_type` on a matmul would select f16 accumulation, matmul.cc).
static const StringRef kConvAttributes[] = {
    "window_strides",   "padding",       "lhs_dilation",  "rhs_dilation",
    "input_layout",     "kernel_layout", "output_layout", "feature_group_count",
    "batch_group_count"};
static const StringRef kConvBackwardAttributes[] = {
    "window_strides",   "padding",       "input_layout",
    "kernel_layout",    "output_layout", "feature_group_count",
    "batch_group_count"};
static const StringRef kBatchNormAttributes[] = {"epsilon", "feature_index"};
static const StringRef kPoolAttributes[] = {
    "window_dimensions", "window_strides", "padding", "base_dilations",
    "window_dilations"};
static const StringRef kMatmulAttributes[] = {"lhs_contracting_dimension",
                                              "rhs_contracting_dimension",
                                              "output_transpose"};
static const StringRef kReduceAttributes[] = {"dimensions"};
static const StringRef kTransposeAttributes[] = {"permutation",
                                                 "minor_to_major"};

static const LibraryKernelSpec kLibraryKernels[] = {
    {"ConvOp", LibraryKernelKind::Conv, 2, 1, 1, kConvAttributes,
     "2*N*F*Oh*Ow*C*Kh*Kw"},
    {"ConvBackwardDataOp", LibraryKernelKind::ConvBackwardData, 2, 1, 1,
     kConvBackwardAttributes, "2*N*F*Oh*Ow*C*Kh*Kw (the forward's)"},
    {"ConvBackwardFilterOp", LibraryKernelKind::ConvBackwardFilter, 2, 1, 1,
     kConvBackwardAttributes, "2*N*F*Oh*Ow*C*Kh*Kw (the forward's)"},
    {"BatchNormTrainingOp", LibraryKernelKind::BatchNormTraining, 3, 1, 3,
     kBatchNormAttributes, "8 per element of x"},
    {"BatchNormGradOp", LibraryKernelKind::BatchNormGrad, 3, 3, 3,
     kBatchNormAttributes, "13 per element of x"},
    {"PoolMaxOp", LibraryKernelKind::PoolMax, 1, 1, 1, kPoolAttributes,
     "(Kh*Kw - 1) per output"},
    {"PoolMaxGradOp", LibraryKernelKind::PoolMaxGrad, 2, 1, 1, kPoolAttributes,
     "Kh*Kw per element of dy"},
    {"MatmulOp", LibraryKernelKind::Matmul, 2, 1, 1, kMatmulAttributes,
     "2*M*N*K"},
    {"ReduceSumOp", LibraryKernelKind::ReduceSum, 1, 1, 1, kReduceAttributes,
     "input elements - output elements"},
    {"ReduceMaxOp", LibraryKernelKind::ReduceMax, 1, 1, 1, kReduceAttributes,
     "input elements - output elements"},
    {"TransposeOp", LibraryKernelKind::Transpose, 1, 1, 1, kTransposeAttributes,
     "0"},
};

ArrayRef<LibraryKernelSpec> mlir::ckpt::getLibraryKernelTable() {
  return kLibraryKernels;
}

std::optional<StringRef> mlir::ckpt::getByreComputeName(Operation *op) {
  if (auto name = op->getAttrOfType<StringAttr>(kByreComputeNameAttrName))
    return name.getValue();
  return std::nullopt;
}

//===----------------------------------------------------------------------===//
// FLOPs and bytes
//===----------------------------------------------------------------------===//

int64_t mlir::ckpt::getLibraryKernelFlops(const LibraryKernel &kernel) {
  auto elements = [](RankedTensorType type) { return type.getNumElements(); };
  switch (kernel.kind) {
  case LibraryKernelKind::Conv:
  case LibraryKernelKind::ConvBackwardData:
  case LibraryKernelKind::ConvBackwardFilter: {
    // Forward output y[N,F,Oh,Ow] and filter w[F,C,Kh,Kw] of each kernel.
    RankedTensorType y, w;
    if (kernel.kind == LibraryKernelKind::Conv) {
      y = kernel.resultTypes[0];
      w = kernel.inputTypes[1];
    } else if (kernel.kind == LibraryKernelKind::ConvBackwardData) {
      y = kernel.inputTypes[0];
      w = kernel.inputTypes[1];
    } else {
      y = kernel.inputTypes[1];
      w = kernel.resultTypes[0];
    }
    // Each output sums C*Kh*Kw products: F of y times w/F.
    return 2 * elements(y) * (elements(w) / w.getDimSize(0));
  }
  case LibraryKernelKind::BatchNormTraining:
    return 8 * elements(kernel.inputTypes[0]);
  case LibraryKernelKind::BatchNormGrad:
    return 13 * elements(kernel.inputTypes[0]);
  case LibraryKernelKind::PoolMax:
    return (kernel.window[0] * kernel.window[1] - 1) *
           elements(kernel.resultTypes[0]);
  case LibraryKernelKind::PoolMaxGrad:
    return kernel.window[0] * kernel.window[1] * elements(kernel.inputTypes[1]);
  case LibraryKernelKind::Matmul: {
    int64_t k = kernel.inputTypes[0].getDimSize(kernel.lhsContractingDimension);
    return 2 * elements(kernel.resultTypes[0]) * k;
  }
  case LibraryKernelKind::ReduceSum:
  case LibraryKernelKind::ReduceMax:
    return elements(kernel.inputTypes[0]) - elements(kernel.resultTypes[0]);
  case LibraryKernelKind::Transpose:
    return 0;
  }
  return 0;
}

int64_t mlir::ckpt::getLibraryKernelBytes(const LibraryKernel &kernel,
                                          ByteModel &bytes) {
  int64_t total = 0;
  for (RankedTensorType type : kernel.inputTypes)
    total += bytes.getTypeBytes(type);
  for (RankedTensorType type : kernel.resultTypes)
    total += bytes.getTypeBytes(type);
  return total;
}
