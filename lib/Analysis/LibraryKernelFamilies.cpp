//===- LibraryKernelFamilies.cpp - one matcher per ByteIR kernel family ---===//
//
// KernelMatcher's checks of convolutions, batch-norm, pooling, matmuls,
// reductions and transposes: attribute values and shapes as ByteIR's mhlo
// definitions and CUDA runtime (bytedance/byteir @0e83d42b) use them.
//
//===----------------------------------------------------------------------===//

#include "KernelMatcher.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallSet.h"
#include "llvm/ADT/StringExtras.h"

using namespace mlir;
using namespace mlir::ckpt;
using namespace mlir::ckpt::byteir;


LogicalResult KernelMatcher::matchConvolution() {
  LibraryKernelKind kind = kernel.kind;
  // handleConvParam (math/helper.cc): the three layouts must agree; the
  // rewrite supports NCHW (kernel OIHW = linalg's fchw).
  for (StringRef name : {"input_layout", "kernel_layout", "output_layout"})
    if (failed(checkString(name, "NCHW")))
      return failure();
  if (failed(checkOptionalIntEquals("feature_group_count", 1)) ||
      failed(checkOptionalIntEquals("batch_group_count", 1)))
    return failure();
  if (kind == LibraryKernelKind::Conv &&
      (failed(checkAllOnes("lhs_dilation", {2})) ||
       failed(checkAllOnes("rhs_dilation", {2}))))
    return failure();

  FailureOr<std::optional<SmallVector<int64_t>>> strides =
      getInts("window_strides", {2}, /*required=*/true);
  if (failed(strides))
    return failure();
  if (llvm::any_of(**strides, [](int64_t s) { return s < 1; }))
    return fail("window_strides must be positive, got " +
                spellShape(**strides));
  // ConvOp: mhlo's [[h_lo, h_hi], [w_lo, w_hi]]; the backward kernels:
  // [h_lo, h_hi, w_lo, w_hi] of the forward convolution
  // (ConvBackwardFusion.cpp). Either way the runtime requires lo == hi.
  SmallVector<int64_t> paddingShape = kind == LibraryKernelKind::Conv
                                          ? SmallVector<int64_t>{2, 2}
                                          : SmallVector<int64_t>{4};
  FailureOr<std::optional<SmallVector<int64_t>>> padding =
      getInts("padding", paddingShape, /*required=*/true);
  if (failed(padding))
    return failure();
  ArrayRef<int64_t> pad = **padding;
  if (llvm::any_of(pad, [](int64_t p) { return p < 0; }) || pad[0] != pad[1] ||
      pad[2] != pad[3])
    return fail("padding must be non-negative and equal on both sides of "
                "each dimension (ByteIR's runtime requires it), got " +
                spellShape(pad));

  for (auto [i, type] : llvm::enumerate(kernel.inputTypes))
    if (failed(checkRank(type, 4, "input " + std::to_string(i))))
      return failure();
  if (failed(checkRank(kernel.resultTypes[0], 4, "the result")))
    return failure();
  Type element = kernel.inputTypes[0].getElementType();
  if (kernel.inputTypes[1].getElementType() != element ||
      kernel.resultTypes[0].getElementType() != element)
    return fail("inputs and result must have one element type");

  // Name the shapes: x[N,C,H,W], w[F,C,Kh,Kw], y[N,F,Oh,Ow].
  ArrayRef<int64_t> x, w, y;
  switch (kind) {
  case LibraryKernelKind::Conv:
    x = kernel.inputTypes[0].getShape();
    w = kernel.inputTypes[1].getShape();
    y = kernel.resultTypes[0].getShape();
    break;
  case LibraryKernelKind::ConvBackwardData:
    y = kernel.inputTypes[0].getShape();
    w = kernel.inputTypes[1].getShape();
    x = kernel.resultTypes[0].getShape();
    break;
  default:
    x = kernel.inputTypes[0].getShape();
    y = kernel.inputTypes[1].getShape();
    w = kernel.resultTypes[0].getShape();
    break;
  }
  if (x[0] != y[0] || w[0] != y[1] || w[1] != x[1])
    return fail("shapes do not form a convolution: input " + spellShape(x) +
                ", filter " + spellShape(w) + ", output " + spellShape(y) +
                " (NCHW, filter FCHW)");
  kernel.window = {w[2], w[3]};
  kernel.strides = {(**strides)[0], (**strides)[1]};
  kernel.padding = {pad[0], pad[2]};
  for (int dim = 0; dim < 2; ++dim)
    if (failed(checkWindowShape(x[2 + dim], y[2 + dim], dim,
                                dim == 0 ? "height" : "width")))
      return failure();
  // The backward rewrites pad the gradient by K - 1 - p.
  if (kind != LibraryKernelKind::Conv &&
      (kernel.padding[0] >= kernel.window[0] ||
       kernel.padding[1] >= kernel.window[1]))
    return fail("padding must be smaller than the filter");
  return success();
}

LogicalResult KernelMatcher::matchBatchNorm() {
  auto epsilon = op->getAttrOfType<FloatAttr>("epsilon");
  if (!epsilon || !epsilon.getType().isF32())
    return fail("attribute 'epsilon' must be an f32 float");
  if (epsilon.getValue().isNegative() || !epsilon.getValue().isFinite())
    return fail("epsilon must be finite and non-negative");
  kernel.epsilon = epsilon;
  // feature_index 1 is NCHW's C (batch_norm_training.cc maps 1 to NCHW and
  // 3 to NHWC); the rewrite supports NCHW.
  FailureOr<std::optional<int64_t>> feature =
      getInt("feature_index", /*required=*/true);
  if (failed(feature))
    return failure();
  if (**feature != 1)
    return fail("unsupported feature_index " + Twine(**feature) +
                " (supported: 1, the C of NCHW)");

  if (failed(checkRank(kernel.inputTypes[0], 4, "x")))
    return failure();
  RankedTensorType x = kernel.inputTypes[0];
  MLIRContext *ctx = op->getContext();
  Type f32 = Float32Type::get(ctx);
  int64_t channels = x.getDimSize(1);
  if (failed(checkType(kernel.inputTypes[1], {channels}, f32, "scale")))
    return failure();
  if (kernel.kind == LibraryKernelKind::BatchNormTraining) {
    if (failed(checkType(kernel.inputTypes[2], {channels}, f32, "offset")) ||
        failed(checkType(kernel.resultTypes[0], x.getShape(),
                         x.getElementType(), "the output")))
      return failure();
    if (kernel.resultTypes.size() == 3 &&
        (failed(checkType(kernel.resultTypes[1], {channels}, f32, "mean")) ||
         failed(checkType(kernel.resultTypes[2], {channels}, f32, "variance"))))
      return failure();
    return success();
  }
  if (failed(checkType(kernel.inputTypes[2], x.getShape(), x.getElementType(),
                       "the output gradient")) ||
      failed(checkType(kernel.resultTypes[0], x.getShape(), x.getElementType(),
                       "the input gradient")) ||
      failed(checkType(kernel.resultTypes[1], {channels}, f32,
                       "the scale gradient")) ||
      failed(checkType(kernel.resultTypes[2], {channels}, f32,
                       "the offset gradient")))
    return failure();
  return success();
}

LogicalResult KernelMatcher::matchPool() {
  FailureOr<std::optional<SmallVector<int64_t>>> window =
      getInts("window_dimensions", {4}, /*required=*/true);
  if (failed(window))
    return failure();
  FailureOr<std::optional<SmallVector<int64_t>>> strides =
      getInts("window_strides", {4}, /*required=*/true);
  if (failed(strides))
    return failure();
  FailureOr<std::optional<SmallVector<int64_t>>> padding =
      getInts("padding", {4, 2}, /*required=*/true);
  if (failed(padding))
    return failure();
  if (failed(checkAllOnes("base_dilations", {4})) ||
      failed(checkAllOnes("window_dilations", {4})))
    return failure();
  ArrayRef<int64_t> win = **window, str = **strides, pad = **padding;
  // pool.cc builds a 2-D NCHW pooling descriptor from the H and W entries.
  if (win[0] != 1 || win[1] != 1 || win[2] < 1 || win[3] < 1)
    return fail("window_dimensions must be [1, 1, Kh, Kw], got " +
                spellShape(win));
  if (str[0] != 1 || str[1] != 1 || str[2] < 1 || str[3] < 1)
    return fail("window_strides must be [1, 1, sh, sw] with positive sh, "
                "sw, got " +
                spellShape(str));
  if (llvm::any_of(pad.take_front(4), [](int64_t p) { return p != 0; }) ||
      pad[4] < 0 || pad[4] != pad[5] || pad[6] < 0 || pad[6] != pad[7])
    return fail("padding must be [[0, 0], [0, 0], [ph, ph], [pw, pw]], got " +
                spellShape(pad));
  kernel.window = {win[2], win[3]};
  kernel.strides = {str[2], str[3]};
  kernel.padding = {pad[4], pad[6]};
  // A window inside the padding would have no element to select.
  if (kernel.padding[0] >= kernel.window[0] ||
      kernel.padding[1] >= kernel.window[1])
    return fail("padding must be smaller than the window");

  for (auto [i, type] : llvm::enumerate(kernel.inputTypes))
    if (failed(checkRank(type, 4, "input " + std::to_string(i))))
      return failure();
  RankedTensorType x = kernel.inputTypes[0];
  Type element = x.getElementType();
  // PoolMaxOp: x -> y; PoolMaxGradOp: (x, dy) -> dx, dy shaped as y.
  RankedTensorType y = kernel.kind == LibraryKernelKind::PoolMax
                           ? kernel.resultTypes[0]
                           : kernel.inputTypes[1];
  if (failed(checkRank(y, 4, "the pooled tensor")))
    return failure();
  if (y.getElementType() != element || y.getDimSize(0) != x.getDimSize(0) ||
      y.getDimSize(1) != x.getDimSize(1))
    return fail("the pooled tensor " + quoted(y) +
                " must keep the input's N, C and element type");
  for (int dim = 0; dim < 2; ++dim)
    if (failed(checkWindowShape(x.getDimSize(2 + dim), y.getDimSize(2 + dim),
                                dim, dim == 0 ? "height" : "width")))
      return failure();
  if (kernel.kind == LibraryKernelKind::PoolMaxGrad &&
      failed(checkType(kernel.resultTypes[0], x.getShape(), element,
                       "the input gradient")))
    return failure();
  return success();
}

LogicalResult KernelMatcher::matchMatmul() {
  FailureOr<std::optional<int64_t>> lhs =
      getInt("lhs_contracting_dimension", /*required=*/true);
  if (failed(lhs))
    return failure();
  FailureOr<std::optional<int64_t>> rhs =
      getInt("rhs_contracting_dimension", /*required=*/true);
  if (failed(rhs))
    return failure();
  if ((**lhs != 0 && **lhs != 1) || (**rhs != 0 && **rhs != 1))
    return fail("contracting dimensions must be 0 or 1, got " + Twine(**lhs) +
                " and " + Twine(**rhs));
  if (Attribute transpose = op->getAttr("output_transpose")) {
    if (!isa<UnitAttr>(transpose))
      return fail("attribute 'output_transpose' must be a unit attribute");
    kernel.outputTranspose = true;
  }
  kernel.lhsContractingDimension = **lhs;
  kernel.rhsContractingDimension = **rhs;
  if (failed(checkRank(kernel.inputTypes[0], 2, "lhs")) ||
      failed(checkRank(kernel.inputTypes[1], 2, "rhs")) ||
      failed(checkRank(kernel.resultTypes[0], 2, "the result")))
    return failure();
  Type element = kernel.inputTypes[0].getElementType();
  if (kernel.inputTypes[1].getElementType() != element ||
      kernel.resultTypes[0].getElementType() != element)
    return fail("operands and result must have one element type");
  ArrayRef<int64_t> a = kernel.inputTypes[0].getShape(),
                    b = kernel.inputTypes[1].getShape();
  int64_t m = a[1 - **lhs], k = a[**lhs], kb = b[**rhs], n = b[1 - **rhs];
  if (k != kb)
    return fail("contracting sizes differ: " + Twine(k) + " and " + Twine(kb));
  SmallVector<int64_t> c = kernel.outputTranspose ? SmallVector<int64_t>{n, m}
                                                  : SmallVector<int64_t>{m, n};
  return checkType(kernel.resultTypes[0], c, element, "the result");
}

LogicalResult KernelMatcher::matchReduce() {
  RankedTensorType in = kernel.inputTypes[0];
  if (!isDataElementType(in.getElementType()))
    return fail("the input must have f16 or f32 elements");
  Attribute attr = op->getAttr("dimensions");
  auto elements = dyn_cast_if_present<DenseIntElementsAttr>(attr);
  if (!elements || elements.getType().getRank() != 1)
    return fail("attribute 'dimensions' must be a 1-D dense integer tensor");
  llvm::SmallSet<int64_t, 4> seen;
  for (const APInt &value : elements.getValues<APInt>()) {
    int64_t dim = value.getSignificantBits() > 64 ? -1 : value.getSExtValue();
    if (dim < 0 || dim >= in.getRank() || !seen.insert(dim).second)
      return fail("dimensions must be distinct and in [0, " +
                  Twine(in.getRank()) + ")");
    kernel.dimensions.push_back(dim);
  }
  if (kernel.dimensions.empty())
    return fail("dimensions must not be empty");
  llvm::sort(kernel.dimensions);
  SmallVector<int64_t> shape;
  for (auto [dim, size] : llvm::enumerate(in.getShape()))
    if (!llvm::is_contained(kernel.dimensions, static_cast<int64_t>(dim)))
      shape.push_back(size);
  return checkType(kernel.resultTypes[0], shape, in.getElementType(),
                   "the result");
}

LogicalResult KernelMatcher::matchTranspose() {
  RankedTensorType in = kernel.inputTypes[0];
  if (!isDataElementType(in.getElementType()))
    return fail("the input must have f16 or f32 elements");
  auto isPermutation = [&](ArrayRef<int64_t> values) {
    SmallVector<int64_t> sorted(values);
    llvm::sort(sorted);
    return llvm::equal(sorted, llvm::seq<int64_t>(0, in.getRank()));
  };
  FailureOr<std::optional<SmallVector<int64_t>>> permutation =
      getInts("permutation", {in.getRank()}, /*required=*/true);
  if (failed(permutation))
    return failure();
  if (!isPermutation(**permutation))
    return fail("permutation " + spellShape(**permutation) +
                " is not a permutation");
  // An XLA layout annotation carried along; transpose.cc checks only the
  // shapes, so it is accepted if well formed and otherwise ignored.
  FailureOr<std::optional<SmallVector<int64_t>>> minorToMajor =
      getInts("minor_to_major", {in.getRank()}, /*required=*/false);
  if (failed(minorToMajor))
    return failure();
  if (*minorToMajor && !isPermutation(**minorToMajor))
    return fail("minor_to_major is not a permutation");
  kernel.dimensions = **permutation;
  SmallVector<int64_t> shape;
  for (int64_t dim : kernel.dimensions)
    shape.push_back(in.getDimSize(dim));
  return checkType(kernel.resultTypes[0], shape, in.getElementType(),
                   "the result");
}
