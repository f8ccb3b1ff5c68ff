// The real ResNet-18 joint training step from ../shared/models (not in this
// repository; the test is skipped where it is absent). Every forward call to
// the 3x3 64-channel convolution kernel (@ConvOp_f16f16_f16__sig1, an
// external declaration) is checkpointed by putting `ckpt.checkpoint` on the
// declaration.
// REQUIRES: shared-models
// RUN: sed -E '/func.func private @ConvOp_f16f16_f16__sig1\(/ s/$/ attributes {ckpt.checkpoint}/' %shared_models/resnet18_train_step.mlir > %t.mlir
//
// Without assume-pure the convolution results are saved (external calls).
// RUN: ckpt-opt %t.mlir -ckpt-rematerialize=remarks=regions -ckpt-verify 2>&1 -o %t.saved.mlir | FileCheck %s --check-prefix=SAVED
// RUN: FileCheck %s --check-prefix=SAVED-IR < %t.saved.mlir
// SAVED-COUNT-4: kept: defined by a call to an external function (not matched by assume-pure)
// SAVED-IR-NOT: ckpt.barrier
// SAVED-IR-NOT: ckpt.checkpoint
// SAVED-IR-COUNT-4: call @ConvOp_f16f16_f16__sig1(
// SAVED-IR-NOT: call @ConvOp_f16f16_f16__sig1(
//
// With assume-pure matching the forward kernels, each convolution is cloned
// into the backward, through a barrier, and ckpt-verify still passes after
// cse and canonicalize.
// RUN: ckpt-opt %t.mlir -ckpt-rematerialize="assume-pure=ConvOp_.*" -ckpt-verify -cse -canonicalize -ckpt-verify 2>&1 -o %t.pure.mlir | FileCheck %s --check-prefix=PURE
// RUN: FileCheck %s --check-prefix=PURE-IR < %t.pure.mlir
// PURE-COUNT-4: drops 1 value (1605632 bytes), clones 1 op before the first backward use
// PURE-IR-COUNT-4: call @ConvOp_f16f16_f16__sig1(
// PURE-IR: ckpt.barrier
// PURE-IR-NEXT: call @ConvOp_f16f16_f16__sig1(
// PURE-IR: ckpt.barrier
// PURE-IR-NEXT: call @ConvOp_f16f16_f16__sig1(
// PURE-IR: ckpt.barrier
// PURE-IR-NEXT: call @ConvOp_f16f16_f16__sig1(
// PURE-IR: ckpt.barrier
// PURE-IR-NEXT: call @ConvOp_f16f16_f16__sig1(
// PURE-IR-NOT: call @ConvOp_f16f16_f16__sig1(
