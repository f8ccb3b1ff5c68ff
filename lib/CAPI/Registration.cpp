//===- Registration.cpp - registering ckpt from C ---------------*- C++ -*-===//

#include "ckpt-c/Registration.h"

#include "ckpt/InitAllCkpt.h"
#include "mlir/CAPI/IR.h"

#include <mutex>

void ckptRegisterDialects(MlirDialectRegistry registry) {
  mlir::ckpt::registerAllCkptDialects(*unwrap(registry));
}

void ckptRegisterPasses(void) {
  // Pipelines registered twice abort in builds with assertions.
  static std::once_flag once;
  std::call_once(once, [] { mlir::ckpt::registerAllCkptPasses(); });
}
