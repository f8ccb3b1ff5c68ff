// RUN: not ckpt-opt %s --pass-pipeline="builtin.module(func.func(sharding-propagation,shard-partition))" 2>&1 | FileCheck %s

// Tests why regions are formed after partitioning (docs/distributed.md):
// upstream's shard-partition (MLIR 22.1.8) refuses ckpt.checkpoint, which
// does not implement the sharding interface. The order is shard-partition,
// then ckpt-annotate, then ckpt-rematerialize.
// CHECK: error: 'ckpt.checkpoint' op sharding interface is not implemented.
#id = affine_map<(d0, d1) -> (d0, d1)>
shard.grid @dp(shape = 2)
func.func @step(%x: tensor<8x4xf32>) -> tensor<8x4xf32> {
  %s = shard.sharding @dp split_axes = [[0]] : !shard.sharding
  %xs = shard.shard %x to %s annotate_for_users : tensor<8x4xf32>
  %r = ckpt.checkpoint "blk" (%a = %xs : tensor<8x4xf32>) -> (tensor<8x4xf32>) {
    %t = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%a : tensor<8x4xf32>) outs(%a : tensor<8x4xf32>) {
    ^bb0(%i: f32, %o: f32):
      %v = math.tanh %i : f32
      linalg.yield %v : f32
    } -> tensor<8x4xf32>
    ckpt.yield %t : tensor<8x4xf32>
  }
  return %r : tensor<8x4xf32>
}
