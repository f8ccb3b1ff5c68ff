// REQUIRES: numpy
// Tests that ckpt-run's generated inputs follow ckpt-runner-main's stated
// rule, bit for bit: floats (sin, and hash with fan-in scaling), integer
// labels in [0, ckpt.input_range) and [0, int-range), i1 masks, and
// dynamic dimensions bound by dynamic-dim-size. The step returns its
// arguments; --outputs writes them to an npz that the numpy oracle
// (input_oracle.py) rebuilds from the rule and compares.
//
// RUN: ckpt-run --generator hash --int-range 7 --dynamic-dim-size 5 --outputs %t.hash.npz %s | FileCheck %s --check-prefix=HASH
// RUN: %numpy_python %S/input_oracle.py %t.hash.npz hash f32:4x6 f16:3x2x2 i64:4:5 i1:8 i32:5x3:7 f64:5x3 | FileCheck %s --check-prefix=ORACLE
// RUN: ckpt-run --dynamic-dim-size 2 --outputs %t.sin.npz %s | FileCheck %s --check-prefix=SIN
// RUN: %numpy_python %S/input_oracle.py %t.sin.npz sin f32:4x6 f16:3x2x2 i64:4:5 i1:8 i32:2x3:2 f64:2x3 | FileCheck %s --check-prefix=ORACLE

// Integer results print their exact sum; under either generator an
// integer argument is the same hash (int-range 7 vs the default 2).
// HASH: result 2: sum 5.000000000e+00 l1 5.000000000e+00 bits 0000000000000005
// HASH: result 3: sum 6.000000000e+00 l1 6.000000000e+00 bits 0000000000000006
// HASH: result 4: sum 6.300000000e+01 l1 6.300000000e+01 bits 000000000000003f
// HASH: peak bytes
// SIN: result 2: sum 5.000000000e+00 l1 5.000000000e+00 bits 0000000000000005
// SIN: result 4: sum 4.000000000e+00 l1 4.000000000e+00 bits 0000000000000004

// ORACLE-COUNT-6: bit-identical
// ORACLE-NOT: MISMATCH

// The step returns copies (a function returning its own argument is item 3
// of issue 14, not this test's subject).
func.func @step(%x: tensor<4x6xf32>, %w: tensor<3x2x2xf16>,
                %labels: tensor<4xi64> {ckpt.input_range = 5 : i64},
                %mask: tensor<8xi1>, %ids: tensor<?x3xi32>,
                %d: tensor<?x3xf64>)
    -> (tensor<4x6xf32>, tensor<3x2x2xf16>, tensor<4xi64>, tensor<8xi1>,
        tensor<?x3xi32>, tensor<?x3xf64>) {
  %c0 = arith.constant 0 : index
  %n = tensor.dim %ids, %c0 : tensor<?x3xi32>
  %e0 = tensor.empty() : tensor<4x6xf32>
  %r0 = linalg.copy ins(%x : tensor<4x6xf32>) outs(%e0 : tensor<4x6xf32>) -> tensor<4x6xf32>
  %e1 = tensor.empty() : tensor<3x2x2xf16>
  %r1 = linalg.copy ins(%w : tensor<3x2x2xf16>) outs(%e1 : tensor<3x2x2xf16>) -> tensor<3x2x2xf16>
  %e2 = tensor.empty() : tensor<4xi64>
  %r2 = linalg.copy ins(%labels : tensor<4xi64>) outs(%e2 : tensor<4xi64>) -> tensor<4xi64>
  %e3 = tensor.empty() : tensor<8xi1>
  %r3 = linalg.copy ins(%mask : tensor<8xi1>) outs(%e3 : tensor<8xi1>) -> tensor<8xi1>
  %e4 = tensor.empty(%n) : tensor<?x3xi32>
  %r4 = linalg.copy ins(%ids : tensor<?x3xi32>) outs(%e4 : tensor<?x3xi32>) -> tensor<?x3xi32>
  %e5 = tensor.empty(%n) : tensor<?x3xf64>
  %r5 = linalg.copy ins(%d : tensor<?x3xf64>) outs(%e5 : tensor<?x3xf64>) -> tensor<?x3xf64>
  return %r0, %r1, %r2, %r3, %r4, %r5
      : tensor<4x6xf32>, tensor<3x2x2xf16>, tensor<4xi64>, tensor<8xi1>,
        tensor<?x3xi32>, tensor<?x3xf64>
}
