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

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "llvm/ADT/MapVector.h"
#include "llvm/ADT/StringMap.h"
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
/// The "what matched" report of the save rules (policy, `save-ops`, each
/// region's `save` list), before anything changes: per checkpointed region
/// (and per checkpointed call, on its callee's body) a remark naming, for
/// each rule, the ops of its body it matched, by op name and count; and a
/// warning for each pass-wide rule (`policy`, a `save-ops` entry) that
/// matched no op in any region, and for a region `save` entry that matched
/// nothing in its region. Nothing when no rule is given.
void reportSaveRules(ModuleOp module, SavePolicy policy,
                     ArrayRef<std::string> saveOps, bool remarks) {
  bool withPolicy = policy != SavePolicy::RecomputeAll;
  llvm::StringMap<int64_t> passWideMatches;
  int64_t policyMatches = 0;
  bool anyRegion = false;
  SymbolTableCollection symbols;
  auto report = [&](Operation *anchor, StringRef name, Block &body,
                    ArrayAttr save) {
    anyRegion = true;
    // Rule -> op name -> count, in the order the rules are given.
    SmallVector<std::pair<std::string, llvm::MapVector<StringRef, int64_t>>>
        rules;
    if (withPolicy)
      rules.push_back({"policy save-contractions", {}});
    SmallVector<std::string> names;
    if (save)
      for (StringRef entry : save.getAsValueRange<StringAttr>())
        names.push_back(entry.str());
    for (const std::string &entry : saveOps)
      names.push_back(entry);
    if (rules.empty() && names.empty())
      return;
    for (const std::string &entry : names)
      rules.push_back({"save '" + entry + "'", {}});
    for (Operation &op : body.without_terminator()) {
      StringRef opName = op.getName().getStringRef();
      size_t rule = 0;
      if (withPolicy) {
        if (isContractionOp(&op)) {
          ++rules[0].second[opName];
          ++policyMatches;
        }
        rule = 1;
      }
      for (auto [k, entry] : llvm::enumerate(names))
        if (matchesSaveEntry(&op, entry)) {
          ++rules[rule + k].second[opName];
          if (k >= names.size() - saveOps.size())
            ++passWideMatches[entry];
        }
    }
    if (remarks) {
      InFlightDiagnostic diag = anchor->emitRemark();
      diag << "save rules of '" << name << "': ";
      llvm::interleave(
          rules, diag,
          [&](auto &rule) {
            diag << rule.first << " matched ";
            if (rule.second.empty()) {
              diag << "nothing";
              return;
            }
            llvm::interleave(
                rule.second, diag,
                [&](auto &entry) {
                  diag << entry.second << " " << entry.first;
                },
                ", ");
          },
          "; ");
    }
    // A region's own save entry that matches nothing in it.
    size_t regionEntries = names.size() - saveOps.size();
    for (size_t k = 0; k < regionEntries; ++k)
      if (rules[(withPolicy ? 1 : 0) + k].second.empty())
        anchor->emitWarning()
            << "'save' entry '" << names[k] << "' of '" << name
            << "' matches no op of its body";
  };
  module.walk([&](Operation *op) {
    if (auto region = dyn_cast<CheckpointOp>(op)) {
      report(region, region.getDisplayName(), region.getBodyBlock(),
             region.getSaveAttr());
      return;
    }
    auto call = dyn_cast<func::CallOp>(op);
    if (!call || !call->hasAttr(CkptDialect::getCheckpointAttrName()))
      return;
    auto callee = dyn_cast_if_present<func::FuncOp>(
        call.resolveCallableInTable(&symbols));
    if (callee && !callee.isExternal() && callee.getBody().hasOneBlock())
      report(call, call.getCallee(), callee.getBody().front(), ArrayAttr());
  });
  if (!anyRegion)
    return;
  if (withPolicy && policyMatches == 0)
    emitWarning(module.getLoc())
        << "policy 'save-contractions' matches no op in any checkpointed "
           "region";
  for (const std::string &entry : saveOps)
    if (!passWideMatches.lookup(entry))
      emitWarning(module.getLoc())
          << "'save-ops' entry '" << entry
          << "' matches no op in any checkpointed region";
}

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
      if (StringRef(name).starts_with("@") && name.size() > 1)
        continue; // a callee: checked by the "matches nothing" warning
      auto [dialect, op] = StringRef(name).split('.');
      if (dialect.empty() || op.empty()) {
        emitError(module.getLoc()) << "invalid 'save-ops' entry '" << name
                                   << "': expected an op name 'dialect.op' "
                                      "or a callee '@name'";
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
          if (!name.starts_with("@") &&
              !getContext().getLoadedDialect(name.split('.').first))
            region.emitWarning()
                << "'save' entry '" << name << "' matches nothing: no op of "
                << "the '" << name.split('.').first
                << "' dialect is in the module";
    });
    reportSaveRules(module, policy, saveOps,
                    remarks != RemarkLevel::None);
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
