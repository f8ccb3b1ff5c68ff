// The "what matched" report of ckpt-rematerialize's save rules: per region,
// the ops each rule (policy, save-ops entries, the region's save list)
// matched, by name and count, and a warning for a rule that matched nothing.
// policy=save-contractions picks ops by the linalg interfaces, so a matmul
// generalized into a linalg.generic still matches; save-matmuls is its
// alias.
// RUN: python3 %ckpt_src_root/examples/gen_train_step.py mlp --layers 2 --batch 4 --width 4 > %t.mlp.mlir
// RUN: ckpt-opt %t.mlp.mlir '--ckpt-rematerialize=policy=save-contractions save-ops=math.exp,linalg.fill' -o /dev/null 2>&1 | FileCheck %s --check-prefix=MLP
// RUN: ckpt-opt %t.mlp.mlir '--ckpt-rematerialize=policy=save-matmuls' -o /dev/null 2>&1 | FileCheck %s --check-prefix=ALIAS
// RUN: ckpt-opt %t.mlp.mlir --linalg-generalize-named-ops '--ckpt-rematerialize=policy=save-contractions' -o /dev/null 2>&1 | FileCheck %s --check-prefix=GENERIC
// RUN: ckpt-opt %t.mlp.mlir '--ckpt-rematerialize=policy=save-contractions remarks=none' -o /dev/null 2>&1 | FileCheck %s --allow-empty --check-prefix=QUIET
// RUN: ckpt-opt %s '--ckpt-rematerialize=policy=save-contractions' -o /dev/null 2>&1 | FileCheck %s --check-prefix=NONE

// MLP: remark: save rules of 'layers.0': policy save-contractions matched 1 linalg.matmul; save 'math.exp' matched nothing; save 'linalg.fill' matched 1 linalg.fill
// MLP: remark: save rules of 'layers.1': policy save-contractions matched 1 linalg.matmul; save 'math.exp' matched nothing; save 'linalg.fill' matched 1 linalg.fill
// MLP: warning: 'save-ops' entry 'math.exp' matches no op in any checkpointed region
// MLP-NOT: warning: 'save-ops' entry 'linalg.fill'
// ALIAS: remark: save rules of 'layers.0': policy save-contractions matched 1 linalg.matmul
// GENERIC: remark: save rules of 'layers.0': policy save-contractions matched 1 linalg.generic
// QUIET-NOT: save rules
// QUIET-NOT: warning

// A region of elementwise work only: the policy and the region's own save
// entry match nothing, and both say so.
// NONE: remark: save rules of 'act': policy save-contractions matched nothing; save 'math.exp' matched nothing
// NONE: warning: 'save' entry 'math.exp' of 'act' matches no op of its body
// NONE: warning: policy 'save-contractions' matches no op in any checkpointed region
#map = affine_map<(d0) -> (d0)>
func.func @step(%x: tensor<8xf32>) -> (tensor<f32>, tensor<8xf32>) attributes {ckpt.forward_results = [0]} {
  %t = ckpt.checkpoint "act" (%a = %x : tensor<8xf32>) save ["math.exp"] -> (tensor<8xf32>) {
    %e = tensor.empty() : tensor<8xf32>
    %r = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel"]} ins(%a : tensor<8xf32>) outs(%e : tensor<8xf32>) {
    ^bb0(%in: f32, %out: f32):
      %v = math.tanh %in : f32
      linalg.yield %v : f32
    } -> tensor<8xf32>
    ckpt.yield %r : tensor<8xf32>
  }
  %z = arith.constant 0.0 : f32
  %e0 = tensor.empty() : tensor<f32>
  %init = linalg.fill ins(%z : f32) outs(%e0 : tensor<f32>) -> tensor<f32>
  %loss = linalg.reduce ins(%t : tensor<8xf32>) outs(%init : tensor<f32>) dimensions = [0]
    (%in: f32, %acc: f32) {
      %s = arith.addf %in, %acc : f32
      linalg.yield %s : f32
    }
  %e1 = tensor.empty() : tensor<8xf32>
  %g = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel"]} ins(%t : tensor<8xf32>) outs(%e1 : tensor<8xf32>) {
  ^bb0(%in: f32, %out: f32):
    %m = arith.mulf %in, %in : f32
    linalg.yield %m : f32
  } -> tensor<8xf32>
  return %loss, %g : tensor<f32>, tensor<8xf32>
}
