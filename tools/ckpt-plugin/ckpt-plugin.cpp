//===- ckpt-plugin.cpp - ckpt as an mlir-opt plugin -------------*- C++ -*-===//
//
// A dialect and pass plugin for any MLIR 22 tool built with plugin support
// (`mlir-opt --load-dialect-plugin=libCkptPlugin.so
// --load-pass-plugin=libCkptPlugin.so`), as upstream's
// standalone-plugin: the dialect plugin registers the ckpt dialect and its
// external models, the pass plugin every ckpt pass and both pipelines.
//
// The plugin loads while the command line is parsed, after the host's pass
// flags were created: its passes are reached through `--pass-pipeline`
// (`builtin.module(ckpt-rematerialize,...)`), not as `--ckpt-...` flags.
//
//===----------------------------------------------------------------------===//

#include "ckpt/InitAllCkpt.h"
#include "mlir/Tools/Plugins/DialectPlugin.h"
#include "mlir/Tools/Plugins/PassPlugin.h"
#include "llvm/Support/Compiler.h"

/// The dialect plugin: the ckpt dialect and its interface models.
extern "C" LLVM_ATTRIBUTE_WEAK mlir::DialectPluginLibraryInfo
mlirGetDialectPluginInfo() {
  return {MLIR_PLUGIN_API_VERSION, "Ckpt", CKPT_VERSION,
          [](mlir::DialectRegistry *registry) {
            mlir::ckpt::registerAllCkptDialects(*registry);
          }};
}

/// The pass plugin: every ckpt pass (the memory report included) and the
/// ckpt-lower-to-cpu and ckpt-lower-to-nvvm pipelines.
extern "C" LLVM_ATTRIBUTE_WEAK mlir::PassPluginLibraryInfo
mlirGetPassPluginInfo() {
  return {MLIR_PLUGIN_API_VERSION, "CkptPasses", CKPT_VERSION,
          [] { mlir::ckpt::registerAllCkptPasses(); }};
}
