// ckpt-annotate loc= on a split-form pair (the PyTorch front end's
// form="split": private @fwd/@bwd and a public step calling them): one region
// per named run in @fwd, none in @bwd or the caller. Before the fix the pass
// ran the loc= (and callee=) mode twice and wrapped @fwd's new region in a
// second one of the same name.
// RUN: ckpt-opt %s -ckpt-annotate="loc=^blk$" 2>&1 | FileCheck %s
// RUN: ckpt-opt %s -ckpt-annotate="loc=^blk$" -ckpt-rematerialize -ckpt-verify -o /dev/null 2>&1 | FileCheck %s --check-prefix=REMAT

// CHECK: remark: created 1 region
// CHECK-LABEL: func.func private @fwd
// CHECK: ckpt.checkpoint "blk"
// CHECK-NOT: ckpt.checkpoint
// CHECK: math.tanh
// CHECK-NOT: ckpt.checkpoint
// CHECK: return
// CHECK-LABEL: func.func private @bwd
// CHECK-NOT: ckpt.checkpoint
// CHECK-LABEL: func.func @step
// CHECK-NOT: ckpt.checkpoint

// REMAT: remark: loc("blk"): checkpointed region 'blk': drops 2 saved values of @fwd (1024 bytes), clones 2 ops into @bwd before 'math.cos', reading 1 saved value; keeps 0 saved values
// REMAT: remark: @fwd now saves 1 values (512 bytes) for @bwd, was 2 (1024 bytes)
func.func private @fwd(%x: tensor<8x16xf32>) -> (tensor<8x16xf32>, tensor<8x16xf32>, tensor<8x16xf32>) attributes {ckpt.backward = @bwd, ckpt.num_outputs = 1 : i64} {
  %s = math.sin %x : tensor<8x16xf32> loc("blk")
  %t = math.tanh %s : tensor<8x16xf32> loc("blk")
  %y = math.exp %t : tensor<8x16xf32>
  return %y, %s, %t : tensor<8x16xf32>, tensor<8x16xf32>, tensor<8x16xf32>
}
func.func private @bwd(%s: tensor<8x16xf32>, %t: tensor<8x16xf32>) -> tensor<8x16xf32> {
  %c = math.cos %s : tensor<8x16xf32>
  %g = arith.mulf %c, %t : tensor<8x16xf32>
  return %g : tensor<8x16xf32>
}
func.func @step(%x: tensor<8x16xf32>) -> (tensor<8x16xf32>, tensor<8x16xf32>) {
  %f:3 = call @fwd(%x) : (tensor<8x16xf32>) -> (tensor<8x16xf32>, tensor<8x16xf32>, tensor<8x16xf32>)
  %g = call @bwd(%f#1, %f#2) : (tensor<8x16xf32>, tensor<8x16xf32>) -> tensor<8x16xf32>
  return %f#0, %g : tensor<8x16xf32>, tensor<8x16xf32>
}
