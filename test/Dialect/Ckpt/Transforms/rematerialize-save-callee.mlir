// A `save` entry `@callee` keeps the results of calls to that symbol (a
// library kernel saved by name, as PyTorch's selective checkpointing names
// aten.mm; what ckpt-annotate solver=milp writes for ByteIR kernels): the
// call is not replayed, the elementwise op after it is. Without the entry
// both are recomputed. `@` alone names nothing and is an error.
// RUN: ckpt-opt %s '--ckpt-rematerialize=assume-pure=kernel' -o - 2>&1 | FileCheck %s
// RUN: sed 's/ save \["@kernel"\]//' %s | ckpt-opt '--ckpt-rematerialize=assume-pure=kernel' -o - 2>&1 | FileCheck %s --check-prefix=ALL
// RUN: ckpt-opt %s '--ckpt-rematerialize=assume-pure=kernel save-ops=@other' -o /dev/null 2>&1 | FileCheck %s --check-prefix=UNUSED
// RUN: sed 's/"@kernel"/"@"/' %s | not ckpt-opt -o /dev/null 2>&1 | FileCheck %s --check-prefix=EMPTY

// CHECK: remark: save rules of 'blk': save '@kernel' matched 1 func.call
// CHECK: remark: checkpointed region 'blk': drops 1 value (32 bytes), clones 1 op
// CHECK-LABEL: func.func @step
// CHECK-COUNT-1: call @kernel
// CHECK-NOT: call @kernel
// CHECK: return
// ALL: clones 2 ops
// ALL-COUNT-2: call @kernel
// UNUSED: warning: 'save-ops' entry '@other' matches no op in any checkpointed region
// EMPTY: error: 'ckpt.checkpoint' op 'save' entry #0 ("@") is not an op name of the form 'dialect.op' nor a callee '@name'
#map = affine_map<(d0) -> (d0)>
func.func private @kernel(tensor<8xf32>) -> tensor<8xf32>
func.func @step(%x: tensor<8xf32>) -> (tensor<f32>, tensor<8xf32>) attributes {ckpt.forward_results = [0]} {
  %t = ckpt.checkpoint "blk" (%a = %x : tensor<8xf32>) save ["@kernel"] -> (tensor<8xf32>) {
    %k = func.call @kernel(%a) : (tensor<8xf32>) -> tensor<8xf32>
    %e = tensor.empty() : tensor<8xf32>
    %r = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel"]} ins(%k : tensor<8xf32>) outs(%e : tensor<8xf32>) {
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
