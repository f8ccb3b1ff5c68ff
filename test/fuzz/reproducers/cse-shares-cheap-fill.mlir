// Fuzz reproducer (issue 19): gen_graph.py --seed 199 (a nested region
// r0.inner holding a rowmax: linalg.fill of -3e38 into the reduce init),
// fuzz.py --compile-only "verifier errors". Not reduced by hand (time);
// regenerated here from the seed, which gen_graph.py keeps stable.
// Fixed: after `ckpt-rematerialize --cse`, ckpt-verify reported
//   error: operand #1 is a cheap forward value (computed from constants and
//   shapes alone, 128 bytes) that the backward part reads, so its buffer
//   stays allocated into the backward; the backward should compute its own
// at the forward linalg.reduce: the outer region's recompute clones the
// inner region's linalg.fill of -3e38 with the forward's empty init, an op
// identical to the forward's, and cse merged the two. Recompute clones now
// read their empty inits through a barrier, as backward ops do.
// REQUIRES: numpy
// RUN: %numpy_python %S/../gen_graph.py --seed 199 > %t.mlir
// RUN: ckpt-opt %t.mlir --ckpt-rematerialize --cse --ckpt-verify -o /dev/null
// RUN: ckpt-opt %t.mlir --ckpt-rematerialize --cse | FileCheck %s
// The forward's fill of -3e38 writes a plain empty tensor, the outer
// recompute's a barrier's (cse cannot merge them).
// CHECK: %[[NEG:.*]] = arith.constant -3.000000e+38 : f32
// CHECK-NEXT: linalg.fill ins(%[[NEG]] : f32) outs(%{{[0-9]+}} : tensor<32xf32>)
// CHECK: %[[E:[0-9]+]] = ckpt.barrier %{{[0-9]+}} after %{{[0-9]+}} : tensor<32xf32> after tensor<64x32xf32>
// CHECK-NEXT: linalg.fill ins(%[[NEG]] : f32) outs(%[[E]] : tensor<32xf32>)
