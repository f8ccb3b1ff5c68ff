// Every data-parallel kernel over at least 1024 elements launches blocks of
// at least 128 threads (issue 14 item 9): read off the gpu.launch ops of
// the bundled MLP and a generated CNN, checkpointed, before outlining.
// RUN: ckpt-opt %ckpt_src_root/examples/mlp_train_step.mlir --ckpt-rematerialize '--ckpt-lower-to-nvvm=format=isa' -mlir-print-ir-after=ckpt-gpu-device-memory -o /dev/null 2> %t.mlp
// RUN: python3 %S/launch_sizes.py %t.mlp | FileCheck %s --check-prefix=MLP
// RUN: python3 %ckpt_src_root/examples/gen_train_step.py cnn --layers 2 --batch 16 --width 32 > %t.cnn.mlir
// RUN: ckpt-opt %t.cnn.mlir --ckpt-rematerialize '--ckpt-lower-to-nvvm=format=isa' -mlir-print-ir-after=ckpt-gpu-device-memory -o /dev/null 2> %t.cnn
// RUN: python3 %S/launch_sizes.py %t.cnn | FileCheck %s --check-prefix=CNN

// The MLP's 16x64 kernels: 4 blocks of 64 x 4 threads, the innermost
// (contiguous) dimension on threadIdx.x.
// MLP: launch 0: grid 1 x 4 x 1 block 64 x 4 x 1 (256 threads)
// MLP: small blocks: 0
// CNN: small blocks: 0
