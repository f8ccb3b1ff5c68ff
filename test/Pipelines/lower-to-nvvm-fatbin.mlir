// With ptxas from the CUDA toolkit, ckpt-lower-to-nvvm embeds a fatbin for
// sm_90 (ptxas ran: the object records its time; the fatbin magic starts the
// blob).
// REQUIRES: ptxas
// RUN: ckpt-opt %ckpt_src_root/examples/mlp_train_step.mlir --ckpt-rematerialize --ckpt-lower-to-nvvm 2>/dev/null | FileCheck %s

// CHECK: gpu.binary @mlp_train_step_kernel  [#gpu.object<#nvvm.target<chip = "sm_90", features = "+ptx80">, properties = {ISAToBinaryTimeInMs = {{[0-9]+}} : i64, LLVMIRToISATimeInMs = {{[0-9]+}} : i64}, "P\EDU\BA
