// Tests the memory/cost report on S7's three-region stack: the text report,
// the JSON (which must parse and carry the same numbers) and the SVG.
// RUN: ckpt-opt %s -ckpt-rematerialize --ckpt-memory-report --ckpt-memory-report-json=%t.json --ckpt-memory-report-svg=%t.svg -o /dev/null 2> %t.txt
// RUN: FileCheck %s --check-prefix=TEXT < %t.txt
// RUN: python3 -m json.tool %t.json > /dev/null
// RUN: cat %t.txt %t.json | FileCheck %s --check-prefix=SAME
// RUN: FileCheck %s --check-prefix=SVG < %t.svg

// Before: peak 8192 at r3 (see rematerialize-never-worse.mlir); the saved
// set is e1 t1 e2 t2 e3 t3 = 6144 bytes. After: s1, s2 (inputs of the
// recomputes) = 2048 bytes; peak 5120. Forward FLOPs: 9 elementwise ops x
// 256 = 2304; backward 6 x 256 = 1536; the recompute adds 6 x 256 = 1536.
// TEXT: === ckpt memory report: @s7 ===
// TEXT: peak live bytes 8192 5120 x0.625
// TEXT: saved bytes (forward->backward) 6144 2048 x0.333
// TEXT: saved values 6 2
// TEXT: FLOPs (total) 3840 5376
// TEXT: FLOPs (forward) 2304 2304
// TEXT: recompute FLOPs 0 1536
// TEXT: recompute FLOPs added: 1536
// TEXT: region saved B dropped B dropped # recompute FLOPs ops cloned
// TEXT-NEXT: r1 0 2048 2 512 2
// TEXT-NEXT: r2 1024 2048 2 512 2
// TEXT-NEXT: r3 1024 2048 2 512 2

// SAME: peak live bytes [[PB:[0-9]+]] [[PA:[0-9]+]]
// SAME: saved bytes (forward->backward) [[SB:[0-9]+]] [[SA:[0-9]+]]
// SAME: recompute FLOPs 0 [[RF:[0-9]+]]
// SAME: "name": "s7"
// SAME: "before":
// SAME: "peak_bytes": [[PB]]
// SAME: "saved_bytes": [[SB]]
// SAME: "after":
// SAME: "peak_bytes": [[PA]]
// SAME: "saved_bytes": [[SA]]
// SAME: "recompute_flops": [[RF]]
// SAME: "regions": [
// SAME: "name": "r1"
// SAME: "dropped_bytes": 2048

// SVG: <svg xmlns="http://www.w3.org/2000/svg"
// SVG: live tensor bytes of @s7 over the schedule
// SVG: op index (program order)
// SVG: live tensor bytes</text>
// SVG: <polyline fill="none" stroke="#1f77b4"
// SVG: before (peak 8192 B)
// SVG: <polyline fill="none" stroke="#ff7f0e"
// SVG: after (peak 5120 B)
func.func @s7(%x: tensor<256xf32>, %dy: tensor<256xf32>) -> (tensor<256xf32>, tensor<256xf32>) {
  %r1:3 = ckpt.checkpoint "r1" (%a = %x : tensor<256xf32>) -> (tensor<256xf32>, tensor<256xf32>, tensor<256xf32>) {
    %e = math.exp %a : tensor<256xf32>
    %t = math.tanh %e : tensor<256xf32>
    %s = math.sin %t : tensor<256xf32>
    ckpt.yield %s, %e, %t : tensor<256xf32>, tensor<256xf32>, tensor<256xf32>
  }
  %r2:3 = ckpt.checkpoint "r2" (%a = %r1#0 : tensor<256xf32>) -> (tensor<256xf32>, tensor<256xf32>, tensor<256xf32>) {
    %e = math.exp %a : tensor<256xf32>
    %t = math.tanh %e : tensor<256xf32>
    %s = math.sin %t : tensor<256xf32>
    ckpt.yield %s, %e, %t : tensor<256xf32>, tensor<256xf32>, tensor<256xf32>
  }
  %r3:3 = ckpt.checkpoint "r3" (%a = %r2#0 : tensor<256xf32>) -> (tensor<256xf32>, tensor<256xf32>, tensor<256xf32>) {
    %e = math.exp %a : tensor<256xf32>
    %t = math.tanh %e : tensor<256xf32>
    %s = math.sin %t : tensor<256xf32>
    ckpt.yield %s, %e, %t : tensor<256xf32>, tensor<256xf32>, tensor<256xf32>
  }
  %g3 = arith.mulf %dy, %r3#1 : tensor<256xf32>
  %h3 = arith.mulf %g3, %r3#2 : tensor<256xf32>
  %g2 = arith.mulf %h3, %r2#1 : tensor<256xf32>
  %h2 = arith.mulf %g2, %r2#2 : tensor<256xf32>
  %g1 = arith.mulf %h2, %r1#1 : tensor<256xf32>
  %h1 = arith.mulf %g1, %r1#2 : tensor<256xf32>
  return %r3#0, %h1 : tensor<256xf32>, tensor<256xf32>
}
