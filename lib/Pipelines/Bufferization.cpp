//===- Bufferization.cpp - the bufferization both pipelines share -------===//

#include "PipelineHelpers.h"

#include "ckpt/Dialect/Ckpt/Transforms/Passes.h"
#include "ckpt/Runner/Passes.h"
#include "ckpt/Transforms/Passes.h"
#include "mlir/Dialect/Bufferization/Pipelines/Passes.h"
#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Pass/PassManager.h"

using namespace mlir;

void mlir::ckpt::detail::addBufferization(
    OpPassManager &pm, const std::optional<RunnerMain> &runner) {
  bufferization::OneShotBufferizePassOptions options;
  // The step and its callers exchange buffers, not tensors, so that the
  // runner (and any host code) can call it.
  options.bufferizeFunctionBoundaries = true;
  options.functionBoundaryTypeConversion =
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
  // Frees every buffer (at the end of its block) ...
  bufferization::buildBufferDeallocationPipeline(pm);
  // ... then allocates each just before its first use and frees it right
  // after its last use, the liveness the memory report estimates;
  // otherwise nothing would be freed before the step returns.
  pm.addPass(ckpt::createCkptShrinkBufferLifetimes());
}
