// RUN: ckpt-opt %s -split-input-file -verify-diagnostics

// Tests that an empty region is refused.
func.func @empty_region(%x: tensor<4xf32>) {
  // expected-error @+1 {{'ckpt.checkpoint' op expects a body region with exactly one block, got 0}}
  %0 = "ckpt.checkpoint"(%x) ({
  }) : (tensor<4xf32>) -> (tensor<4xf32>)
  return
}

// -----

// Tests that a body with two blocks is refused.
func.func @two_blocks(%x: tensor<4xf32>) {
  // expected-error @+1 {{'ckpt.checkpoint' op expects a body region with exactly one block, got 2}}
  %0 = "ckpt.checkpoint"(%x) ({
  ^bb0(%a: tensor<4xf32>):
    "ckpt.yield"(%a) : (tensor<4xf32>) -> ()
  ^bb1:
    %c = arith.constant dense<0.0> : tensor<4xf32>
    "ckpt.yield"(%c) : (tensor<4xf32>) -> ()
  }) : (tensor<4xf32>) -> (tensor<4xf32>)
  return
}

// -----

// Tests that block arguments must mirror the operands in number.
func.func @arg_count(%x: tensor<4xf32>, %y: tensor<4xf32>) {
  // expected-error @+1 {{'ckpt.checkpoint' op expects 2 block arguments to mirror the operands, got 1}}
  %0 = "ckpt.checkpoint"(%x, %y) ({
  ^bb0(%a: tensor<4xf32>):
    "ckpt.yield"(%a) : (tensor<4xf32>) -> ()
  }) : (tensor<4xf32>, tensor<4xf32>) -> (tensor<4xf32>)
  return
}

// -----

// Tests that block arguments must mirror the operands in type.
func.func @arg_type(%x: tensor<4xf32>) {
  // expected-error @+1 {{'ckpt.checkpoint' op block argument #0 has type 'tensor<4xf16>', but operand #0 has type 'tensor<4xf32>'}}
  %0 = "ckpt.checkpoint"(%x) ({
  ^bb0(%a: tensor<4xf16>):
    %c = arith.constant dense<0.0> : tensor<4xf32>
    "ckpt.yield"(%c) : (tensor<4xf32>) -> ()
  }) : (tensor<4xf32>) -> (tensor<4xf32>)
  return
}

// -----

// Tests that the body must end in ckpt.yield.
func.func @no_yield(%x: tensor<4xf32>) {
  // expected-error @+1 {{'ckpt.checkpoint' op expects the body to end with 'ckpt.yield'}}
  "ckpt.checkpoint"(%x) ({
  ^bb0(%a: tensor<4xf32>):
    llvm.unreachable
  }) : (tensor<4xf32>) -> ()
  return
}

// -----

// Tests that yield operands must match the results in number.
func.func @yield_count(%x: tensor<4xf32>) {
  %0 = "ckpt.checkpoint"(%x) ({
  ^bb0(%a: tensor<4xf32>):
    // expected-error @+1 {{'ckpt.yield' op has 2 operands, but the parent 'ckpt.checkpoint' has 1 results}}
    "ckpt.yield"(%a, %a) : (tensor<4xf32>, tensor<4xf32>) -> ()
  }) : (tensor<4xf32>) -> (tensor<4xf32>)
  return
}

// -----

// Tests that yield operands must match the results in type.
func.func @yield_type(%x: tensor<4xf32>) {
  %0 = "ckpt.checkpoint"(%x) ({
  ^bb0(%a: tensor<4xf32>):
    // expected-error @+1 {{'ckpt.yield' op operand #0 has type 'tensor<4xf32>', but the parent's result #0 has type 'tensor<8xf32>'}}
    "ckpt.yield"(%a) : (tensor<4xf32>) -> ()
  }) : (tensor<4xf32>) -> (tensor<8xf32>)
  return
}

// -----

// Tests that a save entry must be an op name of the form dialect.op.
func.func @bad_save(%x: tensor<4xf32>) {
  // expected-error @+1 {{'ckpt.checkpoint' op 'save' entry #1 ("matmul") is not an op name of the form 'dialect.op'}}
  %0 = "ckpt.checkpoint"(%x) <{save = ["linalg.matmul", "matmul"]}> ({
  ^bb0(%a: tensor<4xf32>):
    "ckpt.yield"(%a) : (tensor<4xf32>) -> ()
  }) : (tensor<4xf32>) -> (tensor<4xf32>)
  return
}

// -----

// Tests that a save entry cannot name a ckpt op (a nested region's results
// follow its own save list; found by the libFuzzer target, where a split
// form region saving "ckpt.checkpoint" left a dangling use in @fwd).
func.func @save_region(%x: tensor<4xf32>) {
  // expected-error @+1 {{'ckpt.checkpoint' op 'save' entry #0 ("ckpt.checkpoint") names a ckpt op: a nested region's results follow its own save list}}
  %0 = "ckpt.checkpoint"(%x) <{save = ["ckpt.checkpoint"]}> ({
  ^bb0(%a: tensor<4xf32>):
    "ckpt.yield"(%a) : (tensor<4xf32>) -> ()
  }) : (tensor<4xf32>) -> (tensor<4xf32>)
  return
}

// -----

// Tests that ckpt.yield only terminates a ckpt.checkpoint.
func.func @yield_outside(%x: tensor<4xf32>) {
  // expected-error @+1 {{'ckpt.yield' op expects parent op 'ckpt.checkpoint'}}
  "ckpt.yield"(%x) : (tensor<4xf32>) -> ()
}

// -----

// Tests that a barrier needs at least one input.
func.func @barrier_no_input(%g: f32) {
  // expected-error @+1 {{'ckpt.barrier' op expects at least one input}}
  "ckpt.barrier"(%g) <{operandSegmentSizes = array<i32: 0, 1>}> : (f32) -> ()
  return
}

// -----

// Tests that barrier results must have the inputs' types.
func.func @barrier_types(%x: tensor<4xf32>) {
  // expected-error @+2 {{'ckpt.barrier' op inferred type(s) 'tensor<4xf32>' are incompatible with return type(s) of operation 'tensor<8xf32>'}}
  // expected-error @+1 {{'ckpt.barrier' op failed to infer returned types}}
  %0 = "ckpt.barrier"(%x) <{operandSegmentSizes = array<i32: 1, 0>}> : (tensor<4xf32>) -> tensor<8xf32>
  return
}

// -----

// Tests that the region is isolated from above.
func.func @not_isolated(%x: tensor<4xf32>) {
  %0 = "ckpt.checkpoint"() ({
    // expected-error @+1 {{using value defined outside the region}}
    "ckpt.yield"(%x) : (tensor<4xf32>) -> ()
  // expected-note @-3 {{required by region isolation constraints}}
  }) : () -> (tensor<4xf32>)
  return
}
