//===- Bufferization.cpp - the bufferization both pipelines share -------===//

#include "PipelineHelpers.h"

#include "ckpt/Dialect/Ckpt/Transforms/Passes.h"
#include "ckpt/Runner/Passes.h"
#include "ckpt/Transforms/Passes.h"
#include "mlir/Conversion/Passes.h"
#include "mlir/Dialect/Bufferization/Pipelines/Passes.h"
#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Transforms/Passes.h"

using namespace mlir;

void mlir::ckpt::detail::addTensorPreparation(OpPassManager &pm,
                                               bool inlineCalls) {
  // A module with checkpoint regions or annotations left is refused with
  // the pass to run first (instead of "op was not bufferized").
  pm.addPass(ckpt::createCkptCheckLoweringInput());
  // Calls to defined functions: buffers handed to a callee or returned by
  // it cannot be freed early (ownership-based deallocation frees them at
  // the end of the caller's block, or clones them), so helpers are
  // inlined, as the memory report counts them. Calls marked `no_inline`
  // (the runner's call of the step) stay. No simplification pipeline:
  // only the inlining itself.
  if (inlineCalls) {
    pm.addPass(createInlinerPass(
        /*opPipelines=*/{}, /*defaultPipelineBuilder=*/[](OpPassManager &) {}));
    pm.addPass(createSymbolDCEPass());
  }
  // arith/math ops applied to whole tensors become linalg.generic ops,
  // each result in a buffer of its own.
  pm.addNestedPass<func::FuncOp>(ckpt::createCkptElementwiseToLinalg());
  // linalg.softmax and other aggregate ops have no loop lowering.
  pm.addPass(ckpt::createCkptDecomposeAggregateOps());
  // One buffer per empty tensor's user, not one shared across the step.
  pm.addPass(ckpt::createCkptCloneEmptyTensors());
}

void mlir::ckpt::detail::addBufferization(
    OpPassManager &pm, const std::optional<RunnerMain> &runner,
    bool inlineCalls) {
  addTensorPreparation(pm, inlineCalls);
  bufferization::OneShotBufferizePassOptions options;
  // A loop over layers yields a freshly computed activation each
  // iteration: a new buffer, not the iter_arg's.
  options.allowReturnAllocsFromLoops = true;
  // The step and its callers exchange buffers, not tensors, so that the
  // runner (and any host code) can call it.
  options.bufferizeFunctionBoundaries = true;
  options.functionBoundaryTypeConversion =
      bufferization::LayoutMapOption::IdentityLayoutMap;
  // Results of scf.if, scf.for and scf.while get identity layouts too:
  // with upstream's default (fully dynamic strides) a returned branch
  // result is copied once more into an identity-layout buffer, a buffer the
  // memory report does not see (corpus scf-if.mlir: measured 164160 bytes,
  // estimated 131072). A view yielded from a branch is copied inside it.
  options.unknownTypeConversion =
      bufferization::LayoutMapOption::IdentityLayoutMap;
  pm.addPass(bufferization::createOneShotBufferizePass(options));
  // The driver works on host buffers and calls only the runtime library,
  // so a GPU lowering leaves it on the host.
  if (runner) {
    ckpt::CkptRunnerMainOptions main;
    main.entry = runner->entry;
    main.buffers = true;
    main.device = runner->device;
    pm.addPass(ckpt::createCkptRunnerMain(main));
  }
  // Only now: until buffers exist, cse could fold a recompute back.
  pm.addPass(ckpt::createCkptStripBarriers());
  // Frees every buffer (at the end of its block): upstream's
  // buffer-deallocation-pipeline, with ckpt-fresh-result-ownership after
  // each of two rounds of simplification: the first makes the ownership
  // that loops and branches yield constants, the pass then makes a fresh
  // result owned (folding the clone-or-not scf.if of a return), the second
  // round drops the result from the memrefs that retain it, and the pass
  // drops it from the retain lists, frees provably distinct buffers one by
  // one and forwards loop inits. So a loop over layers that runs at least
  // once, or a two-way branch, owns what it yields ...
  pm.addNestedPass<func::FuncOp>(
      memref::createExpandReallocPass({/*emitDeallocs=*/false}));
  pm.addNestedPass<func::FuncOp>(createCanonicalizerPass());
  pm.addNestedPass<func::FuncOp>(
      bufferization::createOwnershipBasedBufferDeallocationPass());
  pm.addNestedPass<func::FuncOp>(createCanonicalizerPass());
  pm.addNestedPass<func::FuncOp>(
      bufferization::createBufferDeallocationSimplificationPass());
  pm.addNestedPass<func::FuncOp>(ckpt::createCkptFreshResultOwnership());
  pm.addNestedPass<func::FuncOp>(createCanonicalizerPass());
  pm.addNestedPass<func::FuncOp>(
      bufferization::createBufferDeallocationSimplificationPass());
  pm.addNestedPass<func::FuncOp>(ckpt::createCkptFreshResultOwnership());
  pm.addPass(bufferization::createLowerDeallocationsPass());
  pm.addNestedPass<func::FuncOp>(createCSEPass());
  pm.addNestedPass<func::FuncOp>(createCanonicalizerPass());
  // ... then allocates each just before its first use and frees it right
  // after its last use, the liveness the memory report estimates;
  // otherwise nothing would be freed before the step returns.
  pm.addPass(ckpt::createCkptShrinkBufferLifetimes());
  // Copies that deallocation left for buffers a function returns without
  // owning them (an argument updated in place, a split forward saving its
  // own input) become memref.alloc + memref.copy.
  pm.addPass(createConvertBufferizationToMemRefPass());
}
