//===- ckpt-fuzz.cpp - libFuzzer target over the ckpt passes --------------===//
//
// A crash fuzzer (issue 19): each input is MLIR text. Inputs that do not
// parse or verify are skipped; the others go through a few ckpt pass
// pipelines, each on a clone of the module. A pass that fails with a
// diagnostic is fine; a crash, an abort, an AddressSanitizer report or a
// pass that succeeds but leaves IR the verifier rejects is a finding (the
// latter aborts with "ckpt-fuzz: IR invalid after pass ...").
//
// LLVMFuzzerCustomMutator mutates the IR rather than the bytes when the
// input parses: it wraps ranges of ops in ckpt.checkpoint regions, inlines
// and nests regions, edits save lists and ckpt.forward_results, swaps and
// rewires operands, duplicates and drops ops, then prints the module back.
// Inputs that do not parse get libFuzzer's byte mutator.
//
// Built only with -DCKPT_BUILD_FUZZER=ON and clang (docs/testing.md).
//
// Environment:
//   CKPT_FUZZ_STRICT_VERIFY=1  also abort when ckpt-verify rejects the
//                              output of a ckpt-rematerialize that succeeded
//                              on an input ckpt-verify accepted (off by
//                              default: such failures are diagnostics).
//   CKPT_FUZZ_SKIP_KNOWN=1     skip inputs that hit a known, reported bug
//                              (knownBug below), so that a long run looks
//                              for new ones instead of finding it again.
//   CKPT_FUZZ_MUTATOR_DUMP=DIR before each IR mutation, write its input
//                              and seed to DIR/mutator-<pid>.{mlir,seed}: a
//                              crash in the mutator leaves an empty crash
//                              file, the last dump of its process is the
//                              input (libFuzzer's fork mode keeps no logs).
//   CKPT_FUZZ_REPLAY_MUTATOR=SEED  run the IR mutator with SEED on each
//                              input instead of the pipelines (replays a
//                              dump; triage.py --mutator-dumps).
//   CKPT_FUZZ_DEBUG=1          print diagnostics and the pipelines run.
//
//===----------------------------------------------------------------------===//

#include "ckpt/Analysis/TrainingStep.h"
#include "ckpt/Dialect/Ckpt/IR/CkptDialect.h"
#include "ckpt/Dialect/Ckpt/IR/CkptOps.h"
#include "ckpt/Dialect/Ckpt/Transforms/BufferizableOpInterfaceImpl.h"
#include "ckpt/Dialect/Ckpt/Transforms/Passes.h"
#include "ckpt/Dialect/Ckpt/Transforms/RegionUtils.h"
#include "ckpt/Conversion/MPIToLLVM/MPIToLLVM.h"
#include "ckpt/Tools/Passes.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/MPI/IR/MPI.h"
#include "mlir/Dialect/Shard/IR/ShardDialect.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/IR/Verifier.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassInstrumentation.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <random>
#include <string>
#include <unistd.h>
#include <vector>

using namespace mlir;

extern "C" size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size,
                                          size_t maxSize, unsigned int seed);
extern "C" size_t LLVMFuzzerMutate(uint8_t *data, size_t size,
                                   size_t maxSize);

namespace {

bool envFlag(const char *name) {
  const char *v = std::getenv(name);
  return v && *v && std::strcmp(v, "0") != 0;
}

/// The context, its registry and the global pass registrations, made once.
/// The context is replaced now and then (uniqued attributes and types from
/// mutated inputs accumulate in it otherwise).
struct FuzzState {
  DialectRegistry registry;
  std::unique_ptr<MLIRContext> context;
  uint64_t uses = 0;
  bool debug = envFlag("CKPT_FUZZ_DEBUG");
  bool strictVerify = envFlag("CKPT_FUZZ_STRICT_VERIFY");
  bool skipKnown = envFlag("CKPT_FUZZ_SKIP_KNOWN");

  FuzzState() {
    // As ckpt-opt: every upstream dialect and extension, and ckpt's
    // dialects with their interface models (InitAllCkpt.h's
    // registerAllCkptDialects).
    registerAllDialects(registry);
    registerAllExtensions(registry);
    registry.insert<ckpt::CkptDialect, mpi::MPIDialect, shard::ShardDialect>();
    ckpt::registerBufferizableOpInterfaceExternalModels(registry);
    ckpt::registerMPIMemoryEffectModels(registry);
    // The passes the pipelines name (parsePassPipeline reads the global
    // registry; ckpt-memory-report parses its nested pipeline with it).
    ckpt::registerCkptPasses();
    ckpt::registerCkptToolsPasses();
    registerTransformsPasses();
    fresh();
  }

  void fresh() {
    context = std::make_unique<MLIRContext>(registry,
                                            MLIRContext::Threading::DISABLED);
    context->loadAllAvailableDialects();
    context->allowUnregisteredDialects(false);
    uses = 0;
  }

  MLIRContext &get() {
    if (++uses > 20000)
      fresh();
    return *context;
  }
};

FuzzState &state() {
  static FuzzState *s = new FuzzState();
  return *s;
}

/// Swallows every diagnostic (printed with CKPT_FUZZ_DEBUG).
struct SilenceDiagnostics {
  ScopedDiagnosticHandler handler;
  explicit SilenceDiagnostics(MLIRContext &ctx)
      : handler(&ctx, [](Diagnostic &d) {
          if (state().debug)
            llvm::errs() << "ckpt-fuzz diag: " << d << "\n";
          return success();
        }) {}
};

OwningOpRef<ModuleOp> parse(MLIRContext &ctx, const uint8_t *data,
                            size_t size) {
  // A copy: the lexer reads the byte after the buffer (a NUL ends it).
  std::string text(reinterpret_cast<const char *>(data), size);
  ParserConfig config(&ctx);
  OwningOpRef<ModuleOp> module =
      parseSourceString<ModuleOp>(text, config, "fuzz-input");
  if (!module || failed(verify(*module)))
    return nullptr;
  return module;
}

/// Runs the MLIR verifier after every pass that succeeded and aborts when
/// it fails: a pass that reports success must leave valid IR.
struct VerifyAfterEachPass : public PassInstrumentation {
  void runAfterPass(Pass *pass, Operation *op) override {
    // (For triage.py: a crash in the verifier, on IR the pass left with
    // dangling references, then names the pass.)
    if (state().debug)
      llvm::errs() << "ckpt-fuzz: verifying after pass '"
                   << pass->getArgument() << "'\n";
    if (succeeded(verify(op)))
      return;
    std::fprintf(stderr,
                 "ckpt-fuzz: IR invalid after pass '%s' (it succeeded)\n",
                 pass->getArgument().str().c_str());
    if (state().debug)
      op->print(llvm::errs(), OpPrintingFlags().printGenericOpForm());
    std::fflush(stderr);
    std::abort();
  }
};

/// Runs `pipeline` (the contents of builtin.module(...)) on a clone of
/// `module`; returns whether it succeeded, the clone in `out` if given.
bool runPipeline(ModuleOp module, const std::string &pipeline,
                 OwningOpRef<ModuleOp> *out = nullptr) {
  MLIRContext *ctx = module.getContext();
  PassManager pm(ctx, ModuleOp::getOperationName(),
                 OpPassManager::Nesting::Implicit);
  // The built-in verifier fails the run without saying which pass broke
  // the IR; the instrumentation aborts instead.
  pm.enableVerifier(false);
  pm.addInstrumentation(std::make_unique<VerifyAfterEachPass>());
  if (failed(parsePassPipeline(pipeline, pm))) {
    std::fprintf(stderr, "ckpt-fuzz: bad pipeline %s\n", pipeline.c_str());
    std::abort();
  }
  if (state().debug)
    llvm::errs() << "ckpt-fuzz: running " << pipeline << "\n";
  OwningOpRef<ModuleOp> clone = module.clone();
  bool ok = succeeded(pm.run(*clone));
  if (state().debug) {
    llvm::errs() << "ckpt-fuzz: " << (ok ? "ok" : "failed") << "\n";
    clone->print(llvm::errs());
  }
  if (out)
    *out = std::move(clone);
  return ok;
}

uint64_t hashBytes(const uint8_t *data, size_t size) {
  uint64_t h = 1469598103934665603ull; // FNV-1a
  for (size_t i = 0; i < size; ++i)
    h = (h ^ data[i]) * 1099511628211ull;
  return h;
}

/// Known bugs, reported with a reproducer (CKPT_FUZZ_SKIP_KNOWN skips
/// inputs that have the pattern).
bool knownBug(ModuleOp module) {
  // test/fuzz/reproducers/inline-region-yields-block-argument.mlir:
  // inlineRegion (RegionUtils.cpp) replaces the region's results with a
  // block argument of the body it has just erased: a region that yields
  // one of its block arguments, or a checkpointed callee (the attribute on
  // the function or on a call) that returns one of its arguments.
  bool found = false;
  module.walk([&](ckpt::YieldOp yield) {
    for (Value v : yield.getOperands())
      if (auto arg = dyn_cast<BlockArgument>(v))
        if (arg.getOwner() == yield->getBlock())
          found = true;
  });
  llvm::DenseSet<StringRef> checkpointed;
  module.walk([&](Operation *op) {
    if (auto call = dyn_cast<func::CallOp>(op)) {
      if (call->hasAttr("ckpt.checkpoint"))
        checkpointed.insert(call.getCallee());
    } else if (auto f = dyn_cast<func::FuncOp>(op)) {
      if (f->hasAttr("ckpt.checkpoint"))
        checkpointed.insert(f.getSymName());
    }
  });
  module.walk([&](func::ReturnOp ret) {
    auto f = dyn_cast<func::FuncOp>(ret->getParentOp());
    if (!f || !checkpointed.contains(f.getSymName()))
      return;
    for (Value v : ret.getOperands())
      if (isa<BlockArgument>(v))
        found = true;
  });
  return found;
}

} // namespace

/// AddressSanitizer's defaults for this target (ASAN_OPTIONS overrides
/// them). libMLIR.so is not instrumented: a use after free inside it (a
/// value whose block a pass erased, read by the verifier) reads the stale
/// bytes of the quarantined block unnoticed. Filling freed memory makes
/// such reads see 0xbe bytes instead, so that they crash where they happen.
extern "C" const char *__asan_default_options() {
  return "max_free_fill_size=4096:free_fill_byte=190";
}

extern "C" int LLVMFuzzerInitialize(int *, char ***) {
  (void)state();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  FuzzState &s = state();
  MLIRContext &ctx = s.get();
  SilenceDiagnostics silence(ctx);
  if (const char *replay = std::getenv("CKPT_FUZZ_REPLAY_MUTATOR")) {
    std::vector<uint8_t> buf(data, data + size);
    buf.resize(std::max<size_t>(size * 4, 1 << 16));
    size_t n = LLVMFuzzerCustomMutator(buf.data(), size, buf.size(),
                                       std::strtoul(replay, nullptr, 10));
    std::fprintf(stderr, "ckpt-fuzz: mutator replay made %zu bytes\n", n);
    return 0;
  }
  OwningOpRef<ModuleOp> module = parse(ctx, data, size);
  if (!module || (s.skipKnown && knownBug(*module)))
    return 0;

  // Option values derived from the input bytes, so that one input always
  // runs the same pipelines (libFuzzer needs reproducible runs).
  uint64_t h = hashBytes(data, size);
  auto pick = [&](uint64_t n) {
    uint64_t r = h % n;
    h = h / n ^ (h * 0x9E3779B97F4A7C15ull);
    return r;
  };
  static const char *policies[] = {"recompute-all", "save-contractions"};
  static const char *cuts[] = {"auto", "minima", "all"};
  static const char *targets[] = {"flops", "h200", "cpu"};

  // 1. The user's regions as they are.
  runPipeline(*module, "ckpt-rematerialize,cse,canonicalize,ckpt-verify");

  // 2. ckpt-annotate by segment count, then rematerialize.
  {
    std::string segs =
        pick(5) == 0 ? "sqrt" : std::to_string(1 + pick(6));
    runPipeline(*module, "ckpt-annotate{segments=" + segs +
                             "},ckpt-rematerialize{policy=" +
                             policies[pick(2)] + "},ckpt-verify");
  }

  // 3. ckpt-annotate by budget: a peak from a few bytes to a few GB.
  {
    uint64_t budget = (uint64_t(1) << pick(32)) + pick(100000);
    runPipeline(*module, "ckpt-annotate{budget=" + std::to_string(budget) +
                             " cuts=" + cuts[pick(3)] +
                             " target=" + targets[pick(3)] +
                             "},ckpt-rematerialize,cse,ckpt-verify");
  }

  // 4. The memory report around a pipeline (both reports are built; the
  //    text goes nowhere).
  runPipeline(*module,
              std::string("ckpt-memory-report{text=false pipeline={") +
                  (pick(2) ? "ckpt-rematerialize,canonicalize"
                           : "ckpt-drop-annotations,ckpt-annotate{segments=2}"
                             ",ckpt-rematerialize") +
                  "}}");

  // 5. Strict mode: ckpt-verify must accept what a successful
  //    ckpt-rematerialize made of an input it accepted.
  if (s.strictVerify && runPipeline(*module, "ckpt-verify")) {
    OwningOpRef<ModuleOp> out;
    if (runPipeline(*module, "ckpt-rematerialize", &out) &&
        !runPipeline(*out, "ckpt-verify")) {
      std::fprintf(stderr, "ckpt-fuzz: ckpt-verify rejects the output of "
                           "ckpt-rematerialize (strict mode)\n");
      std::abort();
    }
  }
  return 0;
}

//===----------------------------------------------------------------------===//
// The IR-level mutator
//===----------------------------------------------------------------------===//

namespace {

using Rng = std::mt19937_64;

uint64_t below(Rng &rng, uint64_t n) {
  return n == 0 ? 0 : std::uniform_int_distribution<uint64_t>(0, n - 1)(rng);
}

/// The blocks whose ops a mutation may move: function bodies and
/// checkpoint region bodies (single blocks; others are left alone).
SmallVector<Block *> mutableBlocks(ModuleOp module) {
  SmallVector<Block *> blocks;
  module.walk([&](Operation *op) {
    if (auto func = dyn_cast<func::FuncOp>(op)) {
      if (!func.isExternal() && func.getBody().hasOneBlock())
        blocks.push_back(&func.getBody().front());
    } else if (auto region = dyn_cast<ckpt::CheckpointOp>(op)) {
      if (region.getBody().hasOneBlock())
        blocks.push_back(&region.getBodyBlock());
    }
  });
  return blocks;
}

/// The ops of `block` without its terminator.
SmallVector<Operation *> bodyOps(Block *block) {
  SmallVector<Operation *> ops;
  for (Operation &op : block->without_terminator())
    ops.push_back(&op);
  return ops;
}

SmallVector<ckpt::CheckpointOp> regions(ModuleOp module) {
  SmallVector<ckpt::CheckpointOp> rs;
  module.walk([&](ckpt::CheckpointOp r) { rs.push_back(r); });
  return rs;
}

std::string regionName(Rng &rng);

/// A region of `module` drawn at random, or null if there is none.
ckpt::CheckpointOp pickRegion(ModuleOp module, Rng &rng) {
  SmallVector<ckpt::CheckpointOp> rs = regions(module);
  return rs.empty() ? ckpt::CheckpointOp() : rs[below(rng, rs.size())];
}

/// Wraps a random run of at most `maxLength` of `ops` (consecutive, one
/// block) in a region.
void wrapRandomRun(ModuleOp module, ArrayRef<Operation *> ops, size_t maxLength,
                   Rng &rng) {
  size_t lo = below(rng, ops.size());
  size_t hi = lo + below(rng, std::min(ops.size() - lo, maxLength));
  IRRewriter rewriter(module.getContext());
  SmallVector<Operation *> run(ops.begin() + lo, ops.begin() + hi + 1);
  ckpt::wrapInRegion(rewriter, run, regionName(rng));
}

/// Ops directly in a mutable block (operands may be rewired there).
SmallVector<Operation *> topLevelOps(ModuleOp module) {
  SmallVector<Operation *> ops;
  for (Block *b : mutableBlocks(module))
    for (Operation &op : *b)
      ops.push_back(&op);
  return ops;
}

std::string regionName(Rng &rng) {
  static const char *names[] = {"", "r", "layer.0", "layer.1", "blk",
                                "r.inner", "mlp"};
  return names[below(rng, std::size(names))];
}

/// Wraps a random range of ops of a block in a ckpt.checkpoint region:
/// in a function body, mostly a run of forward ops.
bool mutateWrap(ModuleOp module, Rng &rng) {
  SmallVector<Block *> blocks = mutableBlocks(module);
  if (blocks.empty())
    return false;
  Block *block = blocks[below(rng, blocks.size())];
  SmallVector<Operation *> ops = bodyOps(block);
  if (ops.empty())
    return false;
  auto func = dyn_cast<func::FuncOp>(block->getParentOp());
  // TrainingStep::get trusts the verifier (an out-of-range
  // ckpt.forward_results, which mutateForwardResults may have just set,
  // reads past the return's operands): only on IR that verifies.
  if (func && below(rng, 4) != 0 && succeeded(verify(module))) {
    ckpt::SplitFormPairs pairs(module);
    FailureOr<std::optional<ckpt::TrainingStep>> step =
        ckpt::TrainingStep::get(func, pairs);
    if (succeeded(step) && step->has_value()) {
      SmallVector<Operation *> fwd;
      for (Operation *op : ops)
        if ((*step)->isForward(op))
          fwd.push_back(op);
      // A contiguous run of forward ops around a random forward op.
      if (!fwd.empty()) {
        Operation *seed = fwd[below(rng, fwd.size())];
        size_t i = std::find(ops.begin(), ops.end(), seed) - ops.begin();
        size_t lo = i, hi = i;
        size_t want = 1 + below(rng, 8);
        while (hi + 1 < ops.size() && hi - lo + 1 < want &&
               (*step)->isForward(ops[hi + 1]))
          ++hi;
        while (lo > 0 && hi - lo + 1 < want && (*step)->isForward(ops[lo - 1]))
          --lo;
        IRRewriter rewriter(module.getContext());
        SmallVector<Operation *> range(ops.begin() + lo, ops.begin() + hi + 1);
        ckpt::wrapInRegion(rewriter, range, regionName(rng));
        return true;
      }
    }
  }
  wrapRandomRun(module, ops, 8, rng);
  return true;
}

bool mutateUnwrap(ModuleOp module, Rng &rng) {
  ckpt::CheckpointOp r = pickRegion(module, rng);
  if (!r)
    return false;
  IRRewriter rewriter(module.getContext());
  ckpt::inlineRegion(rewriter, r);
  return true;
}

/// Nests: wraps a range of a region's body in a region of its own (or
/// wraps a whole region in an outer one).
bool mutateNest(ModuleOp module, Rng &rng) {
  ckpt::CheckpointOp r = pickRegion(module, rng);
  if (!r)
    return false;
  IRRewriter rewriter(module.getContext());
  if (below(rng, 3) == 0) {
    SmallVector<Operation *> one = {r.getOperation()};
    ckpt::wrapInRegion(rewriter, one, regionName(rng));
    return true;
  }
  SmallVector<Operation *> ops = bodyOps(&r.getBodyBlock());
  if (ops.empty())
    return false;
  wrapRandomRun(module, ops, ops.size(), rng);
  return true;
}

/// Sets, edits or removes a region's save list; names come from ops of the
/// region (now and then one that is not there, or a callee).
bool mutateSave(ModuleOp module, Rng &rng) {
  ckpt::CheckpointOp r = pickRegion(module, rng);
  if (!r)
    return false;
  if (r.getSaveAttr() && below(rng, 3) == 0) {
    r.removeSaveAttr();
    return true;
  }
  SmallVector<std::string> names;
  r.getBody().walk([&](Operation *op) {
    if (isa<ckpt::YieldOp>(op))
      return;
    names.push_back(op->getName().getStringRef().str());
    if (auto call = dyn_cast<func::CallOp>(op))
      names.push_back(("@" + call.getCallee()).str());
  });
  static const char *extra[] = {"linalg.matmul", "arith.mulf", "math.tanh",
                                "func.call", "ckpt.checkpoint", "linalg.generic"};
  SmallVector<std::string> save;
  if (auto old = r.getSaveAttr())
    for (Attribute a : old)
      save.push_back(cast<StringAttr>(a).getValue().str());
  size_t n = 1 + below(rng, 3);
  for (size_t i = 0; i < n; ++i) {
    if (!names.empty() && below(rng, 5) != 0)
      save.push_back(names[below(rng, names.size())]);
    else
      save.push_back(extra[below(rng, std::size(extra))]);
  }
  if (save.size() > 1 && below(rng, 3) == 0)
    save.erase(save.begin() + below(rng, save.size()));
  SmallVector<StringRef> refs(save.begin(), save.end());
  r.setSaveAttr(Builder(module.getContext()).getStrArrayAttr(refs));
  return true;
}

/// Swaps two operands of one type of an op.
bool mutateSwapOperands(ModuleOp module, Rng &rng) {
  SmallVector<Operation *> cands;
  module.walk([&](Operation *op) {
    if (op->getNumOperands() >= 2)
      cands.push_back(op);
  });
  for (int tries = 0; tries < 8 && !cands.empty(); ++tries) {
    Operation *op = cands[below(rng, cands.size())];
    unsigned n = op->getNumOperands();
    unsigned i = below(rng, n), j = below(rng, n);
    if (i == j || op->getOperand(i) == op->getOperand(j) ||
        op->getOperand(i).getType() != op->getOperand(j).getType())
      continue;
    Value a = op->getOperand(i), b = op->getOperand(j);
    op->setOperand(i, b);
    op->setOperand(j, a);
    return true;
  }
  return false;
}

/// Replaces an operand of a top-level op by another value of its type
/// defined earlier in the same block (or a block argument): new dataflow.
bool mutateRewire(ModuleOp module, Rng &rng) {
  SmallVector<Operation *> ops = topLevelOps(module);
  for (int tries = 0; tries < 8 && !ops.empty(); ++tries) {
    Operation *op = ops[below(rng, ops.size())];
    if (op->getNumOperands() == 0)
      continue;
    unsigned i = below(rng, op->getNumOperands());
    Type type = op->getOperand(i).getType();
    SmallVector<Value> pool;
    Block *block = op->getBlock();
    for (BlockArgument arg : block->getArguments())
      if (arg.getType() == type)
        pool.push_back(arg);
    for (Operation &prev : *block) {
      if (&prev == op)
        break;
      for (Value v : prev.getResults())
        if (v.getType() == type)
          pool.push_back(v);
    }
    if (pool.empty())
      continue;
    Value v = pool[below(rng, pool.size())];
    if (v == op->getOperand(i))
      continue;
    op->setOperand(i, v);
    return true;
  }
  return false;
}

/// Clones an op after itself; some uses of its results move to the copy.
bool mutateDuplicate(ModuleOp module, Rng &rng) {
  SmallVector<Operation *> ops;
  for (Block *b : mutableBlocks(module))
    for (Operation *op : bodyOps(b))
      ops.push_back(op);
  if (ops.empty())
    return false;
  Operation *op = ops[below(rng, ops.size())];
  OpBuilder builder(op->getContext());
  builder.setInsertionPointAfter(op);
  Operation *copy = builder.clone(*op);
  for (auto [orig, dup] : llvm::zip(op->getResults(), copy->getResults()))
    for (OpOperand &use : llvm::make_early_inc_range(orig.getUses()))
      if (use.getOwner() != copy && below(rng, 2) &&
          (use.getOwner()->getBlock() != op->getBlock() ||
           copy->isBeforeInBlock(use.getOwner())))
        use.set(dup);
  return true;
}

/// Erases an op whose results are unused (not a terminator).
bool mutateDropUnused(ModuleOp module, Rng &rng) {
  SmallVector<Operation *> cands;
  for (Block *b : mutableBlocks(module))
    for (Operation *op : bodyOps(b))
      if (op->use_empty() && !isa<func::FuncOp>(op))
        cands.push_back(op);
  if (cands.empty())
    return false;
  cands[below(rng, cands.size())]->erase();
  return true;
}

/// Sets or removes a function's ckpt.forward_results.
bool mutateForwardResults(ModuleOp module, Rng &rng) {
  SmallVector<func::FuncOp> funcs;
  module.walk([&](func::FuncOp f) {
    if (!f.isExternal())
      funcs.push_back(f);
  });
  if (funcs.empty())
    return false;
  func::FuncOp f = funcs[below(rng, funcs.size())];
  if (f->hasAttr("ckpt.forward_results") && below(rng, 3) == 0) {
    f->removeAttr("ckpt.forward_results");
    return true;
  }
  unsigned n = f.getNumResults();
  SmallVector<int64_t> idx;
  for (unsigned i = 0; i < n; ++i)
    if (below(rng, 3) == 0)
      idx.push_back(i);
  if (idx.empty() && n != 0 && below(rng, 4) != 0)
    idx.push_back(below(rng, n));
  if (below(rng, 10) == 0)
    idx.push_back(n + below(rng, 3)); // out of range now and then
  f->setAttr("ckpt.forward_results",
             Builder(module.getContext()).getI64ArrayAttr(idx));
  return true;
}

/// Toggles the ckpt.checkpoint unit attribute on a call or a function.
bool mutateCheckpointAttr(ModuleOp module, Rng &rng) {
  SmallVector<Operation *> cands;
  module.walk([&](Operation *op) {
    if (isa<func::CallOp, func::FuncOp>(op))
      cands.push_back(op);
  });
  if (cands.empty())
    return false;
  Operation *op = cands[below(rng, cands.size())];
  if (op->hasAttr("ckpt.checkpoint"))
    op->removeAttr("ckpt.checkpoint");
  else
    op->setAttr("ckpt.checkpoint", UnitAttr::get(module.getContext()));
  return true;
}

using Mutation = bool (*)(ModuleOp, Rng &);
const Mutation mutations[] = {
    mutateWrap,         mutateWrap,         mutateUnwrap,
    mutateNest,         mutateSave,         mutateSwapOperands,
    mutateRewire,       mutateDuplicate,    mutateDropUnused,
    mutateForwardResults, mutateCheckpointAttr,
};

size_t byteMutate(uint8_t *data, size_t size, size_t maxSize) {
  return LLVMFuzzerMutate(data, size, maxSize);
}

} // namespace

extern "C" size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size,
                                          size_t maxSize, unsigned int seed) {
  static const char *dumpDir = std::getenv("CKPT_FUZZ_MUTATOR_DUMP");
  if (dumpDir && *dumpDir) {
    std::string base = std::string(dumpDir) + "/mutator-" +
                       std::to_string(getpid());
    if (FILE *f = std::fopen((base + ".mlir").c_str(), "wb")) {
      std::fwrite(data, 1, size, f);
      std::fclose(f);
    }
    if (FILE *f = std::fopen((base + ".seed").c_str(), "w")) {
      std::fprintf(f, "%u\n", seed);
      std::fclose(f);
    }
  }
  Rng rng(seed);
  // Now and then the bytes, so that the parser's and verifier's edges and
  // attribute values get explored too.
  if (below(rng, 10) == 0)
    return byteMutate(data, size, maxSize);
  FuzzState &s = state();
  MLIRContext &ctx = s.get();
  SilenceDiagnostics silence(ctx);
  OwningOpRef<ModuleOp> module = parse(ctx, data, size);
  if (!module)
    return byteMutate(data, size, maxSize);

  for (int attempt = 0; attempt < 6; ++attempt) {
    OwningOpRef<ModuleOp> m = module->clone();
    unsigned n = 1 + below(rng, 3);
    bool changed = false;
    for (unsigned i = 0; i < n; ++i)
      changed |= mutations[below(rng, std::size(mutations))](*m, rng);
    if (!changed || failed(verify(*m)))
      continue;
    std::string out;
    llvm::raw_string_ostream os(out);
    OpPrintingFlags flags;
    if (below(rng, 8) == 0)
      flags.printGenericOpForm();
    m->print(os, flags);
    if (out.size() > maxSize)
      continue;
    std::memcpy(data, out.data(), out.size());
    return out.size();
  }
  return byteMutate(data, size, maxSize);
}
