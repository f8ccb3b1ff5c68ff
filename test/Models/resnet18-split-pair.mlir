// PyTorch's own forward/backward partition of ResNet-18 (../shared/models,
// skipped where absent), merged into one module with the documented script,
// with every forward call to the 3x3 64-channel convolution checkpointed and
// assume-pure matching the forward kernels. The four convolution outputs
// leave the saved values; their inputs were saved already (the empty output
// buffers are recreated in the backward, not saved), so the forward saves
// fewer values and bytes than the 141 the partitioner chose, and the result
// passes ckpt-verify.
// REQUIRES: shared-models
// RUN: python3 %ckpt_src_root/scripts/merge-split-pair.py %shared_models/resnet18_fwd.mlir %shared_models/resnet18_bwd.mlir > %t.pair.mlir
// RUN: sed -E '/func.func private @fwd_ConvOp_f16f16_f16__sig1\(/ s/$/ attributes {ckpt.checkpoint}/' %t.pair.mlir > %t.mlir
// RUN: ckpt-opt %t.mlir --ckpt-rematerialize='assume-pure=fwd_ConvOp_.*' --ckpt-verify -o %t.out.mlir 2>&1 | FileCheck %s
// RUN: FileCheck %s --check-prefix=IR < %t.out.mlir

// CHECK-COUNT-4: drops 1 saved value of @fwd_main (401408 bytes), clones 1 op into @bwd_main
// CHECK: @fwd_main now saves 137 values (32116096 bytes) for @bwd_main, was 141 (33721728 bytes)
// IR-LABEL: func.func @fwd_main
// IR-SAME: ckpt.backward = @bwd_main
// IR-SAME: ckpt.num_outputs = 1
// IR-COUNT-4: call @fwd_ConvOp_f16f16_f16__sig1(
// IR-LABEL: func.func @bwd_main
// IR-COUNT-4: call @fwd_ConvOp_f16f16_f16__sig1(
// IR-NOT: ckpt.barrier
