// Fuzz reproducer (issue 19): gen_graph.py --seed 4134 --static --joint
// --dtype f32 --max-ops 8 (fuzz.py --n 10000 --seed 1 --compile-only,
// "never-worse broken"), shrunk by fuzz.py --shrink.
// Defect (fixed): r0 (with policy=save-matmuls and a save list) holds
// r0.inner and an scf.for; r0 is rematerialized and r0.inner, cloned into
// r0's recompute, is rematerialized there. The pass's incremental estimate
// accepted the plan, but the report of the rewritten step peaked 256 bytes
// higher (77824 -> 78080): nested recomputes are not decided by the peak
// (their ops share the insertion point's position), so their transient
// bytes inside a recompute that also holds a loop are not priced exactly.
// The pass now checks its plan against the report's figure and, when the
// peak rose, rewrites the step again from its original body without nested
// recomputes (then keeping regions, last first): the peak stays 77824.
// RUN: ckpt-opt %s --ckpt-rematerialize=policy=save-matmuls --ckpt-memory-report -o /dev/null 2>&1 | FileCheck %s
// CHECK: remark: checkpointed region 'r0': drops 4 values (24704 bytes), clones 9 ops
// CHECK: remark: @step: 1 of 3 checkpointed regions rematerialized (1 kept by the re-plan); estimated peak 77824 -> 77824 bytes, saved bytes 45184 -> 20480
// CHECK: warning: @step: the first plan raised the memory report's estimated peak from 77824 to 78080 bytes although each region was checked against ckpt's incremental estimate (a defect of that estimate; please report it with the graph); re-planned without nested recomputes: estimated peak 77824 -> 77824 bytes
// CHECK: peak live bytes 77824 77824 x1.000
func.func @step(%x0: tensor<32x64xf32>, %w1: tensor<32x64xf32>, %w2: tensor<32x64xf32>, %dy3: tensor<32x64xf32>) -> (tensor<32x64xf32>, tensor<32x64xf32>, tensor<32x64xf32>, tensor<32x64xf32>) {
  %v1 = tensor.extract_slice %x0[0, 0] [32, 32] [1, 1] : tensor<32x64xf32> to tensor<32x32xf32>
  %v2 = tensor.extract_slice %x0[0, 32] [32, 32] [1, 1] : tensor<32x64xf32> to tensor<32x32xf32>
  %v3 = math.tanh %v1 : tensor<32x32xf32>
  %v4 = tensor.concat dim(1) %v3, %v2 : (tensor<32x32xf32>, tensor<32x32xf32>) -> tensor<32x64xf32>
  %r8:6 = ckpt.checkpoint "r0" (%b5 = %v4, %b6 = %w1, %b7 = %w2 : tensor<32x64xf32>, tensor<32x64xf32>, tensor<32x64xf32>) save ["math.exp", "linalg.softmax"] -> (tensor<32x64xf32>, tensor<32x64xf32>, tensor<32x64xf32>, tensor<32x64xf32>, tensor<32xf32>, tensor<32x64xf32>) {
    %v9 = math.sin %b5 : tensor<32x64xf32>
    %v10 = math.exp %v9 : tensor<32x64xf32>
    %r13:2 = ckpt.checkpoint "r0.inner" (%b11 = %v10, %b12 = %b6 : tensor<32x64xf32>, tensor<32x64xf32>) -> (tensor<32x64xf32>, tensor<32x64xf32>) {
      %v14 = arith.mulf %b11, %b12 : tensor<32x64xf32>
      %c15 = arith.constant 0 : index
      %c16 = arith.constant 3 : index
      %c17 = arith.constant 1 : index
      %v18 = scf.for %i19 = %c15 to %c16 step %c17 iter_args(%it20 = %v14) -> (tensor<32x64xf32>) {
        %v21 = math.sin %v14 : tensor<32x64xf32>
        %v22 = arith.addf %it20, %v21 : tensor<32x64xf32>
        scf.yield %v22 : tensor<32x64xf32>
      }
      %v23 = math.tanh %v18 : tensor<32x64xf32>
      ckpt.yield %v14, %v23 : tensor<32x64xf32>, tensor<32x64xf32>
    }
    %e24 = tensor.empty() : tensor<32xf32>
    %k25 = arith.constant -3.0e+38 : f32
    %f26 = linalg.fill ins(%k25 : f32) outs(%e24 : tensor<32xf32>) -> tensor<32xf32>
    %v27 = linalg.reduce ins(%r13#1 : tensor<32x64xf32>) outs(%f26 : tensor<32xf32>) dimensions = [1]
      (%a28: f32, %a29: f32) {
        %v30 = arith.maximumf %a28, %a29 : f32
        linalg.yield %v30 : f32
      }
    %e31 = tensor.empty() : tensor<32x64xf32>
    %v32 = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%r13#1, %v27 : tensor<32x64xf32>, tensor<32xf32>) outs(%e31 : tensor<32x64xf32>) {
    ^bb0(%a33: f32, %a34: f32, %o35: f32):
      %v36 = arith.subf %a33, %a34 : f32
      linalg.yield %v36 : f32
    } -> tensor<32x64xf32>
    %v37 = arith.mulf %v32, %b7 : tensor<32x64xf32>
    ckpt.yield %v10, %r13#0, %r13#1, %v32, %v27, %v37 : tensor<32x64xf32>, tensor<32x64xf32>, tensor<32x64xf32>, tensor<32x64xf32>, tensor<32xf32>, tensor<32x64xf32>
  }
  %v38 = arith.mulf %dy3, %w2 : tensor<32x64xf32>
  %v39 = arith.mulf %dy3, %r8#3 : tensor<32x64xf32>
  %e40 = tensor.empty() : tensor<32xf32>
  %k41 = arith.constant 0.0 : f32
  %f42 = linalg.fill ins(%k41 : f32) outs(%e40 : tensor<32xf32>) -> tensor<32xf32>
  %v43 = linalg.reduce ins(%v38 : tensor<32x64xf32>) outs(%f42 : tensor<32xf32>) dimensions = [1]
    (%a44: f32, %a45: f32) {
      %v46 = arith.addf %a44, %a45 : f32
      linalg.yield %v46 : f32
    }
  %e47 = tensor.empty() : tensor<32x64xf32>
  %v48 = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0)>, affine_map<(d0, d1) -> (d0)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%v38, %r8#2, %r8#4, %v43 : tensor<32x64xf32>, tensor<32x64xf32>, tensor<32xf32>, tensor<32xf32>) outs(%e47 : tensor<32x64xf32>) {
  ^bb0(%a49: f32, %a50: f32, %a51: f32, %a52: f32, %o53: f32):
    %k54 = arith.constant 0.0 : f32
    %v55 = arith.cmpf oeq, %a50, %a51 : f32
    %v56 = arith.select %v55, %a52, %k54 : f32
    %v57 = arith.subf %a49, %v56 : f32
    linalg.yield %v57 : f32
  } -> tensor<32x64xf32>
  %e58 = tensor.empty() : tensor<32x64xf32>
  %v59 = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%v48, %r8#2 : tensor<32x64xf32>, tensor<32x64xf32>) outs(%e58 : tensor<32x64xf32>) {
  ^bb0(%a60: f32, %a61: f32, %o62: f32):
    %k63 = arith.constant 1.0 : f32
    %v64 = arith.mulf %a61, %a61 : f32
    %v65 = arith.subf %k63, %v64 : f32
    %v66 = arith.mulf %a60, %v65 : f32
    linalg.yield %v66 : f32
  } -> tensor<32x64xf32>
  %c67 = arith.constant 0 : index
  %c68 = arith.constant 3 : index
  %c69 = arith.constant 1 : index
  %v70 = scf.for %i71 = %c67 to %c68 step %c69 iter_args(%it72 = %v59) -> (tensor<32x64xf32>) {
    %v73 = math.cos %r8#1 : tensor<32x64xf32>
    %v74 = arith.mulf %v59, %v73 : tensor<32x64xf32>
    %v75 = arith.addf %it72, %v74 : tensor<32x64xf32>
    scf.yield %v75 : tensor<32x64xf32>
  }
  %v76 = arith.mulf %v70, %w1 : tensor<32x64xf32>
  %v77 = arith.mulf %v70, %r8#0 : tensor<32x64xf32>
  %v78 = arith.mulf %v76, %r8#0 : tensor<32x64xf32>
  %v79 = math.cos %v4 : tensor<32x64xf32>
  %v80 = arith.mulf %v78, %v79 : tensor<32x64xf32>
  %v81 = tensor.extract_slice %v80[0, 0] [32, 32] [1, 1] : tensor<32x64xf32> to tensor<32x32xf32>
  %v82 = tensor.extract_slice %v80[0, 32] [32, 32] [1, 1] : tensor<32x64xf32> to tensor<32x32xf32>
  %e83 = tensor.empty() : tensor<32x32xf32>
  %v84 = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%v81, %v3 : tensor<32x32xf32>, tensor<32x32xf32>) outs(%e83 : tensor<32x32xf32>) {
  ^bb0(%a85: f32, %a86: f32, %o87: f32):
    %k88 = arith.constant 1.0 : f32
    %v89 = arith.mulf %a86, %a86 : f32
    %v90 = arith.subf %k88, %v89 : f32
    %v91 = arith.mulf %a85, %v90 : f32
    linalg.yield %v91 : f32
  } -> tensor<32x32xf32>
  %v92 = tensor.concat dim(1) %v84, %v82 : (tensor<32x32xf32>, tensor<32x32xf32>) -> tensor<32x64xf32>
  return %r8#5, %v92, %v77, %v39 : tensor<32x64xf32>, tensor<32x64xf32>, tensor<32x64xf32>, tensor<32x64xf32>
}
