//===- MPIToLLVM.cpp - mpi ops to MPI library calls -------------*- C++ -*-===//
//
// Patterns that lower the `mpi` ops to calls of the MPI C functions of one
// ABI, in place of upstream MLIR 22.1.8's (mlir/lib/Conversion/MPIToLLVM),
// which count only the first dimension of a buffer, name Open MPI's
// reductions wrongly, truncate an Open MPI communicator to i32 and leave
// comm_size and barrier alone. The constants are those of Debian's mpi.h:
// /usr/lib/x86_64-linux-gnu/openmpi/include/mpi.h (Open MPI 4.1) and
// /usr/include/x86_64-linux-gnu/mpich/mpi.h (MPICH 4.0).
//
//===----------------------------------------------------------------------===//

#include "ckpt/Conversion/MPIToLLVM/MPIToLLVM.h"

#include "mlir/Conversion/LLVMCommon/MemRefBuilder.h"
#include "mlir/Conversion/LLVMCommon/Pattern.h"
#include "mlir/Conversion/LLVMCommon/TypeConverter.h"
#include "mlir/Dialect/LLVMIR/FunctionCallUtils.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/MPI/IR/MPI.h"
#include "mlir/Dialect/MemRef/Utils/MemRefUtils.h"
#include "mlir/Dialect/Shard/IR/ShardDialect.h"
#include "mlir/Dialect/Shard/IR/ShardOps.h"
#include "mlir/Interfaces/FunctionInterfaces.h"

#include <limits>

using namespace mlir;
using namespace mlir::ckpt;

//===----------------------------------------------------------------------===//
// What can be lowered
//===----------------------------------------------------------------------===//

bool mlir::ckpt::isLowerableMPIOp(Operation *op) {
  return isa<mpi::InitOp, mpi::FinalizeOp, mpi::CommWorldOp, mpi::CommRankOp,
             mpi::CommSizeOp, mpi::CommSplitOp, mpi::SendOp, mpi::RecvOp,
             mpi::AllReduceOp, mpi::Barrier>(op);
}

namespace {
/// True for the element types that have a predefined MPI datatype here.
bool isSupportedElementType(Type type) {
  if (type.isF32() || type.isF64())
    return true;
  auto integer = dyn_cast<IntegerType>(type);
  return integer && llvm::is_contained({8u, 16u, 32u, 64u}, integer.getWidth());
}

/// True if `type` is one contiguous row-major block of elements.
bool isContiguous(MemRefType type) {
  return type.getLayout().isIdentity() ||
         memref::isStaticShapeAndContiguousRowMajor(type);
}

/// Checks one buffer operand of an mpi op (`what` names it).
LogicalResult checkBuffer(Operation *op, Value buffer, StringRef what) {
  auto type = cast<MemRefType>(buffer.getType());
  if (!isSupportedElementType(type.getElementType()))
    return op->emitError()
           << "cannot lower '" << op->getName() << "': the " << what
           << " has element type " << type.getElementType()
           << " (supported: f32, f64, i8, i16, i32, i64, signed or unsigned)";
  if (!isContiguous(type))
    return op->emitError()
           << "cannot lower '" << op->getName() << "': the " << what
           << " of type " << type
           << " is not one contiguous row-major block (identity layout, or a "
              "static shape with row-major strides)";
  if (type.hasStaticShape() &&
      type.getNumElements() > std::numeric_limits<int32_t>::max())
    return op->emitError() << "cannot lower '" << op->getName() << "': the "
                           << what << " has " << type.getNumElements()
                           << " elements, more than an MPI count (int) holds";
  return success();
}

LogicalResult checkOp(Operation *op) {
  // A grid is only a symbol: the shard ops that use it are reported, and
  // the pass erases it once unused.
  if (isa<shard::GridOp>(op))
    return success();
  if (isa<shard::ShardDialect>(op->getDialect()))
    return op->emitError() << "'" << op->getName()
                           << "' is not lowered to MPI calls: run "
                              "convert-shard-to-mpi (on tensors, before "
                              "bufferization) first";
  if (!isa<mpi::MPIDialect>(op->getDialect()))
    return success();
  if (!isLowerableMPIOp(op))
    return op->emitError()
           << "'" << op->getName()
           << "' is not lowered by ckpt-convert-mpi-to-llvm (lowered: "
              "mpi.init, mpi.finalize, mpi.comm_world, mpi.comm_rank, "
              "mpi.comm_size, mpi.comm_split, mpi.send, mpi.recv, "
              "mpi.allreduce, mpi.barrier)";
  // MPI handles live only between mpi ops: nothing else could take the
  // converted i64/i32.
  for (Value result : op->getResults()) {
    if (!isa<mpi::CommType, mpi::RetvalType, mpi::RequestType>(
            result.getType()))
      continue; // a rank or a size: an ordinary i32
    for (Operation *user : result.getUsers())
      if (!isa<mpi::MPIDialect>(user->getDialect()))
        return user->emitError()
               << "'" << user->getName() << "' uses a " << result.getType()
               << " value of '" << op->getName()
               << "': MPI handles and return values may only be used by "
                  "mpi ops";
  }
  if (auto send = dyn_cast<mpi::SendOp>(op))
    return checkBuffer(op, send.getRef(), "buffer");
  if (auto recv = dyn_cast<mpi::RecvOp>(op))
    return checkBuffer(op, recv.getRef(), "buffer");
  if (auto allreduce = dyn_cast<mpi::AllReduceOp>(op)) {
    if (failed(checkBuffer(op, allreduce.getSendbuf(), "send buffer")) ||
        failed(checkBuffer(op, allreduce.getRecvbuf(), "receive buffer")))
      return failure();
    auto sendType = cast<MemRefType>(allreduce.getSendbuf().getType());
    auto recvType = cast<MemRefType>(allreduce.getRecvbuf().getType());
    if (sendType.getElementType() != recvType.getElementType())
      return op->emitError() << "cannot lower 'mpi.allreduce': the buffers "
                                "have different element types ("
                             << sendType.getElementType() << " and "
                             << recvType.getElementType() << ")";
    if (sendType.hasStaticShape() && recvType.hasStaticShape() &&
        sendType.getNumElements() != recvType.getNumElements())
      return op->emitError()
             << "cannot lower 'mpi.allreduce': the send buffer has "
             << sendType.getNumElements() << " elements, the receive buffer "
             << recvType.getNumElements();
    using Kind = mpi::MPI_ReductionOpEnum;
    Kind kind = allreduce.getOp();
    if (llvm::is_contained({Kind::MPI_OP_NULL, Kind::MPI_MINLOC,
                            Kind::MPI_MAXLOC, Kind::MPI_REPLACE},
                           kind))
      return op->emitError()
             << "cannot lower 'mpi.allreduce' with "
             << mpi::stringifyMPI_ReductionOpEnum(kind)
             << " (lowered: MPI_MAX, MPI_MIN, MPI_SUM, MPI_PROD, MPI_LAND, "
                "MPI_BAND, MPI_LOR, MPI_BOR, MPI_LXOR, MPI_BXOR)";
  }
  return success();
}
} // namespace

LogicalResult mlir::ckpt::checkMPIOpsLowerable(Operation *root) {
  bool failedAny = false;
  root->walk([&](Operation *op) {
    failedAny |= failed(checkOp(op));
    // Handles arriving as block arguments (function arguments, loop
    // carried) would need a conversion of their owner.
    for (Region &region : op->getRegions())
      for (Block &block : region)
        for (BlockArgument arg : block.getArguments())
          if (isa<mpi::CommType, mpi::RetvalType, mpi::RequestType>(
                  arg.getType())) {
            op->emitError() << "cannot lower a " << arg.getType()
                            << " block argument of '" << op->getName()
                            << "': MPI handles must be created by mpi ops "
                               "in the function that uses them";
            failedAny = true;
          }
  });
  return failure(failedAny);
}

//===----------------------------------------------------------------------===//
// The two ABIs
//===----------------------------------------------------------------------===//

namespace {
/// The handles of one MPI ABI. Communicators travel as i64 between the
/// lowered ops (as upstream's type conversion has it) and are turned into
/// the native handle at each call.
class ABIHandles {
public:
  ABIHandles(MPIABI abi, ModuleOp module) : abi(abi), module(module) {}

  /// The C type of `MPI_Comm`, `MPI_Datatype` and `MPI_Op`: a pointer
  /// (Open MPI) or `int` (MPICH).
  Type getHandleType(MLIRContext *context) const {
    if (abi == MPIABI::OpenMPI)
      return LLVM::LLVMPointerType::get(context);
    return IntegerType::get(context, 32);
  }

  Value commToNative(OpBuilder &b, Location loc, Value comm) const {
    if (abi == MPIABI::OpenMPI)
      return LLVM::IntToPtrOp::create(b, loc, getHandleType(b.getContext()),
                                      comm);
    return LLVM::TruncOp::create(b, loc, b.getI32Type(), comm);
  }

  Value nativeToComm(OpBuilder &b, Location loc, Value native) const {
    if (abi == MPIABI::OpenMPI)
      return LLVM::PtrToIntOp::create(b, loc, b.getI64Type(), native);
    return LLVM::ZExtOp::create(b, loc, b.getI64Type(), native);
  }

  /// `MPI_COMM_WORLD` as i64.
  Value getCommWorld(OpBuilder &b, Location loc) {
    if (abi == MPIABI::OpenMPI)
      return nativeToComm(
          b, loc,
          getGlobalAddress(b, loc, "ompi_mpi_comm_world",
                           "ompi_communicator_t"));
    return LLVM::ConstantOp::create(b, loc, b.getI64Type(),
                                    b.getI64IntegerAttr(0x44000000));
  }

  /// The predefined datatype of `type` (checked by isSupportedElementType).
  Value getDatatype(OpBuilder &b, Location loc, Type type) {
    bool isFloat = isa<FloatType>(type);
    unsigned width = type.getIntOrFloatBitWidth();
    bool isUnsigned = type.isUnsignedInteger();
    if (abi == MPIABI::OpenMPI) {
      std::string name =
          isFloat ? (width == 32 ? "ompi_mpi_float" : "ompi_mpi_double")
                  : ("ompi_mpi_" + Twine(isUnsigned ? "u" : "") + "int" +
                     Twine(width) + "_t")
                        .str();
      return getGlobalAddress(b, loc, name, "ompi_predefined_datatype_t");
    }
    // MPICH: 0x4c00SS0X, SS the size in bytes.
    int32_t code = 0;
    if (isFloat)
      code = width == 32 ? 0x4c00040a : 0x4c00080b;
    else if (!isUnsigned)
      code = width == 8 ? 0x4c000137
                        : width == 16 ? 0x4c000238
                                      : width == 32 ? 0x4c000439 : 0x4c00083a;
    else
      code = width == 8 ? 0x4c00013b
                        : width == 16 ? 0x4c00023c
                                      : width == 32 ? 0x4c00043d : 0x4c00083e;
    return LLVM::ConstantOp::create(b, loc, b.getI32Type(),
                                    b.getI32IntegerAttr(code));
  }

  /// The predefined reduction `kind` (checked by checkMPIOpsLowerable).
  Value getReduction(OpBuilder &b, Location loc,
                     mpi::MPI_ReductionOpEnum kind) {
    using Kind = mpi::MPI_ReductionOpEnum;
    // The enum's values 1..10 are MPICH's low bits, in MPICH's order.
    if (abi == MPIABI::MPICH)
      return LLVM::ConstantOp::create(
          b, loc, b.getI32Type(),
          b.getI32IntegerAttr(0x58000000 | static_cast<int32_t>(kind)));
    StringRef suffix;
    switch (kind) {
    case Kind::MPI_MAX:
      suffix = "max";
      break;
    case Kind::MPI_MIN:
      suffix = "min";
      break;
    case Kind::MPI_SUM:
      suffix = "sum";
      break;
    case Kind::MPI_PROD:
      suffix = "prod";
      break;
    case Kind::MPI_LAND:
      suffix = "land";
      break;
    case Kind::MPI_BAND:
      suffix = "band";
      break;
    case Kind::MPI_LOR:
      suffix = "lor";
      break;
    case Kind::MPI_BOR:
      suffix = "bor";
      break;
    case Kind::MPI_LXOR:
      suffix = "lxor";
      break;
    case Kind::MPI_BXOR:
      suffix = "bxor";
      break;
    default:
      llvm_unreachable("reduction refused by checkMPIOpsLowerable");
    }
    return getGlobalAddress(b, loc, ("ompi_mpi_op_" + suffix).str(),
                            "ompi_predefined_op_t");
  }

  /// `MPI_IN_PLACE`: `(void *)1` (Open MPI), `(void *)-1` (MPICH).
  Value getInPlace(OpBuilder &b, Location loc) const {
    return getPointerConstant(b, loc, abi == MPIABI::OpenMPI ? 1 : -1);
  }

  /// `MPI_STATUS_IGNORE`: `(MPI_Status *)0` (Open MPI), `(MPI_Status *)1`
  /// (MPICH).
  Value getStatusIgnore(OpBuilder &b, Location loc) const {
    return getPointerConstant(b, loc, abi == MPIABI::OpenMPI ? 0 : 1);
  }

private:
  static Value getPointerConstant(OpBuilder &b, Location loc, int64_t value) {
    Value integer = LLVM::ConstantOp::create(b, loc, b.getI64Type(),
                                             b.getI64IntegerAttr(value));
    return LLVM::IntToPtrOp::create(
        b, loc, LLVM::LLVMPointerType::get(b.getContext()), integer);
  }

  /// The address of the library's global `name` (declared external, of
  /// the opaque struct type `structName`, once per module).
  Value getGlobalAddress(OpBuilder &b, Location loc, StringRef name,
                         StringRef structName) {
    MLIRContext *context = b.getContext();
    if (!module.lookupSymbol<LLVM::GlobalOp>(name)) {
      OpBuilder::InsertionGuard guard(b);
      b.setInsertionPointToStart(module.getBody());
      LLVM::GlobalOp::create(
          b, loc, LLVM::LLVMStructType::getOpaque(structName, context),
          /*isConstant=*/false, LLVM::Linkage::External, name,
          /*value=*/Attribute());
    }
    return LLVM::AddressOfOp::create(b, loc, LLVM::LLVMPointerType::get(context),
                                     name);
  }

  MPIABI abi;
  ModuleOp module;
};

//===----------------------------------------------------------------------===//
// Patterns
//===----------------------------------------------------------------------===//

/// Above upstream's patterns for the same ops (benefit 1).
constexpr unsigned kBenefit = 10;

template <typename OpTy>
class MPICallPattern : public ConvertOpToLLVMPattern<OpTy> {
public:
  MPICallPattern(const LLVMTypeConverter &converter, MPIABI abi)
      : ConvertOpToLLVMPattern<OpTy>(converter, kBenefit), abi(abi) {}

protected:
  using Adaptor = typename ConvertOpToLLVMPattern<OpTy>::OpAdaptor;

  ABIHandles getHandles(OpTy op) const {
    return ABIHandles(abi, op->template getParentOfType<ModuleOp>());
  }
  Type getHandleType(OpTy op) const {
    return getHandles(op).getHandleType(op.getContext());
  }

  /// Calls `int name(args...)`, declaring it in the module if needed.
  FailureOr<Value> call(ConversionPatternRewriter &rewriter, OpTy op,
                        StringRef name, ValueRange args) const {
    SmallVector<Type> types(args.getTypes());
    FailureOr<LLVM::LLVMFuncOp> callee = LLVM::lookupOrCreateFn(
        rewriter, op->template getParentOfType<ModuleOp>(), name, types,
        rewriter.getI32Type());
    if (failed(callee))
      return rewriter.notifyMatchFailure(op, "conflicting declaration of " +
                                                 name);
    return LLVM::CallOp::create(rewriter, op.getLoc(), *callee, args)
        .getResult();
  }

  /// One slot of `type` on the stack, in the function's entry block (not
  /// where the op is, which may be in a loop).
  Value allocateSlot(ConversionPatternRewriter &rewriter, OpTy op,
                     Type type) const {
    OpBuilder::InsertionGuard guard(rewriter);
    auto func = op->template getParentOfType<FunctionOpInterface>();
    rewriter.setInsertionPointToStart(&func.getFunctionBody().front());
    Location loc = op.getLoc();
    Value one = LLVM::ConstantOp::create(rewriter, loc, rewriter.getI32Type(),
                                         rewriter.getI32IntegerAttr(1));
    return LLVM::AllocaOp::create(
        rewriter, loc, LLVM::LLVMPointerType::get(rewriter.getContext()), type,
        one);
  }

  /// The address of the first element of `buffer` (converted descriptor of
  /// the memref `original`) and its element count as i32.
  std::pair<Value, Value> getBuffer(ConversionPatternRewriter &rewriter,
                                    Location loc, Value original,
                                    Value buffer) const {
    auto type = cast<MemRefType>(original.getType());
    MemRefDescriptor descriptor(buffer);
    Value pointer =
        descriptor.bufferPtr(rewriter, loc, *this->getTypeConverter(), type);
    Type i64 = rewriter.getI64Type();
    int64_t staticCount = 1;
    Value count;
    for (auto [dim, size] : llvm::enumerate(type.getShape())) {
      if (!ShapedType::isDynamic(size)) {
        staticCount *= size;
        continue;
      }
      Value dynamic = descriptor.size(rewriter, loc, dim);
      count = count ? LLVM::MulOp::create(rewriter, loc, count, dynamic)
                          .getResult()
                    : dynamic;
    }
    Value staticValue = LLVM::ConstantOp::create(
        rewriter, loc, i64, rewriter.getI64IntegerAttr(staticCount));
    count = count ? LLVM::MulOp::create(rewriter, loc, count, staticValue)
                        .getResult()
                  : staticValue;
    return {pointer,
            LLVM::TruncOp::create(rewriter, loc, rewriter.getI32Type(), count)};
  }

  /// Replaces `op` by `values`, preceded by the C return value if the op
  /// has its optional `!mpi.retval` result.
  void replace(ConversionPatternRewriter &rewriter, OpTy op, Value retval,
               ValueRange values = {}) const {
    SmallVector<Value> replacements;
    if (op->getNumResults() > values.size())
      replacements.push_back(retval);
    llvm::append_range(replacements, values);
    rewriter.replaceOp(op, replacements);
  }

  MPIABI abi;
};

struct CommWorldLowering : public MPICallPattern<mpi::CommWorldOp> {
  using MPICallPattern::MPICallPattern;
  LogicalResult
  matchAndRewrite(mpi::CommWorldOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    rewriter.replaceOp(op, getHandles(op).getCommWorld(rewriter, op.getLoc()));
    return success();
  }
};

/// comm_rank and comm_size: `int f(MPI_Comm, int *)`.
template <typename OpTy>
struct CommQueryLowering : public MPICallPattern<OpTy> {
  CommQueryLowering(const LLVMTypeConverter &converter, MPIABI abi,
                    StringRef function)
      : MPICallPattern<OpTy>(converter, abi), function(function) {}
  LogicalResult
  matchAndRewrite(OpTy op, typename MPICallPattern<OpTy>::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Type i32 = rewriter.getI32Type();
    Value slot = this->allocateSlot(rewriter, op, i32);
    Value comm =
        this->getHandles(op).commToNative(rewriter, loc, adaptor.getComm());
    FailureOr<Value> retval = this->call(rewriter, op, function, {comm, slot});
    if (failed(retval))
      return failure();
    Value result = LLVM::LoadOp::create(rewriter, loc, i32, slot);
    this->replace(rewriter, op, *retval, result);
    return success();
  }
  std::string function;
};

/// `MPI_Comm_split(comm, color, key, &newcomm)`; the new communicator is
/// loaded as the native handle (a pointer under Open MPI), then widened.
struct CommSplitLowering : public MPICallPattern<mpi::CommSplitOp> {
  using MPICallPattern::MPICallPattern;
  LogicalResult
  matchAndRewrite(mpi::CommSplitOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    ABIHandles handles = getHandles(op);
    Type handle = getHandleType(op);
    Value slot = allocateSlot(rewriter, op, handle);
    Value comm = handles.commToNative(rewriter, loc, adaptor.getComm());
    FailureOr<Value> retval =
        call(rewriter, op, "MPI_Comm_split",
             {comm, adaptor.getColor(), adaptor.getKey(), slot});
    if (failed(retval))
      return failure();
    Value native = LLVM::LoadOp::create(rewriter, loc, handle, slot);
    replace(rewriter, op, *retval, handles.nativeToComm(rewriter, loc, native));
    return success();
  }
};

/// `MPI_Send(buf, count, datatype, dest, tag, comm)`.
struct SendLowering : public MPICallPattern<mpi::SendOp> {
  using MPICallPattern::MPICallPattern;
  LogicalResult
  matchAndRewrite(mpi::SendOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    ABIHandles handles = getHandles(op);
    auto [pointer, count] =
        getBuffer(rewriter, loc, op.getRef(), adaptor.getRef());
    Value datatype = handles.getDatatype(
        rewriter, loc, op.getRef().getType().getElementType());
    Value comm = handles.commToNative(rewriter, loc, adaptor.getComm());
    FailureOr<Value> retval =
        call(rewriter, op, "MPI_Send",
             {pointer, count, datatype, adaptor.getDest(), adaptor.getTag(),
              comm});
    if (failed(retval))
      return failure();
    replace(rewriter, op, *retval);
    return success();
  }
};

/// `MPI_Recv(buf, count, datatype, source, tag, comm, MPI_STATUS_IGNORE)`.
struct RecvLowering : public MPICallPattern<mpi::RecvOp> {
  using MPICallPattern::MPICallPattern;
  LogicalResult
  matchAndRewrite(mpi::RecvOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    ABIHandles handles = getHandles(op);
    auto [pointer, count] =
        getBuffer(rewriter, loc, op.getRef(), adaptor.getRef());
    Value datatype = handles.getDatatype(
        rewriter, loc, op.getRef().getType().getElementType());
    Value comm = handles.commToNative(rewriter, loc, adaptor.getComm());
    FailureOr<Value> retval =
        call(rewriter, op, "MPI_Recv",
             {pointer, count, datatype, adaptor.getSource(), adaptor.getTag(),
              comm, handles.getStatusIgnore(rewriter, loc)});
    if (failed(retval))
      return failure();
    replace(rewriter, op, *retval);
    return success();
  }
};

/// `MPI_Allreduce(sendbuf, recvbuf, count, datatype, op, comm)` with the
/// element count of the whole receive buffer, and `MPI_IN_PLACE` as the
/// send buffer when both are the same value (MPI forbids aliased buffers
/// otherwise: MPI 4.1, section 6.9.6).
struct AllReduceLowering : public MPICallPattern<mpi::AllReduceOp> {
  using MPICallPattern::MPICallPattern;
  LogicalResult
  matchAndRewrite(mpi::AllReduceOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    ABIHandles handles = getHandles(op);
    auto [recvPointer, count] =
        getBuffer(rewriter, loc, op.getRecvbuf(), adaptor.getRecvbuf());
    Value sendPointer =
        op.getSendbuf() == op.getRecvbuf()
            ? handles.getInPlace(rewriter, loc)
            : getBuffer(rewriter, loc, op.getSendbuf(), adaptor.getSendbuf())
                  .first;
    Value datatype = handles.getDatatype(
        rewriter, loc, op.getRecvbuf().getType().getElementType());
    Value reduction = handles.getReduction(rewriter, loc, op.getOp());
    Value comm = handles.commToNative(rewriter, loc, adaptor.getComm());
    FailureOr<Value> retval =
        call(rewriter, op, "MPI_Allreduce",
             {sendPointer, recvPointer, count, datatype, reduction, comm});
    if (failed(retval))
      return failure();
    replace(rewriter, op, *retval);
    return success();
  }
};

/// `MPI_Barrier(comm)`.
struct BarrierLowering : public MPICallPattern<mpi::Barrier> {
  using MPICallPattern::MPICallPattern;
  LogicalResult
  matchAndRewrite(mpi::Barrier op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Value comm =
        getHandles(op).commToNative(rewriter, op.getLoc(), adaptor.getComm());
    FailureOr<Value> retval = call(rewriter, op, "MPI_Barrier", {comm});
    if (failed(retval))
      return failure();
    replace(rewriter, op, *retval);
    return success();
  }
};
} // namespace

void mlir::ckpt::populateCkptMPIToLLVMPatterns(LLVMTypeConverter &converter,
                                               RewritePatternSet &patterns,
                                               MPIABI abi) {
  converter.addConversion(
      [](mpi::CommType type) { return IntegerType::get(type.getContext(), 64); });
  converter.addConversion([](mpi::RetvalType type) {
    return IntegerType::get(type.getContext(), 32);
  });
  patterns.add<CommWorldLowering, CommSplitLowering, SendLowering,
               RecvLowering, AllReduceLowering, BarrierLowering>(converter,
                                                                  abi);
  patterns.add<CommQueryLowering<mpi::CommRankOp>>(converter, abi,
                                                   "MPI_Comm_rank");
  patterns.add<CommQueryLowering<mpi::CommSizeOp>>(converter, abi,
                                                   "MPI_Comm_size");
}
