// Tests the ckpt-memory-report pass: ckpt-opt's report flags are this pass
// around the command line's pipeline (same IR, text and JSON, byte for
// byte); with no pipeline it reports the module as it is; nested passes
// keep their options (in braces or as printed); --dump-pass-pipeline shows
// the wrapped pipeline in a form that parses back.

// RUN: ckpt-opt %ckpt_src_root/examples/mlp_train_step.mlir --ckpt-rematerialize --cse --ckpt-memory-report --ckpt-memory-report-json=%t.flag.json -o %t.flag.mlir 2> %t.flag.txt
// RUN: ckpt-opt %ckpt_src_root/examples/mlp_train_step.mlir --pass-pipeline='builtin.module(ckpt-memory-report{pipeline=ckpt-rematerialize,cse json=%t.pass.json})' -o %t.pass.mlir 2> %t.pass.txt
// RUN: diff %t.flag.mlir %t.pass.mlir
// RUN: diff %t.flag.txt %t.pass.txt
// RUN: diff %t.flag.json %t.pass.json
// RUN: FileCheck %s --check-prefix=MLP < %t.pass.txt
// MLP: === ckpt memory report: @mlp_train_step ===
// MLP: peak live bytes 77828 73732 x0.947
// MLP: saved bytes (forward->backward) 24576 8192 x0.333
// MLP-NEXT: saved values 6 2 x0.333
// MLP: layers.2 4096 8192 2 135168 4

// RUN: ckpt-opt %s --ckpt-memory-report -o /dev/null 2>&1 | FileCheck %s --check-prefix=ASIS
// RUN: ckpt-opt %s --pass-pipeline='builtin.module(ckpt-memory-report)' -o /dev/null 2>&1 | FileCheck %s --check-prefix=ASIS
// ASIS: === ckpt memory report: @s7 ===
// ASIS: peak live bytes 8192 8192 x1.000
// ASIS-NEXT: saved bytes (forward->backward) 6144 6144 x1.000
// ASIS: recompute FLOPs 0 0
// ASIS: recompute FLOPs added: 0

// Saving math.exp keeps one value of each region (3072 bytes saved in all).
// RUN: ckpt-opt %s --pass-pipeline='builtin.module(ckpt-memory-report{pipeline={ckpt-rematerialize{save-ops=math.exp},cse}})' -o /dev/null 2>&1 | FileCheck %s --check-prefix=NESTED
// RUN: ckpt-opt %s --pass-pipeline='builtin.module(ckpt-memory-report{pipeline=ckpt-rematerialize{save-ops=math.exp force=false},cse})' -o /dev/null 2>&1 | FileCheck %s --check-prefix=NESTED
// NESTED: saved bytes (forward->backward) 6144 3072 x0.500
// NESTED: r1 1024 1024 1 256 1

// RUN: ckpt-opt %s --ckpt-rematerialize --cse --ckpt-memory-report --ckpt-memory-report-json=- --dump-pass-pipeline -o /dev/null 2>&1 | FileCheck %s --check-prefix=DUMP
// DUMP: Pass Manager with 2 passes:
// DUMP: Pass Manager with 1 passes:
// DUMP-NEXT: builtin.module(
// DUMP-NEXT: ckpt-memory-report{dynamic-dim-size=1 json=- pipeline=ckpt-rematerialize{{{.*}}},cse svg= text=true}
// DUMP: "name": "s7"

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
