// RUN: ckpt-opt %s -split-input-file -ckpt-rematerialize="remarks=regions collectives=nccl_.* assume-pure=nccl_.*" -verify-diagnostics -o /dev/null
// RUN: ckpt-opt %s -split-input-file -ckpt-rematerialize="remarks=none collectives=nccl_.* assume-pure=nccl_.*" 2>/dev/null | FileCheck %s
// RUN: ckpt-opt %s -split-input-file -ckpt-rematerialize="remarks=none collectives=nccl_.* assume-pure=nccl_.* recompute-collectives" 2>/dev/null | FileCheck %s --check-prefix=REPLAY
// RUN: ckpt-opt %s -split-input-file -ckpt-rematerialize="remarks=none assume-pure=nccl_.*" 2>/dev/null | FileCheck %s --check-prefix=NOTCOLL

// Collectives are in the saved set (docs/distributed.md; docs/rationale.md, scenario S15): an
// all-reduce inside a checkpointed region runs once per step, even where
// upstream declares it Pure, and the remark says why. With
// recompute-collectives a Pure one is replayed like any other op.

shard.grid @tp(shape = 2)

// Tests a tensor-parallel (Megatron) block: the partial sums of the
// row-split matmul are all-reduced inside the region. The backward reads u
// (dropped: the two ops before it are cloned) and the all-reduce's result y,
// which is kept: no all-reduce is cloned. Under recompute-collectives y is
// dropped too and the recompute replays the all-reduce after the second
// matmul.
// CHECK-LABEL: func @rematerialize_tensor_parallel
// CHECK-COUNT-1: shard.all_reduce
// CHECK-NOT: shard.all_reduce
// CHECK: return
// REPLAY-LABEL: func @rematerialize_tensor_parallel
// REPLAY: %[[Y:.*]] = shard.all_reduce
// REPLAY: ckpt.barrier
// REPLAY: linalg.matmul
// REPLAY: %[[P:.*]] = linalg.matmul
// REPLAY: %[[Y2:.*]] = shard.all_reduce %[[P]] on @tp
// REPLAY-NOT: shard.all_reduce
// REPLAY: arith.mulf %{{.*}}, %[[Y2]]
func.func @rematerialize_tensor_parallel(%x: tensor<4x8xf32>, %w1: tensor<8x8xf32>, %w2: tensor<8x8xf32>, %dz: tensor<4x8xf32>) -> (tensor<4x8xf32>, tensor<4x8xf32>) {
  // expected-remark @+1 {{checkpointed region 'block0': drops 1 value (128 bytes), clones 3 ops before the first backward use ('arith.mulf'); keeps 1 value used by the backward}}
  %r:3 = ckpt.checkpoint "block0" (%a = %x, %b = %w1, %c = %w2 : tensor<4x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>) -> (tensor<4x8xf32>, tensor<4x8xf32>, tensor<4x8xf32>) {
    %cst = arith.constant 0.000000e+00 : f32
    %e = tensor.empty() : tensor<4x8xf32>
    %f = linalg.fill ins(%cst : f32) outs(%e : tensor<4x8xf32>) -> tensor<4x8xf32>
    %h = linalg.matmul ins(%a, %b : tensor<4x8xf32>, tensor<8x8xf32>) outs(%f : tensor<4x8xf32>) -> tensor<4x8xf32>
    %u = math.tanh %h : tensor<4x8xf32>
    %p = linalg.matmul ins(%u, %c : tensor<4x8xf32>, tensor<8x8xf32>) outs(%f : tensor<4x8xf32>) -> tensor<4x8xf32>
    // expected-note @+1 {{kept: collective (communication between ranks runs once per step; recompute-collectives replays it)}}
    %y = shard.all_reduce %p on @tp grid_axes = [0] : tensor<4x8xf32> -> tensor<4x8xf32>
    %z = math.tanh %y : tensor<4x8xf32>
    ckpt.yield %z, %u, %y : tensor<4x8xf32>, tensor<4x8xf32>, tensor<4x8xf32>
  }
  %loss = math.exp %r#0 : tensor<4x8xf32>
  %g1 = arith.mulf %dz, %r#2 : tensor<4x8xf32>
  %g2 = arith.mulf %g1, %r#1 : tensor<4x8xf32>
  return %loss, %g2 : tensor<4x8xf32>, tensor<4x8xf32>
}

// -----

// Tests a call to an NCCL-style wrapper matched by collectives=: kept,
// although assume-pure would let it be recomputed; without collectives= it
// is an ordinary pure call and is cloned (NOTCOLL); under
// recompute-collectives it is cloned too.
// CHECK-LABEL: func @rematerialize_collective_call
// CHECK-COUNT-1: call @nccl_all_reduce
// CHECK-NOT: call @nccl_all_reduce
// REPLAY-LABEL: func @rematerialize_collective_call
// REPLAY-COUNT-2: call @nccl_all_reduce
// NOTCOLL-LABEL: func @rematerialize_collective_call
// NOTCOLL-COUNT-2: call @nccl_all_reduce
func.func private @nccl_all_reduce(tensor<8xf32>) -> tensor<8xf32>
func.func @rematerialize_collective_call(%x: tensor<8xf32>, %dy: tensor<8xf32>) -> (tensor<8xf32>, tensor<8xf32>) {
  // expected-remark @+1 {{checkpointed region 'nccl': drops 0 values (0 bytes), clones 0 ops; keeps 1 value used by the backward}}
  %r:2 = ckpt.checkpoint "nccl" (%a = %x : tensor<8xf32>) -> (tensor<8xf32>, tensor<8xf32>) {
    %e = math.exp %a : tensor<8xf32>
    // expected-note @+1 {{kept: collective}}
    %s = func.call @nccl_all_reduce(%e) : (tensor<8xf32>) -> tensor<8xf32>
    %t = math.tanh %s : tensor<8xf32>
    ckpt.yield %t, %s : tensor<8xf32>, tensor<8xf32>
  }
  %l = math.exp %r#0 : tensor<8xf32>
  %g = arith.mulf %dy, %r#1 : tensor<8xf32>
  return %l, %g : tensor<8xf32>, tensor<8xf32>
}

// -----

// Tests a call to a defined function that holds a collective: the call is
// one (found through the callee, whatever collectives= says).
// CHECK-LABEL: func @rematerialize_callee_with_collective
// CHECK-COUNT-1: call @reduce
// CHECK-NOT: call @reduce
// NOTCOLL-LABEL: func @rematerialize_callee_with_collective
// NOTCOLL-COUNT-1: call @reduce
// NOTCOLL-NOT: call @reduce
shard.grid @dp(shape = 2)
func.func private @reduce(%v: tensor<8xf32>) -> tensor<8xf32> {
  %s = shard.all_reduce %v on @dp grid_axes = [0] : tensor<8xf32> -> tensor<8xf32>
  return %s : tensor<8xf32>
}
func.func @rematerialize_callee_with_collective(%x: tensor<8xf32>, %dy: tensor<8xf32>) -> (tensor<8xf32>, tensor<8xf32>) {
  // expected-remark @+1 {{checkpointed region 'helper': drops 0 values (0 bytes), clones 0 ops; keeps 1 value used by the backward}}
  %r:2 = ckpt.checkpoint "helper" (%a = %x : tensor<8xf32>) -> (tensor<8xf32>, tensor<8xf32>) {
    %e = math.exp %a : tensor<8xf32>
    // expected-note @+1 {{kept: collective}}
    %s = func.call @reduce(%e) : (tensor<8xf32>) -> tensor<8xf32>
    %t = math.tanh %s : tensor<8xf32>
    ckpt.yield %t, %s : tensor<8xf32>, tensor<8xf32>
  }
  %l = math.exp %r#0 : tensor<8xf32>
  %g = arith.mulf %dy, %r#1 : tensor<8xf32>
  return %l, %g : tensor<8xf32>, tensor<8xf32>
}

// -----

// Tests an mpi op (on memrefs, inside an op that yields a tensor): the value
// is kept as a collective; the recompute never reaches the mpi.allreduce.
// CHECK-LABEL: func @rematerialize_mpi_allreduce
// CHECK-COUNT-1: mpi.allreduce
// CHECK-NOT: mpi.allreduce
func.func @rematerialize_mpi_allreduce(%x: tensor<8xf32>, %dy: tensor<8xf32>) -> (tensor<8xf32>, tensor<8xf32>) {
  // expected-remark @+1 {{checkpointed region 'mpi': drops 0 values (0 bytes), clones 0 ops; keeps 1 value used by the backward}}
  %r:2 = ckpt.checkpoint "mpi" (%a = %x : tensor<8xf32>) -> (tensor<8xf32>, tensor<8xf32>) {
    %e = math.exp %a : tensor<8xf32>
    // expected-note @+1 {{kept: collective}}
    %s = scf.execute_region -> tensor<8xf32> {
      %m = bufferization.to_buffer %e : tensor<8xf32> to memref<8xf32>
      %out = memref.alloc() : memref<8xf32>
      %comm = mpi.comm_world : !mpi.comm
      mpi.allreduce(%m, %out, MPI_SUM, %comm) : memref<8xf32>, memref<8xf32>
      %v = bufferization.to_tensor %out restrict : memref<8xf32> to tensor<8xf32>
      scf.yield %v : tensor<8xf32>
    }
    %t = math.tanh %s : tensor<8xf32>
    ckpt.yield %t, %s : tensor<8xf32>, tensor<8xf32>
  }
  %l = math.exp %r#0 : tensor<8xf32>
  %g = arith.mulf %dy, %r#1 : tensor<8xf32>
  return %l, %g : tensor<8xf32>, tensor<8xf32>
}

// -----

// Tests a communicator split (declared Pure upstream) whose result the
// backward reads: kept as a collective, not as a scalar.
// CHECK-LABEL: func @rematerialize_comm_split
// CHECK-COUNT-1: mpi.comm_split
// CHECK-NOT: mpi.comm_split
func.func @rematerialize_comm_split(%x: tensor<8xf32>, %c: i32) -> (tensor<8xf32>, i32) {
  // expected-remark @+1 {{checkpointed region 'split': drops 0 values (0 bytes), clones 0 ops; keeps 1 value used by the backward}}
  %r:2 = ckpt.checkpoint "split" (%a = %x, %k = %c : tensor<8xf32>, i32) -> (tensor<8xf32>, !mpi.comm) {
    %e = math.exp %a : tensor<8xf32>
    %world = mpi.comm_world : !mpi.comm
    // expected-note @+1 {{kept: collective}}
    %sub = mpi.comm_split(%world, %k, %k) : !mpi.comm
    ckpt.yield %e, %sub : tensor<8xf32>, !mpi.comm
  }
  %l = math.exp %r#0 : tensor<8xf32>
  %size = mpi.comm_size(%r#1) : i32
  return %l, %size : tensor<8xf32>, i32
}
