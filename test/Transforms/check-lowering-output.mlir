// RUN: ckpt-opt %s -split-input-file --ckpt-check-lowering-output -verify-diagnostics
// RUN: ckpt-opt %s -split-input-file --ckpt-check-lowering-output=allow-gpu-binary -verify-diagnostics

// Only the LLVM dialect: nothing to say.
llvm.func @f(%a: f32) -> f32 {
  llvm.return %a : f32
}

// -----

llvm.func @g(%a: i64) -> i64 {
  // expected-error @below {{'memref.alloc' was not lowered to the LLVM dialect (2 ops of this kind left): the output would not run}}
  %m = memref.alloc() : memref<4xf32>
  %n = memref.alloc() : memref<4xf32>
  llvm.return %a : i64
}
