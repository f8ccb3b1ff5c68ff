//===- BufferizableOpInterfaceImpl.h - bufferizing ckpt ops ------*- C++
//-*-===//

#ifndef CKPT_DIALECT_CKPT_TRANSFORMS_BUFFERIZABLEOPINTERFACEIMPL_H
#define CKPT_DIALECT_CKPT_TRANSFORMS_BUFFERIZABLEOPINTERFACEIMPL_H

namespace mlir {
class DialectRegistry;
namespace ckpt {
/// Registers the bufferization model of `ckpt.barrier`: each tensor input
/// bufferizes to its buffer and the result is equivalent to it (no read, no
/// write, no copy), except an input that is a `tensor.empty`: its contents
/// are undefined, so the result gets a fresh allocation and the forward's
/// buffer is not kept alive until the recompute. The barrier survives on
/// memrefs until `ckpt-strip-barriers` (rationale §6: barriers are removed
/// after bufferization).
void registerBufferizableOpInterfaceExternalModels(DialectRegistry &registry);
} // namespace ckpt
} // namespace mlir

#endif // CKPT_DIALECT_CKPT_TRANSFORMS_BUFFERIZABLEOPINTERFACEIMPL_H
