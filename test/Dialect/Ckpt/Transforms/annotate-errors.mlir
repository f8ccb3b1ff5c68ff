// RUN: not ckpt-opt %s -ckpt-annotate 2>&1 | FileCheck %s --check-prefix=NONE
// RUN: not ckpt-opt %s -ckpt-annotate="callee=f segments=2" 2>&1 | FileCheck %s --check-prefix=TWO
// RUN: not ckpt-opt %s -ckpt-annotate="segments=many" 2>&1 | FileCheck %s --check-prefix=BAD
// RUN: not ckpt-opt %s -ckpt-annotate="segments=5" 2>&1 | FileCheck %s --check-prefix=MANY
// RUN: not ckpt-opt %s -ckpt-annotate="loc=(" 2>&1 | FileCheck %s --check-prefix=REGEX

// NONE: error: give exactly one of 'callee', 'loc', 'segments', 'budget'
// TWO: error: give exactly one of 'callee', 'loc', 'segments', 'budget'
// BAD: error: 'segments' must be a positive integer or 'sqrt', got 'many'
// MANY: error: cannot cut the forward part into 5 segments: it has 2 ops that may be recomputed, in 1 pieces
// REGEX: error: invalid 'loc' regex '(':

// Tests the option errors on a two-op forward part.
func.func @small(%x: tensor<8xf32>, %dy: tensor<8xf32>) -> (tensor<8xf32>, tensor<8xf32>) {
  %e = math.exp %x : tensor<8xf32>
  %s = math.sin %e : tensor<8xf32>
  %g = arith.mulf %dy, %e : tensor<8xf32>
  return %s, %g : tensor<8xf32>, tensor<8xf32>
}
