# The exported 2-block MLP step (Inputs/two_block_mlp.py) run by ckpt-run on the
# step's own arguments (`--inputs`, written by `python -m ckpt_torch --inputs`) against
# PyTorch eager on the same numbers (Inputs/compare_eager.py): the loss and every
# gradient within relative error 1e-4 (max|ckpt - eager| / max|eager|, per tensor), and
# the checkpointed run bit-identical to `ckpt-run --no-checkpoint`.
#
# REQUIRES: torch-frontend, numpy
# RUN: rm -f %t.mlir %t.npz %t.ckpt.npz %t.base.npz
# RUN: env PYTHONPATH=%ckpt_src_root/python %torch_venv_python -m ckpt_torch %S/Inputs/two_block_mlp.py make -o %t.mlir --inputs %t.npz
# RUN: ckpt-run %t.mlir --inputs %t.npz --outputs %t.ckpt.npz | FileCheck %s --check-prefix=RESULTS
# RUN: ckpt-run --no-checkpoint %t.mlir --inputs %t.npz --outputs %t.base.npz
# RUN: %torch_venv_python %S/Inputs/compare_eager.py %S/Inputs/two_block_mlp.py make %t.npz %t.ckpt.npz %t.base.npz | FileCheck %s
#
# RESULTS: result 0: sum
# RESULTS: result 10: sum
# RESULTS: peak bytes
#
# CHECK: results 11 expected 11
# CHECK-NEXT: result 0 loss: rel err {{.*}} ok; baseline bit-identical
# CHECK-NEXT: result 1 grad blocks.0.fc1.weight: rel err {{.*}} ok; baseline bit-identical
# CHECK-NEXT: result 2 grad blocks.0.fc1.bias: rel err {{.*}} ok; baseline bit-identical
# CHECK-NEXT: result 3 grad blocks.0.fc2.weight: rel err {{.*}} ok; baseline bit-identical
# CHECK-NEXT: result 4 grad blocks.0.fc2.bias: rel err {{.*}} ok; baseline bit-identical
# CHECK-NEXT: result 5 grad blocks.1.fc1.weight: rel err {{.*}} ok; baseline bit-identical
# CHECK-NEXT: result 6 grad blocks.1.fc1.bias: rel err {{.*}} ok; baseline bit-identical
# CHECK-NEXT: result 7 grad blocks.1.fc2.weight: rel err {{.*}} ok; baseline bit-identical
# CHECK-NEXT: result 8 grad blocks.1.fc2.bias: rel err {{.*}} ok; baseline bit-identical
# CHECK-NEXT: result 9 grad head.weight: rel err {{.*}} ok; baseline bit-identical
# CHECK-NEXT: result 10 grad head.bias: rel err {{.*}} ok; baseline bit-identical
# CHECK: worst rel err {{.*}}: PASS
