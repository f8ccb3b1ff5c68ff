// ckpt-lower-to-nvvm on the three example families: a module whose kernels
// are embedded as a binary for sm_90, whose host code allocates device
// memory through the runtime (never managed memory) and copies inputs in and
// results out.
// RUN: ckpt-opt %ckpt_src_root/examples/mlp_train_step.mlir --ckpt-rematerialize --ckpt-lower-to-nvvm=format=isa 2>/dev/null | FileCheck %s --check-prefixes=CHECK,ISA
// RUN: python3 %ckpt_src_root/examples/gen_train_step.py cnn --layers 2 --batch 2 --width 10 > %t.cnn.mlir
// RUN: ckpt-opt %t.cnn.mlir --ckpt-rematerialize --ckpt-lower-to-nvvm=format=isa 2>/dev/null | FileCheck %s --check-prefixes=CHECK,ISA
// RUN: python3 %ckpt_src_root/examples/gen_train_step.py transformer --layers 1 --batch 4 --width 8 > %t.tf.mlir
// RUN: ckpt-opt %t.tf.mlir --ckpt-rematerialize --ckpt-lower-to-nvvm=format=isa 2>/dev/null | FileCheck %s --check-prefixes=CHECK,ISA
// With the host driver of ckpt-run:
// RUN: ckpt-opt %ckpt_src_root/examples/mlp_train_step.mlir --ckpt-rematerialize '--ckpt-lower-to-nvvm=format=isa runner-main=true' 2>/dev/null | FileCheck %s --check-prefix=MAIN

// CHECK: gpu.container_module
// CHECK-NOT: ckpt.
// CHECK-NOT: memref.
// CHECK: llvm.call @mgpuMemAlloc({{.*}}, %{{.*}}, %{{.*}}) : (i64, !llvm.ptr, i8) -> !llvm.ptr
// CHECK: llvm.call @mgpuMemcpy
// CHECK: gpu.launch_func
// CHECK: llvm.call @mgpuMemFree
// CHECK: gpu.binary @{{.*}}_kernel  [#gpu.object<#nvvm.target<chip = "sm_90", features = "+ptx80">
// ISA-SAME: assembly = "{{.*}}.target sm_90
// CHECK: llvm.func @mgpuMemAlloc

// MAIN-LABEL: llvm.func @main()
// MAIN: llvm.call @ckpt_rt_fill_f32
// MAIN: llvm.call @ckpt_rt_device_mark()
// MAIN: llvm.call @ckpt_rt_step_begin()
// MAIN: llvm.call @mlp_train_step(
// MAIN: llvm.call @ckpt_rt_step_end()
// MAIN-COUNT-4: llvm.call @ckpt_rt_print_memref_f32
// MAIN: llvm.call @ckpt_rt_print_device_memory()
