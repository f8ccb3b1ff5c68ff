// RUN: ckpt-opt %s -split-input-file '--ckpt-runner-main=load-inputs=/tmp/in store-results=/tmp/out' -verify-diagnostics
//
// Tests that load-inputs and store-results exchange only the element types
// the runtime has raw-file entry points for, with an error at the step.

// expected-error @+1 {{argument #0 has elements of type 'i4', which 'load-inputs' cannot exchange; expected f16, bf16, f32, f64, i1, i8, i16, i32 or i64}}
func.func @nibbles(%x: tensor<4xi4>) -> tensor<4xf32> {
  %0 = arith.constant dense<0.0> : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// expected-error @+1 {{result #0 has elements of type 'i4', which 'store-results' cannot exchange; expected f16, bf16, f32, f64, i1, i8, i16, i32 or i64}}
func.func @nibble_result(%x: tensor<4xf32>) -> tensor<4xi4> {
  %0 = arith.constant dense<1> : tensor<4xi4>
  return %0 : tensor<4xi4>
}
