// The GPU half of the GPU check on a machine without a usable NVIDIA driver
// or device: scripts/gpu-check.sh says why, at once, runs nothing, writes
// nothing to OUT, and exits with status 2 (the folder is not even read).
// UNSUPPORTED: cuda-device
// RUN: rm -rf %t.out && mkdir -p %t.empty
// RUN: not bash %ckpt_src_root/scripts/gpu-check.sh %t.empty %t.out 2>&1 | FileCheck %s
// RUN: bash %ckpt_src_root/scripts/gpu-check.sh %t.empty %t.out 2>/dev/null; test $? -eq 2
// RUN: test ! -e %t.out
// RUN: not bash %ckpt_src_root/scripts/gpu-check.sh 2>&1 | FileCheck %s --check-prefix=USAGE

// CHECK: gpu-check: {{no CUDA driver|cuInit failed|no CUDA device}}{{.*}}; nothing was run
// USAGE: usage: scripts/gpu-check.sh FOLDER OUT
