//===- CostModel.cpp - byte sizes of values ---------------------*- C++ -*-===//

#include "ckpt/Analysis/CostModel.h"

#include "mlir/IR/BuiltinTypes.h"

using namespace mlir;

std::optional<int64_t> mlir::ckpt::getStaticSizeInBytes(Type type) {
  if (auto shaped = dyn_cast<ShapedType>(type)) {
    if (!shaped.hasStaticShape())
      return std::nullopt;
    std::optional<int64_t> element =
        getStaticSizeInBytes(shaped.getElementType());
    if (!element)
      return std::nullopt;
    return shaped.getNumElements() * *element;
  }
  if (isa<IndexType>(type))
    return 8;
  if (auto complex = dyn_cast<ComplexType>(type)) {
    std::optional<int64_t> part = getStaticSizeInBytes(complex.getElementType());
    return part ? std::optional<int64_t>(2 * *part) : std::nullopt;
  }
  if (type.isIntOrFloat())
    return (type.getIntOrFloatBitWidth() + 7) / 8;
  return std::nullopt;
}
