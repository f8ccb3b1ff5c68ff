# Selective checkpointing (Inputs/selective.py): an op-list policy of contractions,
# `functools.partial(create_selective_checkpoint_contexts, [ops])`, on composable
# checkpoint or torch.utils.checkpoint.checkpoint, becomes the region's `save` list of
# linalg op names. The list is read as PyTorch's policy reads it, by the op the
# dispatcher runs (`original_aten`): nn.Linear on 2-D input runs aten.addmm, so
# [aten.addmm] saves the block's two matmuls (the decompositions split addmm into
# aten.mm and an add; both are linalg.matmul after lowering) and [aten.mm] saves nothing,
# with a warning. Gradients with the save list are bit-identical to the step run without
# checkpointing. Refused (refused.py): a policy function, a pointwise op in the list, and
# a list that names one of two ops lowering to the same linalg op.
#
# REQUIRES: torch-frontend, numpy
# RUN: rm -f %t.mlir %t.mm.mlir %t.fn.mlir %t.ckpt.npz %t.base.npz
# RUN: env PYTHONPATH=%ckpt_src_root/python %torch_venv_python -m ckpt_torch %S/Inputs/selective.py selective_addmm -o %t.mlir 2>&1 | FileCheck %s --check-prefix=QUIET --allow-empty
# RUN: FileCheck %s --check-prefix=ADDMM < %t.mlir
# RUN: ckpt-opt %t.mlir --ckpt-rematerialize --ckpt-verify -o /dev/null 2>&1 | FileCheck %s --check-prefix=REMAT
# RUN: ckpt-run %t.mlir --outputs %t.ckpt.npz > /dev/null
# RUN: ckpt-run --no-checkpoint %t.mlir --outputs %t.base.npz > /dev/null
# RUN: %numpy_python -c "import numpy as np, sys; a, b = np.load(sys.argv[1]), np.load(sys.argv[2]); print('identical', sum(a[k].tobytes() == b[k].tobytes() for k in a.files), 'of', len(a.files))" %t.ckpt.npz %t.base.npz | FileCheck %s --check-prefix=BITS
# RUN: env PYTHONPATH=%ckpt_src_root/python %torch_venv_python -m ckpt_torch %S/Inputs/selective.py selective_mm -o %t.mm.mlir 2>&1 | FileCheck %s --check-prefix=MMWARN
# RUN: FileCheck %s --check-prefix=MM < %t.mm.mlir
# RUN: ckpt-opt %t.mm.mlir --ckpt-rematerialize --ckpt-verify -o /dev/null 2>&1 | FileCheck %s --check-prefix=MMREMAT
# RUN: env PYTHONPATH=%ckpt_src_root/python %torch_venv_python -m ckpt_torch %S/Inputs/selective.py functional_addmm -o %t.fn.mlir
# RUN: FileCheck %s --check-prefix=FUNCTIONAL < %t.fn.mlir
#
# QUIET-NOT: warning
#
# ADDMM: ckpt.checkpoint "blocks.0" ({{.*}}) save ["linalg.matmul"] -> (
# ADDMM-NOT: ckpt.checkpoint
# ADDMM: return
#
# REMAT: remark: save rules of 'blocks.0': save 'linalg.matmul' matched 2 linalg.matmul
# REMAT: remark: @train_step: 1 of 1 checkpointed region rematerialized; estimated peak 13716 -> 13716 bytes, saved bytes 4736 -> 3200, recompute FLOPs 896
#
# BITS: identical 11 of 11
#
# MMWARN: ckpt: warning: module 'blocks.0': selective checkpointing saves aten.mm, which the region does not run (nothing is saved for it, as in PyTorch)
# MM: ckpt.checkpoint "blocks.0" ({{.*}}) -> (
# MM-NOT: save [
# MMREMAT-NOT: save rules
# MMREMAT: remark: @train_step: 1 of 1 checkpointed region rematerialized; estimated peak 13716 -> 13716 bytes, saved bytes 4736 -> 1664, recompute FLOPs 17280
#
# FUNCTIONAL: ckpt.checkpoint "blocks.0" ({{.*}}) -> (
# FUNCTIONAL: ckpt.checkpoint "blocks.1" ({{.*}}) save ["linalg.matmul"] -> (
