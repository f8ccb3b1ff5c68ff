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

def CkptGpuDeviceMemory : Pass<"ckpt-gpu-device-memory", "::mlir::ModuleOp"> {
  let summary = "Put a bufferized step's buffers in device memory and run "
                "its remaining host compute on the device";
  let description = [{
    For `ckpt-lower-to-nvvm`, after linalg has become `gpu.launch` kernels.
    In every function that launches kernels:

    1. runs of host ops that still compute on buffers (a 0-d fill, a full
       reduction's sequential loop, scalar loads and stores) move into a
       one-thread `gpu.launch` each; a run whose scalar result the host
       needs is refused with an error;
    2. `memref.alloc`/`memref.dealloc` become `gpu.alloc`/`gpu.dealloc`
       (device memory, never managed memory), `memref.copy` `gpu.memcpy`;
    3. each memref argument is copied into a fresh device buffer at entry,
       and each returned buffer is copied into a fresh host buffer before
       the return (the device copies are freed): callers keep working on
       host memory.

    Functions that launch nothing (a host driver) are left alone.
  }];
  let dependentDialects = ["::mlir::gpu::GPUDialect",
                           "::mlir::memref::MemRefDialect"];
}

#endif // CKPT_TRANSFORMS_PASSES_TD
