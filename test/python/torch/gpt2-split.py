# The GPT-2-style decoder of gpt2.py (Inputs/gpt2.py, every block under composable
# checkpoint) exported with form="split" (issue 15): the regions "h.0" and "h.1" are in
# @train_step_fwd; ckpt-run runs @train_step (fwd, then bwd on the saved values) with
# and without checkpointing: all 30 results bit-identical, each run's measured peak
# within 5% of the memory report's estimate for @train_step (check_step.py --entry;
# measured 2026-12-04: 349828 against 354436 unchecked, 298756 against 295300
# checkpointed), and the loss and 29 gradients within 1e-4 of PyTorch eager.
#
# REQUIRES: torch-frontend, numpy
# RUN: rm -f %t.mlir %t.npz %t.ckpt.npz %t.base.npz
# RUN: env PYTHONPATH=%ckpt_src_root/python %torch_venv_python -m ckpt_torch %S/Inputs/gpt2.py make --form split -o %t.mlir --inputs %t.npz 2>&1 | FileCheck %s --check-prefix=WARN --allow-empty
# RUN: FileCheck %s --check-prefix=STEP < %t.mlir
# RUN: %torch_python %S/../../integration/corpus/check_step.py --entry train_step --outputs %t %t.mlir -- --inputs %t.npz | FileCheck %s --check-prefix=OUTCOME
# RUN: %torch_venv_python %S/Inputs/compare_eager.py %S/Inputs/gpt2.py make %t.npz %t.ckpt.npz %t.base.npz | FileCheck %s
#
# WARN-NOT: warning
#
# STEP: func.func private @train_step_fwd(
# STEP-SAME: attributes {ckpt.backward = @train_step_bwd, ckpt.num_outputs = 1 : i64}
# STEP: ckpt.checkpoint "h.0"
# STEP-NOT: ckpt.checkpoint "h.0"
# STEP: ckpt.checkpoint "h.1"
# STEP-NOT: ckpt.checkpoint
# STEP: func.func @train_step(
#
# OUTCOME: bits identical: 30 results
# OUTCOME: unannotated peak: measured {{[0-9]+}} estimate {{[0-9]+}} within 5%
# OUTCOME: checkpointed peak: measured {{[0-9]+}} estimate {{[0-9]+}} within 5%
#
# CHECK: results 30 expected 30
# CHECK-NEXT: result 0 loss: rel err {{.*}} ok; baseline bit-identical
# CHECK: result 29 grad lm_head.weight: rel err {{.*}} ok; baseline bit-identical
# CHECK: worst rel err {{.*}}: PASS
