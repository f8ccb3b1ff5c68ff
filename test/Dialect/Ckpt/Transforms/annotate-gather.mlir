// ckpt-annotate loc= gathers a name's ops into one region when the ops
// between them can move out of the way (the run CSE splits: a mask shared by
// two blocks keeps the first block's name and sits before its first op).
// RUN: ckpt-opt %s -split-input-file '-ckpt-annotate=loc=layers\.[0-9]+' -verify-diagnostics | FileCheck %s
// RUN: ckpt-opt %s -split-input-file '-ckpt-annotate=loc=layers\.[0-9]+' -ckpt-rematerialize -ckpt-verify 2>&1 | FileCheck %s --check-prefix=REMAT

// Tests that an op without the name between a block's shared mask and the
// rest of the block (the embedding here) moves before the mask, and that
// the mask then stays in the first block's region, as one of its results
// that the second block reads. Before, `layers.0` became two regions. (On a
// graph this small the saved sets, the regions' inputs, outweigh what the
// regions drop: the remat figures only show the regions are well formed.)
// CHECK-LABEL: func @shared_mask
// CHECK: %[[E:.*]] = math.exp %arg0
// CHECK-NEXT: %[[R0:.*]]:3 = ckpt.checkpoint "layers.0"
// CHECK-NEXT: arith.constant
// CHECK-NEXT: tensor.empty
// CHECK-NEXT: linalg.fill
// CHECK-NEXT: arith.mulf
// CHECK-NEXT: math.tanh
// CHECK-NEXT: ckpt.yield
// CHECK: ckpt.checkpoint "layers.1" ({{.*}}%[[R0]]#{{[0-2]}}{{.*}}%[[R0]]#{{[0-2]}}
// CHECK-NEXT: arith.mulf
// CHECK-NEXT: math.tanh
// CHECK-NEXT: ckpt.yield
// CHECK-NOT: ckpt.checkpoint
// CHECK: return
// REMAT: checkpointed region 'layers.0': drops 1 value (256 bytes)
// REMAT: checkpointed region 'layers.1': drops 1 value (256 bytes)
// REMAT: @shared_mask: 2 of 2 checkpointed regions rematerialized; estimated peak 1280 -> 1280 bytes, saved bytes 512 -> 768,
// expected-remark @+1 {{created 2 regions}}
func.func @shared_mask(%x: tensor<64xf32>, %dy: tensor<64xf32>) -> (tensor<64xf32>, tensor<64xf32>) {
  %c = arith.constant 0.5 : f32 loc("layers.0/half")
  %z = tensor.empty() : tensor<64xf32> loc("layers.0/empty")
  %mask = linalg.fill ins(%c : f32) outs(%z : tensor<64xf32>) -> tensor<64xf32> loc("layers.0/mask")
  %e = math.exp %x : tensor<64xf32> loc("embed")
  %a0 = arith.mulf %e, %mask : tensor<64xf32> loc("layers.0/mul")
  %h0 = math.tanh %a0 : tensor<64xf32> loc("layers.0/tanh")
  %a1 = arith.mulf %h0, %mask : tensor<64xf32> loc("layers.1/mul")
  %h1 = math.tanh %a1 : tensor<64xf32> loc("layers.1/tanh")
  %l = arith.addf %h1, %h1 : tensor<64xf32> loc("loss")
  %g1 = arith.mulf %dy, %a1 : tensor<64xf32>
  %g0 = arith.mulf %g1, %a0 : tensor<64xf32>
  return %l, %g0 : tensor<64xf32>, tensor<64xf32>
}

// -----

// Tests that an op without the name that reads the block (the loss here)
// moves after the block's last op (a fill of the block's name that CSE left
// among the loss's ops), so the block is one region again.
// CHECK-LABEL: func @fill_after_loss
// CHECK: ckpt.checkpoint "layers.0"
// CHECK-NEXT: math.exp
// CHECK-NEXT: math.tanh
// CHECK-NEXT: tensor.empty
// CHECK-NEXT: linalg.fill
// CHECK-NEXT: ckpt.yield
// CHECK: arith.addf
// CHECK-NEXT: arith.mulf
// CHECK-NOT: ckpt.checkpoint
// CHECK: return
// REMAT: checkpointed region 'layers.0': drops 2 values (512 bytes)
// REMAT: @fill_after_loss: 1 of 1 checkpointed region rematerialized; estimated peak 1024 -> 1024 bytes, saved bytes 512 -> 0,
// expected-remark @+1 {{created 1 region}}
func.func @fill_after_loss(%x: tensor<64xf32>, %dy: tensor<64xf32>, %c: f32) -> (tensor<64xf32>, tensor<64xf32>) {
  %a = math.exp %x : tensor<64xf32> loc("layers.0/exp")
  %h = math.tanh %a : tensor<64xf32> loc("layers.0/tanh")
  %s = arith.addf %h, %h : tensor<64xf32> loc("loss/add")
  %z = tensor.empty() : tensor<64xf32> loc("layers.0/empty")
  %f = linalg.fill ins(%c : f32) outs(%z : tensor<64xf32>) -> tensor<64xf32> loc("layers.0/fill")
  %l = arith.mulf %s, %f : tensor<64xf32> loc("loss/mul")
  %g0 = arith.mulf %dy, %a : tensor<64xf32>
  %g1 = arith.mulf %g0, %f : tensor<64xf32>
  return %l, %g1 : tensor<64xf32>, tensor<64xf32>
}

// -----

// Tests that a module called twice around another op (layers.0, then an op
// that reads it, then layers.0 again on that op's result) is not gathered:
// its ops are not convex, and it stays two regions of the same name.
// CHECK-LABEL: func @called_twice
// CHECK: ckpt.checkpoint "layers.0"
// CHECK-NEXT: math.exp
// CHECK-NEXT: ckpt.yield
// CHECK: math.sin
// CHECK: ckpt.checkpoint "layers.0"
// CHECK-NEXT: math.exp
// CHECK-NEXT: ckpt.yield
// expected-remark @+1 {{created 2 regions}}
func.func @called_twice(%x: tensor<64xf32>, %dy: tensor<64xf32>) -> (tensor<64xf32>, tensor<64xf32>) {
  %a = math.exp %x : tensor<64xf32> loc("layers.0/exp")
  %s = math.sin %a : tensor<64xf32> loc("between")
  %b = math.exp %s : tensor<64xf32> loc("layers.0/exp")
  %g0 = arith.mulf %dy, %b : tensor<64xf32>
  %g1 = arith.mulf %g0, %a : tensor<64xf32>
  return %b, %g1 : tensor<64xf32>, tensor<64xf32>
}

// -----

// Tests that a call between a name's ops (not free to move: its callee's
// effects are not known here) leaves the name's runs as they are.
// CHECK-LABEL: func @call_between
// CHECK: ckpt.checkpoint "layers.0"
// CHECK-NEXT: math.exp
// CHECK-NEXT: ckpt.yield
// CHECK: call @helper
// CHECK: ckpt.checkpoint "layers.0"
// CHECK-NEXT: math.tanh
// CHECK-NEXT: ckpt.yield
func.func private @helper(%v: tensor<64xf32>) -> tensor<64xf32> {
  %s = math.sin %v : tensor<64xf32>
  return %s : tensor<64xf32>
}
// expected-remark @+1 {{created 2 regions}}
func.func @call_between(%x: tensor<64xf32>, %y: tensor<64xf32>, %dy: tensor<64xf32>) -> (tensor<64xf32>, tensor<64xf32>) {
  %a = math.exp %x : tensor<64xf32> loc("layers.0/exp")
  %s = func.call @helper(%y) : (tensor<64xf32>) -> tensor<64xf32> loc("other")
  %h = math.tanh %a : tensor<64xf32> loc("layers.0/tanh")
  %l = arith.addf %h, %s : tensor<64xf32> loc("loss")
  %g0 = arith.mulf %dy, %h : tensor<64xf32>
  %g1 = arith.mulf %g0, %a : tensor<64xf32>
  return %l, %g1 : tensor<64xf32>, tensor<64xf32>
}

// -----

// Tests that ops computed from constants alone that carry the block's name
// but feed an op before the block (an iota that CSE shared between the
// position embedding and the block's causal mask, as torch-mlir exports a
// GPT-2 step) lose the name: they stay before the region, and the block is
// one region. Before, `layers.0` became two regions (the iota alone, then
// the rest).
// CHECK-LABEL: func @shared_iota
// CHECK: tensor.empty
// CHECK-NEXT: %[[IOTA:.*]] = linalg.generic
// CHECK: linalg.index 0
// CHECK: %[[E:.*]] = arith.addf %arg0, %[[IOTA]]
// CHECK-NEXT: ckpt.checkpoint "layers.0" (%{{.*}} = %[[E]], %{{.*}} = %[[IOTA]] :
// CHECK-NEXT: arith.mulf
// CHECK-NEXT: math.tanh
// CHECK-NEXT: ckpt.yield
// CHECK-NOT: ckpt.checkpoint
// CHECK: return
// REMAT: checkpointed region 'layers.0': drops 1 value (64 bytes)
// expected-remark @+1 {{created 1 region}}
func.func @shared_iota(%x: tensor<16xf32>, %dy: tensor<16xf32>) -> (tensor<16xf32>, tensor<16xf32>) {
  %z = tensor.empty() : tensor<16xf32> loc("layers.0/empty")
  %iota = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]} outs(%z : tensor<16xf32>) {
  ^bb0(%out: f32):
    %i = linalg.index 0 : index
    %n = arith.index_cast %i : index to i64
    %f = arith.sitofp %n : i64 to f32
    linalg.yield %f : f32
  } -> tensor<16xf32> loc("layers.0/iota")
  %e = arith.addf %x, %iota : tensor<16xf32> loc("embed")
  %a = arith.mulf %e, %iota : tensor<16xf32> loc("layers.0/mul")
  %h = math.tanh %a : tensor<16xf32> loc("layers.0/tanh")
  %l = arith.addf %h, %h : tensor<16xf32> loc("loss")
  %g = arith.mulf %dy, %a : tensor<16xf32>
  return %l, %g : tensor<16xf32>, tensor<16xf32>
}
