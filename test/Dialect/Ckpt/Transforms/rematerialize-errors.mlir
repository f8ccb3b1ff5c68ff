// RUN: ckpt-opt %s -split-input-file -ckpt-rematerialize -verify-diagnostics
// On an error the module is left unchanged (both regions still there, no
// barrier):
// RUN: not ckpt-opt %s -split-input-file -ckpt-rematerialize -mlir-print-ir-after-failure 2>&1 | FileCheck %s --check-prefix=UNCHANGED
// A misplaced region is reported once (verify-diagnostics would accept a
// repeat):
// RUN: not ckpt-opt %s -split-input-file -ckpt-rematerialize -o /dev/null 2>&1 | FileCheck %s --check-prefix=ONCE
// RUN: not ckpt-opt %s -split-input-file -ckpt-rematerialize="assume-pure=(" 2>&1 | FileCheck %s --check-prefix=REGEX
// RUN: not ckpt-opt %s -split-input-file -ckpt-rematerialize="save-ops=exp" 2>&1 | FileCheck %s --check-prefix=SAVEOPS
// RUN: not ckpt-opt %s -split-input-file -ckpt-rematerialize="policy=save-everything" 2>&1 | FileCheck %s --check-prefix=POLICY

// REGEX: error: invalid 'assume-pure' regex '(':
// SAVEOPS: error: invalid 'save-ops' entry 'exp': expected an op name 'dialect.op'
// POLICY: Cannot find option named 'save-everything'

// Tests that a region in the backward part is refused, and that the first,
// valid region is not rewritten either.
// UNCHANGED-LABEL: IR Dump After CkptRematerialize Failed
// UNCHANGED: ckpt.checkpoint "fine"
// UNCHANGED: ckpt.checkpoint "late"
// UNCHANGED-NOT: ckpt.barrier
func.func @backward_region(%x: tensor<8xf32>, %dy: tensor<8xf32>) -> (tensor<8xf32>, tensor<8xf32>) {
  %r:2 = ckpt.checkpoint "fine" (%a = %x : tensor<8xf32>) -> (tensor<8xf32>, tensor<8xf32>) {
    %e = math.exp %a : tensor<8xf32>
    ckpt.yield %e, %e : tensor<8xf32>, tensor<8xf32>
  }
  // expected-error @+1 {{'ckpt.checkpoint' is in the backward part: no forward result depends on it (forward results: [0])}}
  %g = ckpt.checkpoint "late" (%a = %dy, %b = %r#1 : tensor<8xf32>, tensor<8xf32>) -> (tensor<8xf32>) {
    %m = arith.mulf %a, %b : tensor<8xf32>
    ckpt.yield %m : tensor<8xf32>
  }
  return %r#0, %g : tensor<8xf32>, tensor<8xf32>
}

// -----

// Tests that a region nested in another op is refused.
func.func @nested_in_loop(%x: tensor<8xf32>, %n: index) -> tensor<8xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %r = scf.for %i = %c0 to %n step %c1 iter_args(%acc = %x) -> tensor<8xf32> {
    // expected-error @+1 {{'ckpt.checkpoint' nested in 'scf.for' is not supported}}
    %y = ckpt.checkpoint (%a = %acc : tensor<8xf32>) -> (tensor<8xf32>) {
      %e = math.exp %a : tensor<8xf32>
      ckpt.yield %e : tensor<8xf32>
    }
    scf.yield %y : tensor<8xf32>
  }
  return %r : tensor<8xf32>
}

// -----

// Tests that a malformed ckpt.forward_results is a diagnostic.
// expected-error @+1 {{'ckpt.forward_results' entry 3 is out of range: the function has 1 results}}
func.func @bad_forward_results(%x: tensor<8xf32>) -> tensor<8xf32> attributes {ckpt.forward_results = [3]} {
  %y = ckpt.checkpoint (%a = %x : tensor<8xf32>) -> (tensor<8xf32>) {
    ckpt.yield %a : tensor<8xf32>
  }
  return %y : tensor<8xf32>
}

// -----

// expected-error @+1 {{'ckpt.forward_results' must be an array of integers, got "loss"}}
func.func @forward_results_not_array(%x: tensor<8xf32>) -> tensor<8xf32> attributes {ckpt.forward_results = "loss"} {
  %y = ckpt.checkpoint (%a = %x : tensor<8xf32>) -> (tensor<8xf32>) {
    ckpt.yield %a : tensor<8xf32>
  }
  return %y : tensor<8xf32>
}

// -----

// Tests that a recursive checkpointed function is refused.
func.func private @recurse(%v: tensor<8xf32>) -> tensor<8xf32> attributes {ckpt.checkpoint} {
  // expected-error @+1 {{cannot checkpoint a recursive call to @recurse}}
  %r = func.call @recurse(%v) : (tensor<8xf32>) -> tensor<8xf32>
  return %r : tensor<8xf32>
}
func.func @calls_recursive(%x: tensor<8xf32>, %dy: tensor<8xf32>) -> (tensor<8xf32>, tensor<8xf32>) {
  %y = func.call @recurse(%x) : (tensor<8xf32>) -> tensor<8xf32>
  %g = arith.mulf %dy, %y : tensor<8xf32>
  return %y, %g : tensor<8xf32>, tensor<8xf32>
}

// -----

// Tests that a checkpointed call nested in another op is refused rather than
// silently ignored.
func.func private @layer(%v: tensor<8xf32>) -> tensor<8xf32> attributes {ckpt.checkpoint} {
  %e = math.exp %v : tensor<8xf32>
  return %e : tensor<8xf32>
}
func.func @call_in_if(%x: tensor<8xf32>, %c: i1, %dy: tensor<8xf32>) -> (tensor<8xf32>, tensor<8xf32>) {
  %r = scf.if %c -> tensor<8xf32> {
    // expected-error @+1 {{checkpointed call nested in 'scf.if' is not supported}}
    %y = func.call @layer(%x) : (tensor<8xf32>) -> tensor<8xf32>
    scf.yield %y : tensor<8xf32>
  } else {
    scf.yield %x : tensor<8xf32>
  }
  %g = arith.mulf %dy, %r : tensor<8xf32>
  return %r, %g : tensor<8xf32>, tensor<8xf32>
}

// -----

// Tests that a function with annotations and several blocks is refused.
// expected-error @+1 {{expects a joint training graph with a single-block body, got 2 blocks}}
func.func @multi_block(%x: tensor<8xf32>) -> tensor<8xf32> {
  %y = ckpt.checkpoint (%a = %x : tensor<8xf32>) -> (tensor<8xf32>) {
    ckpt.yield %a : tensor<8xf32>
  }
  cf.br ^bb1
^bb1:
  return %y : tensor<8xf32>
}

// -----

// Tests that a split-form pair whose saved types disagree is refused.
// expected-error @+1 {{saved value #0 has type 'tensor<8xf32>', but argument #0 of @bwd_bad has type 'tensor<4xf32>'}}
func.func @fwd_bad(%x: tensor<8xf32>) -> (tensor<8xf32>, tensor<8xf32>) attributes {ckpt.backward = @bwd_bad, ckpt.num_outputs = 1} {
  %r:2 = ckpt.checkpoint (%a = %x : tensor<8xf32>) -> (tensor<8xf32>, tensor<8xf32>) {
    %e = math.exp %a : tensor<8xf32>
    ckpt.yield %e, %e : tensor<8xf32>, tensor<8xf32>
  }
  return %r#0, %r#1 : tensor<8xf32>, tensor<8xf32>
}
func.func @bwd_bad(%e: tensor<4xf32>) -> tensor<4xf32> {
  return %e : tensor<4xf32>
}

// -----

// Tests that ckpt.num_outputs must be in range.
// expected-error @+1 {{'ckpt.num_outputs' must be an integer between 0 and the 2 results of the function}}
func.func @fwd_count(%x: tensor<8xf32>) -> (tensor<8xf32>, tensor<8xf32>) attributes {ckpt.backward = @bwd_count, ckpt.num_outputs = 3} {
  %y = ckpt.checkpoint (%a = %x : tensor<8xf32>) -> (tensor<8xf32>) {
    ckpt.yield %a : tensor<8xf32>
  }
  return %y, %y : tensor<8xf32>, tensor<8xf32>
}
func.func @bwd_count(%e: tensor<8xf32>) -> tensor<8xf32> {
  return %e : tensor<8xf32>
}

// -----

// Tests that a call to the forward function whose saved results do not
// feed the backward function cannot be updated.
func.func @fwd_call(%x: tensor<8xf32>) -> (tensor<8xf32>, tensor<8xf32>) attributes {ckpt.backward = @bwd_call, ckpt.num_outputs = 1} {
  %r:2 = ckpt.checkpoint (%a = %x : tensor<8xf32>) -> (tensor<8xf32>, tensor<8xf32>) {
    %e = math.exp %a : tensor<8xf32>
    %s = math.sin %e : tensor<8xf32>
    ckpt.yield %s, %e : tensor<8xf32>, tensor<8xf32>
  }
  return %r#0, %r#1 : tensor<8xf32>, tensor<8xf32>
}
func.func @bwd_call(%e: tensor<8xf32>, %dy: tensor<8xf32>) -> tensor<8xf32> {
  %g = arith.mulf %e, %dy : tensor<8xf32>
  return %g : tensor<8xf32>
}
func.func @lonely(%x: tensor<8xf32>) -> tensor<8xf32> {
  // expected-error @+1 {{cannot update this call to @fwd_call: its saved results must feed the first arguments of one call to @bwd_call, in order and nowhere else}}
  %f:2 = func.call @fwd_call(%x) : (tensor<8xf32>) -> (tensor<8xf32>, tensor<8xf32>)
  return %f#1 : tensor<8xf32>
}

// -----

// Tests that the errors of every function are reported before anything
// changes: @good alone would be rewritten, but @bad's error leaves the whole
// module as it was (no barrier, both regions in place).
// UNCHANGED-LABEL: IR Dump After CkptRematerialize Failed
// UNCHANGED-LABEL: func.func @good
// UNCHANGED-NOT: ckpt.barrier
// UNCHANGED: ckpt.checkpoint "good_region"
// UNCHANGED-LABEL: func.func @bad
// UNCHANGED: ckpt.checkpoint "bad_region"
func.func @good(%x: tensor<8xf32>, %dy: tensor<8xf32>) -> (tensor<8xf32>, tensor<8xf32>) {
  %r:2 = ckpt.checkpoint "good_region" (%a = %x : tensor<8xf32>) -> (tensor<8xf32>, tensor<8xf32>) {
    %e = math.exp %a : tensor<8xf32>
    %s = math.sin %e : tensor<8xf32>
    ckpt.yield %s, %e : tensor<8xf32>, tensor<8xf32>
  }
  %g = arith.mulf %r#1, %dy : tensor<8xf32>
  return %r#0, %g : tensor<8xf32>, tensor<8xf32>
}
func.func @bad(%x: tensor<8xf32>, %dy: tensor<8xf32>) -> (tensor<8xf32>, tensor<8xf32>) {
  // expected-error @+1 {{'ckpt.checkpoint' is in the backward part}}
  %g = ckpt.checkpoint "bad_region" (%a = %dy : tensor<8xf32>) -> (tensor<8xf32>) {
    %m = arith.mulf %a, %a : tensor<8xf32>
    ckpt.yield %m : tensor<8xf32>
  }
  return %x, %g : tensor<8xf32>, tensor<8xf32>
}

// -----

// Tests that a region misplaced in a checkpointed callee is reported once,
// where it is written, not again where the call would inline it.
// ONCE: rematerialize-errors.mlir:[[@LINE+7]]:10: error: 'ckpt.checkpoint' nested in 'scf.for'
// ONCE-NOT: rematerialize-errors.mlir:[[@LINE+6]]:10: error
func.func private @looped(%v: tensor<8xf32>, %n: index) -> tensor<8xf32> attributes {ckpt.checkpoint} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %r = scf.for %i = %c0 to %n step %c1 iter_args(%acc = %v) -> tensor<8xf32> {
    // expected-error @+1 {{'ckpt.checkpoint' nested in 'scf.for' is not supported}}
    %y = ckpt.checkpoint (%a = %acc : tensor<8xf32>) -> (tensor<8xf32>) {
      %e = math.exp %a : tensor<8xf32>
      ckpt.yield %e : tensor<8xf32>
    }
    scf.yield %y : tensor<8xf32>
  }
  return %r : tensor<8xf32>
}
func.func @calls_looped(%x: tensor<8xf32>, %n: index) -> tensor<8xf32> {
  %y = func.call @looped(%x, %n) : (tensor<8xf32>, index) -> tensor<8xf32>
  return %y : tensor<8xf32>
}

// -----

// Tests that a checkpointed call to a multi-block function is refused.
func.func private @branchy(%v: tensor<8xf32>) -> tensor<8xf32> {
  cf.br ^bb1
^bb1:
  return %v : tensor<8xf32>
}
func.func @calls_branchy(%x: tensor<8xf32>, %dy: tensor<8xf32>) -> (tensor<8xf32>, tensor<8xf32>) {
  // expected-error @+1 {{cannot checkpoint a call to @branchy: its body has more than one block}}
  %y = func.call @branchy(%x) {ckpt.checkpoint} : (tensor<8xf32>) -> tensor<8xf32>
  %g = arith.mulf %dy, %y : tensor<8xf32>
  return %y, %g : tensor<8xf32>, tensor<8xf32>
}

// -----

// Tests that a call to the forward function whose saved result nobody uses
// is refused with an error (it used to crash).
func.func @fwd_unused(%x: tensor<8xf32>) -> (tensor<8xf32>, tensor<8xf32>) attributes {ckpt.backward = @bwd_unused, ckpt.num_outputs = 1} {
  %r:2 = ckpt.checkpoint (%a = %x : tensor<8xf32>) -> (tensor<8xf32>, tensor<8xf32>) {
    %t = math.tanh %a : tensor<8xf32>
    %s = math.sin %t : tensor<8xf32>
    ckpt.yield %s, %t : tensor<8xf32>, tensor<8xf32>
  }
  return %r#0, %r#1 : tensor<8xf32>, tensor<8xf32>
}
func.func @bwd_unused(%t: tensor<8xf32>, %dy: tensor<8xf32>) -> tensor<8xf32> {
  %g = arith.mulf %dy, %t : tensor<8xf32>
  return %g : tensor<8xf32>
}
func.func @forward_only(%x: tensor<8xf32>) -> tensor<8xf32> {
  // expected-error @+1 {{cannot update this call to @fwd_unused: its saved results must feed the first arguments of one call to @bwd_unused, in order and nowhere else}}
  %f:2 = func.call @fwd_unused(%x) : (tensor<8xf32>) -> (tensor<8xf32>, tensor<8xf32>)
  return %f#0 : tensor<8xf32>
}

// -----

// Tests that an error in a joint function leaves a split-form pair in the
// same module as it was: signatures, region and call pair.
// UNCHANGED-LABEL: IR Dump After CkptRematerialize Failed
// UNCHANGED-LABEL: func.func @fwd_keep(%{{.*}}) -> (tensor<8xf32>, tensor<8xf32>)
// UNCHANGED: ckpt.checkpoint "blk_keep"
// UNCHANGED-LABEL: func.func @bwd_keep
// UNCHANGED-NOT: math.tanh
// UNCHANGED-LABEL: func.func @step_keep
// UNCHANGED: %{{.*}}:2 = call @fwd_keep(%{{.*}}) : (tensor<8xf32>) -> (tensor<8xf32>, tensor<8xf32>)
// UNCHANGED-LABEL: func.func @bad_keep
// UNCHANGED: ckpt.checkpoint "bad_keep_region"
func.func @fwd_keep(%x: tensor<8xf32>) -> (tensor<8xf32>, tensor<8xf32>) attributes {ckpt.backward = @bwd_keep, ckpt.num_outputs = 1} {
  %r:2 = ckpt.checkpoint "blk_keep" (%a = %x : tensor<8xf32>) -> (tensor<8xf32>, tensor<8xf32>) {
    %t = math.tanh %a : tensor<8xf32>
    %s = math.sin %t : tensor<8xf32>
    ckpt.yield %s, %t : tensor<8xf32>, tensor<8xf32>
  }
  return %r#0, %r#1 : tensor<8xf32>, tensor<8xf32>
}
func.func @bwd_keep(%t: tensor<8xf32>, %dy: tensor<8xf32>) -> tensor<8xf32> {
  %g = arith.mulf %dy, %t : tensor<8xf32>
  return %g : tensor<8xf32>
}
func.func @step_keep(%x: tensor<8xf32>, %dy: tensor<8xf32>) -> (tensor<8xf32>, tensor<8xf32>) {
  %f:2 = func.call @fwd_keep(%x) : (tensor<8xf32>) -> (tensor<8xf32>, tensor<8xf32>)
  %g = func.call @bwd_keep(%f#1, %dy) : (tensor<8xf32>, tensor<8xf32>) -> tensor<8xf32>
  return %f#0, %g : tensor<8xf32>, tensor<8xf32>
}
func.func @bad_keep(%x: tensor<8xf32>, %dy: tensor<8xf32>) -> (tensor<8xf32>, tensor<8xf32>) {
  // expected-error @+1 {{'ckpt.checkpoint' is in the backward part}}
  %g = ckpt.checkpoint "bad_keep_region" (%a = %dy : tensor<8xf32>) -> (tensor<8xf32>) {
    %m = arith.mulf %a, %a : tensor<8xf32>
    ckpt.yield %m : tensor<8xf32>
  }
  return %x, %g : tensor<8xf32>, tensor<8xf32>
}

// -----

// Tests that a region misplaced in a callee that is not rewritten on its own
// (the backward function of an external split-form forward) is refused: the
// checkpointed call would inline it into @calls_ext.
func.func private @ext_fwd(%v: tensor<8xf32>) -> (tensor<8xf32>, tensor<8xf32>) attributes {ckpt.backward = @ext_bwd, ckpt.num_outputs = 1}
func.func private @ext_bwd(%x: tensor<8xf32>, %n: index) -> tensor<8xf32> attributes {ckpt.checkpoint} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %r = scf.for %i = %c0 to %n step %c1 iter_args(%acc = %x) -> tensor<8xf32> {
    // expected-error @+1 {{'ckpt.checkpoint' nested in 'scf.for' is not supported}}
    %y = ckpt.checkpoint (%a = %acc : tensor<8xf32>) -> (tensor<8xf32>) {
      %e = math.exp %a : tensor<8xf32>
      ckpt.yield %e : tensor<8xf32>
    }
    scf.yield %y : tensor<8xf32>
  }
  return %r : tensor<8xf32>
}
func.func @calls_ext(%x: tensor<8xf32>, %n: index, %dy: tensor<8xf32>) -> (tensor<8xf32>, tensor<8xf32>) {
  %y = func.call @ext_bwd(%x, %n) : (tensor<8xf32>, index) -> tensor<8xf32>
  %g = arith.mulf %y, %dy : tensor<8xf32>
  return %y, %g : tensor<8xf32>, tensor<8xf32>
}

// -----

// Tests that a split-form rewrite that fails after another pair's rewrite
// (pair a's recompute clones the call pair of b into @bwd_a, which b then
// cannot update) leaves the module as it was.
// UNCHANGED-LABEL: IR Dump After CkptRematerialize Failed
// UNCHANGED-LABEL: func.func @fwd_a(
// UNCHANGED: ckpt.checkpoint "blk_a"
// UNCHANGED-LABEL: func.func @bwd_a(
// UNCHANGED-NOT: call
// UNCHANGED: return
func.func @fwd_a(%x: tensor<8xf32>, %dy: tensor<8xf32>) -> (tensor<8xf32>, tensor<8xf32>) attributes {ckpt.backward = @bwd_a, ckpt.num_outputs = 1} {
  %r:2 = ckpt.checkpoint "blk_a" (%a = %x, %d = %dy : tensor<8xf32>, tensor<8xf32>) -> (tensor<8xf32>, tensor<8xf32>) {
    // expected-error @+1 {{cannot update this call to @fwd_b: its saved results must feed the first arguments of one call to @bwd_b, in order and nowhere else}}
    %o:2 = func.call @fwd_b(%a) : (tensor<8xf32>) -> (tensor<8xf32>, tensor<8xf32>)
    %g = func.call @bwd_b(%o#1, %d) : (tensor<8xf32>, tensor<8xf32>) -> tensor<8xf32>
    %e = math.exp %o#0 : tensor<8xf32>
    %y = math.sin %e : tensor<8xf32>
    %z = arith.addf %y, %g : tensor<8xf32>
    ckpt.yield %z, %e : tensor<8xf32>, tensor<8xf32>
  }
  return %r#0, %r#1 : tensor<8xf32>, tensor<8xf32>
}
func.func @bwd_a(%e: tensor<8xf32>, %dy: tensor<8xf32>) -> tensor<8xf32> {
  %g = arith.mulf %dy, %e : tensor<8xf32>
  return %g : tensor<8xf32>
}
func.func @fwd_b(%x: tensor<8xf32>) -> (tensor<8xf32>, tensor<8xf32>) attributes {ckpt.backward = @bwd_b, ckpt.num_outputs = 1} {
  %t = math.tanh %x : tensor<8xf32>
  %s = math.sin %t : tensor<8xf32>
  return %s, %t : tensor<8xf32>, tensor<8xf32>
}
func.func @bwd_b(%t: tensor<8xf32>, %dy: tensor<8xf32>) -> tensor<8xf32> {
  %g = arith.mulf %dy, %t : tensor<8xf32>
  return %g : tensor<8xf32>
}
func.func @step_ab(%x: tensor<8xf32>, %dy: tensor<8xf32>) -> (tensor<8xf32>, tensor<8xf32>) {
  %f:2 = func.call @fwd_a(%x, %dy) : (tensor<8xf32>, tensor<8xf32>) -> (tensor<8xf32>, tensor<8xf32>)
  %g = func.call @bwd_a(%f#1, %dy) : (tensor<8xf32>, tensor<8xf32>) -> tensor<8xf32>
  return %f#0, %g : tensor<8xf32>, tensor<8xf32>
}

// -----

// Tests that a region outside any function is refused, at the top of the
// module and in a nested module (the walk that finds misplaced regions
// covers every top-level op, not only functions).
%c = arith.constant dense<1.0> : tensor<8xf32>
// expected-error @+1 {{'ckpt.checkpoint' nested in 'builtin.module' is not supported}}
%y = ckpt.checkpoint (%a = %c : tensor<8xf32>) -> (tensor<8xf32>) {
  %e = math.exp %a : tensor<8xf32>
  ckpt.yield %e : tensor<8xf32>
}
module @inner {
  %c2 = arith.constant dense<2.0> : tensor<8xf32>
  // expected-error @+1 {{'ckpt.checkpoint' nested in 'builtin.module' is not supported}}
  %z = ckpt.checkpoint (%b = %c2 : tensor<8xf32>) -> (tensor<8xf32>) {
    %s = math.sin %b : tensor<8xf32>
    ckpt.yield %s : tensor<8xf32>
  }
}
