# form="split" (issue 15): the 2-block MLP (Inputs/two_block_mlp.py) exported as
# PyTorch's own partition (default_partition) in the split form of DESIGN §1: a
# private @train_step_fwd (the loss, then the saved values) with ckpt.backward and
# ckpt.num_outputs = 1 holding the two regions, a private @train_step_bwd (the saved
# values -> 10 gradients, the loss's tangent 1.0) without regions, and a public
# @train_step of the joint form's signature calling the pair. ckpt-run runs it on the
# step's own arguments: loss and gradients within 1e-4 of PyTorch eager, bit-identical
# to `ckpt-run --no-checkpoint`, and bit-identical to the joint form's checkpointed
# run (measured 2026-12-04: worst rel. error 2.2e-7, every result bit-identical to
# the joint form's).
#
# REQUIRES: torch-frontend, numpy
# RUN: rm -f %t.mlir %t.npz %t.ckpt.npz %t.base.npz %t.joint.mlir %t.joint.npz
# RUN: env PYTHONPATH=%ckpt_src_root/python %torch_venv_python -m ckpt_torch %S/Inputs/two_block_mlp.py make --form split -o %t.mlir --inputs %t.npz
# RUN: FileCheck %s --check-prefix=STEP < %t.mlir
# RUN: ckpt-opt %t.mlir --ckpt-rematerialize --ckpt-verify -o /dev/null 2>&1 | FileCheck %s --check-prefix=REMAT
# RUN: ckpt-run %t.mlir --inputs %t.npz --outputs %t.ckpt.npz > /dev/null
# RUN: ckpt-run --no-checkpoint %t.mlir --inputs %t.npz --outputs %t.base.npz > /dev/null
# RUN: %torch_venv_python %S/Inputs/compare_eager.py %S/Inputs/two_block_mlp.py make %t.npz %t.ckpt.npz %t.base.npz | FileCheck %s
# RUN: env PYTHONPATH=%ckpt_src_root/python %torch_venv_python -m ckpt_torch %S/Inputs/two_block_mlp.py make -o %t.joint.mlir
# RUN: ckpt-run %t.joint.mlir --inputs %t.npz --outputs %t.joint.npz > /dev/null
# RUN: %torch_venv_python %S/Inputs/compare_eager.py %S/Inputs/two_block_mlp.py make %t.npz %t.ckpt.npz %t.joint.npz | FileCheck %s
#
# STEP: func.func private @train_step_fwd(%arg0: tensor<32x16xf32>,
# STEP-SAME: -> (tensor<f32>,
# STEP-SAME: attributes {ckpt.backward = @train_step_bwd, ckpt.num_outputs = 1 : i64}
# STEP: ckpt.checkpoint "blocks.0"
# STEP-NOT: ckpt.checkpoint "blocks.0"
# STEP: ckpt.checkpoint "blocks.1"
# STEP-NOT: ckpt.checkpoint
# STEP: func.func private @train_step_bwd(
# STEP-NOT: ckpt.checkpoint
# STEP: func.func @train_step(%arg0: tensor<32x16xf32>,
# STEP-SAME: -> (tensor<f32>, tensor<32x16xf32>, tensor<32xf32>,
# STEP-NEXT: call @train_step_fwd(
# STEP-NEXT: call @train_step_bwd(
# STEP-NOT: torch
#
# REMAT: remark: checkpointed region 'blocks.0': drops {{[1-9][0-9]*}} saved values of @train_step_fwd
# REMAT: remark: checkpointed region 'blocks.1': drops {{[1-9][0-9]*}} saved values of @train_step_fwd
#
# CHECK: results 11 expected 11
# CHECK-NEXT: result 0 loss: rel err {{.*}} ok; baseline bit-identical
# CHECK-NEXT: result 1 grad blocks.0.fc1.weight: rel err {{.*}} ok; baseline bit-identical
# CHECK: result 10 grad head.bias: rel err {{.*}} ok; baseline bit-identical
# CHECK: worst rel err {{.*}}: PASS
