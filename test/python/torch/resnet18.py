# torchvision's resnet18 (Inputs/resnet18.py: 10 classes, train mode, batch 4 at
# 3x64x64, cross-entropy) with layer1..layer4 each wrapped with composable checkpoint.
# The step is exported with the `ckpt-torch` command, run by ckpt-run with and without
# checkpointing on the step's own arguments and checked (check_step.py) for
# bit-identical results and each run's measured peak within 5% of the memory report's
# estimate, then against PyTorch eager on the same numbers (compare_eager.py): the 60
# BatchNorm buffer updates, the loss and the 62 gradients within relative error 1e-4.
#
# Measured 2026-12-03: 123 results bit-identical; peaks 88699340 measured against
# 88691148 estimated unchecked, 85417292 against 85410764 checkpointed; worst relative
# error 1.34e-5 (layer4.1.bn1.weight), the loss the same float32 as eager's. About 7 min
# on one core, nearly all of it the two ckpt-run runs (mlir-runner -O3 on the naive CPU
# lowering of the convolutions).
#
# Each layer becomes exactly one region: ckpt-annotate loc= gathers the ops that
# torch-mlir's CSE shares between layers (the spike's export, before it did, gave
# layer1 three regions; docs/pytorch.md, open problem 3).
#
# REQUIRES: torch-frontend, numpy
# RUN: rm -f %t.mlir %t.npz %t.ckpt.npz %t.base.npz
# RUN: env CKPT_TORCH_PYTHON=%torch_venv_python ckpt-torch %S/Inputs/resnet18.py make -o %t.mlir --inputs %t.npz 2>&1 | FileCheck %s --check-prefix=WARN --allow-empty
# RUN: FileCheck %s --check-prefix=STEP < %t.mlir
# RUN: %torch_python %S/../../integration/corpus/check_step.py --outputs %t %t.mlir -- --inputs %t.npz | FileCheck %s --check-prefix=OUTCOME
# RUN: %torch_venv_python %S/Inputs/compare_eager.py %S/Inputs/resnet18.py make %t.npz %t.ckpt.npz %t.base.npz | FileCheck %s
#
# WARN-NOT: warning
#
# 62 parameters (conv1.weight first), 60 BatchNorm buffers (the last one layer4.1.bn2's
# 0-d num_batches_tracked), the images and the targets; results: the 60 buffer updates
# and the loss (the forward results), then the 62 gradients.
# STEP: func.func @train_step(%arg0: tensor<64x3x7x7xf32>, %arg1: tensor<64xf32>,
# STEP-SAME: %arg121: tensor<i64>, %arg122: tensor<4x3x64x64xf32>, %arg123: tensor<4xi64>) -> (
# STEP-SAME: ckpt.forward_results = [0, 1, 2,
# STEP-SAME: 59, 60]}
# STEP: ckpt.checkpoint "layer1"
# STEP-NOT: ckpt.checkpoint "layer1"
# STEP: ckpt.checkpoint "layer2"
# STEP-NOT: ckpt.checkpoint "layer2"
# STEP: ckpt.checkpoint "layer3"
# STEP-NOT: ckpt.checkpoint "layer3"
# STEP: ckpt.checkpoint "layer4"
# STEP-NOT: ckpt.checkpoint
# STEP: return
#
# OUTCOME: bits identical: 123 results
# OUTCOME: unannotated peak: measured {{[0-9]+}} estimate {{[0-9]+}} within 5%
# OUTCOME: checkpointed peak: measured {{[0-9]+}} estimate {{[0-9]+}} within 5%
#
# CHECK: results 123 expected 123
# CHECK-NEXT: result 0 buffer bn1.running_mean: rel err {{.*}} ok; baseline bit-identical
# CHECK: result 59 buffer layer4.1.bn2.num_batches_tracked: rel err 0.00e+00 ok; baseline bit-identical
# CHECK-NEXT: result 60 loss: rel err {{.*}} ok; baseline bit-identical
# CHECK-NEXT: result 61 grad conv1.weight: rel err {{.*}} ok; baseline bit-identical
# CHECK: result 122 grad fc.bias: rel err {{.*}} ok; baseline bit-identical
# CHECK: worst rel err {{.*}}: PASS
