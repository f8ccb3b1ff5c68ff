// The ckpt dialect's inliner interface and RegionBranchOpInterface.
// RUN: ckpt-opt %s -split-input-file -inline | FileCheck %s
// RUN: ckpt-opt %s -split-input-file -inline -canonicalize -cse | FileCheck %s --check-prefix=CLEAN

// Tests that upstream -inline inlines a call inside a checkpoint body (the
// region is a module boundary, not a scope with rules of its own), and that
// canonicalize/cse keep the region.
// CHECK-LABEL: func @inline_into_region
// CHECK: ckpt.checkpoint "blk" (%[[A:.*]] = %arg0 : tensor<4xf32>)
// CHECK-NEXT: %[[E:.*]] = math.exp %[[A]]
// CHECK-NEXT: ckpt.yield %[[E]]
// CLEAN-LABEL: func @inline_into_region
// CLEAN: ckpt.checkpoint "blk"
// CLEAN-NEXT: math.exp
func.func private @layer(%v: tensor<4xf32>) -> tensor<4xf32> {
  %e = math.exp %v : tensor<4xf32>
  return %e : tensor<4xf32>
}
func.func @inline_into_region(%x: tensor<4xf32>) -> tensor<4xf32> {
  %r = ckpt.checkpoint "blk" (%a = %x : tensor<4xf32>) -> (tensor<4xf32>) {
    %y = func.call @layer(%a) : (tensor<4xf32>) -> tensor<4xf32>
    ckpt.yield %y : tensor<4xf32>
  }
  return %r : tensor<4xf32>
}

// -----

// Tests that a function holding a region is inlined with the region.
// CHECK-LABEL: func @inline_region_with_caller
// CHECK-NOT: call
// CHECK: ckpt.checkpoint "inner"
func.func private @holder(%v: tensor<4xf32>) -> tensor<4xf32> {
  %r = ckpt.checkpoint "inner" (%a = %v : tensor<4xf32>) -> (tensor<4xf32>) {
    %e = math.tanh %a : tensor<4xf32>
    ckpt.yield %e : tensor<4xf32>
  }
  return %r : tensor<4xf32>
}
func.func @inline_region_with_caller(%x: tensor<4xf32>) -> tensor<4xf32> {
  %y = func.call @holder(%x) : (tensor<4xf32>) -> tensor<4xf32>
  return %y : tensor<4xf32>
}
