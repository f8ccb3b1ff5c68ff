//===- CallInlining.h - calls to defined functions, inlined ------*- C++ -*-===//
//
// The lowering inlines every call to a defined function before it
// bufferizes (lib/Pipelines/Bufferization.cpp), so what a step holds while a
// helper runs is the helper's body inlined into the step. The memory report
// estimates that step, on an inlined copy; the rewrite inlines checkpointed
// calls the same way.
//
//===----------------------------------------------------------------------===//

#ifndef CKPT_ANALYSIS_CALLINLINING_H
#define CKPT_ANALYSIS_CALLINLINING_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"
#include "mlir/IR/PatternMatch.h"

namespace mlir::ckpt {

/// Inlines `callee`'s body in place of `call` and erases the call: through
/// MLIR's inliner interfaces (`inlineCall`) where every op of the callee has
/// one, otherwise, for a single-block callee, by cloning its ops before the
/// call and forwarding the returned values (e.g. `mpi` ops, which have no
/// inliner interface). Fails, changing nothing, for a multi-block callee
/// without interfaces.
LogicalResult inlineCallee(RewriterBase &rewriter, func::CallOp call,
                           func::FuncOp callee);

/// A copy of `func`'s module in which every call in `func`'s body (nested
/// ones too) to a function defined in the module is inlined, recursively,
/// as the lowering's inliner pass does (calls marked `no_inline` stay);
/// `inlined` is set to the copy of `func`. Null, with `inlined` untouched,
/// when `func` has no such call, is not in a module, or inlining fails or
/// goes on past 10000 calls (a recursive call graph).
OwningOpRef<ModuleOp> cloneWithCallsInlined(func::FuncOp func,
                                            func::FuncOp &inlined);

} // namespace mlir::ckpt

#endif // CKPT_ANALYSIS_CALLINLINING_H
