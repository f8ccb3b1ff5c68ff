// RUN: ckpt-opt %s -ckpt-annotate="loc=b" 2>/dev/null | FileCheck %s
// RUN: ckpt-opt %s -ckpt-annotate="loc=b" -ckpt-rematerialize -ckpt-verify -o /dev/null

// Tests that a region whose ops read a value from above inside a nested
// region (here the padding value a tensor.pad yields, as
// ckpt-convert-byteir-kernels emits them) takes it as an input: the nested
// use reads the block argument, and the region stays isolated from above.
// CHECK-LABEL: func.func @nested_use
// CHECK: %[[C:.*]] = arith.constant 0xFC00 : f16
// CHECK: ckpt.checkpoint "b" (%[[ARG:.*]] = %[[C]], %{{.*}} = %{{.*}} : f16, tensor<4xf16>)
// CHECK: tensor.pad
// CHECK: tensor.yield %[[ARG]] : f16
func.func @nested_use(%x: tensor<4xf16>) -> (tensor<f16>, tensor<6xf16>) {
  %c = arith.constant 0xFC00 : f16 loc("a")
  %y = arith.negf %x : tensor<4xf16> loc("a")
  %p = tensor.pad %y low[1] high[1] {
  ^bb0(%i: index):
    tensor.yield %c : f16
  } : tensor<4xf16> to tensor<6xf16> loc("b")
  %e = tensor.empty() : tensor<f16> loc("b")
  %l = linalg.reduce { arith.addf } ins(%p : tensor<6xf16>) outs(%e : tensor<f16>) dimensions = [0] loc("b")
  %g = arith.mulf %p, %p : tensor<6xf16>
  return %l, %g : tensor<f16>, tensor<6xf16>
}
