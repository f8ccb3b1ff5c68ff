# Models the PyTorch front end refuses (Inputs/bad_models.py), each with a message that
# names the cause (and the module), exit status 1, and nothing written at -o or
# --inputs (no temporary file left either): torch.utils.checkpoint.checkpoint with
# use_reentrant=True, a loss that is not a scalar, composable checkpoint with a
# selective-checkpointing policy function, an op list with a pointwise op, an op list
# that names aten.addmm but not the aten.mm of the same block (both linalg.matmul),
# index_select (its backward lowers to a tm_tensor scatter: named with the aten op it
# came from, and its module when checkpointed), a checkpointed block that branches on a
# tensor's value (data-dependent control flow, named by the module); the same refusals
# hold with form="split" (a non-scalar loss, use_reentrant=True, the gather).
#
# REQUIRES: torch-frontend
# RUN: rm -rf %t.d && mkdir -p %t.d
# RUN: not env PYTHONPATH=%ckpt_src_root/python %torch_venv_python -m ckpt_torch %S/Inputs/bad_models.py reentrant -o %t.d/step.mlir --inputs %t.d/in.npz 2>&1 | FileCheck %s --check-prefix=REENTRANT
# RUN: not env PYTHONPATH=%ckpt_src_root/python %torch_venv_python -m ckpt_torch %S/Inputs/bad_models.py vector_loss -o %t.d/step.mlir --inputs %t.d/in.npz 2>&1 | FileCheck %s --check-prefix=VECTOR
# RUN: not env PYTHONPATH=%ckpt_src_root/python %torch_venv_python -m ckpt_torch %S/Inputs/selective.py selective_policy -o %t.d/step.mlir --inputs %t.d/in.npz 2>&1 | FileCheck %s --check-prefix=SELECTIVE
# RUN: not env PYTHONPATH=%ckpt_src_root/python %torch_venv_python -m ckpt_torch %S/Inputs/selective.py selective_relu -o %t.d/step.mlir --inputs %t.d/in.npz 2>&1 | FileCheck %s --check-prefix=POINTWISE
# RUN: not env PYTHONPATH=%ckpt_src_root/python %torch_venv_python -m ckpt_torch %S/Inputs/selective.py selective_mixed -o %t.d/step.mlir --inputs %t.d/in.npz 2>&1 | FileCheck %s --check-prefix=MIXED
# RUN: not env PYTHONPATH=%ckpt_src_root/python %torch_venv_python -m ckpt_torch %S/Inputs/bad_models.py vector_loss --form split -o %t.d/step.mlir --inputs %t.d/in.npz 2>&1 | FileCheck %s --check-prefix=VECTOR
# RUN: not env PYTHONPATH=%ckpt_src_root/python %torch_venv_python -m ckpt_torch %S/Inputs/bad_models.py reentrant --form split -o %t.d/step.mlir --inputs %t.d/in.npz 2>&1 | FileCheck %s --check-prefix=REENTRANT
# RUN: not env PYTHONPATH=%ckpt_src_root/python %torch_venv_python -m ckpt_torch %S/Inputs/bad_models.py gather -o %t.d/step.mlir --inputs %t.d/in.npz 2>&1 | FileCheck %s --check-prefix=DIALECTS
# RUN: not env PYTHONPATH=%ckpt_src_root/python %torch_venv_python -m ckpt_torch %S/Inputs/bad_models.py gather_in_module -o %t.d/step.mlir --inputs %t.d/in.npz 2>&1 | FileCheck %s --check-prefix=DIALECTS-MODULE
# RUN: not env PYTHONPATH=%ckpt_src_root/python %torch_venv_python -m ckpt_torch %S/Inputs/bad_models.py gather_in_module --form split -o %t.d/step.mlir --inputs %t.d/in.npz 2>&1 | FileCheck %s --check-prefix=DIALECTS-MODULE
# RUN: not env PYTHONPATH=%ckpt_src_root/python %torch_venv_python -m ckpt_torch %S/Inputs/bad_models.py data_dependent -o %t.d/step.mlir --inputs %t.d/in.npz 2>&1 | FileCheck %s --check-prefix=DATA
# RUN: ls -A %t.d | wc -l | FileCheck %s --check-prefix=EMPTY
#
# REENTRANT: ckpt: module 'blocks.1': torch.utils.checkpoint.checkpoint needs use_reentrant=False (got True)
# REENTRANT-NOT: Traceback
# VECTOR: ckpt: the loss must be a scalar tensor (0-d), got (8,)
# VECTOR-NOT: Traceback
# SELECTIVE: ckpt: module 'blocks.0': a context_fn other than functools.partial(create_selective_checkpoint_contexts, [ops]) (a policy function) is not supported; give an op list of contractions (aten.mm, aten.addmm, aten.bmm, aten.baddbmm, aten.convolution)
# POINTWISE: ckpt: module 'blocks.0': selective checkpointing saves aten.relu.default: only contractions map to ckpt's save list
# MIXED: ckpt: module 'blocks.0': selective checkpointing saves aten.addmm but not aten.mm; the region runs both as linalg.matmul and ckpt's save list names linalg ops: list both or neither
# DIALECTS: ckpt: the lowering left ops outside the dialects ckpt accepts (docs/rationale.md §1): tm_tensor.scatter (from aten.index_add.default), tm_tensor.yield (from aten.index_add.default)
# DIALECTS-MODULE: ckpt: the lowering left ops outside the dialects ckpt accepts (docs/rationale.md §1): tm_tensor.scatter (from aten.index_add.default in module 'emb'), tm_tensor.yield (from aten.index_add.default in module 'emb')
# DIALECTS-MODULE-NOT: Traceback
# DATA: ckpt: module 'blocks.1': data-dependent control flow (the forward reads a tensor's value in Python: DataDependentOutputException: aten._local_scalar_dense.default); the step is traced once: write the branch as tensor ops (torch.where)
# DATA-NOT: Traceback
# DATA-NOT: Exception ignored
# EMPTY: {{^}}0{{$}}
