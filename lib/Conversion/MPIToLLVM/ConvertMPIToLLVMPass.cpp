//===- ConvertMPIToLLVMPass.cpp - ckpt-convert-mpi-to-llvm ------*- C++ -*-===//
//
// Checks every mpi op, then lowers them with ckpt's patterns (and
// upstream's for mpi.init and mpi.finalize) for the ABI the option names,
// and leaves no attribute or symbol that mlir-runner cannot read.
//
//===----------------------------------------------------------------------===//

#include "ckpt/Conversion/MPIToLLVM/MPIToLLVM.h"
#include "ckpt/Conversion/Passes.h"

#include "mlir/Conversion/LLVMCommon/ConversionTarget.h"
#include "mlir/Conversion/LLVMCommon/TypeConverter.h"
#include "mlir/Conversion/MPIToLLVM/MPIToLLVM.h"
#include "mlir/Dialect/DLTI/DLTI.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/MPI/IR/MPI.h"
#include "mlir/Dialect/Shard/IR/ShardOps.h"
#include "mlir/Transforms/DialectConversion.h"
#include "llvm/Support/DebugLog.h"

namespace mlir::ckpt {
#define GEN_PASS_DEF_CKPTCONVERTMPITOLLVM
#include "ckpt/Conversion/Passes.h.inc"
} // namespace mlir::ckpt

using namespace mlir;
using namespace mlir::ckpt;

#define DEBUG_TYPE "ckpt-convert-mpi-to-llvm"

namespace {
/// The module attribute upstream's patterns read the ABI from.
constexpr llvm::StringLiteral kMapAttrName = "dlti.map";

struct CkptConvertMPIToLLVMPass
    : public ckpt::impl::CkptConvertMPIToLLVMBase<CkptConvertMPIToLLVMPass> {
  using Base::Base;

  /// Starts `init-function` with mpi.init and ends it with mpi.finalize if
  /// the module calls MPI and the function does not initialize it.
  void initializeIn(ModuleOp module) {
    bool usesMPI = module
                       ->walk([](Operation *op) {
                         return isa<mpi::MPIDialect>(op->getDialect())
                                    ? WalkResult::interrupt()
                                    : WalkResult::advance();
                       })
                       .wasInterrupted();
    auto entry = module.lookupSymbol<func::FuncOp>(initFunction);
    if (!usesMPI || !entry || entry.isExternal())
      return;
    bool initializes = false;
    entry.walk([&](mpi::InitOp) { initializes = true; });
    if (initializes)
      return;
    OpBuilder builder(entry.getBody());
    mpi::InitOp::create(builder, entry.getLoc(), TypeRange());
    entry.walk([&](func::ReturnOp ret) {
      builder.setInsertionPoint(ret);
      mpi::FinalizeOp::create(builder, ret.getLoc(), TypeRange());
    });
    LDBG() << "MPI initialized in @" << initFunction;
  }

  void runOnOperation() override {
    ModuleOp module = getOperation();
    MLIRContext *context = &getContext();
    if (failed(checkMPIOpsLowerable(module)))
      return signalPassFailure();

    if (!initFunction.empty())
      initializeIn(module);

    // Upstream's patterns (init, finalize, and any op ours leave) pick the
    // ABI from DLTI; mlir-runner cannot parse that attribute, so it is only
    // there while the conversion runs.
    Attribute userMap = module->getAttr(kMapAttrName);
    SmallVector<DataLayoutEntryInterface> entries;
    if (auto map = dyn_cast_if_present<MapAttr>(userMap))
      for (DataLayoutEntryInterface entry : map.getEntries())
        if (auto key = dyn_cast<StringAttr>(entry.getKey());
            !key || key.getValue() != "MPI:Implementation")
          entries.push_back(entry);
    entries.push_back(DataLayoutEntryAttr::get(
        StringAttr::get(context, "MPI:Implementation"),
        StringAttr::get(context, abi == MPIABI::OpenMPI ? "OpenMPI" : "MPICH")));
    module->setAttr(kMapAttrName, MapAttr::get(context, entries));

    LLVMTypeConverter converter(context);
    RewritePatternSet patterns(context);
    mpi::populateMPIToLLVMConversionPatterns(converter, patterns);
    populateCkptMPIToLLVMPatterns(converter, patterns, abi);
    ConversionTarget target(*context);
    target.addLegalDialect<LLVM::LLVMDialect>();
    target.addIllegalDialect<mpi::MPIDialect>();
    LogicalResult converted =
        applyPartialConversion(module, target, std::move(patterns));

    if (userMap)
      module->setAttr(kMapAttrName, userMap);
    else
      module->removeAttr(kMapAttrName);
    if (failed(converted)) {
      emitError(module.getLoc())
          << "internal error: the mpi ops were checked but did not lower";
      return signalPassFailure();
    }

    // Grids that convert-shard-to-mpi left behind name nothing now.
    int64_t erased = 0;
    for (auto grid : llvm::make_early_inc_range(module.getOps<shard::GridOp>()))
      if (SymbolTable::symbolKnownUseEmpty(grid, module)) {
        grid.erase();
        ++erased;
      }
    LDBG() << "erased " << erased << " unused shard.grid symbols";
  }
};
} // namespace
