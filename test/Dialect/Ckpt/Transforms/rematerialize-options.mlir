// Option values that cannot mean what they say are errors (a printed error
// always means a non-zero exit); names that match nothing are warnings.
// RUN: not ckpt-opt %s -ckpt-rematerialize="save-ops=linalg.matmull" -o /dev/null 2>&1 | FileCheck %s --check-prefix=TYPO
// RUN: ckpt-opt %s -ckpt-rematerialize="save-ops=nosuch.op" -o /dev/null 2>&1 | FileCheck %s --check-prefix=UNLOADED
// RUN: not ckpt-opt %s -ckpt-rematerialize="dynamic-dim-size=-5" -o /dev/null 2>&1 | FileCheck %s --check-prefix=DYN
// RUN: ckpt-opt %s -ckpt-rematerialize -o /dev/null 2>&1 | FileCheck %s --check-prefix=REGION
// RUN: not ckpt-opt %s --ckpt-lower-to-nvvm=format=bogus -o /dev/null 2>&1 | FileCheck %s --check-prefix=FORMAT

// TYPO: error: invalid 'save-ops' entry 'linalg.matmull': the 'linalg' dialect has no such op
// UNLOADED: warning: 'save-ops' entry 'nosuch.op' matches nothing: no op of the 'nosuch' dialect is in the module
// DYN: error: 'dynamic-dim-size' must be at least 1, got -5
// REGION: warning: 'save' entry 'gpu.launch' matches nothing: no op of the 'gpu' dialect is in the module
// FORMAT: Cannot find option named 'bogus'

func.func @step(%x: tensor<4x4xf32>, %dy: tensor<4x4xf32>) -> (tensor<4x4xf32>, tensor<4x4xf32>) {
  %r:2 = ckpt.checkpoint "blk" (%a = %x : tensor<4x4xf32>) save ["gpu.launch"] -> (tensor<4x4xf32>, tensor<4x4xf32>) {
    %e = tensor.empty() : tensor<4x4xf32>
    %m = linalg.matmul ins(%a, %a : tensor<4x4xf32>, tensor<4x4xf32>) outs(%e : tensor<4x4xf32>) -> tensor<4x4xf32>
    %t = math.tanh %m : tensor<4x4xf32>
    ckpt.yield %t, %m : tensor<4x4xf32>, tensor<4x4xf32>
  }
  %l = arith.addf %r#0, %r#0 : tensor<4x4xf32>
  %g = arith.mulf %dy, %r#1 : tensor<4x4xf32>
  return %l, %g : tensor<4x4xf32>, tensor<4x4xf32>
}
