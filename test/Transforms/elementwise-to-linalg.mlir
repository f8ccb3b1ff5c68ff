// RUN: ckpt-opt %s --ckpt-elementwise-to-linalg | FileCheck %s

// Each converted op writes a tensor.empty of its own, never one of its
// inputs (upstream's pattern puts %x in outs: the result would overwrite
// the caller's argument). Generics that were there stay as written.
// CHECK-LABEL: func.func @step
// CHECK: %[[E0:.*]] = tensor.empty() : tensor<8xf32>
// CHECK: %[[M:.*]] = linalg.generic {{.*}} ins(%arg0, %arg1 : tensor<8xf32>, tensor<8xf32>) outs(%[[E0]] : tensor<8xf32>)
// CHECK: arith.mulf
// CHECK: %[[E1:.*]] = tensor.empty() : tensor<8xf32>
// CHECK: linalg.generic {{.*}} ins(%[[M]] : tensor<8xf32>) outs(%[[E1]] : tensor<8xf32>)
// CHECK: math.tanh
// CHECK: linalg.generic {{.*}} ins(%arg0 : tensor<8xf32>) outs(%arg1 : tensor<8xf32>)
// CHECK: arith.addf %{{.*}}, %{{.*}} : f32
func.func @step(%x: tensor<8xf32>, %w: tensor<8xf32>) -> (tensor<8xf32>, tensor<8xf32>) {
  %m = arith.mulf %x, %w : tensor<8xf32>
  %t = math.tanh %m : tensor<8xf32>
  %acc = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]}
      ins(%x : tensor<8xf32>) outs(%w : tensor<8xf32>) {
  ^bb0(%in: f32, %out: f32):
    %s = arith.addf %in, %out : f32
    linalg.yield %s : f32
  } -> tensor<8xf32>
  return %t, %acc : tensor<8xf32>, tensor<8xf32>
}

// Scalars are left alone.
// CHECK-LABEL: func.func @scalar
// CHECK-NEXT: arith.mulf %arg0, %arg0 : f32
func.func @scalar(%a: f32) -> f32 {
  %0 = arith.mulf %a, %a : f32
  return %0 : f32
}
