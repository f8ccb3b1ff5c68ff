// RUN: ckpt-opt %s --pass-pipeline='builtin.module(ckpt-rematerialize{remarks=none},ckpt-runner-main,ckpt-lower-to-cpu{mpi=openmpi})' | FileCheck %s --check-prefixes=CHECK,OMPI
// RUN: ckpt-opt %s --pass-pipeline='builtin.module(ckpt-rematerialize{remarks=none},ckpt-runner-main,ckpt-lower-to-cpu{mpi=mpich})' | FileCheck %s --check-prefixes=CHECK,MPICH
// RUN: not ckpt-opt %s --pass-pipeline='builtin.module(ckpt-lower-to-cpu{mpi=lam})' 2>&1 | FileCheck %s --check-prefix=BAD

// Tests ckpt-lower-to-cpu{mpi=...} on a data-parallel step: the shard
// all-reduce of the weight gradient becomes mpi ops before bufferization
// (convert-shard-to-mpi: a communicator split, an in-place allreduce of the
// flattened buffer), the mpi ops get memory effects (ownership-based
// deallocation accepts them), and ckpt-convert-mpi-to-llvm lowers them for
// the ABI. Only the LLVM dialect is left: no shard grid, no mpi op, no
// dlti attribute, no ckpt argument attribute; the driver's @main initializes
// and finalizes MPI around the step.
// CHECK-NOT: dlti
// CHECK-NOT: shard.
// CHECK-NOT: ckpt.
// OMPI-DAG: llvm.mlir.global external @ompi_mpi_op_sum()
// OMPI-DAG: llvm.mlir.global external @ompi_mpi_float()
// CHECK-DAG: llvm.func @MPI_Allreduce
// CHECK-DAG: llvm.func @MPI_Comm_split
// CHECK-LABEL: llvm.func @step
// CHECK: %[[N:.*]] = llvm.mlir.constant(16 : i64) : i64
// CHECK-NEXT: %[[COUNT:.*]] = llvm.trunc %[[N]] : i64 to i32
// OMPI-NEXT: %[[ONE:.*]] = llvm.mlir.constant(1 : i64) : i64
// MPICH-NEXT: %[[ONE:.*]] = llvm.mlir.constant(-1 : i64) : i64
// CHECK-NEXT: %[[INPLACE:.*]] = llvm.inttoptr %[[ONE]]
// CHECK: llvm.call @MPI_Allreduce(%[[INPLACE]], %{{.*}}, %[[COUNT]], %{{.*}}, %{{.*}}, %{{.*}})
// CHECK-LABEL: llvm.func @main
// CHECK: llvm.call @MPI_Init
// CHECK: llvm.call @step
// CHECK: llvm.call @MPI_Finalize
// CHECK-NOT: mpi.
// BAD: for the --mpi option: Cannot find option named 'lam'!
shard.grid @ranks(shape = 2)
func.func @step(%x: tensor<2x4xf32> {ckpt.shard_dim = 0 : i64}, %w: tensor<4x4xf32>) -> (tensor<2x4xf32>, tensor<4x4xf32>) attributes {ckpt.forward_results = [0]} {
  %cst = arith.constant 0.000000e+00 : f32
  %e = tensor.empty() : tensor<2x4xf32>
  %f = linalg.fill ins(%cst : f32) outs(%e : tensor<2x4xf32>) -> tensor<2x4xf32>
  %r:2 = ckpt.checkpoint "layer" (%a = %x, %b = %w, %c = %f : tensor<2x4xf32>, tensor<4x4xf32>, tensor<2x4xf32>) -> (tensor<2x4xf32>, tensor<2x4xf32>) {
    %h = linalg.matmul ins(%a, %b : tensor<2x4xf32>, tensor<4x4xf32>) outs(%c : tensor<2x4xf32>) -> tensor<2x4xf32>
    %t = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%h : tensor<2x4xf32>) outs(%c : tensor<2x4xf32>) {
    ^bb0(%in: f32, %out: f32):
      %v = math.tanh %in : f32
      linalg.yield %v : f32
    } -> tensor<2x4xf32>
    ckpt.yield %t, %h : tensor<2x4xf32>, tensor<2x4xf32>
  }
  %e2 = tensor.empty() : tensor<4x2xf32>
  %xt = linalg.transpose ins(%x : tensor<2x4xf32>) outs(%e2 : tensor<4x2xf32>) permutation = [1, 0]
  %e3 = tensor.empty() : tensor<4x4xf32>
  %f3 = linalg.fill ins(%cst : f32) outs(%e3 : tensor<4x4xf32>) -> tensor<4x4xf32>
  %dw = linalg.matmul ins(%xt, %r#1 : tensor<4x2xf32>, tensor<2x4xf32>) outs(%f3 : tensor<4x4xf32>) -> tensor<4x4xf32>
  %g = shard.all_reduce %dw on @ranks grid_axes = [0] : tensor<4x4xf32> -> tensor<4x4xf32>
  return %r#0, %g : tensor<2x4xf32>, tensor<4x4xf32>
}
