# The Python API, export_training_step, on a conv net with BatchNorm whose `bn` is under
# composable checkpoint (Inputs/conv_bn.py): the step returns the three buffer updates
# and the loss as forward results, then the gradients; the inputs archive keeps the 0-d
# num_batches_tracked 0-d, and ckpt-run runs the step on it (num_batches_tracked becomes
# 1); PyTorch's hooks, torch.utils.checkpoint.checkpoint and the model's mode are
# restored after an export and after a refused one, and a model file's own name for
# torch.utils.checkpoint.checkpoint (`from ... import checkpoint`) is the shim while
# tracing and PyTorch's function again after (Inputs/api_check.py). With form="split"
# the same model's @train_step_fwd returns the three buffer updates and the loss first
# (ckpt.num_outputs = 4) and holds the region.
#
# REQUIRES: torch-frontend, numpy
# RUN: rm -f %t.mlir %t.npz
# RUN: env PYTHONPATH=%ckpt_src_root/python %torch_venv_python %S/Inputs/api_check.py %t.mlir %t.npz | FileCheck %s --check-prefix=API
# RUN: FileCheck %s --check-prefix=STEP < %t.mlir
# RUN: ckpt-run %t.mlir --inputs %t.npz | FileCheck %s --check-prefix=RESULTS
#
# API: hook on after export: True
# API-NEXT: training after export: False
# API-NEXT: tuc.checkpoint restored: True
# API-NEXT: arg 0: float32 [8, 3, 3, 3]
# API-NEXT: arg 1: float32 [8]
# API-NEXT: arg 2: float32 [8]
# API-NEXT: arg 3: float32 [8]
# API-NEXT: arg 4: float32 [10, 8]
# API-NEXT: arg 5: float32 [10]
# API-NEXT: arg 6: float32 [8]
# API-NEXT: arg 7: float32 [8]
# API-NEXT: arg 8: int64 []
# API-NEXT: arg 9: float32 [2, 3, 16, 16]
# API-NEXT: arg 10: int64 [2]
# API-NEXT: refused: ckpt: module 'blocks.1': torch.utils.checkpoint.checkpoint needs use_reentrant=False (got True)
# API-NEXT: tuc.checkpoint restored after refusal: True
# API-NEXT: by-name import regions: blocks.0 blocks.1
# API-NEXT: by-name import restored: True
# API-NEXT: split: func.func private @train_step_fwd ckpt.backward = @train_step_bwd ckpt.num_outputs = 4 ckpt.checkpoint "bn" func.func private @train_step_bwd func.func @train_step
#
# STEP: func.func @train_step({{.*}}%arg8: tensor<i64>, %arg9: tensor<2x3x16x16xf32>, %arg10: tensor<2xi64>) -> (tensor<8xf32>, tensor<8xf32>, tensor<i64>, tensor<f32>,
# STEP-SAME: attributes {ckpt.forward_results = [0, 1, 2, 3]}
# STEP: ckpt.checkpoint "bn" (
# STEP-NOT: ckpt.checkpoint
#
# RESULTS: result 2: sum 1.000000000e+00
# RESULTS: result 3: sum 2.23739{{[0-9]+}}e+00
# RESULTS: result 9: sum
# RESULTS-NOT: result 10:
