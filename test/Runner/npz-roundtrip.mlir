// REQUIRES: numpy
// Tests ckpt-run --inputs/--outputs (issue 15): the step's arguments come
// from an npz archive in argument order (f32, i32 labels, a bool mask, a
// dynamic f64 dimension bound by --dynamic-dim-size, float32 data for a bf16
// argument), its results go to an npz; numpy recomputes every result, bit
// for bit. Then the errors: a dtype or an argument count that does not
// match, a dtype ckpt-run cannot pass, a file that is not an archive, no
// numpy. Nothing is written at --outputs when the run fails.
//
// RUN: %numpy_python %S/npz_roundtrip.py make %t.in.npz
// RUN: ckpt-run --inputs %t.in.npz --outputs %t.out.npz --dynamic-dim-size 5 %s | FileCheck %s --check-prefix=OUT
// RUN: %numpy_python %S/npz_roundtrip.py check %t.in.npz %t.out.npz | FileCheck %s --check-prefix=NUMPY
//
// RUN: %numpy_python %S/npz_roundtrip.py make %t.dtype.npz wrong-dtype
// RUN: rm -f %t.none.npz
// RUN: not ckpt-run --inputs %t.dtype.npz --outputs %t.none.npz --dynamic-dim-size 5 %s 2>&1 | FileCheck %s --check-prefix=DTYPE
// RUN: not ls %t.none.npz
// RUN: not ckpt-run --inputs %t.in.npz %s 2>&1 | FileCheck %s --check-prefix=SHAPE
// RUN: %numpy_python %S/npz_roundtrip.py make %t.few.npz too-few
// RUN: not ckpt-run --inputs %t.few.npz --dynamic-dim-size 5 %s 2>&1 | FileCheck %s --check-prefix=COUNT
// RUN: %numpy_python %S/npz_roundtrip.py make %t.u8.npz uint8
// RUN: not ckpt-run --inputs %t.u8.npz --dynamic-dim-size 5 %s 2>&1 | FileCheck %s --check-prefix=UINT8
// RUN: not ckpt-run --inputs %s --dynamic-dim-size 5 %s 2>&1 | FileCheck %s --check-prefix=NOTNPZ
// RUN: env CKPT_RUN_PYTHON=/bin/false not ckpt-run --inputs %t.in.npz %s 2>&1 | FileCheck %s --check-prefix=NONUMPY

// OUT: result 0: sum
// OUT: result 4: sum
// OUT: peak bytes

// NUMPY: result_0 float32 2x3: equal
// NUMPY: result_1 int32 4: equal
// NUMPY: result_2 bool 4: equal
// NUMPY: result_3 float64 5x2: equal
// NUMPY: result_4 float32 3: equal

// DTYPE: ckpt-run: error: input 1 is int64 [4] but argument #1 of the step takes int32 [4]
// DTYPE: ckpt-run: error: mlir-runner exited with status 1
// SHAPE: ckpt-run: error: input 3 is float64 [5, 2] but argument #3 of the step takes float64 [1, 2]
// COUNT: ckpt-run: error: the inputs hold 4 arrays but the step takes 5 arguments
// UINT8: ckpt-run: error: array 'arr_1' (argument #1) has dtype uint8; ckpt-run passes float16, float32, float64, bool, int8, int16, int32, int64
// NOTNPZ: ckpt-run: error: cannot read {{.*}}npz-roundtrip.mlir as an npz archive
// NONUMPY: ckpt-run: error: --inputs and --outputs need numpy, which none of /bin/false imports

#id = affine_map<(d0) -> (d0)>
#id2 = affine_map<(d0, d1) -> (d0, d1)>
func.func @step(%x: tensor<2x3xf32>, %labels: tensor<4xi32>, %mask: tensor<4xi1>,
                %d: tensor<?x2xf64>, %h: tensor<3xbf16>)
    -> (tensor<2x3xf32>, tensor<4xi32>, tensor<4xi1>, tensor<?x2xf64>, tensor<3xbf16>) {
  %c0 = arith.constant 0 : index
  %ex = tensor.empty() : tensor<2x3xf32>
  %x2 = linalg.generic {indexing_maps = [#id2, #id2], iterator_types = ["parallel", "parallel"]}
      ins(%x : tensor<2x3xf32>) outs(%ex : tensor<2x3xf32>) {
  ^bb0(%a: f32, %o: f32):
    %two = arith.constant 2.0 : f32
    %one = arith.constant 1.0 : f32
    %m = arith.mulf %a, %two : f32
    %s = arith.addf %m, %one : f32
    linalg.yield %s : f32
  } -> tensor<2x3xf32>
  %el = tensor.empty() : tensor<4xi32>
  %l2 = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]}
      ins(%labels : tensor<4xi32>) outs(%el : tensor<4xi32>) {
  ^bb0(%a: i32, %o: i32):
    %one = arith.constant 1 : i32
    %s = arith.addi %a, %one : i32
    linalg.yield %s : i32
  } -> tensor<4xi32>
  %em = tensor.empty() : tensor<4xi1>
  %m2 = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]}
      ins(%mask : tensor<4xi1>) outs(%em : tensor<4xi1>) {
  ^bb0(%a: i1, %o: i1):
    %true = arith.constant true
    %n = arith.xori %a, %true : i1
    linalg.yield %n : i1
  } -> tensor<4xi1>
  %n = tensor.dim %d, %c0 : tensor<?x2xf64>
  %ed = tensor.empty(%n) : tensor<?x2xf64>
  %d2 = linalg.generic {indexing_maps = [#id2, #id2], iterator_types = ["parallel", "parallel"]}
      ins(%d : tensor<?x2xf64>) outs(%ed : tensor<?x2xf64>) {
  ^bb0(%a: f64, %o: f64):
    %s = arith.mulf %a, %a : f64
    linalg.yield %s : f64
  } -> tensor<?x2xf64>
  %eh = tensor.empty() : tensor<3xbf16>
  %h2 = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]}
      ins(%h : tensor<3xbf16>) outs(%eh : tensor<3xbf16>) {
  ^bb0(%a: bf16, %o: bf16):
    %s = arith.addf %a, %a : bf16
    linalg.yield %s : bf16
  } -> tensor<3xbf16>
  return %x2, %l2, %m2, %d2, %h2
      : tensor<2x3xf32>, tensor<4xi32>, tensor<4xi1>, tensor<?x2xf64>, tensor<3xbf16>
}
