// REQUIRES: mpi-openmpi, numpy
// Tests that ckpt-run --ranks 2 --mpi openmpi gives each rank the slice of a
// sharded argument (ckpt.shard_dim) that the 1-rank run of the global step
// has: rank r's x is rows [2r, 2r+2) of the global x (shard_dim 0), its y
// columns [2r, 2r+2) of the global y (shard_dim 1, fan-in of the global
// shape under the hash generator), w is replicated, so x @ w is the same
// rows of the global product. @global returns those slices; every printed
// line (sum, l1, bits) of rank r must equal the global run's. Generated
// inputs, then inputs from an archive of global tensors. No collectives. The steps return copies (a function returning an
// argument or a view of one is item 3 of issue 14).
//
// RUN: ckpt-run --generator hash --entry global %s > %t.global
// RUN: timeout 120 ckpt-run --ranks 2 --mpi openmpi --all-ranks --generator hash --entry local %s > %t.ranks
// RUN: cat %t.global %t.ranks | FileCheck %s
// RUN: timeout 120 ckpt-run --ranks 2 --mpi openmpi --generator hash --entry local %s | FileCheck %s --check-prefix=RANK0 --implicit-check-not='rank 0: result' --implicit-check-not='rank 1: result' --implicit-check-not='result 3:'
//
// RUN: %numpy_python %S/make_global_inputs.py %t.npz
// RUN: ckpt-run --inputs %t.npz --entry global %s > %t.global-loaded
// RUN: timeout 120 ckpt-run --ranks 2 --mpi openmpi --all-ranks --inputs %t.npz --entry local %s > %t.ranks-loaded
// RUN: cat %t.global-loaded %t.ranks-loaded | FileCheck %s

// CHECK: result 0: [[X0:.*]]
// CHECK-NEXT: result 1: [[X1:.*]]
// CHECK-NEXT: result 2: [[P0:.*]]
// CHECK-NEXT: result 3: [[P1:.*]]
// CHECK-NEXT: result 4: [[Y0:.*]]
// CHECK-NEXT: result 5: [[Y1:.*]]
// CHECK-DAG: rank 0: result 0: [[X0]]{{$}}
// CHECK-DAG: rank 0: result 1: [[P0]]{{$}}
// CHECK-DAG: rank 0: result 2: [[Y0]]{{$}}
// CHECK-DAG: rank 1: result 0: [[X1]]{{$}}
// CHECK-DAG: rank 1: result 1: [[P1]]{{$}}
// CHECK-DAG: rank 1: result 2: [[Y1]]{{$}}
// CHECK-DAG: rank 0: peak {{[0-9]+}} bytes, total {{[0-9]+}} bytes, {{[0-9]+}} allocations
// CHECK-DAG: rank 1: peak {{[0-9]+}} bytes, total {{[0-9]+}} bytes, {{[0-9]+}} allocations

// Without --all-ranks only rank 0 prints results, unprefixed; each rank
// prints its peak.
// RANK0-DAG: {{^}}result 0: sum
// RANK0-DAG: {{^}}result 2: sum
// RANK0-DAG: rank 0: peak
// RANK0-DAG: rank 1: peak

func.func @local(%x: tensor<2x3xf32> {ckpt.shard_dim = 0 : i64},
                 %w: tensor<3x2xf32>,
                 %y: tensor<4x2xf32> {ckpt.shard_dim = 1 : i64})
    -> (tensor<2x3xf32>, tensor<2x2xf32>, tensor<4x2xf32>) {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<2x2xf32>
  %acc = linalg.fill ins(%zero : f32) outs(%e : tensor<2x2xf32>) -> tensor<2x2xf32>
  %p = linalg.matmul ins(%x, %w : tensor<2x3xf32>, tensor<3x2xf32>)
                     outs(%acc : tensor<2x2xf32>) -> tensor<2x2xf32>
  %ex = tensor.empty() : tensor<2x3xf32>
  %xc = linalg.copy ins(%x : tensor<2x3xf32>) outs(%ex : tensor<2x3xf32>) -> tensor<2x3xf32>
  %ey = tensor.empty() : tensor<4x2xf32>
  %yc = linalg.copy ins(%y : tensor<4x2xf32>) outs(%ey : tensor<4x2xf32>) -> tensor<4x2xf32>
  return %xc, %p, %yc : tensor<2x3xf32>, tensor<2x2xf32>, tensor<4x2xf32>
}

func.func @global(%x: tensor<4x3xf32>, %w: tensor<3x2xf32>, %y: tensor<4x4xf32>)
    -> (tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x2xf32>, tensor<2x2xf32>,
        tensor<4x2xf32>, tensor<4x2xf32>) {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<4x2xf32>
  %acc = linalg.fill ins(%zero : f32) outs(%e : tensor<4x2xf32>) -> tensor<4x2xf32>
  %p = linalg.matmul ins(%x, %w : tensor<4x3xf32>, tensor<3x2xf32>)
                     outs(%acc : tensor<4x2xf32>) -> tensor<4x2xf32>
  %x0 = tensor.extract_slice %x[0, 0] [2, 3] [1, 1] : tensor<4x3xf32> to tensor<2x3xf32>
  %x1 = tensor.extract_slice %x[2, 0] [2, 3] [1, 1] : tensor<4x3xf32> to tensor<2x3xf32>
  %p0 = tensor.extract_slice %p[0, 0] [2, 2] [1, 1] : tensor<4x2xf32> to tensor<2x2xf32>
  %p1 = tensor.extract_slice %p[2, 0] [2, 2] [1, 1] : tensor<4x2xf32> to tensor<2x2xf32>
  %y0 = tensor.extract_slice %y[0, 0] [4, 2] [1, 1] : tensor<4x4xf32> to tensor<4x2xf32>
  %y1 = tensor.extract_slice %y[0, 2] [4, 2] [1, 1] : tensor<4x4xf32> to tensor<4x2xf32>
  %ex0 = tensor.empty() : tensor<2x3xf32>
  %cx0 = linalg.copy ins(%x0 : tensor<2x3xf32>) outs(%ex0 : tensor<2x3xf32>) -> tensor<2x3xf32>
  %ex1 = tensor.empty() : tensor<2x3xf32>
  %cx1 = linalg.copy ins(%x1 : tensor<2x3xf32>) outs(%ex1 : tensor<2x3xf32>) -> tensor<2x3xf32>
  %ep0 = tensor.empty() : tensor<2x2xf32>
  %cp0 = linalg.copy ins(%p0 : tensor<2x2xf32>) outs(%ep0 : tensor<2x2xf32>) -> tensor<2x2xf32>
  %ep1 = tensor.empty() : tensor<2x2xf32>
  %cp1 = linalg.copy ins(%p1 : tensor<2x2xf32>) outs(%ep1 : tensor<2x2xf32>) -> tensor<2x2xf32>
  %ey0 = tensor.empty() : tensor<4x2xf32>
  %cy0 = linalg.copy ins(%y0 : tensor<4x2xf32>) outs(%ey0 : tensor<4x2xf32>) -> tensor<4x2xf32>
  %ey1 = tensor.empty() : tensor<4x2xf32>
  %cy1 = linalg.copy ins(%y1 : tensor<4x2xf32>) outs(%ey1 : tensor<4x2xf32>) -> tensor<4x2xf32>
  return %cx0, %cx1, %cp0, %cp1, %cy0, %cy1
      : tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x2xf32>, tensor<2x2xf32>,
        tensor<4x2xf32>, tensor<4x2xf32>
}
