//===- RematerializePass.cpp - the ckpt-rematerialize pass ------*- C++ -*-===//
//
// The pass over `rematerialize` (Rematerialize.h): options, remarks,
// statistics.
//
//===----------------------------------------------------------------------===//

#include "ckpt/Dialect/Ckpt/IR/CkptDialect.h"
#include "ckpt/Dialect/Ckpt/IR/CkptOps.h"
#include "ckpt/Dialect/Ckpt/Transforms/Passes.h"
#include "ckpt/Dialect/Ckpt/Transforms/Rematerialize.h"

#include "llvm/Support/DebugLog.h"
#include "llvm/Support/Regex.h"

namespace mlir::ckpt {
#define GEN_PASS_DEF_CKPTREMATERIALIZE
#include "ckpt/Dialect/Ckpt/Transforms/Passes.h.inc"
} // namespace mlir::ckpt

using namespace mlir;
using namespace mlir::ckpt;

#define DEBUG_TYPE "ckpt-rematerialize"

namespace {
struct CkptRematerializePass
    : public ckpt::impl::CkptRematerializeBase<CkptRematerializePass> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    // Whole-name match, as for a symbol filter.
    llvm::Regex assumePureRegex("^(" + assumePure + ")$");
    std::string error;
    if (!assumePure.empty() && !assumePureRegex.isValid(error)) {
      emitError(module.getLoc())
          << "invalid 'assume-pure' regex '" << assumePure << "': " << error;
      return signalPassFailure();
    }
    llvm::Regex collectivesRegex("^(" + collectives + ")$");
    if (!collectives.empty() && !collectivesRegex.isValid(error)) {
      emitError(module.getLoc())
          << "invalid 'collectives' regex '" << collectives << "': " << error;
      return signalPassFailure();
    }
    if (dynamicDimSize < 1) {
      emitError(module.getLoc())
          << "'dynamic-dim-size' must be at least 1, got "
          << static_cast<int64_t>(dynamicDimSize);
      return signalPassFailure();
    }
    for (const std::string &name : saveOps) {
      auto [dialect, op] = StringRef(name).split('.');
      if (dialect.empty() || op.empty()) {
        emitError(module.getLoc()) << "invalid 'save-ops' entry '" << name
                                   << "': expected an op name 'dialect.op'";
        return signalPassFailure();
      }
      if (!getContext().getLoadedDialect(dialect)) {
        emitWarning(module.getLoc())
            << "'save-ops' entry '" << name << "' matches nothing: no op of "
            << "the '" << dialect << "' dialect is in the module";
        continue;
      }
      if (!RegisteredOperationName::lookup(name, &getContext())) {
        emitError(module.getLoc()) << "invalid 'save-ops' entry '" << name
                                   << "': the '" << dialect
                                   << "' dialect has no such op";
        return signalPassFailure();
      }
    }
    // Region `save` entries of a dialect that is not loaded cannot be
    // checked (the verifier checks the others): they match nothing.
    module.walk([&](CheckpointOp region) {
      if (ArrayAttr save = region.getSaveAttr())
        for (StringRef name : save.getAsValueRange<StringAttr>())
          if (!getContext().getLoadedDialect(name.split('.').first))
            region.emitWarning()
                << "'save' entry '" << name << "' matches nothing: no op of "
                << "the '" << name.split('.').first
                << "' dialect is in the module";
    });
    RematerializeOptions options;
    options.policy = policy;
    options.saveOps.assign(saveOps.begin(), saveOps.end());
    options.assumePure = assumePure.empty() ? nullptr : &assumePureRegex;
    options.collectives.callees =
        collectives.empty() ? nullptr : &collectivesRegex;
    options.collectives.recompute = recomputeCollectives;
    options.force = force;
    options.cost.dynamicDimSize = dynamicDimSize;
    RematerializeStatistics statistics{&numRegions,      &numDroppedValues,
                                       &numDroppedBytes, &numSavedValues,
                                       &numClonedOps,    &numBarriers};
    IRRewriter rewriter(&getContext());
    FailureOr<std::vector<RematerializeRemark>> diagnostics =
        rematerialize(rewriter, module, options, statistics);
    if (failed(diagnostics))
      return signalPassFailure();
#ifndef NDEBUG
    // The post-condition is ckpt-verify's job in a pipeline; builds with
    // assertions also check it here.
    if (failed(verifyNoDroppedValueInBackward(module))) {
      emitError(module.getLoc())
          << "internal error: the rewritten module fails ckpt-verify";
      return signalPassFailure();
    }
#endif
    LDBG() << diagnostics->size() << " remarks";
    for (RematerializeRemark &remark : *diagnostics) {
      if (!remark.isShownAt(remarks))
        continue;
      InFlightDiagnostic diag =
          remark.kind == RematerializeRemark::Kind::Warning
              ? emitWarning(remark.loc)
              : emitRemark(remark.loc);
      diag << remark.message;
      for (auto &[loc, note] : remark.notes)
        diag.attachNote(loc) << note;
    }
    if (diagnostics->empty())
      markAllAnalysesPreserved();
  }
};
} // namespace
