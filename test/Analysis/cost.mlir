// RUN: ckpt-opt %s -test-ckpt-cost -verify-diagnostics -o /dev/null

// Tests the FLOP model of rationale §5, each count computed by hand.
func.func private @ext(tensor<4x8xf32>) -> tensor<4x8xf32>
func.func private @callee(%v: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %e = math.exp %v : tensor<4x8xf32>
  %n = arith.negf %e : tensor<4x8xf32>
  return %n : tensor<4x8xf32>
}
// Total: 1024 + 64 + 6912 + 32 + 64 = 8096.
// expected-remark @+1 {{total flops 8096; unknown callees: [ext]}}
func.func @flops(%x: tensor<4x16xf32>, %w: tensor<16x8xf32>, %img: tensor<1x3x10x10xf32>, %k: tensor<2x3x3x3xf32>) -> tensor<4x8xf32> attributes {test.cost} {
  // expected-remark @+1 {{flops 0}}
  %e = tensor.empty() : tensor<4x8xf32>
  // expected-remark @+1 {{flops 0}}
  %cst = arith.constant 0.0 : f32
  // A fill's body is only a yield: 0.
  // expected-remark @+1 {{flops 0}}
  %z = linalg.fill ins(%cst : f32) outs(%e : tensor<4x8xf32>) -> tensor<4x8xf32>
  // matmul 2*M*N*K = 2*4*8*16 = 1024.
  // expected-remark @+1 {{flops 1024}}
  %m = linalg.matmul ins(%x, %w : tensor<4x16xf32>, tensor<16x8xf32>) outs(%z : tensor<4x8xf32>) -> tensor<4x8xf32>
  // Elementwise generic with 2 body ops over 32 elements: 64.
  // expected-remark @+1 {{flops 64}}
  %g = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%m : tensor<4x8xf32>) outs(%e : tensor<4x8xf32>) {
  ^bb0(%in: f32, %out: f32):
    %t = math.tanh %in : f32
    %s = arith.mulf %t, %t : f32
    linalg.yield %s : f32
  } -> tensor<4x8xf32>
  // expected-remark @+1 {{flops 0}}
  %ce = tensor.empty() : tensor<1x2x8x8xf32>
  // Convolution NCHW: 2 * outputs (1*2*8*8 = 128) * reduction (3*3*3 = 27)
  // = 6912.
  // expected-remark @+1 {{flops 6912}}
  %conv = linalg.conv_2d_nchw_fchw ins(%img, %k : tensor<1x3x10x10xf32>, tensor<2x3x3x3xf32>) outs(%ce : tensor<1x2x8x8xf32>) -> tensor<1x2x8x8xf32>
  // Tensor arith: one per element (32).
  // expected-remark @+1 {{flops 32}}
  %a = arith.addf %g, %m : tensor<4x8xf32>
  // Defined callee: exp + negf over 32 elements = 64.
  // expected-remark @+1 {{flops 64}}
  %c = func.call @callee(%a) : (tensor<4x8xf32>) -> tensor<4x8xf32>
  // External callee: unknown, counted 0 and listed.
  // expected-remark @+1 {{flops 0}}
  %x2 = func.call @ext(%c) : (tensor<4x8xf32>) -> tensor<4x8xf32>
  // expected-remark @+1 {{flops 0}}
  return %x2 : tensor<4x8xf32>
}
