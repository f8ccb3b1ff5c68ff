// Tests a CPU lowering driven by the mlir-opt plugin: Debian's mlir-opt with
// libCkptPlugin.so lowers the checkpointed bundled step, mlir-runner runs it,
// and it prints what ckpt-run prints (loss, the gradients' bits, peak and
// total bytes allocated).
// REQUIRES: plugin

// RUN: mlir-opt --load-dialect-plugin=%ckpt_plugin --load-pass-plugin=%ckpt_plugin %ckpt_src_root/examples/mlp_train_step.mlir --pass-pipeline='builtin.module(ckpt-rematerialize,ckpt-runner-main,ckpt-lower-to-cpu)' -o %t.lowered.mlir 2>/dev/null
// RUN: mlir-runner %t.lowered.mlir -e main -entry-point-result=void -shared-libs=%ckpt_lib_dir/libckpt_cpu_runtime.so,%llvm_lib_dir/libmlir_c_runner_utils.so > %t.plugin.txt
// RUN: ckpt-run %ckpt_src_root/examples/mlp_train_step.mlir > %t.ckpt-run.txt
// RUN: diff %t.plugin.txt %t.ckpt-run.txt
// RUN: FileCheck %s < %t.plugin.txt
// CHECK-COUNT-4: result {{[0-9]}}: sum {{.*}} bits {{[0-9a-f]+}}
// CHECK: peak bytes {{[0-9]+}}
