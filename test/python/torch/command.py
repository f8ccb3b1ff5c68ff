# The `ckpt-torch` command (tools/ckpt-torch): the front end run by the venv's python
# with the package and ckpt-opt found beside the script, from the build folder and from
# an installed prefix; without an environment it says how to get one and exits 2,
# writing nothing.
#
# REQUIRES: torch-frontend
# RUN: rm -rf %t && mkdir -p %t
# RUN: env CKPT_TORCH_PYTHON=%torch_venv_python ckpt-torch %S/Inputs/two_block_mlp.py make -o %t/build.mlir
# RUN: FileCheck %s --check-prefix=STEP < %t/build.mlir
# RUN: cmake --install %ckpt_obj_root --prefix %t/prefix --component ckpt > %t/install.log
# RUN: env CKPT_TORCH_PYTHON=%torch_venv_python %t/prefix/bin/ckpt-torch %S/Inputs/two_block_mlp.py make -o %t/installed.mlir
# RUN: diff %t/build.mlir %t/installed.mlir
# RUN: ls %t/prefix/python/ckpt_torch/export.py %t/prefix/share/ckpt/requirements-torch.lock
# RUN: env -u CKPT_TORCH_PYTHON CKPT_CACHE_DIR=%t/no-cache not %t/prefix/bin/ckpt-torch %S/Inputs/two_block_mlp.py make -o %t/none.mlir 2>&1 | FileCheck %s --check-prefix=NOENV
# RUN: not ls %t/none.mlir
#
# STEP: func.func @train_step(
# STEP: ckpt.checkpoint "blocks.0" (
# STEP: ckpt.checkpoint "blocks.1" (
#
# NOENV: ckpt-torch: no PyTorch environment: set CKPT_TORCH_PYTHON to a python that imports torch and torch_mlir, or run scripts/torch-venv.sh of the ckpt sources (it makes {{.*}}/no-cache/torch-venv-{{[0-9a-f]+}} from {{.*}}/prefix/bin/../share/ckpt/requirements-torch.lock)
