// ckpt-convert-byteir-kernels on the real ResNet-18 graphs (../shared/models,
// skipped where absent): every library-kernel call becomes linalg, the
// result verifies, and the memory report costs the kernels before the
// conversion (kernel table) and after it (linalg).
// REQUIRES: shared-models

// Joint step (batch 4): 110 kernel calls, 52 declarations gone. Before: the
// kernel table's FLOPs (convolutions and their backward ops included);
// after: the linalg ops' (the zero-inserted stride-2 backward-data
// convolutions do about s^2 times the useful work). The f32 accumulators of
// the convolutions raise the estimated peak.
// RUN: ckpt-opt %shared_models/resnet18_train_step.mlir --ckpt-convert-byteir-kernels --ckpt-verify --ckpt-memory-report -o %t.joint.mlir 2>&1 | FileCheck %s --check-prefix=JOINT
// RUN: FileCheck %s --check-prefix=JOINT-IR < %t.joint.mlir
// JOINT: peak live bytes 73924424 81876032
// JOINT: saved bytes (forward->backward) 73543104 73543104
// JOINT: FLOPs (total) 42874586685 47813620762
// JOINT: FLOPs (forward) 14632416757 14690254826
// JOINT-IR-NOT: byre_compute_name
// JOINT-IR-NOT: func.func private @{{.*}}Op_
// JOINT-IR: func.func @main
// 20 forward convolutions, 19 backward-data and 20 backward-filter ones.
// JOINT-IR-COUNT-59: linalg.conv_2d_nchw_fchw
// JOINT-IR-NOT: linalg.conv_2d_nchw_fchw

// Split pair (batch 1) with the step driver of merge-split-pair.py: after the
// conversion, segments=sqrt (5 regions: sqrt of 21 layers) and
// ckpt-rematerialize lower the bytes the forward saves from 33.7 MB to
// 0.18 MB; the backward recomputes 3.7 GFLOP, convolutions included, and its
// call in @step passes the new saved values.
// RUN: python3 %ckpt_src_root/scripts/merge-split-pair.py %shared_models/resnet18_fwd.mlir %shared_models/resnet18_bwd.mlir --step step > %t.pair.mlir
// RUN: ckpt-opt %t.pair.mlir --ckpt-convert-byteir-kernels --ckpt-annotate=segments=sqrt --ckpt-rematerialize --ckpt-verify --ckpt-memory-report -o %t.pair.out.mlir 2>&1 | FileCheck %s --check-prefix=PAIR
// RUN: FileCheck %s --check-prefix=PAIR-IR < %t.pair.out.mlir
// PAIR: remark: created 5 regions
// PAIR: === ckpt memory report: @fwd_main ===
// PAIR: saved bytes (forward->backward) 33683328 184832
// PAIR: FLOPs (forward) 3664568080 3679044792
// PAIR: === ckpt memory report: @bwd_main ===
// PAIR: peak live bytes 51476640 51476640
// PAIR: recompute FLOPs 0 3671428480
// PAIR-IR: func.func private @step(
// PAIR-IR: %[[F:.*]]:{{[0-9]+}} = call @fwd_main(
// PAIR-IR: call @bwd_main(%[[F]]#1,
