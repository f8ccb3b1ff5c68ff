// The remarks of ckpt-rematerialize: by default a summary per training step
// (the memory report's figures) and a remark per region that changed
// something; `regions` adds the regions that changed nothing and drops the
// summary; `none` says nothing. The report has a row per region instance
// (two calls to one checkpointed function are two rows), with the figures
// of the instance's remark.
// RUN: ckpt-opt %s -ckpt-rematerialize --ckpt-memory-report -o /dev/null 2>&1 | FileCheck %s --check-prefix=CHANGED
// RUN: ckpt-opt %s -ckpt-rematerialize=remarks=regions -o /dev/null 2>&1 | FileCheck %s --check-prefix=REGIONS
// RUN: ckpt-opt %s -ckpt-rematerialize=remarks=none -o /dev/null 2>&1 | FileCheck %s --check-prefix=NONE --allow-empty

// CHANGED-NOT: no backward op uses its values
// CHANGED-COUNT-2: checkpointed region 'layer': drops 1 value (1024 bytes), clones 1 op
// CHANGED-NOT: checkpointed region
// CHANGED: remark: @levels: 2 of 3 checkpointed regions rematerialized; estimated peak [[PB:[0-9]+]] -> [[PA:[0-9]+]] bytes, saved bytes [[SB:[0-9]+]] -> [[SA:[0-9]+]]
// CHANGED: peak live bytes [[PB]] [[PA]]
// CHANGED: saved bytes (forward->backward) [[SB]] [[SA]]
// CHANGED: region saved B dropped B dropped # recompute FLOPs ops cloned
// CHANGED-NEXT: layer#1 {{[0-9]+}} 1024 1 256 1
// CHANGED-NEXT: layer#2 {{[0-9]+}} 1024 1 256 1
// REGIONS: checkpointed region 'idle': no backward op uses its values
// REGIONS-COUNT-2: checkpointed region 'layer': drops 1 value
// REGIONS-NOT: remark: @levels
// NONE-NOT: remark

func.func private @layer(%v: tensor<256xf32>) -> tensor<256xf32> attributes {ckpt.checkpoint} {
  %e = math.exp %v : tensor<256xf32>
  return %e : tensor<256xf32>
}
func.func @levels(%x: tensor<256xf32>, %dy: tensor<256xf32>) -> (tensor<256xf32>, tensor<256xf32>) {
  %i = ckpt.checkpoint "idle" (%a = %x : tensor<256xf32>) -> (tensor<256xf32>) {
    %s = math.sin %a : tensor<256xf32>
    ckpt.yield %s : tensor<256xf32>
  }
  %h1 = func.call @layer(%i) : (tensor<256xf32>) -> tensor<256xf32>
  %h2 = func.call @layer(%x) : (tensor<256xf32>) -> tensor<256xf32>
  %l = arith.addf %h1, %h2 : tensor<256xf32>
  %g2 = arith.mulf %dy, %h2 : tensor<256xf32>
  %g1 = arith.mulf %g2, %h1 : tensor<256xf32>
  return %l, %g1 : tensor<256xf32>, tensor<256xf32>
}
