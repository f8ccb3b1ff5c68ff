// ckpt-annotate on graphs from the field: helpers left alone, name scopes
// that hold the early backward ops of their layer.
// RUN: ckpt-opt %s -split-input-file --ckpt-annotate=segments=3 --ckpt-rematerialize --ckpt-verify --ckpt-memory-report 2>&1 | FileCheck %s --check-prefix=HELPER
// RUN: ckpt-opt %s -split-input-file '--ckpt-annotate=loc=layers\.[0-9]+' --ckpt-rematerialize --ckpt-verify --ckpt-memory-report 2>&1 | FileCheck %s --check-prefix=LOC

// Tests that a private multi-result helper (a layer as a function, called
// by the step) is not a training step: ckpt-annotate puts no region and no
// barrier in it, says nothing about it, and the regions of the step
// rematerialize (the saved bytes go down 6x).
// HELPER-COUNT-1: remark: created 3 regions
// HELPER-NOT: remark: created
// HELPER: === ckpt memory report: @helpers ===
// HELPER: saved bytes (forward->backward) 6144 1024
// HELPER-LABEL: func.func private @layer(
// HELPER-NOT: ckpt.
// HELPER: return
// HELPER-LABEL: func.func @helpers(
// HELPER: ckpt.barrier
func.func private @layer(%x: tensor<16x16xf32>, %w: tensor<16x16xf32>) -> (tensor<16x16xf32>, tensor<16x16xf32>) {
  %z = arith.constant dense<0.0> : tensor<16x16xf32>
  %a = linalg.matmul ins(%x, %w : tensor<16x16xf32>, tensor<16x16xf32>) outs(%z : tensor<16x16xf32>) -> tensor<16x16xf32>
  %h = math.tanh %a : tensor<16x16xf32>
  %one = arith.constant dense<1.0> : tensor<16x16xf32>
  %sq = arith.mulf %h, %h : tensor<16x16xf32>
  %d = arith.subf %one, %sq : tensor<16x16xf32>
  return %h, %d : tensor<16x16xf32>, tensor<16x16xf32>
}
func.func @helpers(%x: tensor<16x16xf32>, %w0: tensor<16x16xf32>, %w1: tensor<16x16xf32>, %w2: tensor<16x16xf32>, %w3: tensor<16x16xf32>, %w4: tensor<16x16xf32>, %w5: tensor<16x16xf32>, %dy: tensor<16x16xf32>) -> (tensor<16x16xf32>, tensor<16x16xf32>) {
  %h0:2 = func.call @layer(%x, %w0) : (tensor<16x16xf32>, tensor<16x16xf32>) -> (tensor<16x16xf32>, tensor<16x16xf32>)
  %h1:2 = func.call @layer(%h0#0, %w1) : (tensor<16x16xf32>, tensor<16x16xf32>) -> (tensor<16x16xf32>, tensor<16x16xf32>)
  %h2:2 = func.call @layer(%h1#0, %w2) : (tensor<16x16xf32>, tensor<16x16xf32>) -> (tensor<16x16xf32>, tensor<16x16xf32>)
  %h3:2 = func.call @layer(%h2#0, %w3) : (tensor<16x16xf32>, tensor<16x16xf32>) -> (tensor<16x16xf32>, tensor<16x16xf32>)
  %h4:2 = func.call @layer(%h3#0, %w4) : (tensor<16x16xf32>, tensor<16x16xf32>) -> (tensor<16x16xf32>, tensor<16x16xf32>)
  %h5:2 = func.call @layer(%h4#0, %w5) : (tensor<16x16xf32>, tensor<16x16xf32>) -> (tensor<16x16xf32>, tensor<16x16xf32>)
  %l = arith.addf %h5#0, %h5#0 : tensor<16x16xf32>
  %g5 = arith.mulf %dy, %h5#1 : tensor<16x16xf32>
  %g4 = arith.mulf %g5, %h4#1 : tensor<16x16xf32>
  %g3 = arith.mulf %g4, %h3#1 : tensor<16x16xf32>
  %g2 = arith.mulf %g3, %h2#1 : tensor<16x16xf32>
  %g1 = arith.mulf %g2, %h1#1 : tensor<16x16xf32>
  %g0 = arith.mulf %g1, %h0#1 : tensor<16x16xf32>
  return %l, %g0 : tensor<16x16xf32>, tensor<16x16xf32>
}

// -----

// Tests that loc= takes into a layer's region the backward ops of the same
// name scope that are computed from the forward alone (tanh'(a) next to
// tanh(a), as JAX and torch name them), and that a constant without a name
// neither starts nor breaks a run: each layer then drops both values the
// backward reads (before, only one of two, and tanh' stayed stored).
// LOC: remark: created 2 regions
// LOC: checkpointed region 'layers.0': drops 2 values (512 bytes), clones 3 ops
// LOC: checkpointed region 'layers.1': drops 2 values (512 bytes), clones 4 ops
// LOC: === ckpt memory report: @scopes ===
// LOC: saved bytes (forward->backward) 1024 256
func.func @scopes(%x: tensor<64xf32>, %dy: tensor<64xf32>) -> (tensor<64xf32>, tensor<64xf32>) {
  %c = arith.constant dense<1.0> : tensor<64xf32> loc("one")
  %a0 = math.exp %x : tensor<64xf32> loc("layers.0/exp")
  %h0 = math.tanh %a0 : tensor<64xf32> loc("layers.0/tanh")
  %sq0 = arith.mulf %h0, %h0 : tensor<64xf32> loc("layers.0/tanh_grad/sq")
  %d0 = arith.subf %c, %sq0 : tensor<64xf32> loc("layers.0/tanh_grad/sub")
  %a1 = math.exp %h0 : tensor<64xf32> loc("layers.1/exp")
  %h1 = math.tanh %a1 : tensor<64xf32> loc("layers.1/tanh")
  %sq1 = arith.mulf %h1, %h1 : tensor<64xf32> loc("layers.1/tanh_grad/sq")
  %d1 = arith.subf %c, %sq1 : tensor<64xf32> loc("layers.1/tanh_grad/sub")
  %l = arith.addf %h1, %h1 : tensor<64xf32> loc("loss")
  %g1 = arith.mulf %dy, %d1 : tensor<64xf32>
  %ga = arith.mulf %g1, %a1 : tensor<64xf32>
  %g0 = arith.mulf %ga, %d0 : tensor<64xf32>
  %gb = arith.mulf %g0, %a0 : tensor<64xf32>
  return %l, %gb : tensor<64xf32>, tensor<64xf32>
}
