// A module that still holds regions or annotations is refused before
// bufferization, with the pass to run first; a pipeline that finishes
// leaves only the LLVM dialect (or says which op it could not lower).
// RUN: ckpt-opt %s -split-input-file --ckpt-lower-to-cpu -verify-diagnostics
// RUN: ckpt-opt %s -split-input-file --ckpt-lower-to-nvvm=format=isa -verify-diagnostics

func.func @step(%x: tensor<64xf32>) -> tensor<64xf32> {
  // expected-error @below {{checkpointed region 'blk' is not rewritten yet: run ckpt-rematerialize (to checkpoint) or ckpt-drop-annotations (the unannotated baseline) before lowering}}
  %r = ckpt.checkpoint "blk" (%a = %x : tensor<64xf32>) -> (tensor<64xf32>) {
    %t = math.tanh %a : tensor<64xf32>
    ckpt.yield %t : tensor<64xf32>
  }
  return %r : tensor<64xf32>
}

// -----

func.func private @layer(%x: tensor<64xf32>) -> tensor<64xf32> {
  %t = math.tanh %x : tensor<64xf32>
  return %t : tensor<64xf32>
}
func.func @step(%x: tensor<64xf32>) -> tensor<64xf32> {
  // expected-error @below {{'func.call' is annotated for checkpointing (ckpt.checkpoint) but not rewritten yet}}
  %r = func.call @layer(%x) {ckpt.checkpoint} : (tensor<64xf32>) -> tensor<64xf32>
  return %r : tensor<64xf32>
}
