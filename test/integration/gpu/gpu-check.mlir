// Both halves of the GPU check where a GPU is at hand: the quick cases
// compiled here run on the device, every result within the stated
// tolerance of the CPU's (scripts/gpu_check.py), and the report is written.
// REQUIRES: ptxas, cuda-device
// RUN: rm -rf %t %t.out && python3 %ckpt_src_root/scripts/gpu_prepare.py --build %ckpt_obj_root --out %t --quick
// RUN: bash %ckpt_src_root/scripts/gpu-check.sh %t %t.out | FileCheck %s
// RUN: test -s %t.out/gpu-check.json && test -s %t.out/gpu-check.md

// CHECK: gpu-check: mlp-bundled.ckpt: {{[0-9.]+}} ms, match
// CHECK: gpu-check: mlp-bundled.no-ckpt: {{[0-9.]+}} ms, match
// CHECK: gpu-check: mlp.ckpt: {{[0-9.]+}} ms, match
// CHECK: gpu-check: mlp.no-ckpt: {{[0-9.]+}} ms, match
