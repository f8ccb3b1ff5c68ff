//===- Passes.td - conversions into upstream ops -----------*- tablegen -*-===//
//
// One file for every conversion, a banner per conversion (as CIRCT's
// include/circt/Conversion/Passes.td).
//
//===----------------------------------------------------------------------===//

#ifndef CKPT_CONVERSION_PASSES_TD
#define CKPT_CONVERSION_PASSES_TD

include "mlir/Pass/PassBase.td"

//===----------------------------------------------------------------------===//
// ByteIRToLinalg
//===----------------------------------------------------------------------===//

def CkptConvertByteIRKernels
    : Pass<"ckpt-convert-byteir-kernels", "::mlir::ModuleOp"> {
  let summary = "Rewrite calls of ByteIR's library kernels (convolutions, "
                "batch-norm, pooling, matmul, reductions, transpose) into "
                "linalg on tensors";
  let description = [{
    ByteIR's graphs (`byre.compute_on_tensor`, respelled as calls) leave
    their heavy work to library kernels: a call to an external declaration
    with the kernel in `byre_compute_name` and its parameters as attributes
    on the call; the last operands are destinations, one per result, which
    the kernels never read. This pass rewrites each such call into upstream
    ops on tensors (`tensor.pad`, `tensor.insert_slice`, `linalg` named ops
    and generics, `arith`, `math`, `scf` inside one generic), so the step
    can be costed, checkpointed and run without the library:

    ```mlir
    %y = call @ConvOp_f16f16_f16__sig1(%x, %w, %e) {byre_compute_name = "ConvOp_f16f16_f16",
        padding = dense<1> : tensor<2x2xi64>, window_strides = dense<1> : tensor<2xi64>, ...}
    // becomes
    %xp = tensor.pad %x low[0, 0, 1, 1] high[0, 0, 1, 1] { tensor.yield %zero : f16 }
    %acc = linalg.fill ins(%zero32 : f32) outs(%empty : tensor<4x64x56x56xf32>)
    %y32 = linalg.conv_2d_nchw_fchw {strides = dense<1> : tensor<2xi64>, dilations = ...}
        ins(%xp, %w : ...) outs(%acc : ...)
    %y = linalg.generic {...} ins(%y32) outs(...) { arith.truncf ... }
    ```

    The semantics are ByteIR's CUDA runtime's (bytedance/byteir @0e83d42b,
    `runtime/lib/backends/cuda/providers/default/`) and the mhlo ops the
    kernels were fused from (StableHLO spec):

    * `ConvOp` (`math/conv.cc`): `tensor.pad` by the padding, then
      `linalg.conv_2d_nchw_fchw` with the strides, f16 operands accumulated
      in f32 (cuDNN's `CUDNN_DATA_FLOAT` compute type), one rounding to f16.
    * `ConvBackwardDataOp` (`math/conv_backward.cc`; attributes are the
      forward convolution's, `compiler/lib/Dialect/mhlo/Transforms/
      ConvBackwardFusion.cpp`): the gradient is zero-inserted with the
      stride and padded by `K-1-p` low and `K-1-p+a` high, `a = (I+2p-K) mod
      s` the output padding (rows the forward never read; dx's shape comes
      from the destination), then convolved with the filter rotated by 180°
      and transposed to `[C, F, Kh, Kw]`.
    * `ConvBackwardFilterOp`: `dw[f,c,i,j] = Σ dy[n,f,oh,ow]·xpad[n,c,s·oh+i,
      s·ow+j]`, emitted as a stride-1 convolution dilated by s on the
      transposed operands (`[C, N, H, W]` ⋆ `[F, N, Oh, Ow]`), transposed
      back while rounding.
    * `BatchNormTrainingOp` (`normalization/batch_norm_training.cc`):
      statistics over N, H, W in f32, two-pass variance, `y = γ(x-μ)/√(σ²+ε)
      + β` with the biased σ². The variant returning mean and variance
      returns the batch mean and the **unbiased** variance `Σ(x-μ)²/(M-1)`:
      the runtime calls cuDNN with `exponentialAverageFactor = 1`, whose
      running variance is unbiased (as PyTorch's `running_var`), although
      mhlo's `batch_norm_training` defines it biased (`biased-variance`
      selects mhlo's reading). With M = 1 that variance is NaN.
    * `BatchNormGradOp` (`normalization/batch_norm_grad.cc`): mean and
      biased variance recomputed from x (the runtime passes no saved
      statistics to cuDNN); `dβ = Σdy`, `dγ = Σdy·x̂`,
      `dx = γ/√(σ²+ε)·(dy - dβ/M - x̂·dγ/M)`.
    * `PoolMaxOp` (`math/pool.cc`): `tensor.pad` with -∞ (padding is never
      selected), `linalg.pooling_nchw_max` (NaN propagates, as with
      `CUDNN_PROPAGATE_NAN`).
    * `PoolMaxGradOp` (`math/pool_grad.cc`; mhlo `select_and_scatter` with
      `GE`): each window's gradient goes to its **first** maximum in
      row-major order, as in PyTorch and StableHLO's reference interpreter
      (cuDNN leaves ties unspecified); per input element the at most
      ⌈K/s⌉² contributions are summed in f32 and rounded once. Emitted as
      an argmax generic and a gather generic.
    * `MatmulOp` (`math/matmul.cc`): `linalg.matmul` with indexing maps
      from `lhs_contracting_dimension` and `rhs_contracting_dimension`, f32
      accumulation (`CUBLAS_COMPUTE_32F`), one rounding; `output_transpose`
      transposes the product (the compiler's meaning: ByteIR's runtime does
      not implement it).
    * `ReduceSumOp`, `ReduceMaxOp` (`reduction/reduce_impl.h`):
      `linalg.reduce` over the dimensions; sums of f16 accumulate in f32
      (the runtime's working type) and round once; max is exact, init -∞,
      NaN propagates (`arith.maximumf`).
    * `TransposeOp` (`tensor_manipulate/transpose.cc`): `linalg.transpose`;
      `minor_to_major` is ignored, as the runtime does.

    Accepted: what `matchLibraryKernel` (ckpt/Analysis/LibraryKernels.h)
    accepts: f16 or f32 data, f32 batch-norm parameters, static shapes,
    NCHW layouts, group counts and dilations 1, equal low and high padding,
    `feature_index = 1`, the attributes each kernel reads (other
    dialect-prefixed attributes are ignored).

    Refused with a located error, the module left unchanged (every call is
    checked before the first rewrite): a call with `byre_compute_name` that
    names an unknown kernel, carries an attribute the kernel does not read
    or an unsupported value, has types its name does not spell, or calls a
    function with a body; a kernel call or declaration that carries a
    `ckpt.*` annotation (convert first, then annotate: the rewrite would
    drop it). Rationale: the runtime might read an attribute the rewrite
    ignored, and a guessed semantics would silently change the gradients.

    Afterwards the destination `tensor.empty` ops that no longer have uses
    and the private declarations no call uses are erased. Calls without
    `byre_compute_name` are left alone.
  }];
  let options = [
    Option<"biasedVariance", "biased-variance", "bool", "false",
           "BatchNormTrainingOp's variance result is the biased batch "
           "variance (mhlo's definition) instead of the unbiased one "
           "ByteIR's cuDNN runtime returns">,
  ];
  let dependentDialects = [
    "::mlir::arith::ArithDialect", "::mlir::linalg::LinalgDialect",
    "::mlir::math::MathDialect", "::mlir::scf::SCFDialect",
    "::mlir::tensor::TensorDialect"
  ];
}

//===----------------------------------------------------------------------===//
// MPIToLLVM
//===----------------------------------------------------------------------===//

def CkptConvertMPIToLLVM
    : Pass<"ckpt-convert-mpi-to-llvm", "::mlir::ModuleOp"> {
  let summary = "Lower the mpi dialect to calls of the MPI C library of one "
                "ABI (Open MPI or MPICH)";
  let description = [{
    Runs on bufferized code (the `mpi` ops take memrefs), before
    `finalize-memref-to-llvm`: the buffers' descriptors are read through
    the casts that pass leaves for `reconcile-unrealized-casts`.

    ```mlir
    mpi.allreduce(%buf, %buf, MPI_SUM, %comm) : memref<2x3xf32>, memref<2x3xf32>
    // becomes, with abi=openmpi
    %in_place = llvm.inttoptr %c1 : i64 to !llvm.ptr
    %float = llvm.mlir.addressof @ompi_mpi_float : !llvm.ptr
    %sum = llvm.mlir.addressof @ompi_mpi_op_sum : !llvm.ptr
    %0 = llvm.call @MPI_Allreduce(%in_place, %ptr, %c6_i32, %float, %sum, %c) : ...
    ```

    Lowered: `mpi.init`, `mpi.finalize` (upstream's patterns),
    `mpi.comm_world`, `mpi.comm_rank`, `mpi.comm_size`, `mpi.comm_split`,
    `mpi.send`, `mpi.recv`, `mpi.allreduce`, `mpi.barrier` (ckpt's patterns,
    which take precedence over upstream's). Against upstream MLIR 22.1.8's
    MPIToLLVM they fix: `mpi.allreduce`, `send` and `recv` pass the element
    count of the whole buffer (upstream: its first dimension, so a 2x3
    buffer reduced 2 elements); Open MPI's reductions are
    `ompi_mpi_op_sum` and so on (upstream: `ompi_mpi_sum`, no such symbol);
    the communicator from `MPI_Comm_split` stays a pointer under Open MPI
    (upstream loads an i32 from the pointer's slot); `comm_size` and
    `barrier` are lowered (upstream: left in place, without an error); an
    allreduce whose buffers are the same value passes `MPI_IN_PLACE`.
    ABI constants are those of Debian's `mpi.h` for Open MPI 4.1 and
    MPICH 4.0.

    MPI must be initialized before any other MPI call: with
    `init-function=NAME`, when the module holds mpi ops, the function NAME
    (the program's entry point; `ckpt-lower-to-cpu{mpi=...}` names `main`,
    the driver `ckpt-runner-main` writes) starts with `mpi.init` and ends
    with `mpi.finalize` before each return, unless it holds an `mpi.init`
    already. A step function itself never initializes MPI: it may run many
    times.

    Upstream's patterns read the ABI from the module's
    `dlti.map<"MPI:Implementation" = ...>`; the pass sets it from `abi`
    for the conversion and removes it afterwards (restoring a map the
    module had), since `mlir-runner` cannot parse that attribute. Unused
    `shard.grid` symbols (what `convert-shard-to-mpi` leaves) are erased.

    Refused, with a located error naming the op and the module left
    unchanged (every op is checked first): other `mpi` ops (isend, irecv,
    wait, retval_check, error_class); any `shard` op but a grid (run
    `convert-shard-to-mpi` first); buffers that are not one contiguous
    row-major block, of element types other than f32, f64 and 8- to 64-bit
    integers, or with more than 2^31-1 elements; allreduce buffers of
    different element types or counts, or reductions MPI_OP_NULL,
    MPI_MINLOC, MPI_MAXLOC, MPI_REPLACE; `!mpi.comm`, `!mpi.retval` or
    `!mpi.request` values used by non-mpi ops or passed as block arguments.
  }];
  let options = [
    Option<"abi", "abi", "::mlir::ckpt::MPIABI",
           "::mlir::ckpt::MPIABI::OpenMPI",
           "The MPI library the program is linked with",
           [{::llvm::cl::values(
             clEnumValN(::mlir::ckpt::MPIABI::OpenMPI, "openmpi",
                        "Open MPI (handles are pointers to its globals; "
                        "default)"),
             clEnumValN(::mlir::ckpt::MPIABI::MPICH, "mpich",
                        "MPICH and its ABI family (integer handles)"))}]>,
    Option<"initFunction", "init-function", "std::string", "\"\"",
           "A function (the program's entry point) to wrap in MPI_Init and "
           "MPI_Finalize when the module holds mpi ops and it has no "
           "mpi.init">,
  ];
  let dependentDialects = ["::mlir::LLVM::LLVMDialect",
                           "::mlir::DLTIDialect", "::mlir::mpi::MPIDialect"];
}

#endif // CKPT_CONVERSION_PASSES_TD
