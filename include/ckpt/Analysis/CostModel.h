//===- CostModel.h - byte sizes of values ------------------------*- C++ -*-===//
//
// The byte model of DESIGN §5, shared by remarks and reports.
//
//===----------------------------------------------------------------------===//

#ifndef CKPT_ANALYSIS_COSTMODEL_H
#define CKPT_ANALYSIS_COSTMODEL_H

#include "mlir/IR/Types.h"
#include <optional>

namespace mlir::ckpt {

/// Bytes taken by one value of `type`: static element count × element size
/// for ranked tensors, memrefs and vectors; the element size for scalars.
/// Element size is ceil(bit width / 8) (i1 takes one byte, as in a memref);
/// `index` counts 8 bytes (64-bit targets); complex counts both parts.
/// Returns std::nullopt for dynamic shapes, unranked types and types with no
/// size (e.g. tokens).
std::optional<int64_t> getStaticSizeInBytes(Type type);

} // namespace mlir::ckpt

#endif // CKPT_ANALYSIS_COSTMODEL_H
