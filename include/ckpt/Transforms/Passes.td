//===- Passes.td - lowering support passes ---*- tablegen -*-===//

#ifndef CKPT_TRANSFORMS_PASSES_TD
#define CKPT_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def CkptShrinkBufferLifetimes : Pass<"ckpt-shrink-buffer-lifetimes"> {
  let summary = "Allocate each buffer just before its first use and free it "
                "just after its last use";
  let description = [{
    One-Shot Bufferize allocates a buffer where its `tensor.empty` was, which
    can be long before the op that fills it, and upstream's ownership-based
    buffer deallocation frees buffers at the end of the block that owns
    them. Left so, every activation of a training step would stay allocated
    until the step returns and checkpointing could not lower the measured
    peak. This pass moves each `memref.alloc` down to right before the first
    op of its block that uses the buffer, and each `memref.dealloc` up to
    right after the last op that uses the buffer or a view of it
    (`ViewLikeOpInterface`): the liveness the memory report assumes.

    A dealloc stays where it is when the buffer, or a view of it, is used
    outside the dealloc's block, or by an op that could hand out an alias
    the pass cannot see (a call, an op with regions that returns buffers,
    any other op that returns a memref not marked as a view). An alloc
    without uses stays too.

    Upstream `optimize-allocation-liveness` does the dealloc half alike
    (the same measured peaks on the bundled MLP and on generated MLP and
    transformer steps, with and without checkpointing, once this pass sinks
    the allocations), but it does not sink allocations (without that, the
    checkpointed 4-layer MLP of `bench/` peaks at 57860 bytes instead of
    49604), and it frees a buffer right after a call that was handed it,
    where this pass keeps it until the end of the block because the callee
    may have kept an alias. `test/Transforms/shrink-buffer-lifetimes.mlir`
    runs both on the same cases.
  }];
  let dependentDialects = ["::mlir::memref::MemRefDialect"];
}

def CkptFreshResultOwnership : Pass<"ckpt-fresh-result-ownership"> {
  let summary = "Tell ownership-based deallocation that a loop that runs "
                "at least once, or a two-way branch, owns the buffer it "
                "yields";
  let description = [{
    Runs inside the lowering pipelines' deallocation, after each of two
    rounds of upstream's `buffer-deallocation-simplification` (following
    `ownership-based-buffer-deallocation`), before `lower-deallocations`.
    For an `scf.for` or `scf.if` result that `isFreshResult` accepts (a
    loop with a static trip count of at least 1, or an `scf.if` with both
    branches, where every yield gives a `memref.alloc` of its own, with
    ownership `true`):

    1. the result's ownership indicator becomes `true` after the op, so
       the clone-or-not `scf.if` before a return and the conditional frees
       fold away;
    2. a `bufferization.dealloc` of the result's base buffer
       (`memref.extract_strided_metadata`) frees the result itself when its
       layout is the identity (the base buffer is the allocation);
    3. a value is dropped from the `retain` list of a
       `bufferization.dealloc` when no memref of it can alias the value
       (one of the two is a fresh result and the other another fresh
       result or defined before that op, or a `memref.alloc` after it; or
       both are results of different `memref.alloc` ops);
       its updated ownership there is `false`;
    4. a memref that can alias no other memref or retained value of its
       `bufferization.dealloc` (by the same rule) gets a
       `bufferization.dealloc` of its own, which lowers to a plain
       (conditional) `memref.dealloc` instead of a run-time alias check;
    5. the copy One-Shot Bufferize makes of a loop init that is read after
       the loop (it treats every `scf.for` init as written) goes when the
       loop's result is fresh, the first iteration does not own the init,
       and nothing in the loop writes or frees the copy's source or the
       iter_arg: the loop reads the source itself.

    Without this, those buffers stay allocated until the block ends:
    corpus `loop-matmul-layers.mlir` measured 98688 bytes against an
    estimate of 65536 (65792 now); of 60 fuzz graphs (`fuzz.py --n 60
    --seed 1000`), 17 measured a peak more than 5% off the estimate, 5 now.
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect"];
}

def CkptGpuDeviceMemory : Pass<"ckpt-gpu-device-memory", "::mlir::ModuleOp"> {
  let summary = "Put a bufferized step's buffers in device memory and run "
                "its remaining host compute on the device";
  let description = [{
    For `ckpt-lower-to-nvvm`, after linalg has become `gpu.launch` kernels.
    In every function that launches kernels:

    1. runs of host ops that still compute on buffers (a 0-d fill, a full
       reduction's sequential loop, scalar loads and stores) move into a
       one-thread `gpu.launch` each; a scalar result of such a run that
       the host needs (an `scf.if` condition, a loop bound) is stored by
       the kernel into a 0-d device buffer, copied into a host buffer and
       loaded there; a non-scalar one is refused with an error;
    2. `memref.alloc`/`memref.dealloc` become `gpu.alloc`/`gpu.dealloc`
       (device memory, never managed memory), except buffers passed to a
       call (the pointer and ownership-flag buffers ownership-based
       deallocation fills for its `@dealloc_helper` and reads to decide
       what to free): those stay host buffers, and their loads and stores
       stay on the host. `memref.copy` becomes `gpu.memcpy` between
       identity layouts, and a kernel of 256-thread blocks (one thread per
       element) between strided views;
    3. each memref argument is copied into a fresh device buffer at entry,
       and each returned buffer is copied into a fresh host buffer before
       the return (the device copies are freed): callers keep working on
       host memory. Dynamic sizes are read from the buffer (`memref.dim`);
       only identity layouts are accepted;
    4. each constant (`memref.get_global` of a host global) is copied into
       a device buffer where it is read, freed before the return.

    Buffer metadata (`memref.dim`, aligned pointers), integer and index
    arithmetic, and `scf.for`/`scf.if` around kernels stay on the host;
    the bodies of those are handled like the function's.

    Functions that launch nothing (a host driver) are left alone.
  }];
  let dependentDialects = ["::mlir::gpu::GPUDialect",
                           "::mlir::memref::MemRefDialect"];
}

def CkptCheckLoweringInput
    : Pass<"ckpt-check-lowering-input", "::mlir::ModuleOp"> {
  let summary = "Refuse, with a located error, a module the lowering "
                "pipelines cannot lower";
  let description = [{
    The first pass of `ckpt-lower-to-cpu` and `ckpt-lower-to-nvvm`. A module
    that still holds `ckpt.checkpoint` regions, or functions and calls
    annotated with `ckpt.checkpoint`, has not been rewritten: bufferization
    would fail on the region op with "op was not bufferized". Each such op
    gets an error saying to run `ckpt-rematerialize` (checkpoint) or
    `ckpt-drop-annotations` (the unannotated baseline) first. Nothing is
    changed.
  }];
}

def CkptCheckLoweringOutput
    : Pass<"ckpt-check-lowering-output", "::mlir::ModuleOp"> {
  let summary = "Fail unless only the LLVM dialect is left (a pipeline that "
                "finishes produced runnable output)";
  let description = [{
    The last pass of the lowering pipelines. Every op nested in the module
    must belong to the `llvm` dialect; with `allow-gpu-binary`, `gpu.binary`
    (the embedded kernels of `ckpt-lower-to-nvvm`) and the `gpu.launch_func`
    ops that launch them are accepted too (`mlir-translate --mlir-to-llvmir`
    turns both into host code). The
    first op of each other kind gets a located error naming it, with the
    number of such ops, so that a pipeline never exits 0 with output
    `mlir-runner` or `mlir-translate` cannot use.
  }];
  let options = [
    Option<"allowGpuBinary", "allow-gpu-binary", "bool", "false",
           "Accept gpu.binary and gpu.launch_func (GPU kernels embedded for the host and their launches)">,
  ];
}

def CkptCloneEmptyTensors : Pass<"ckpt-clone-empty-tensors"> {
  let summary = "Give each use of a tensor.empty a tensor.empty of its own";
  let description = [{
    One-Shot Bufferize allocates one buffer per `tensor.empty` and lets every
    op whose init is that empty tensor write into it when nothing still
    needs what an earlier writer left there. `cse` merges identical empty
    tensors across a whole training step, so after `ckpt-rematerialize` a
    forward op and a backward recompute (or any backward op) can end up
    writing the same buffer, which then stays allocated from the forward to
    the backward: the lowered step measured more bytes with checkpointing and
    `cse` than without (fuzz seed 15: 74240 against 66048). Cloning the empty
    tensor before each user (as the AscendNPU compiler's
    `hivm-clone-tensor-empty` does) gives each writer a fresh buffer, the
    model the memory report follows (`getInPlaceResults`): a result whose
    init is an empty tensor owns its bytes. Runs right before bufferization
    in both lowering pipelines.
  }];
  let dependentDialects = ["::mlir::tensor::TensorDialect"];
}

def CkptElementwiseToLinalg : Pass<"ckpt-elementwise-to-linalg"> {
  let summary = "arith/math ops on tensors to linalg.generic ops, each "
                "result in a buffer of its own";
  let description = [{
    Upstream's `convert-elementwise-to-linalg` patterns, then every generic
    they built gets a `tensor.empty` init instead of one of its inputs
    (upstream uses an input for the shape only). Bufferized as upstream
    leaves it, the result overwrites that input when it dies there:
    sometimes a function argument, that is the caller's memory, and never
    the one-buffer-per-value liveness the memory report estimates. Ops on
    scalars and generics that were already there are left alone.
  }];
  let dependentDialects = ["::mlir::linalg::LinalgDialect",
                           "::mlir::tensor::TensorDialect"];
}

def CkptGpuTileParallelLoops : Pass<"ckpt-gpu-tile-parallel-loops"> {
  let summary = "Tile each outermost scf.parallel so that it maps to thread "
                "blocks of up to block-size threads";
  let description = [{
    For `ckpt-lower-to-nvvm`, before `gpu-map-parallel-loops`: that mapping
    puts an outer parallel loop on the grid and a nested one on the threads
    of a block, so an untiled loop nest launches one-thread blocks. Each
    outermost `scf.parallel` is tiled (upstream `tileParallelLoop`, constant
    inner bounds with a guard) so that the inner loop has up to
    `block-size` iterations: the innermost dimension takes as many as it
    has up to `block-size` (neighbouring threads touch neighbouring
    elements of row-major buffers), outer dimensions the rest. A loop with
    `block-size` or more iterations thus launches blocks of `block-size`
    threads; reduction loops inside stay sequential per thread. A loop
    of more than three dimensions first has its leading dimensions
    combined into one (upstream `collapseParallelLoops`): a GPU has three
    grid and block dimensions, and the mapping would run the rest
    sequentially in each thread.
  }];
  let options = [
    Option<"blockSize", "block-size", "int64_t", "256",
           "Threads per block for loops with at least that many iterations">,
  ];
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::scf::SCFDialect",
                           "::mlir::affine::AffineDialect"];
}

def CkptDecomposeAggregateOps : Pass<"ckpt-decompose-aggregate-ops"> {
  let summary = "Decompose linalg aggregate ops (linalg.softmax, ...) into "
                "the linalg ops that compute them";
  let description = [{
    Ops implementing `linalg::AggregatedOpInterface` (`linalg.softmax`,
    the Winograd ops) have no loop lowering of their own:
    `convert-linalg-to-loops` leaves them in place. This pass replaces each
    by the ops its `decomposeOperation` builds (for softmax: a max
    reduction, `exp(x - max)`, a sum reduction and a division, as upstream
    defines it), repeatedly until none is left. Upstream has the
    decomposition only as the transform op
    `transform.structured.decompose_interface`, not as a pass.
  }];
  let dependentDialects = ["::mlir::linalg::LinalgDialect",
                           "::mlir::arith::ArithDialect",
                           "::mlir::math::MathDialect",
                           "::mlir::tensor::TensorDialect"];
}

def CkptLinalgLoopOrder : Pass<"ckpt-linalg-loop-order"> {
  let summary = "Order each linalg op's loops so that a parallel loop with "
                "contiguous accesses is innermost";
  let description = [{
    `convert-linalg-to-loops` nests loops in the order of the op's
    iteration dimensions: `linalg.matmul` becomes (i, j, k) loops, a serial
    reduction over a strided column of B that LLVM cannot vectorize (it may
    not reassociate floating-point sums). This pass generalizes named ops
    and, per op, moves to the innermost position the parallel dimension
    that the most operands access with stride 1 (the dimension is the last
    result of the operand's indexing map, or appears there with
    coefficient 1) minus the operands it strides through (it appears in
    another result), if that count is positive and beats the current
    innermost dimension's. Matmul becomes (i, k, j), a convolution ends in
    its output width loop.

    The relative order of every other dimension, reduction dimensions
    included, is unchanged, so every output element still accumulates its
    terms in the same order: results are bit-identical to the (i, j, k)
    lowering and deterministic. Ops on buffers or tensors alike.
  }];
  let dependentDialects = ["::mlir::linalg::LinalgDialect"];
}

#endif // CKPT_TRANSFORMS_PASSES_TD
