// libFuzzer reproducer (issue 19 item 4, tools/ckpt-fuzz): a region that
// yields one of its own block arguments. Reduced by hand from the fuzzer's
// first finding (the same pattern also arises from a `ckpt.checkpoint`
// callee that returns one of its arguments; 43 of the first run's 64
// crash files).
// Fixed: `inlineRegion` maps a yielded block argument to the region's input. A regression test now.
// Was: `inlineRegion` (lib/Dialect/Ckpt/Transforms/RegionUtils.cpp)
// takes the yielded values before `inlineBlockBefore` erases the body
// block, so a yielded block argument is freed when `replaceOp` uses it:
// heap-use-after-free under ASan (RematerializeJointForm.cpp:263 and
// DropAnnotations.cpp:70 call it), a segfault in ckpt-opt (in the verifier
// after the pass). The fix should map yielded block arguments to the
// region's inputs.
// RUN: ckpt-opt %s --ckpt-drop-annotations | FileCheck %s --check-prefix=DROP
// RUN: ckpt-opt %s --ckpt-rematerialize --ckpt-verify | FileCheck %s
// DROP-LABEL: func.func @step
// DROP-NOT: ckpt.checkpoint
// DROP: %[[L:.*]] = math.tanh %arg0
// DROP: arith.mulf %[[L]], %arg0
// CHECK-LABEL: func.func @step
// CHECK-NOT: ckpt.checkpoint
// CHECK: math.tanh %arg0
func.func @step(%x: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>) {
  %r = ckpt.checkpoint "r" (%a = %x : tensor<4xf32>) -> tensor<4xf32> {
    ckpt.yield %a : tensor<4xf32>
  }
  %l = math.tanh %r : tensor<4xf32>
  %g = arith.mulf %l, %r : tensor<4xf32>
  return %l, %g : tensor<4xf32>, tensor<4xf32>
}
