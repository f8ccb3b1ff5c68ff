# A GPT-2-style decoder (Inputs/gpt2.py: token and position nn.Embedding, 2 pre-norm
# blocks of causal self-attention with softmax and a tanh-GELU MLP, residuals,
# LayerNorm, cross-entropy; dropout off), every block wrapped with composable
# checkpoint. The step is exported, run by ckpt-run with and without checkpointing on
# the step's own arguments, and checked (check_step.py) for bit-identical results and
# each run's measured peak within 5% of the memory report's estimate, then against
# PyTorch eager on the same numbers (compare_eager.py): loss and all 29 gradients within
# relative error 1e-4 (measured 2026-12-02: at most 5.7e-5, ln_1.weight of h.0; peaks
# 274756 measured against 279812 unchecked, 256068 against 253316 checkpointed).
#
# nn.Embedding lowers through the front end's one-hot decompositions
# (ckpt_torch/decompositions.py). Each block becomes exactly one region, with no
# warning: ops that torch-mlir's CSE shares between the blocks (the causal mask, fills,
# an iota shared with the position embedding) keep one block's name and sit apart from
# its run, and ckpt-annotate loc= gathers them (before it did: h.0 became 3 regions,
# h.1 2; docs/pytorch.md, open problem 3).
#
# REQUIRES: torch-frontend, numpy
# RUN: rm -f %t.mlir %t.npz %t.ckpt.npz %t.base.npz
# RUN: env PYTHONPATH=%ckpt_src_root/python %torch_venv_python -m ckpt_torch %S/Inputs/gpt2.py make -o %t.mlir --inputs %t.npz 2>&1 | FileCheck %s --check-prefix=WARN --allow-empty
# RUN: FileCheck %s --check-prefix=STEP < %t.mlir
# RUN: %torch_python %S/../../integration/corpus/check_step.py --outputs %t %t.mlir -- --inputs %t.npz | FileCheck %s --check-prefix=OUTCOME
# RUN: %torch_venv_python %S/Inputs/compare_eager.py %S/Inputs/gpt2.py make %t.npz %t.ckpt.npz %t.base.npz | FileCheck %s
#
# WARN-NOT: warning
#
# 29 parameters, then the tokens and the targets (2x16 i64); results: the loss and 29
# gradients.
# STEP: func.func @train_step(%arg0: tensor<64x32xf32>, %arg1: tensor<16x32xf32>,
# STEP-SAME: %arg29: tensor<2x16xi64>, %arg30: tensor<2x16xi64>) -> (tensor<f32>, tensor<64x32xf32>, tensor<16x32xf32>,
# STEP-SAME: attributes {ckpt.forward_results = [0]}
# STEP: ckpt.checkpoint "h.0"
# STEP-NOT: ckpt.checkpoint "h.0"
# STEP: ckpt.checkpoint "h.1"
# STEP-NOT: ckpt.checkpoint
# STEP: return
#
# OUTCOME: bits identical: 30 results
# OUTCOME: unannotated peak: measured {{[0-9]+}} estimate {{[0-9]+}} within 5%
# OUTCOME: checkpointed peak: measured {{[0-9]+}} estimate {{[0-9]+}} within 5%
#
# CHECK: results 30 expected 30
# CHECK-NEXT: result 0 loss: rel err {{.*}} ok; baseline bit-identical
# CHECK-NEXT: result 1 grad wte.weight: rel err {{.*}} ok; baseline bit-identical
# CHECK-NEXT: result 2 grad wpe.weight: rel err {{.*}} ok; baseline bit-identical
# CHECK: result 29 grad lm_head.weight: rel err {{.*}} ok; baseline bit-identical
# CHECK: worst rel err {{.*}}: PASS
