//===- KernelMatcher.h - the ByteIR kernel matcher, private -------*- C++ -*-===//
//
// Shared by LibraryKernelMatcher.cpp (decoding, attribute readers, the
// driver) and LibraryKernelFamilies.cpp (one matcher per kernel family).
//
//===----------------------------------------------------------------------===//

#ifndef CKPT_LIB_ANALYSIS_KERNELMATCHER_H
#define CKPT_LIB_ANALYSIS_KERNELMATCHER_H

#include "ckpt/Analysis/LibraryKernels.h"

#include "mlir/IR/Diagnostics.h"

#include <optional>
#include <string>

namespace mlir::ckpt::byteir {
/// Decodes and checks one call; every check returns failure() after
/// emitting its error (when asked to).
class KernelMatcher {
public:
  KernelMatcher(Operation *op, bool emitErrors)
      : op(op), emitErrors(emitErrors) {}

  FailureOr<LibraryKernel> match();

private:
  LogicalResult fail(const Twine &message) {
    if (emitErrors)
      op->emitError() << "ByteIR kernel '" << kernel.computeName
                      << "': " << message;
    return failure();
  }

  LogicalResult matchNameAndTypes();
  LogicalResult checkAttributeNames();
  LogicalResult matchConvolution();
  LogicalResult matchBatchNorm();
  LogicalResult matchPool();
  LogicalResult matchMatmul();
  LogicalResult matchReduce();
  LogicalResult matchTranspose();

  // Attribute readers: `required` attributes must be present; an absent
  // optional one yields nullopt.
  FailureOr<std::optional<SmallVector<int64_t>>>
  getInts(StringRef name, ArrayRef<int64_t> shape, bool required);
  FailureOr<std::optional<int64_t>> getInt(StringRef name, bool required);
  LogicalResult checkString(StringRef name, StringRef expected);
  LogicalResult checkAllOnes(StringRef name, ArrayRef<int64_t> shape);
  LogicalResult checkOptionalIntEquals(StringRef name, int64_t expected);

  LogicalResult checkRank(Type type, int64_t rank, StringRef what);
  LogicalResult checkType(Type type, ArrayRef<int64_t> shape, Type element,
                          StringRef what);
  LogicalResult checkWindowShape(int64_t in, int64_t out, int dim,
                                 StringRef what);

  Operation *op;
  bool emitErrors;
  LibraryKernel kernel;
};

/// `type` as diagnostics print it: 'tensor<4xf32>'.
std::string quoted(Type type);
/// `[2, 3]`.
std::string spellShape(ArrayRef<int64_t> shape);
/// f16 or f32: the element types of the graphs' data tensors.
bool isDataElementType(Type type);
} // namespace mlir::ckpt::byteir

#endif // CKPT_LIB_ANALYSIS_KERNELMATCHER_H
