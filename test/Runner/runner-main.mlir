// RUN: ckpt-opt %s -split-input-file --ckpt-runner-main -verify-diagnostics | FileCheck %s
//
// ckpt-runner-main: the driver @main for a tensor step (generated inputs,
// per-result checksums) and its errors. Integer, dynamic, hashed, sharded,
// loaded and stored arguments are checked in runner-main-inputs.mlir, the
// buffer variant in runner-main-buffers.mlir.

// CHECK-LABEL: func.func @step(
// CHECK: func.func private @ckpt_rt_mark()
// CHECK: func.func private @ckpt_rt_print_result(i64, f64, f64, i64)
// CHECK: func.func private @ckpt_rt_print_memory()
// CHECK-LABEL: func.func @main()
// CHECK: linalg.generic
// CHECK: math.sin
// CHECK: call @ckpt_rt_mark()
// CHECK-NEXT: %[[R:.*]] = call @step(%{{.*}}) {no_inline} : (tensor<4xf32>) -> tensor<4xf32>
// CHECK: arith.bitcast %{{.*}} : f32 to i32
// CHECK: call @ckpt_rt_print_result(%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}) : (i64, f64, f64, i64) -> ()
// CHECK: call @ckpt_rt_print_memory()
// CHECK-NEXT: return
func.func @step(%x: tensor<4xf32>) -> tensor<4xf32> {
  return %x : tensor<4xf32>
}

// -----

// expected-error @+1 {{argument #1 has type 'tensor<4xindex>'; expected a ranked tensor of f16, bf16, f32, f64 or a signless integer}}
func.func @index(%x: tensor<4xf32>, %y: tensor<4xindex>) -> tensor<4xf32> {
  return %x : tensor<4xf32>
}

// -----

// expected-error @+1 {{result #0 has type 'tensor<*xf32>'; expected a ranked tensor of f16, bf16, f32, f64 or a signless integer}}
func.func @unranked(%x: tensor<4xf32>) -> tensor<*xf32> {
  %0 = tensor.cast %x : tensor<4xf32> to tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

// expected-error @+1 {{argument #0 has type 'tensor<4xui8>'; expected a ranked tensor of f16, bf16, f32, f64 or a signless integer}}
func.func @unsigned(%x: tensor<4xui8>) -> tensor<4xui8> {
  return %x : tensor<4xui8>
}

// -----

// expected-error @+1 {{argument #0 has 'ckpt.shard_dim' = 2 : i64; expected an integer dimension in [0, 2)}}
func.func @shard_dim_range(%x: tensor<4x2xf32> {ckpt.shard_dim = 2 : i64}) -> tensor<4x2xf32> {
  return %x : tensor<4x2xf32>
}

// -----

// expected-error @+1 {{argument #0 has 'ckpt.shard_dim' = "rows"; expected an integer dimension in [0, 2)}}
func.func @shard_dim_type(%x: tensor<4x2xf32> {ckpt.shard_dim = "rows"}) -> tensor<4x2xf32> {
  return %x : tensor<4x2xf32>
}

// -----

// expected-error @+1 {{argument #0 has 'ckpt.input_range' but its elements are 'f32', not integers}}
func.func @range_on_float(%x: tensor<4xf32> {ckpt.input_range = 3 : i64}) -> tensor<4xf32> {
  return %x : tensor<4xf32>
}

// -----

// expected-error @+1 {{argument #0 has 'ckpt.input_range' = 0 : i64; expected a positive integer}}
func.func @range_zero(%x: tensor<4xi32> {ckpt.input_range = 0 : i64}) -> tensor<4xi32> {
  return %x : tensor<4xi32>
}

// -----

// expected-error @+1 {{argument #0 of type 'tensor<4xi8>' cannot hold inputs in [0, 200); the range is at most 128}}
func.func @range_too_wide(%x: tensor<4xi8> {ckpt.input_range = 200 : i64}) -> tensor<4xi8> {
  return %x : tensor<4xi8>
}

// -----

// expected-error @+1 {{argument #0 of type 'tensor<4xi1>' cannot hold inputs in [0, 3); the range is at most 2}}
func.func @mask_range(%x: tensor<4xi1> {ckpt.input_range = 3 : i64}) -> tensor<4xi1> {
  return %x : tensor<4xi1>
}

// -----

// expected-error @+1 {{several public functions; name one with 'entry'}}
module {
  func.func @a(%x: tensor<4xf32>) -> tensor<4xf32> {
    return %x : tensor<4xf32>
  }
  func.func @b(%x: tensor<4xf32>) -> tensor<4xf32> {
    return %x : tensor<4xf32>
  }
}

// -----

// expected-error @+1 {{the module already has a symbol @main}}
module {
  func.func @step(%x: tensor<4xf32>) -> tensor<4xf32> {
    return %x : tensor<4xf32>
  }
  func.func private @main()
}
