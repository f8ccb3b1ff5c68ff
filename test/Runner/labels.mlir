// REQUIRES: numpy
// Tests a step that reads generated integer labels and an i1 mask, as a
// classifier's loss does: picked[r] = x[r, labels[r]] (labels in [0, 3) by
// ckpt.input_range), loss = the sum of picked[r] over rows whose mask is
// set, a batch of 6 rows given as a dynamic dimension. The numpy oracle
// rebuilds the inputs from ckpt-runner-main's rule and recomputes both
// results in the same float32 order: bit for bit. Both generators.
//
// RUN: ckpt-run --dynamic-dim-size 6 --outputs %t.sin.npz %s > /dev/null
// RUN: %numpy_python %S/labels_oracle.py %t.sin.npz sin 6 | FileCheck %s
// RUN: ckpt-run --generator hash --dynamic-dim-size 6 --outputs %t.hash.npz %s > /dev/null
// RUN: %numpy_python %S/labels_oracle.py %t.hash.npz hash 6 | FileCheck %s

// CHECK: labels {{\[}}{{[0-2 ]+}}], mask {{\[}}{{[01 ]+}}]
// CHECK-NEXT: picked: bit-identical
// CHECK-NEXT: loss: bit-identical

func.func @nll(%x: tensor<?x3xf32>, %labels: tensor<?xi64> {ckpt.input_range = 3 : i64},
               %mask: tensor<?xi1>) -> (tensor<f32>, tensor<?xf32>) {
  %c0 = arith.constant 0 : index
  %zero = arith.constant 0.0 : f32
  %n = tensor.dim %x, %c0 : tensor<?x3xf32>
  %e = tensor.empty(%n) : tensor<?xf32>
  %z = linalg.fill ins(%zero : f32) outs(%e : tensor<?xf32>) -> tensor<?xf32>
  %picked = linalg.generic {
      indexing_maps = [affine_map<(r, c) -> (r, c)>, affine_map<(r, c) -> (r)>,
                       affine_map<(r, c) -> (r)>],
      iterator_types = ["parallel", "reduction"]}
      ins(%x, %labels : tensor<?x3xf32>, tensor<?xi64>) outs(%z : tensor<?xf32>) {
  ^bb0(%v: f32, %label: i64, %acc: f32):
    %col = linalg.index 1 : index
    %c = arith.index_cast %col : index to i64
    %hit = arith.cmpi eq, %c, %label : i64
    %sel = arith.select %hit, %v, %zero : f32
    %sum = arith.addf %acc, %sel : f32
    linalg.yield %sum : f32
  } -> tensor<?xf32>
  %l0 = tensor.empty() : tensor<f32>
  %lz = linalg.fill ins(%zero : f32) outs(%l0 : tensor<f32>) -> tensor<f32>
  %loss = linalg.generic {
      indexing_maps = [affine_map<(r) -> (r)>, affine_map<(r) -> (r)>, affine_map<(r) -> ()>],
      iterator_types = ["reduction"]}
      ins(%picked, %mask : tensor<?xf32>, tensor<?xi1>) outs(%lz : tensor<f32>) {
  ^bb0(%p: f32, %m: i1, %acc: f32):
    %sel = arith.select %m, %p, %zero : f32
    %sum = arith.addf %acc, %sel : f32
    linalg.yield %sum : f32
  } -> tensor<f32>
  return %loss, %picked : tensor<f32>, tensor<?xf32>
}
