// The ckpt dialect verifies its discardable attributes wherever they appear.
// RUN: ckpt-opt %s -split-input-file -verify-diagnostics

// Tests that a misspelt attribute of the dialect is an error with a
// suggestion, not silently ignored.
// expected-error @+1 {{unknown attribute 'ckpt.chekpoint' of the ckpt dialect; did you mean 'ckpt.checkpoint'?}}
func.func @negative_typo(%x: tensor<4xf32>) -> tensor<4xf32> attributes {ckpt.chekpoint} {
  return %x : tensor<4xf32>
}

// -----

// Tests that an unknown name far from every known one lists them.
// expected-error @+1 {{unknown attribute 'ckpt.remat_everything' of the ckpt dialect; it defines 'ckpt.checkpoint', 'ckpt.forward_results', 'ckpt.backward', 'ckpt.num_outputs', 'ckpt.auto'}}
func.func @negative_unknown(%x: tensor<4xf32>) -> tensor<4xf32> attributes {ckpt.remat_everything} {
  return %x : tensor<4xf32>
}

// -----

// Tests that `= false` on a call is refused instead of checkpointing it.
func.func private @layer(tensor<4xf32>) -> tensor<4xf32>
func.func @negative_false(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'ckpt.checkpoint' must be a unit attribute (written `{ckpt.checkpoint}`), got false}}
  %y = func.call @layer(%x) {ckpt.checkpoint = false} : (tensor<4xf32>) -> tensor<4xf32>
  return %y : tensor<4xf32>
}

// -----

// expected-error @+1 {{'ckpt.checkpoint' must be a unit attribute (written `{ckpt.checkpoint}`), got 3 : i32}}
func.func private @negative_integer(tensor<4xf32>) -> tensor<4xf32> attributes {ckpt.checkpoint = 3 : i32}

// -----

// expected-error @+1 {{'ckpt.checkpoint' must be a unit attribute (written `{ckpt.checkpoint}`), got "yes"}}
func.func private @negative_string(tensor<4xf32>) -> tensor<4xf32> attributes {ckpt.checkpoint = "yes"}

// -----

// expected-error @+1 {{'ckpt.forward_results' must be an array of integers, got 0 : i64}}
func.func @negative_forward_results_scalar(%x: tensor<4xf32>) -> tensor<4xf32> attributes {ckpt.forward_results = 0} {
  return %x : tensor<4xf32>
}

// -----

// expected-error @+1 {{'ckpt.forward_results' lists result 0 twice}}
func.func @negative_forward_results_twice(%x: tensor<4xf32>) -> tensor<4xf32> attributes {ckpt.forward_results = [0, 0]} {
  return %x : tensor<4xf32>
}

// -----

// Tests that a split-form forward naming no function is an error even when
// it holds no region.
// expected-error @+1 {{'ckpt.backward' names @nope, which is not a func.func with a body in this module}}
func.func @negative_backward_missing(%x: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>) attributes {ckpt.backward = @nope, ckpt.num_outputs = 1} {
  return %x, %x : tensor<4xf32>, tensor<4xf32>
}

// -----

// expected-error @+1 {{'ckpt.num_outputs' needs 'ckpt.backward' (the split-form pair)}}
func.func @negative_num_outputs_alone(%x: tensor<4xf32>) -> tensor<4xf32> attributes {ckpt.num_outputs = 1} {
  return %x : tensor<4xf32>
}

// -----

// expected-error @+1 {{'ckpt.num_outputs' must be an integer between 0 and the 2 results of the function}}
func.func @negative_num_outputs_range(%x: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>) attributes {ckpt.backward = @bwd, ckpt.num_outputs = 3} {
  return %x, %x : tensor<4xf32>, tensor<4xf32>
}
func.func @bwd(%t: tensor<4xf32>) -> tensor<4xf32> {
  return %t : tensor<4xf32>
}

// -----

// Tests that a `save` entry naming no op of a loaded dialect (a typo) is
// refused.
func.func @negative_save_typo(%x: tensor<4x4xf32>) -> tensor<4x4xf32> {
  // expected-error @+1 {{'ckpt.checkpoint' op 'save' entry #0 ("linalg.matmull") names no op of the 'linalg' dialect}}
  %r = ckpt.checkpoint "blk" (%a = %x : tensor<4x4xf32>) save ["linalg.matmull"] -> (tensor<4x4xf32>) {
    %e = tensor.empty() : tensor<4x4xf32>
    %m = linalg.matmul ins(%a, %a : tensor<4x4xf32>, tensor<4x4xf32>) outs(%e : tensor<4x4xf32>) -> tensor<4x4xf32>
    ckpt.yield %m : tensor<4x4xf32>
  }
  return %r : tensor<4x4xf32>
}

// -----

// Tests that ckpt.shard_dim names a dimension of its argument (the runner
// slices it along that dimension).
// expected-error @+1 {{argument #0 has 'ckpt.shard_dim' = 2 : i64; expected an integer dimension in [0, 2)}}
func.func @negative_shard_dim_range(%x: tensor<4x8xf32> {ckpt.shard_dim = 2 : i64}) -> tensor<4x8xf32> {
  return %x : tensor<4x8xf32>
}

// -----

// Tests that ckpt.shard_dim needs a ranked argument.
// expected-error @+1 {{argument #0 has 'ckpt.shard_dim' but type 'f32'; expected a ranked tensor or memref}}
func.func @negative_shard_dim_scalar(%x: f32 {ckpt.shard_dim = 0 : i64}) -> f32 {
  return %x : f32
}

// -----

// Tests that a misspelt argument attribute is an error with a suggestion.
// expected-error @+1 {{unknown argument attribute 'ckpt.shard_dims' of the ckpt dialect; did you mean 'ckpt.shard_dim'?}}
func.func @negative_shard_dim_typo(%x: tensor<4xf32> {ckpt.shard_dims = 0 : i64}) -> tensor<4xf32> {
  return %x : tensor<4xf32>
}

// -----

// Tests that a well-formed ckpt.shard_dim is accepted (a batch-sharded
// input and a column-split weight).
func.func @shard_dims(%x: tensor<4x8xf32> {ckpt.shard_dim = 0 : i64}, %w: tensor<8x2xf32> {ckpt.shard_dim = 1 : i64}) -> tensor<4x8xf32> {
  return %x : tensor<4x8xf32>
}
