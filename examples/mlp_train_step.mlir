// One training step of a 3-layer tanh MLP in joint form: forward, loss and
// a hand-derived backward in one function, as upstream MLIR on tensors
// (func, linalg, tensor, arith, math), with each layer wrapped in a
// `ckpt.checkpoint` region.
//
//   x, y       : tensor<16x64xf32>   (batch 16, width 64)
//   w0, w1, w2 : tensor<64x64xf32>
//   layer i    : a_i = h_i @ w_i ; h_{i+1} = tanh(a_i)       (h_0 = x)
//   loss       : L = 0.5 * sum((h_3 - y)^2)                  (tensor<f32>)
//   results    : (L, dL/dw0, dL/dw1, dL/dw2); result 0 is the forward result
//                (`ckpt.forward_results = [0]`), the rest is the backward.
//
// Each layer region takes (h_i, w_i): a_i = h_i @ w_i (linalg.matmul),
// h_{i+1} = tanh(a_i), and g_i = 1 - tanh(a_i)^2 = tanh'(a_i) (computed from
// a_i). The region yields
//   h_{i+1}  the activation (next layer / loss; the backward also uses it as
//            the matmul input of layer i+1, and h_3 for dh_3 = h_3 - y),
//   g_i      what the backward uses for the tanh step: da_i = dh_{i+1} * g_i.
// h_1 and h_2 are inputs of the next region, so they stay stored; g_0, g_1,
// g_2 and h_3 are dropped, and `ckpt-rematerialize` recomputes the matmul and
// the tanh generics from (h_i, w_i) just before their first backward use.
//
// The backward is derived by hand (row-major, m = batch, k/n = features):
//   dh_3 = h_3 - y
//   da_i = dh_{i+1} * g_i                     (elementwise)
//   dw_i = h_i^T @ da_i      dw_i[k,n] = sum_m h_i[m,k] * da_i[m,n]
//   dh_i = da_i @ w_i^T      dh_i[m,k] = sum_n da_i[m,n] * w_i[k,n]   (i > 0)
//
// Run:
//   ckpt-opt examples/mlp_train_step.mlir --ckpt-rematerialize --ckpt-verify --cse --canonicalize

#id2 = affine_map<(d0, d1) -> (d0, d1)>
#to_scalar = affine_map<(d0, d1) -> ()>
#scalar = affine_map<() -> ()>

func.func @mlp_train_step(%x: tensor<16x64xf32>, %y: tensor<16x64xf32>,
                          %w0: tensor<64x64xf32>, %w1: tensor<64x64xf32>,
                          %w2: tensor<64x64xf32>)
    -> (tensor<f32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>)
    attributes {ckpt.forward_results = [0]} {
  //===--------------------------------------------------------------------===//
  // Forward
  //===--------------------------------------------------------------------===//

  // Layer 0: h1 = tanh(x @ w0), g0 = tanh'(x @ w0) = 1 - tanh(x @ w0)^2.
  %h1, %g0 = ckpt.checkpoint "layers.0" (%in0 = %x, %wt0 = %w0 : tensor<16x64xf32>, tensor<64x64xf32>) -> (tensor<16x64xf32>, tensor<16x64xf32>) {
    %zero = arith.constant 0.000000e+00 : f32
    %one = arith.constant 1.000000e+00 : f32
    %empty = tensor.empty() : tensor<16x64xf32>
    %acc = linalg.fill ins(%zero : f32) outs(%empty : tensor<16x64xf32>) -> tensor<16x64xf32>
    // a0[m,n] = sum_k x[m,k] * w0[k,n]
    %a = linalg.matmul ins(%in0, %wt0 : tensor<16x64xf32>, tensor<64x64xf32>) outs(%acc : tensor<16x64xf32>) -> tensor<16x64xf32>
    // h1[m,n] = tanh(a0[m,n])
    %h = linalg.generic {indexing_maps = [#id2, #id2], iterator_types = ["parallel", "parallel"]} ins(%a : tensor<16x64xf32>) outs(%empty : tensor<16x64xf32>) {
    ^bb0(%av: f32, %out: f32):
      %t = math.tanh %av : f32
      linalg.yield %t : f32
    } -> tensor<16x64xf32>
    // g0[m,n] = tanh'(a0[m,n]) = 1 - tanh(a0[m,n])^2   (computed from a0, not
    // from h1, so that its recompute is matmul + this generic)
    %g = linalg.generic {indexing_maps = [#id2, #id2], iterator_types = ["parallel", "parallel"]} ins(%a : tensor<16x64xf32>) outs(%empty : tensor<16x64xf32>) {
    ^bb0(%av: f32, %out: f32):
      %t = math.tanh %av : f32
      %sq = arith.mulf %t, %t : f32
      %d = arith.subf %one, %sq : f32
      linalg.yield %d : f32
    } -> tensor<16x64xf32>
    ckpt.yield %h, %g : tensor<16x64xf32>, tensor<16x64xf32>
  }

  // Layer 1: h2 = tanh(h1 @ w1), g1 = tanh'(h1 @ w1) = 1 - tanh(h1 @ w1)^2.
  %h2, %g1 = ckpt.checkpoint "layers.1" (%in1 = %h1, %wt1 = %w1 : tensor<16x64xf32>, tensor<64x64xf32>) -> (tensor<16x64xf32>, tensor<16x64xf32>) {
    %zero = arith.constant 0.000000e+00 : f32
    %one = arith.constant 1.000000e+00 : f32
    %empty = tensor.empty() : tensor<16x64xf32>
    %acc = linalg.fill ins(%zero : f32) outs(%empty : tensor<16x64xf32>) -> tensor<16x64xf32>
    // a1[m,n] = sum_k h1[m,k] * w1[k,n]
    %a = linalg.matmul ins(%in1, %wt1 : tensor<16x64xf32>, tensor<64x64xf32>) outs(%acc : tensor<16x64xf32>) -> tensor<16x64xf32>
    // h2[m,n] = tanh(a1[m,n])
    %h = linalg.generic {indexing_maps = [#id2, #id2], iterator_types = ["parallel", "parallel"]} ins(%a : tensor<16x64xf32>) outs(%empty : tensor<16x64xf32>) {
    ^bb0(%av: f32, %out: f32):
      %t = math.tanh %av : f32
      linalg.yield %t : f32
    } -> tensor<16x64xf32>
    // g1[m,n] = tanh'(a1[m,n]) = 1 - tanh(a1[m,n])^2   (computed from a1, not
    // from h2, so that its recompute is matmul + this generic)
    %g = linalg.generic {indexing_maps = [#id2, #id2], iterator_types = ["parallel", "parallel"]} ins(%a : tensor<16x64xf32>) outs(%empty : tensor<16x64xf32>) {
    ^bb0(%av: f32, %out: f32):
      %t = math.tanh %av : f32
      %sq = arith.mulf %t, %t : f32
      %d = arith.subf %one, %sq : f32
      linalg.yield %d : f32
    } -> tensor<16x64xf32>
    ckpt.yield %h, %g : tensor<16x64xf32>, tensor<16x64xf32>
  }

  // Layer 2: h3 = tanh(h2 @ w2), g2 = tanh'(h2 @ w2) = 1 - tanh(h2 @ w2)^2.
  %h3, %g2 = ckpt.checkpoint "layers.2" (%in2 = %h2, %wt2 = %w2 : tensor<16x64xf32>, tensor<64x64xf32>) -> (tensor<16x64xf32>, tensor<16x64xf32>) {
    %zero = arith.constant 0.000000e+00 : f32
    %one = arith.constant 1.000000e+00 : f32
    %empty = tensor.empty() : tensor<16x64xf32>
    %acc = linalg.fill ins(%zero : f32) outs(%empty : tensor<16x64xf32>) -> tensor<16x64xf32>
    // a2[m,n] = sum_k h2[m,k] * w2[k,n]
    %a = linalg.matmul ins(%in2, %wt2 : tensor<16x64xf32>, tensor<64x64xf32>) outs(%acc : tensor<16x64xf32>) -> tensor<16x64xf32>
    // h3[m,n] = tanh(a2[m,n])
    %h = linalg.generic {indexing_maps = [#id2, #id2], iterator_types = ["parallel", "parallel"]} ins(%a : tensor<16x64xf32>) outs(%empty : tensor<16x64xf32>) {
    ^bb0(%av: f32, %out: f32):
      %t = math.tanh %av : f32
      linalg.yield %t : f32
    } -> tensor<16x64xf32>
    // g2[m,n] = tanh'(a2[m,n]) = 1 - tanh(a2[m,n])^2   (computed from a2, not
    // from h3, so that its recompute is matmul + this generic)
    %g = linalg.generic {indexing_maps = [#id2, #id2], iterator_types = ["parallel", "parallel"]} ins(%a : tensor<16x64xf32>) outs(%empty : tensor<16x64xf32>) {
    ^bb0(%av: f32, %out: f32):
      %t = math.tanh %av : f32
      %sq = arith.mulf %t, %t : f32
      %d = arith.subf %one, %sq : f32
      linalg.yield %d : f32
    } -> tensor<16x64xf32>
    ckpt.yield %h, %g : tensor<16x64xf32>, tensor<16x64xf32>
  }

  //===--------------------------------------------------------------------===//
  // Loss: L = 0.5 * sum_{m,n} (h3[m,n] - y[m,n])^2
  //===--------------------------------------------------------------------===//

  %f0 = arith.constant 0.000000e+00 : f32
  %half = arith.constant 5.000000e-01 : f32
  %s_empty = tensor.empty() : tensor<f32>
  %s_init = linalg.fill ins(%f0 : f32) outs(%s_empty : tensor<f32>) -> tensor<f32>
  // sum = sum_{m,n} (h3[m,n] - y[m,n])^2   (both dims reduced into a 0-d tensor)
  %sum = linalg.generic {indexing_maps = [#id2, #id2, #to_scalar], iterator_types = ["reduction", "reduction"]} ins(%h3, %y : tensor<16x64xf32>, tensor<16x64xf32>) outs(%s_init : tensor<f32>) {
  ^bb0(%hv: f32, %yv: f32, %accv: f32):
    %d = arith.subf %hv, %yv : f32
    %sq = arith.mulf %d, %d : f32
    %r = arith.addf %accv, %sq : f32
    linalg.yield %r : f32
  } -> tensor<f32>
  // loss = 0.5 * sum
  %loss = linalg.generic {indexing_maps = [#scalar, #scalar], iterator_types = []} ins(%sum : tensor<f32>) outs(%s_empty : tensor<f32>) {
  ^bb0(%sv: f32, %out: f32):
    %r = arith.mulf %half, %sv : f32
    linalg.yield %r : f32
  } -> tensor<f32>

  //===--------------------------------------------------------------------===//
  // Backward (hand-derived)
  //===--------------------------------------------------------------------===//

  %b0 = arith.constant 0.000000e+00 : f32
  %act_empty = tensor.empty() : tensor<16x64xf32>
  %act_zero = linalg.fill ins(%b0 : f32) outs(%act_empty : tensor<16x64xf32>) -> tensor<16x64xf32>
  %w_empty = tensor.empty() : tensor<64x64xf32>
  %w_zero = linalg.fill ins(%b0 : f32) outs(%w_empty : tensor<64x64xf32>) -> tensor<64x64xf32>
  %tr_empty = tensor.empty() : tensor<64x16xf32>

  // dh3[m,n] = dL/dh3[m,n] = h3[m,n] - y[m,n]
  %dh3 = linalg.generic {indexing_maps = [#id2, #id2, #id2], iterator_types = ["parallel", "parallel"]} ins(%h3, %y : tensor<16x64xf32>, tensor<16x64xf32>) outs(%act_empty : tensor<16x64xf32>) {
  ^bb0(%hv: f32, %yv: f32, %out: f32):
    %d = arith.subf %hv, %yv : f32
    linalg.yield %d : f32
  } -> tensor<16x64xf32>

  // --- layer 2 ---
  // da2[m,n] = dh3[m,n] * g2[m,n]   (= dh3 * (1 - h3^2))
  %da2 = linalg.generic {indexing_maps = [#id2, #id2, #id2], iterator_types = ["parallel", "parallel"]} ins(%dh3, %g2 : tensor<16x64xf32>, tensor<16x64xf32>) outs(%act_empty : tensor<16x64xf32>) {
  ^bb0(%dv: f32, %gv: f32, %out: f32):
    %r = arith.mulf %dv, %gv : f32
    linalg.yield %r : f32
  } -> tensor<16x64xf32>
  // h2T[k,m] = h2[m,k]   (64x16)
  %h2T = linalg.transpose ins(%h2 : tensor<16x64xf32>) outs(%tr_empty : tensor<64x16xf32>) permutation = [1, 0]
  // dw2[k,n] = sum_m h2T[k,m] * da2[m,n] = sum_m h2[m,k] * da2[m,n]
  %dw2 = linalg.matmul ins(%h2T, %da2 : tensor<64x16xf32>, tensor<16x64xf32>) outs(%w_zero : tensor<64x64xf32>) -> tensor<64x64xf32>
  // w2T[n,k] = w2[k,n]
  %w2T = linalg.transpose ins(%w2 : tensor<64x64xf32>) outs(%w_empty : tensor<64x64xf32>) permutation = [1, 0]
  // dh2[m,k] = sum_n da2[m,n] * w2T[n,k] = sum_n da2[m,n] * w2[k,n]
  %dh2 = linalg.matmul ins(%da2, %w2T : tensor<16x64xf32>, tensor<64x64xf32>) outs(%act_zero : tensor<16x64xf32>) -> tensor<16x64xf32>

  // --- layer 1 ---
  // da1[m,n] = dh2[m,n] * g1[m,n]   (= dh2 * (1 - h2^2))
  %da1 = linalg.generic {indexing_maps = [#id2, #id2, #id2], iterator_types = ["parallel", "parallel"]} ins(%dh2, %g1 : tensor<16x64xf32>, tensor<16x64xf32>) outs(%act_empty : tensor<16x64xf32>) {
  ^bb0(%dv: f32, %gv: f32, %out: f32):
    %r = arith.mulf %dv, %gv : f32
    linalg.yield %r : f32
  } -> tensor<16x64xf32>
  // h1T[k,m] = h1[m,k]
  %h1T = linalg.transpose ins(%h1 : tensor<16x64xf32>) outs(%tr_empty : tensor<64x16xf32>) permutation = [1, 0]
  // dw1[k,n] = sum_m h1[m,k] * da1[m,n]
  %dw1 = linalg.matmul ins(%h1T, %da1 : tensor<64x16xf32>, tensor<16x64xf32>) outs(%w_zero : tensor<64x64xf32>) -> tensor<64x64xf32>
  // w1T[n,k] = w1[k,n]
  %w1T = linalg.transpose ins(%w1 : tensor<64x64xf32>) outs(%w_empty : tensor<64x64xf32>) permutation = [1, 0]
  // dh1[m,k] = sum_n da1[m,n] * w1[k,n]
  %dh1 = linalg.matmul ins(%da1, %w1T : tensor<16x64xf32>, tensor<64x64xf32>) outs(%act_zero : tensor<16x64xf32>) -> tensor<16x64xf32>

  // --- layer 0 ---
  // da0[m,n] = dh1[m,n] * g0[m,n]   (= dh1 * (1 - h1^2))
  %da0 = linalg.generic {indexing_maps = [#id2, #id2, #id2], iterator_types = ["parallel", "parallel"]} ins(%dh1, %g0 : tensor<16x64xf32>, tensor<16x64xf32>) outs(%act_empty : tensor<16x64xf32>) {
  ^bb0(%dv: f32, %gv: f32, %out: f32):
    %r = arith.mulf %dv, %gv : f32
    linalg.yield %r : f32
  } -> tensor<16x64xf32>
  // xT[k,m] = x[m,k]
  %xT = linalg.transpose ins(%x : tensor<16x64xf32>) outs(%tr_empty : tensor<64x16xf32>) permutation = [1, 0]
  // dw0[k,n] = sum_m x[m,k] * da0[m,n]
  %dw0 = linalg.matmul ins(%xT, %da0 : tensor<64x16xf32>, tensor<16x64xf32>) outs(%w_zero : tensor<64x64xf32>) -> tensor<64x64xf32>
  // (dL/dx is not needed.)

  return %loss, %dw0, %dw1, %dw2 : tensor<f32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>
}
