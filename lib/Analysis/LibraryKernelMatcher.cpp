//===- LibraryKernelMatcher.cpp - recognize and validate ByteIR kernels ---===//
//
// matchLibraryKernel: decodes a call's byre_compute_name, types and
// attributes against the kernel table and checks every value the rewrite
// and the cost model rely on. Sources (bytedance/byteir @0e83d42b) are
// named at each rule.
//
//===----------------------------------------------------------------------===//

#include "KernelMatcher.h"

#include "mlir/IR/Diagnostics.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallSet.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;
using namespace mlir::ckpt;
using namespace mlir::ckpt::byteir;

//===----------------------------------------------------------------------===//
// Matching
//===----------------------------------------------------------------------===//


static std::string spellType(Type type) {
  std::string text;
  llvm::raw_string_ostream os(text);
  os << type;
  return text;
}

std::string byteir::quoted(Type type) { return "'" + spellType(type) + "'"; }

std::string byteir::spellShape(ArrayRef<int64_t> shape) {
  return "[" +
         llvm::join(llvm::map_range(
                        shape, [](int64_t d) { return std::to_string(d); }),
                    ", ") +
         "]";
}

bool byteir::isDataElementType(Type type) {
  return type.isF16() || type.isF32();
}

LogicalResult KernelMatcher::matchNameAndTypes() {
  StringRef name = kernel.computeName;
  for (const LibraryKernelSpec &spec : getLibraryKernelTable())
    if (name.starts_with(spec.name) && name.size() > spec.name.size() &&
        name[spec.name.size()] == '_')
      kernel.spec = &spec;
  if (!kernel.spec) {
    std::string known =
        llvm::join(llvm::map_range(
                       getLibraryKernelTable(),
                       [](const LibraryKernelSpec &s) { return s.name.str(); }),
                   ", ");
    return fail("unknown kernel (known: " + known + ")");
  }
  const LibraryKernelSpec &spec = *kernel.spec;
  kernel.kind = spec.kind;

  unsigned numResults = op->getNumResults();
  if (numResults < spec.minResults || numResults > spec.maxResults ||
      (spec.kind == LibraryKernelKind::BatchNormTraining && numResults == 2))
    return fail("unsupported number of results " + Twine(numResults));
  if (op->getNumOperands() != spec.numInputs + numResults)
    return fail("expected " + Twine(spec.numInputs) + " inputs and " +
                Twine(numResults) +
                " destination operands (one per result), got " +
                Twine(op->getNumOperands()) + " operands");
  auto asStaticTensor = [&](Type type,
                            const Twine &what) -> FailureOr<RankedTensorType> {
    auto tensor = dyn_cast<RankedTensorType>(type);
    if (!tensor || !tensor.hasStaticShape())
      return fail(what + " must be a statically shaped tensor, got " +
                  quoted(type));
    return tensor;
  };
  for (auto [i, type] : llvm::enumerate(op->getOperandTypes())) {
    if (i >= spec.numInputs) {
      // byre's destination-passing style: destination k has result k's type.
      if (type != op->getResultTypes()[i - spec.numInputs])
        return fail("destination operand " + Twine(i) + " has type " +
                    quoted(type) + ", result " + Twine(i - spec.numInputs) +
                    " " + quoted(op->getResultTypes()[i - spec.numInputs]));
      continue;
    }
    FailureOr<RankedTensorType> tensor =
        asStaticTensor(type, "input " + Twine(i));
    if (failed(tensor))
      return failure();
    kernel.inputTypes.push_back(*tensor);
  }
  for (auto [i, type] : llvm::enumerate(op->getResultTypes())) {
    FailureOr<RankedTensorType> tensor =
        asStaticTensor(type, "result " + Twine(i));
    if (failed(tensor))
      return failure();
    kernel.resultTypes.push_back(*tensor);
  }

  // The suffix spells the element types: "<inputs>_<results>".
  std::string expected = "_";
  for (RankedTensorType type : kernel.inputTypes)
    expected += spellType(type.getElementType());
  expected += "_";
  for (RankedTensorType type : kernel.resultTypes)
    expected += spellType(type.getElementType());
  StringRef suffix = name.drop_front(spec.name.size());
  if (suffix != expected)
    return fail("the name's type suffix '" + suffix +
                "' does not match the operand and result element types ('" +
                expected + "')");
  return success();
}

LogicalResult KernelMatcher::checkAttributeNames() {
  ArrayRef<StringRef> accepted = kernel.spec->attributes;
  for (NamedAttribute attr : op->getDiscardableAttrs()) {
    StringRef name = attr.getName().getValue();
    if (name == kByreComputeNameAttrName || name.contains('.'))
      continue;
    if (!llvm::is_contained(accepted, name))
      return fail("unsupported attribute '" + name +
                  "' (accepted: " + llvm::join(accepted, ", ") + ")");
  }
  return success();
}

FailureOr<std::optional<SmallVector<int64_t>>>
KernelMatcher::getInts(StringRef name, ArrayRef<int64_t> shape, bool required) {
  Attribute attr = op->getAttr(name);
  if (!attr) {
    if (required)
      return fail("missing attribute '" + name + "'");
    return std::optional<SmallVector<int64_t>>();
  }
  auto elements = dyn_cast<DenseIntElementsAttr>(attr);
  if (!elements || elements.getType().getShape() != shape)
    return fail("attribute '" + name +
                "' must be a dense integer tensor of shape " +
                spellShape(shape));
  // Any integer width (ByteIR writes i64, other producers i32): read as
  // APInt, sign-extended.
  SmallVector<int64_t> values;
  for (const APInt &value : elements.getValues<APInt>()) {
    if (value.getSignificantBits() > 64)
      return fail("attribute '" + name + "' holds a value beyond 64 bits");
    values.push_back(value.getSExtValue());
  }
  return std::optional<SmallVector<int64_t>>(std::move(values));
}

FailureOr<std::optional<int64_t>> KernelMatcher::getInt(StringRef name,
                                                        bool required) {
  Attribute attr = op->getAttr(name);
  if (!attr) {
    if (required)
      return fail("missing attribute '" + name + "'");
    return std::optional<int64_t>();
  }
  auto integer = dyn_cast<IntegerAttr>(attr);
  if (!integer)
    return fail("attribute '" + name + "' must be an integer");
  return std::optional<int64_t>(integer.getInt());
}

LogicalResult KernelMatcher::checkString(StringRef name, StringRef expected) {
  auto attr = op->getAttrOfType<StringAttr>(name);
  if (!attr)
    return fail("missing string attribute '" + name + "'");
  if (attr.getValue() != expected)
    return fail("unsupported " + name + " \"" + attr.getValue() +
                "\" (supported: \"" + expected + "\")");
  return success();
}

LogicalResult KernelMatcher::checkAllOnes(StringRef name,
                                          ArrayRef<int64_t> shape) {
  FailureOr<std::optional<SmallVector<int64_t>>> values =
      getInts(name, shape, /*required=*/false);
  if (failed(values))
    return failure();
  if (*values && llvm::any_of(**values, [](int64_t v) { return v != 1; }))
    return fail("unsupported " + name + " " + spellShape(**values) +
                " (supported: all 1)");
  return success();
}

LogicalResult KernelMatcher::checkOptionalIntEquals(StringRef name,
                                                    int64_t expected) {
  FailureOr<std::optional<int64_t>> value = getInt(name, /*required=*/false);
  if (failed(value))
    return failure();
  if (*value && **value != expected)
    return fail("unsupported " + name + " " + Twine(**value) +
                " (supported: " + Twine(expected) + ")");
  return success();
}

LogicalResult KernelMatcher::checkRank(Type type, int64_t rank,
                                       StringRef what) {
  auto tensor = cast<RankedTensorType>(type);
  if (tensor.getRank() != rank)
    return fail(what + " must have rank " + Twine(rank) + ", got " +
                quoted(type));
  if (!isDataElementType(tensor.getElementType()))
    return fail(what + " must have f16 or f32 elements, got " + quoted(type));
  return success();
}

LogicalResult KernelMatcher::checkType(Type type, ArrayRef<int64_t> shape,
                                       Type element, StringRef what) {
  auto tensor = cast<RankedTensorType>(type);
  if (tensor.getShape() != shape || tensor.getElementType() != element)
    return fail(what + " must be " +
                quoted(RankedTensorType::get(shape, element)) + ", got " +
                quoted(type));
  return success();
}

/// Output size of a window of `window[dim]` sliding with `strides[dim]`
/// over `in` padded by `padding[dim]` on both sides: floor((I + 2p - K) / s)
/// + 1 (math_helper.cc `conv::DeduceOutputShape`, the pooling descriptor
/// alike).
LogicalResult KernelMatcher::checkWindowShape(int64_t in, int64_t out, int dim,
                                              StringRef what) {
  int64_t k = kernel.window[dim], s = kernel.strides[dim],
          p = kernel.padding[dim];
  int64_t padded = in + 2 * p;
  if (padded < k || (padded - k) / s + 1 != out)
    return fail(what + ": a window of " + Twine(k) + " with stride " +
                Twine(s) + " and padding " + Twine(p) + " over " + Twine(in) +
                " gives " +
                (padded < k ? Twine("nothing") : Twine((padded - k) / s + 1)) +
                ", not " + Twine(out));
  return success();
}

FailureOr<LibraryKernel> KernelMatcher::match() {
  std::optional<StringRef> name = getByreComputeName(op);
  if (!name) {
    if (emitErrors)
      op->emitError() << "expected a '" << kByreComputeNameAttrName
                      << "' string attribute";
    return failure();
  }
  kernel.computeName = *name;
  if (failed(matchNameAndTypes()) || failed(checkAttributeNames()))
    return failure();
  LogicalResult result = failure();
  switch (kernel.kind) {
  case LibraryKernelKind::Conv:
  case LibraryKernelKind::ConvBackwardData:
  case LibraryKernelKind::ConvBackwardFilter:
    result = matchConvolution();
    break;
  case LibraryKernelKind::BatchNormTraining:
  case LibraryKernelKind::BatchNormGrad:
    result = matchBatchNorm();
    break;
  case LibraryKernelKind::PoolMax:
  case LibraryKernelKind::PoolMaxGrad:
    result = matchPool();
    break;
  case LibraryKernelKind::Matmul:
    result = matchMatmul();
    break;
  case LibraryKernelKind::ReduceSum:
  case LibraryKernelKind::ReduceMax:
    result = matchReduce();
    break;
  case LibraryKernelKind::Transpose:
    result = matchTranspose();
    break;
  }
  if (failed(result))
    return failure();
  return kernel;
}

FailureOr<LibraryKernel> mlir::ckpt::matchLibraryKernel(Operation *op,
                                                        bool emitErrors) {
  return KernelMatcher(op, emitErrors).match();
}
