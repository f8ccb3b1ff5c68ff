// Tests the mlir-opt plugin with Debian's mlir-opt: on the bundled training
// step, mlir-opt with the plugin prints what ckpt-opt prints, byte for byte
// (IR, remarks and notes), for the rewrite, for the memory report pass and
// for the CPU lowering; the plugin needs libMLIR.so and defines no MLIR
// symbol of its own (one copy of MLIR in the process); pass flags are not
// available through a plugin (upstream limitation: use --pass-pipeline).
// REQUIRES: plugin

// RUN: ckpt-opt %ckpt_src_root/examples/mlp_train_step.mlir --pass-pipeline='builtin.module(ckpt-rematerialize,ckpt-verify,cse,canonicalize,ckpt-verify)' > %t.ckpt-opt.txt 2>&1
// RUN: mlir-opt --load-dialect-plugin=%ckpt_plugin --load-pass-plugin=%ckpt_plugin %ckpt_src_root/examples/mlp_train_step.mlir --pass-pipeline='builtin.module(ckpt-rematerialize,ckpt-verify,cse,canonicalize,ckpt-verify)' > %t.mlir-opt.txt 2>&1
// RUN: diff %t.ckpt-opt.txt %t.mlir-opt.txt
// RUN: FileCheck %s < %t.mlir-opt.txt
// CHECK: remark: checkpointed region 'layers.0': drops 1 value (4096 bytes), clones 3 ops
// CHECK: remark: checkpointed region 'layers.2': drops 2 values (8192 bytes), clones 4 ops
// CHECK-LABEL: func.func @mlp_train_step
// CHECK: %[[B0:.*]]:{{[0-9]+}} = ckpt.barrier %arg0, %arg2
// CHECK-NEXT: linalg.fill
// CHECK-NEXT: linalg.matmul ins(%[[B0]]#0, %[[B0]]#1

// RUN: ckpt-opt %ckpt_src_root/examples/mlp_train_step.mlir --pass-pipeline='builtin.module(ckpt-memory-report{pipeline=ckpt-rematerialize,cse json=%t.ckpt-opt.json})' -o %t.report.ckpt-opt.mlir 2> %t.report.ckpt-opt.txt
// RUN: mlir-opt --load-dialect-plugin=%ckpt_plugin --load-pass-plugin=%ckpt_plugin %ckpt_src_root/examples/mlp_train_step.mlir --pass-pipeline='builtin.module(ckpt-memory-report{pipeline=ckpt-rematerialize,cse json=%t.mlir-opt.json})' -o %t.report.mlir-opt.mlir 2> %t.report.mlir-opt.txt
// RUN: diff %t.report.ckpt-opt.mlir %t.report.mlir-opt.mlir
// RUN: diff %t.report.ckpt-opt.txt %t.report.mlir-opt.txt
// RUN: diff %t.ckpt-opt.json %t.mlir-opt.json
// RUN: FileCheck %s --check-prefix=REPORT < %t.report.mlir-opt.txt
// REPORT: === ckpt memory report: @mlp_train_step ===
// REPORT: peak live bytes 77828 73732 x0.947

// RUN: ckpt-opt %ckpt_src_root/examples/mlp_train_step.mlir --pass-pipeline='builtin.module(ckpt-rematerialize,ckpt-runner-main,ckpt-lower-to-cpu)' -o %t.cpu.ckpt-opt.mlir 2>/dev/null
// RUN: mlir-opt --load-dialect-plugin=%ckpt_plugin --load-pass-plugin=%ckpt_plugin %ckpt_src_root/examples/mlp_train_step.mlir --pass-pipeline='builtin.module(ckpt-rematerialize,ckpt-runner-main,ckpt-lower-to-cpu)' -o %t.cpu.mlir-opt.mlir 2>/dev/null
// RUN: diff %t.cpu.ckpt-opt.mlir %t.cpu.mlir-opt.mlir

// RUN: llvm-readelf --dynamic-table %ckpt_plugin | FileCheck %s --check-prefix=NEEDED
// NEEDED: (NEEDED) Shared library: [libMLIR.so.22.1]
// RUN: llvm-nm --dynamic --defined-only --demangle %ckpt_plugin | FileCheck %s --check-prefix=SYMBOLS --implicit-check-not='mlir::MLIRContext::MLIRContext(' --implicit-check-not='mlir::PassManager::run(' --implicit-check-not='mlir::Operation::create('
// SYMBOLS-DAG: {{[TW]}} mlirGetDialectPluginInfo
// SYMBOLS-DAG: {{[TW]}} mlirGetPassPluginInfo

// RUN: not mlir-opt --load-dialect-plugin=%ckpt_plugin --load-pass-plugin=%ckpt_plugin %ckpt_src_root/examples/mlp_train_step.mlir --ckpt-rematerialize 2>&1 | FileCheck %s --check-prefix=FLAG
// FLAG: Unknown command line argument '--ckpt-rematerialize'
