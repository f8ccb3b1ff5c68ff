# The PyTorch front end on a 2-block MLP (Inputs/two_block_mlp.py: Linear-ReLU-Linear
# blocks, each wrapped with composable checkpoint, a Linear head, MSE): `python -m
# ckpt_torch` writes one training step (loss, then one gradient per parameter) with a
# `ckpt.checkpoint` region per block named by its qualified name, only upstream dialects
# besides ckpt, and ckpt-opt rematerializes and verifies it; the same with the blocks
# under a `torch.utils.checkpoint.checkpoint` the model file imported by name.
#
# REQUIRES: torch-frontend
# RUN: rm -f %t.mlir
# RUN: env PYTHONPATH=%ckpt_src_root/python %torch_venv_python -m ckpt_torch %S/Inputs/two_block_mlp.py make -o %t.mlir
# RUN: FileCheck %s --check-prefix=STEP < %t.mlir
# RUN: FileCheck %s --check-prefix=DIALECTS < %t.mlir
# RUN: ckpt-opt %t.mlir --ckpt-rematerialize --ckpt-verify -o %t.remat.mlir 2>&1 | FileCheck %s --check-prefix=REMARK
# RUN: FileCheck %s --check-prefix=REMAT < %t.remat.mlir
#
# The same blocks under `torch.utils.checkpoint.checkpoint` imported by name in the model
# file (`from torch.utils.checkpoint import checkpoint`): the same two regions.
# RUN: env PYTHONPATH=%ckpt_src_root/python %torch_venv_python -m ckpt_torch %S/Inputs/two_block_mlp.py make_from_import -o %t.import.mlir
# RUN: FileCheck %s --check-prefix=STEP < %t.import.mlir
#
# The step: 10 parameters (blocks.{0,1}.fc{1,2}.{weight,bias}, head.{weight,bias}), then
# x and y; results: the loss, then the 10 gradients in parameter order.
# STEP: func.func @train_step(%arg0: tensor<32x16xf32>, %arg1: tensor<32xf32>, %arg2: tensor<16x32xf32>, %arg3: tensor<16xf32>, %arg4: tensor<32x16xf32>, %arg5: tensor<32xf32>, %arg6: tensor<16x32xf32>, %arg7: tensor<16xf32>, %arg8: tensor<4x16xf32>, %arg9: tensor<4xf32>, %arg10: tensor<8x16xf32>, %arg11: tensor<8x4xf32>)
# STEP-SAME: -> (tensor<f32>, tensor<32x16xf32>, tensor<32xf32>, tensor<16x32xf32>, tensor<16xf32>, tensor<32x16xf32>, tensor<32xf32>, tensor<16x32xf32>, tensor<16xf32>, tensor<4x16xf32>, tensor<4xf32>)
# STEP-SAME: attributes {ckpt.forward_results = [0]}
# STEP: ckpt.checkpoint "blocks.0" (
# STEP: ckpt.yield
# STEP: ckpt.checkpoint "blocks.1" (
# STEP: ckpt.yield
# STEP-NOT: ckpt.checkpoint
# STEP: return
#
# Nothing of torch-mlir's own dialects is left.
# DIALECTS-NOT: torch.
# DIALECTS-NOT: tm_tensor.
# DIALECTS-NOT: ml_program.
# DIALECTS-NOT: cf.
#
# REMARK: remark: @train_step: {{[12]}} of 2 checkpointed regions rematerialized
#
# After rematerialization no region is left.
# REMAT: func.func @train_step(
# REMAT-NOT: ckpt.checkpoint
# REMAT: return
