// A loop over 4 layers (scf.for yielding a freshly computed activation,
// h <- tanh(h * w) elementwise with a shared weight) inside a region; the
// loop also records each layer's input on a tape (tensor.insert_slice into a
// 5x64x64 iter_arg), as a scan-style forward does. The backward is a reverse
// scf.for reading the tape, accumulating dw and carrying dh.
// The report counts each iteration's temporaries and the iter_args of the
// second iteration on (the previous yields; the tape is written in place):
// measured peak 197120 bytes, estimated 196608 (unannotated and
// checkpointed alike; 180224 before loop bodies were counted).
// RUN: %torch_python %S/check_step.py --nvvm %s | FileCheck %s
// CHECK: bits identical: 3 results
// CHECK: unannotated peak: {{.*}} within 5%
// CHECK: checkpointed peak: {{.*}} within 5%
// CHECK: oracle: 3 results match
// CHECK: PASS
// ORACLE: x, w, dy = inp(0, (64, 64)), inp(1, (64, 64)), inp(2, (64, 64))
// ORACLE: hs = [x]
// ORACLE: for i in range(4): hs.append(np.tanh(hs[-1] * w))
// ORACLE: dh = dy; dw = np.zeros_like(w)
// ORACLE: for i in reversed(range(4)):
// ORACLE:   da = dh * (1 - hs[i + 1] ** 2); dw = dw + da * hs[i]; dh = da * w
// ORACLE: results = [hs[4], dh, dw]
func.func @step(%x: tensor<64x64xf32>, %w: tensor<64x64xf32>, %dy: tensor<64x64xf32>) -> (tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>) {
  %r:2 = ckpt.checkpoint "stack" (%a = %x, %b = %w : tensor<64x64xf32>, tensor<64x64xf32>) -> (tensor<64x64xf32>, tensor<5x64x64xf32>) {
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    %c4 = arith.constant 4 : index
    %e = tensor.empty() : tensor<5x64x64xf32>
    %t0 = tensor.insert_slice %a into %e[0, 0, 0] [1, 64, 64] [1, 1, 1] : tensor<64x64xf32> into tensor<5x64x64xf32>
    %h:2 = scf.for %i = %c0 to %c4 step %c1 iter_args(%hi = %a, %tape = %t0) -> (tensor<64x64xf32>, tensor<5x64x64xf32>) {
      %m = arith.mulf %hi, %b : tensor<64x64xf32>
      %hn = math.tanh %m : tensor<64x64xf32>
      %ip = arith.addi %i, %c1 : index
      %tn = tensor.insert_slice %hn into %tape[%ip, 0, 0] [1, 64, 64] [1, 1, 1] : tensor<64x64xf32> into tensor<5x64x64xf32>
      scf.yield %hn, %tn : tensor<64x64xf32>, tensor<5x64x64xf32>
    }
    ckpt.yield %h#0, %h#1 : tensor<64x64xf32>, tensor<5x64x64xf32>
  }
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c3 = arith.constant 3 : index
  %c4 = arith.constant 4 : index
  %f0 = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<64x64xf32>
  %dw0 = linalg.fill ins(%f0 : f32) outs(%e : tensor<64x64xf32>) -> tensor<64x64xf32>
  %g:2 = scf.for %j = %c0 to %c4 step %c1 iter_args(%dh = %dy, %dw = %dw0) -> (tensor<64x64xf32>, tensor<64x64xf32>) {
    %i = arith.subi %c3, %j : index
    %ip = arith.addi %i, %c1 : index
    %hin = tensor.extract_slice %r#1[%i, 0, 0] [1, 64, 64] [1, 1, 1] : tensor<5x64x64xf32> to tensor<64x64xf32>
    %hout = tensor.extract_slice %r#1[%ip, 0, 0] [1, 64, 64] [1, 1, 1] : tensor<5x64x64xf32> to tensor<64x64xf32>
    %sq = arith.mulf %hout, %hout : tensor<64x64xf32>
    %dsq = arith.mulf %dh, %sq : tensor<64x64xf32>
    %da = arith.subf %dh, %dsq : tensor<64x64xf32>
    %gw = arith.mulf %da, %hin : tensor<64x64xf32>
    %dwn = arith.addf %dw, %gw : tensor<64x64xf32>
    %dhn = arith.mulf %da, %w : tensor<64x64xf32>
    scf.yield %dhn, %dwn : tensor<64x64xf32>, tensor<64x64xf32>
  }
  return %r#0, %g#0, %g#1 : tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>
}
