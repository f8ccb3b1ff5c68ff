// RUN: ckpt-opt %s -split-input-file --ckpt-runner-main -verify-diagnostics | FileCheck %s
//
// ckpt-runner-main: the driver @main for a tensor step (generated inputs,
// per-result checksums) and its errors. The buffer variant is checked in
// runner-main-buffers.mlir.

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

// expected-error @+1 {{argument #1 has type 'tensor<?xf32>'; expected a statically shaped tensor of f16, bf16, f32 or f64}}
func.func @dynamic(%x: tensor<4xf32>, %y: tensor<?xf32>) -> tensor<4xf32> {
  return %x : tensor<4xf32>
}

// -----

// expected-error @+1 {{result #0 has type 'tensor<4xi32>'; expected a statically shaped tensor of f16, bf16, f32 or f64}}
func.func @integer(%x: tensor<4xf32>) -> tensor<4xi32> {
  %0 = arith.fptosi %x : tensor<4xf32> to tensor<4xi32>
  return %0 : tensor<4xi32>
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
