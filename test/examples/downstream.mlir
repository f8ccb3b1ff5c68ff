// Tests the installed package: installs this build into a temporary
// prefix, configures and builds examples/downstream (its own my-opt) against
// it with find_package(Ckpt), and runs my-opt on the bundled step (the
// rewrite, and the memory report as a pass); then the installed ckpt-opt,
// ckpt-run, plugin and Python package, each from the prefix alone.
// REQUIRES: plugin, capi

// RUN: rm -rf %t && mkdir -p %t
// RUN: cmake --install %ckpt_obj_root --prefix %t/prefix > %t/install.log
// RUN: cmake -G Ninja -S %ckpt_src_root/examples/downstream -B %t/build -DCMAKE_BUILD_TYPE=Release -DCMAKE_PREFIX_PATH=%t/prefix > %t/configure.log
// RUN: FileCheck %s --check-prefix=CONFIG < %t/configure.log
// RUN: ninja -C %t/build -j2 > %t/build.log
// CONFIG: Using CkptConfig.cmake in: {{.*}}/prefix/lib/cmake/ckpt

// RUN: %t/build/bin/my-opt %ckpt_src_root/examples/mlp_train_step.mlir --ckpt-rematerialize --ckpt-verify 2>&1 | FileCheck %s
// CHECK: remark: checkpointed region 'layers.0': drops 1 value (4096 bytes), clones 3 ops
// CHECK: remark: checkpointed region 'layers.2': drops 2 values (8192 bytes), clones 4 ops
// CHECK-LABEL: func.func @mlp_train_step
// CHECK: ckpt.barrier %arg0, %arg2

// RUN: %t/build/bin/my-opt %ckpt_src_root/examples/mlp_train_step.mlir --pass-pipeline='builtin.module(ckpt-memory-report{pipeline=ckpt-rematerialize,cse})' -o /dev/null 2>&1 | FileCheck %s --check-prefix=REPORT
// RUN: %t/prefix/bin/ckpt-opt %ckpt_src_root/examples/mlp_train_step.mlir --ckpt-rematerialize --cse --ckpt-memory-report -o /dev/null 2>&1 | FileCheck %s --check-prefix=REPORT
// RUN: mlir-opt --load-dialect-plugin=%t/prefix/lib/libCkptPlugin.so --load-pass-plugin=%t/prefix/lib/libCkptPlugin.so %ckpt_src_root/examples/mlp_train_step.mlir --pass-pipeline='builtin.module(ckpt-memory-report{pipeline=ckpt-rematerialize,cse})' -o /dev/null 2>&1 | FileCheck %s --check-prefix=REPORT
// REPORT: === ckpt memory report: @mlp_train_step ===
// REPORT: peak live bytes 77828 73732 x0.947

// RUN: %t/prefix/bin/ckpt-run %ckpt_src_root/examples/mlp_train_step.mlir > %t/installed-run.txt
// RUN: ckpt-run %ckpt_src_root/examples/mlp_train_step.mlir > %t/build-run.txt
// RUN: diff %t/installed-run.txt %t/build-run.txt
// The npz helper ckpt-run --inputs/--outputs runs is installed beside it.
// RUN: ls %t/prefix/share/ckpt/ckpt_run_npz.py

// RUN: env PYTHONPATH=%t/prefix/python python3 -c "import ckpt, sys; print(ckpt.library_path(), ckpt.memory_report(open(sys.argv[1]).read())['functions'][0]['before']['peak_bytes'])" %ckpt_src_root/examples/mlp_train_step.mlir | FileCheck %s --check-prefix=PYTHON
// PYTHON: {{.*}}/prefix/lib/libCkptCAPI.so 77828
