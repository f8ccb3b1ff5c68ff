// A bf16 step (mixed-precision style, every tensor and every scalar in
// bf16): a linalg.generic product, tanh and a product in a region, y = tanh(x w) x;
// the backward reads the region's tanh: dh = dy (1 - t^2), dw = dh x x.
// No oracle (the corpus oracle's 1e-4 tolerance is for f32): results are
// compared with and without checkpointing only (bitwise).
// RUN: %torch_python %S/check_step.py --nvvm %s | FileCheck %s
// CHECK: bits identical: 2 results
// CHECK: unannotated peak: {{.*}} within 5%
// CHECK: checkpointed peak: {{.*}} within 5%
// CHECK: nvvm: compiled for sm_90
// CHECK: PASS
#id = affine_map<(d0, d1) -> (d0, d1)>
func.func @step(%x: tensor<128x128xbf16>, %w: tensor<128x128xbf16>, %dy: tensor<128x128xbf16>) -> (tensor<128x128xbf16>, tensor<128x128xbf16>) {
  %r:2 = ckpt.checkpoint "dense" (%a = %x, %b = %w : tensor<128x128xbf16>, tensor<128x128xbf16>) -> (tensor<128x128xbf16>, tensor<128x128xbf16>) {
    %e = tensor.empty() : tensor<128x128xbf16>
    %h = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel"]} ins(%a, %b : tensor<128x128xbf16>, tensor<128x128xbf16>) outs(%e : tensor<128x128xbf16>) {
    ^bb0(%u: bf16, %v: bf16, %o: bf16):
      %m = arith.mulf %u, %v : bf16
      linalg.yield %m : bf16
    } -> tensor<128x128xbf16>
    %t = math.tanh %h : tensor<128x128xbf16>
    %y = arith.mulf %t, %a : tensor<128x128xbf16>
    ckpt.yield %y, %t : tensor<128x128xbf16>, tensor<128x128xbf16>
  }
  %e0 = tensor.empty() : tensor<128x128xbf16>
  %dh = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel"]} ins(%dy, %r#1 : tensor<128x128xbf16>, tensor<128x128xbf16>) outs(%e0 : tensor<128x128xbf16>) {
  ^bb0(%g: bf16, %t: bf16, %o: bf16):
    %one = arith.constant 1.0 : bf16
    %t2 = arith.mulf %t, %t : bf16
    %d = arith.subf %one, %t2 : bf16
    %m = arith.mulf %g, %d : bf16
    linalg.yield %m : bf16
  } -> tensor<128x128xbf16>
  %dx = arith.mulf %dh, %x : tensor<128x128xbf16>
  %dw = arith.mulf %dx, %x : tensor<128x128xbf16>
  return %r#0, %dw : tensor<128x128xbf16>, tensor<128x128xbf16>
}
