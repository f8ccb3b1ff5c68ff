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
