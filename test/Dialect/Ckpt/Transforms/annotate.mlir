// RUN: ckpt-opt %s -split-input-file -ckpt-annotate="segments=2" -verify-diagnostics | FileCheck %s --check-prefix=SEG2
// RUN: ckpt-opt %s -split-input-file -ckpt-annotate="callee=layer.*" 2>/dev/null | FileCheck %s --check-prefix=CALLEE
// RUN: ckpt-opt %s -split-input-file -ckpt-annotate="loc=layers\.[0-9]+" 2>/dev/null | FileCheck %s --check-prefix=LOC
// RUN: ckpt-opt %s -split-input-file -ckpt-annotate="segments=2" -ckpt-rematerialize -ckpt-verify -o /dev/null 2>&1 | FileCheck %s --check-prefix=REMAT

// Tests segments=2 on a chain whose best cut is known by hand.
// tensor<64xf32> is 256 bytes, tensor<16xf32> 64. Forward: t1 = exp(x),
// s = slice(t1), t2 = sin(s), t3 = broadcast(t2), u = slice(t3),
// t4 = cos(u), loss = t4 + u; the backward reads t1, t2, t3, t4 (640 bytes,
// 320 on each side of the cut chosen, so it is balanced). Bytes stored at
// each cut: before s or t2, t1 (256: the slice is a view of it); before the
// empty tensor or t3, t2 (64); before u or t4, t3 (256); before the loss, t3
// and t4 (320). The cut goes before t3 (the empty tensor, which holds no
// data, ends the first segment).
// SEG2-LABEL: func @chain
// SEG2: %[[R1:.*]]:3 = ckpt.checkpoint "segment.0" (%{{.*}} = %arg0 : tensor<64xf32>)
// SEG2-NEXT:   math.exp
// SEG2-NEXT:   tensor.extract_slice
// SEG2-NEXT:   math.sin
// SEG2-NEXT:   tensor.empty
// SEG2-NEXT:   ckpt.yield
// SEG2: ckpt.checkpoint "segment.1" (%{{.*}} = %[[R1]]#1, %{{.*}} = %[[R1]]#2 : tensor<16xf32>, tensor<64xf32>)
// SEG2-NEXT:   linalg.generic
// SEG2: tensor.extract_slice
// SEG2-NEXT: math.cos
// SEG2-NEXT: arith.addf
// SEG2-NEXT: ckpt.yield
// SEG2-NEXT: }
// SEG2-NOT: ckpt.checkpoint
// SEG2: return
// REMAT: checkpointed region 'segment.0': drops 1 value (256 bytes){{.*}}keeps 1 value
// REMAT: checkpointed region 'segment.1': drops 2 values (320 bytes)
// expected-remark @+1 {{created 2 regions}}
func.func @chain(%x: tensor<64xf32>, %dy: tensor<64xf32>) -> (tensor<16xf32>, tensor<64xf32>) {
  %t1 = math.exp %x : tensor<64xf32>
  %s = tensor.extract_slice %t1[0] [16] [1] : tensor<64xf32> to tensor<16xf32>
  %t2 = math.sin %s : tensor<16xf32>
  %e = tensor.empty() : tensor<64xf32>
  %t3 = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0 floordiv 4)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]} ins(%t2 : tensor<16xf32>) outs(%e : tensor<64xf32>) {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  } -> tensor<64xf32>
  %u = tensor.extract_slice %t3[0] [16] [1] : tensor<64xf32> to tensor<16xf32>
  %t4 = math.cos %u : tensor<16xf32>
  %loss = arith.addf %t4, %u : tensor<16xf32>
  // Backward: reads t1, t2, t3, t4.
  %g1 = arith.mulf %dy, %t1 : tensor<64xf32>
  %g3 = arith.mulf %g1, %t3 : tensor<64xf32>
  %g2 = tensor.extract_slice %g3[0] [16] [1] : tensor<64xf32> to tensor<16xf32>
  %g4 = arith.mulf %g2, %t2 : tensor<16xf32>
  %g5 = arith.mulf %g4, %t4 : tensor<16xf32>
  %z = tensor.insert_slice %g5 into %g3[0] [16] [1] : tensor<16xf32> into tensor<64xf32>
  return %loss, %z : tensor<16xf32>, tensor<64xf32>
}

// -----

// Tests callee= (forward calls become regions, the backward call stays) and
// loc= (runs of ops whose names share the matched scope).
// CALLEE-LABEL: func @named
// CALLEE: ckpt.checkpoint "layer_a"
// CALLEE: ckpt.checkpoint "layer_b"
// CALLEE: call @layer_a_backward
// LOC-LABEL: func @named
// LOC: ckpt.checkpoint "layers.0"
// LOC-NEXT: call @layer_a
// LOC-NEXT: math.exp
// LOC-NEXT: math.tanh
// LOC: ckpt.checkpoint "layers.1"
// LOC-NEXT: call @layer_b
// LOC-NEXT: math.sin
// LOC: ckpt.yield
// LOC-NEXT: }
// LOC-NEXT: call @layer_a_backward
func.func private @layer_a(%v: tensor<8xf32>) -> tensor<8xf32> {
  %e = math.exp %v : tensor<8xf32>
  return %e : tensor<8xf32>
}
func.func private @layer_b(%v: tensor<8xf32>) -> tensor<8xf32> {
  %e = math.sin %v : tensor<8xf32>
  return %e : tensor<8xf32>
}
func.func private @layer_a_backward(%v: tensor<8xf32>, %g: tensor<8xf32>) -> tensor<8xf32> {
  %m = arith.mulf %v, %g : tensor<8xf32>
  return %m : tensor<8xf32>
}
// expected-remark @+1 {{created 2 regions}}
func.func @named(%x: tensor<8xf32>, %dy: tensor<8xf32>) -> (tensor<8xf32>, tensor<8xf32>) {
  %a = func.call @layer_a(%x) : (tensor<8xf32>) -> tensor<8xf32> loc("layers.0/call")
  %e = math.exp %a : tensor<8xf32> loc("layers.0/exp")
  %t = math.tanh %e : tensor<8xf32> loc("layers.0/tanh")
  %b = func.call @layer_b(%t) : (tensor<8xf32>) -> tensor<8xf32> loc("layers.1/call")
  %s = math.sin %b : tensor<8xf32> loc("layers.1/sin")
  %g = func.call @layer_a_backward(%e, %dy) : (tensor<8xf32>, tensor<8xf32>) -> tensor<8xf32>
  return %s, %g : tensor<8xf32>, tensor<8xf32>
}
