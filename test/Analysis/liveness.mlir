// RUN: ckpt-opt %s -split-input-file -test-ckpt-liveness -verify-diagnostics -o /dev/null

// Tests live bytes over program order. tensor<4x8xf32> = 128 bytes,
// tensor<32xf32> = 128 bytes, tensor<2x8xf32> = 64 bytes.
//   #0 %e   = tensor.empty          -> 0 (no data)
//   #1 %a   = exp(%x)               -> a live                      = 128
//   #2 %v   = extract_slice %a      -> view of a, no new bytes     = 128
//   #3 %c   = collapse_shape %a     -> view of a                   = 128
//   #4 %b   = sin(%a)               -> a (views used later) + b    = 256
//   #5 %s   = negf(%v)              -> a (via %c at #6) + b + s    = 320
//   #6 %d   = negf(%c)              -> a ends here, b, s, d        = 448
//   #7 %g   = mulf(%b, %b)          -> b (ends here), s, d, g      = 448
//   #8 return %s, %d, %g            -> s, d, g                     = 320
// Arguments: %x 128 bytes. The peak is 448 bytes at #6.
// expected-remark @+1 {{peak 448 bytes at op #6 ('math.absf'); arguments 128 bytes}}
func.func @views(%x: tensor<4x8xf32>) -> (tensor<2x8xf32>, tensor<32xf32>, tensor<4x8xf32>) {
  // expected-remark @+1 {{live 0 bytes}}
  %e = tensor.empty() : tensor<4x8xf32>
  // expected-remark @+1 {{live 128 bytes}}
  %a = math.exp %x : tensor<4x8xf32>
  // expected-remark @+1 {{live 128 bytes}}
  %v = tensor.extract_slice %a[0, 0] [2, 8] [1, 1] : tensor<4x8xf32> to tensor<2x8xf32>
  // expected-remark @+1 {{live 128 bytes}}
  %c = tensor.collapse_shape %a [[0, 1]] : tensor<4x8xf32> into tensor<32xf32>
  // expected-remark @+1 {{live 256 bytes}}
  %b = math.sin %a : tensor<4x8xf32>
  // expected-remark @+1 {{live 320 bytes}}
  %s = arith.negf %v : tensor<2x8xf32>
  // expected-remark @+1 {{live 448 bytes}}
  %d = math.absf %c : tensor<32xf32>
  // expected-remark @+1 {{live 448 bytes}}
  %g = arith.mulf %b, %b : tensor<4x8xf32>
  // expected-remark @+1 {{live 320 bytes}}
  return %s, %d, %g : tensor<2x8xf32>, tensor<32xf32>, tensor<4x8xf32>
}

// -----

// Tests a value used only by the backward part: it stays live from the
// forward to its use, and a use inside a nested region counts at the op
// that holds it.
//   #0 %h = tanh(%x)     16 bytes (tensor<4xf32>)          = 16
//   #1 %l = exp(%h)      h, l                              = 32
//   #2 %t = negf(%l)     h, l ends? no: l returned; t      = 48
//   #3 %k = scf.if       uses h inside; h ends; k          = 64
//   #4 return %l, %k     l, k (t died at #2)               = 32
// expected-remark @+1 {{peak 64 bytes at op #3 ('scf.if'); arguments 17 bytes}}
func.func @backward_use(%x: tensor<4xf32>, %c: i1) -> (tensor<4xf32>, tensor<4xf32>) {
  // expected-remark @+1 {{live 16 bytes}}
  %h = math.tanh %x : tensor<4xf32>
  // expected-remark @+1 {{live 32 bytes}}
  %l = math.exp %h : tensor<4xf32>
  // expected-remark @+1 {{live 48 bytes}}
  %t = arith.negf %l : tensor<4xf32>
  // expected-remark @+1 {{live 64 bytes}}
  %k = scf.if %c -> tensor<4xf32> {
    scf.yield %h : tensor<4xf32>
  } else {
    scf.yield %t : tensor<4xf32>
  }
  // expected-remark @+1 {{live 32 bytes}}
  return %l, %k : tensor<4xf32>, tensor<4xf32>
}

// -----

// Tests results written in place into their init, as One-Shot Bufferize
// writes them (tensor<16x16xf32> = 1024 bytes):
//   #0 %c0 = arith.constant (a scalar)   -> 0
//   #1 %e  = tensor.empty                 -> 0
//   #2 %f  = fill(%e)                     -> f, a fresh buffer      = 1024
//   #3 %m  = matmul outs(%f)              -> in place: %f dies here = 1024
//   #4 %f2 = fill(%e)                     -> f2                     = 2048
//   #5 %m2 = matmul outs(%f2)             -> not in place: %f2 is read at
//                                            #6, so m2 is a copy    = 3072
//   #6 %m3 = matmul outs(%f2)             -> in place: last read of f2
//                                            (m, f2/m3, m2)         = 3072
//   #7 %t  = generic ins(%m3) outs(%m3)   -> in place, element by element
//                                            into m3's buffer       = 3072
//   #8 %g  = matmul outs(%acc)            -> in place into the argument
//                                            (writable, read nowhere after)
//   #9 return %m, %m2, %t, %g
// expected-remark @+1 {{peak 3072 bytes at op #5 ('linalg.matmul'); arguments 3072 bytes}}
func.func @in_place(%x: tensor<16x16xf32>, %w: tensor<16x16xf32>, %acc: tensor<16x16xf32>) -> (tensor<16x16xf32>, tensor<16x16xf32>, tensor<16x16xf32>, tensor<16x16xf32>) {
  // expected-remark @+1 {{live 0 bytes}}
  %c0 = arith.constant 0.0 : f32
  // expected-remark @+1 {{live 0 bytes}}
  %e = tensor.empty() : tensor<16x16xf32>
  // expected-remark @+1 {{live 1024 bytes}}
  %f = linalg.fill ins(%c0 : f32) outs(%e : tensor<16x16xf32>) -> tensor<16x16xf32>
  // expected-remark @+1 {{live 1024 bytes}}
  %m = linalg.matmul ins(%x, %w : tensor<16x16xf32>, tensor<16x16xf32>) outs(%f : tensor<16x16xf32>) -> tensor<16x16xf32>
  // expected-remark @+1 {{live 2048 bytes}}
  %f2 = linalg.fill ins(%c0 : f32) outs(%e : tensor<16x16xf32>) -> tensor<16x16xf32>
  // expected-remark @+1 {{live 3072 bytes}}
  %m2 = linalg.matmul ins(%x, %w : tensor<16x16xf32>, tensor<16x16xf32>) outs(%f2 : tensor<16x16xf32>) -> tensor<16x16xf32>
  // expected-remark @+1 {{live 3072 bytes}}
  %m3 = linalg.matmul ins(%m, %w : tensor<16x16xf32>, tensor<16x16xf32>) outs(%f2 : tensor<16x16xf32>) -> tensor<16x16xf32>
  // expected-remark @+1 {{live 3072 bytes}}
  %t = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%m3 : tensor<16x16xf32>) outs(%m3 : tensor<16x16xf32>) {
  ^bb0(%in: f32, %out: f32):
    %n = math.tanh %in : f32
    linalg.yield %n : f32
  } -> tensor<16x16xf32>
  // expected-remark @+1 {{live 3072 bytes}}
  %g = linalg.matmul ins(%x, %w : tensor<16x16xf32>, tensor<16x16xf32>) outs(%acc : tensor<16x16xf32>) -> tensor<16x16xf32>
  // expected-remark @+1 {{live 3072 bytes}}
  return %m, %m2, %t, %g : tensor<16x16xf32>, tensor<16x16xf32>, tensor<16x16xf32>, tensor<16x16xf32>
}

// -----

// Tests writes that cannot be in place: a matmul whose init is also one of
// its inputs (not element by element) and a generic into an init that a
// later op still reads (tensor<16x16xf32> = 1024 bytes): %sq and %t each
// take a buffer of their own; at %u, %sq, %b, %t and %u are live.
// expected-remark @+1 {{peak 4096 bytes at op #4 ('arith.addf'); arguments 2048 bytes}}
func.func @not_in_place(%x: tensor<16x16xf32>, %w: tensor<16x16xf32>) -> (tensor<16x16xf32>, tensor<16x16xf32>) {
  // expected-remark @+1 {{live 1024 bytes}}
  %a = math.exp %x : tensor<16x16xf32>
  // expected-remark @+1 {{live 2048 bytes}}
  %sq = linalg.matmul ins(%a, %a : tensor<16x16xf32>, tensor<16x16xf32>) outs(%a : tensor<16x16xf32>) -> tensor<16x16xf32>
  // expected-remark @+1 {{live 2048 bytes}}
  %b = math.exp %w : tensor<16x16xf32>
  // expected-remark @+1 {{live 3072 bytes}}
  %t = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} outs(%b : tensor<16x16xf32>) {
  ^bb0(%out: f32):
    %n = math.tanh %out : f32
    linalg.yield %n : f32
  } -> tensor<16x16xf32>
  // expected-remark @+1 {{live 4096 bytes}}
  %u = arith.addf %b, %t : tensor<16x16xf32>
  // expected-remark @+1 {{live 3072 bytes}}
  %v = arith.addf %sq, %u : tensor<16x16xf32>
  // expected-remark @+1 {{live 2048 bytes}}
  return %v, %sq : tensor<16x16xf32>, tensor<16x16xf32>
}

// -----

// Tests a region that yields an empty tensor (torch-mlir's graphs share one
// tensor.empty between ops, and ckpt-annotate's regions then yield it): the
// region's result for it holds no data and takes no bytes
// (tensor<16x16xf32> = 1024 bytes; only %r#0 counts at the region).
// expected-remark @+1 {{peak 2048 bytes at op #1 ('linalg.generic'); arguments 1024 bytes}}
func.func @region_yields_empty(%x: tensor<16x16xf32>) -> tensor<16x16xf32> {
  // expected-remark @+1 {{live 1024 bytes}}
  %r:2 = ckpt.checkpoint "blk" (%a = %x : tensor<16x16xf32>) -> (tensor<16x16xf32>, tensor<16x16xf32>) {
    %e = tensor.empty() : tensor<16x16xf32>
    %t = math.tanh %a : tensor<16x16xf32>
    ckpt.yield %t, %e : tensor<16x16xf32>, tensor<16x16xf32>
  }
  // expected-remark @+1 {{live 2048 bytes}}
  %g = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%r#0 : tensor<16x16xf32>) outs(%r#1 : tensor<16x16xf32>) {
  ^bb0(%in: f32, %out: f32):
    %n = math.exp %in : f32
    linalg.yield %n : f32
  } -> tensor<16x16xf32>
  // expected-remark @+1 {{live 1024 bytes}}
  return %g : tensor<16x16xf32>
}
