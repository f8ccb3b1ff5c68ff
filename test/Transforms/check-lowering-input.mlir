// RUN: ckpt-opt %s -split-input-file --ckpt-check-lowering-input -verify-diagnostics | FileCheck %s

// A rewritten step passes through unchanged.
// CHECK-LABEL: func.func @rewritten
// CHECK-NEXT: math.tanh
func.func @rewritten(%x: tensor<64xf32>) -> tensor<64xf32> {
  %t = math.tanh %x : tensor<64xf32>
  return %t : tensor<64xf32>
}

// -----

func.func @step(%x: tensor<64xf32>) -> tensor<64xf32> {
  // expected-error @below {{checkpointed region 'blk' is not rewritten yet: run ckpt-rematerialize (to checkpoint) or ckpt-drop-annotations (the unannotated baseline) before lowering}}
  %r = ckpt.checkpoint "blk" (%a = %x : tensor<64xf32>) -> (tensor<64xf32>) {
    %t = math.tanh %a : tensor<64xf32>
    ckpt.yield %t : tensor<64xf32>
  }
  return %r : tensor<64xf32>
}

// -----

// expected-error @below {{'func.func' is annotated for checkpointing (ckpt.checkpoint) but not rewritten yet}}
func.func private @layer(%x: tensor<64xf32>) -> tensor<64xf32> attributes {ckpt.checkpoint} {
  %t = math.tanh %x : tensor<64xf32>
  return %t : tensor<64xf32>
}
