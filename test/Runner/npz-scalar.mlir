// Tests 0-d tensors through --inputs/--outputs (BatchNorm's
// num_batches_tracked in a PyTorch step is a tensor<i64>): the archive's
// 0-d array reaches the step as a 0-d argument and the 0-d results come
// back 0-d, exactly.
// REQUIRES: numpy
// RUN: %numpy_python -c "import numpy as np, sys; np.savez(sys.argv[1], np.array(41, dtype=np.int64), np.array([0.5, 1.0, 2.0, 4.0], dtype=np.float32))" %t.in.npz
// RUN: ckpt-run --inputs %t.in.npz --outputs %t.out.npz %s | FileCheck %s --check-prefix=OUT
// RUN: %numpy_python -c "import numpy as np, sys; o = np.load(sys.argv[1]); print('count', o['result_0'].shape, o['result_0'].dtype, int(o['result_0'])); print('sum', o['result_1'].shape, float(o['result_1']))" %t.out.npz | FileCheck %s --check-prefix=NUMPY
// OUT: peak bytes
// NUMPY: count () int64 42
// NUMPY: sum () 7.5
func.func @step(%count: tensor<i64>, %x: tensor<4xf32>) -> (tensor<i64>, tensor<f32>) {
  %one = arith.constant dense<1> : tensor<i64>
  %next = arith.addi %count, %one : tensor<i64>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<f32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<f32>) -> tensor<f32>
  %sum = linalg.reduce ins(%x : tensor<4xf32>) outs(%init : tensor<f32>) dimensions = [0]
    (%in: f32, %acc: f32) {
      %s = arith.addf %in, %acc : f32
      linalg.yield %s : f32
    }
  return %next, %sum : tensor<i64>, tensor<f32>
}
