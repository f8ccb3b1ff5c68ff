// RUN: ckpt-opt %s -split-input-file '--ckpt-runner-main=int-range=7 dynamic-dim-size=5' | FileCheck %s
// RUN: ckpt-opt %s -split-input-file '--ckpt-runner-main=generator=hash' | FileCheck %s --check-prefix=HASH
// RUN: ckpt-opt %s -split-input-file '--ckpt-runner-main=load-inputs=/tmp/in store-results=/tmp/out time-step=true' | FileCheck %s --check-prefix=RAW
// RUN: not ckpt-opt %s -split-input-file '--ckpt-runner-main=generator=normal' 2>&1 | FileCheck %s --check-prefix=GEN
// RUN: not ckpt-opt %s -split-input-file '--ckpt-runner-main=dynamic-dim-size=0' 2>&1 | FileCheck %s --check-prefix=DYN
// RUN: not ckpt-opt %s -split-input-file '--ckpt-runner-main=int-range=0' 2>&1 | FileCheck %s --check-prefix=INTRANGE
//
// ckpt-runner-main's inputs beyond static floats: integer labels in a range
// (int-range, ckpt.input_range), i1 masks, dynamic dimensions
// (dynamic-dim-size), the hash generator, sharded arguments (global index
// from the runtime's rank), and arguments/results exchanged through raw
// files (load-inputs, store-results).

// GEN-COUNT-2: error: unknown generator 'normal'; expected 'sin' or 'hash'
// DYN-COUNT-2: error: 'dynamic-dim-size' must be at least 1, got 0
// INTRANGE-COUNT-2: error: 'int-range' must be at least 1, got 0

// Tests that integer and i1 arguments are the hash of their index modulo
// their range (ckpt.input_range, else int-range), integer results print
// sum/l1 from signed values (i1 unsigned) and bits zero-extended, and a
// dynamic dimension is bound to dynamic-dim-size and cast to the argument
// type.
// CHECK-LABEL: func.func @main()
// CHECK: %[[L:.*]] = linalg.generic {{.*}} outs(%{{.*}} : tensor<4xi64>)
// CHECK: %[[GOLDEN:.*]] = arith.constant -7046029254386353131 : i64
// CHECK: arith.addi %{{.*}}, %[[GOLDEN]] : i64
// CHECK: arith.shrui
// CHECK: %[[R5:.*]] = arith.constant 5 : i64
// CHECK: arith.remui %{{.*}}, %[[R5]] : i64
// CHECK: %[[M:.*]] = linalg.generic {{.*}} outs(%{{.*}} : tensor<8xi1>)
// CHECK: %[[R2:.*]] = arith.constant 2 : i64
// CHECK: arith.remui %{{.*}}, %[[R2]] : i64
// CHECK: arith.trunci %{{.*}} : i64 to i1
// CHECK: linalg.generic {{.*}} outs(%{{.*}} : tensor<5x3xi32>)
// CHECK: %[[R7:.*]] = arith.constant 7 : i64
// CHECK: arith.remui %{{.*}}, %[[R7]] : i64
// CHECK: arith.trunci %{{.*}} : i64 to i32
// CHECK: %[[IDS:.*]] = tensor.cast %{{.*}} : tensor<5x3xi32> to tensor<?x3xi32>
// CHECK: call @ckpt_rt_mark()
// CHECK-NEXT: %[[R:.*]]:3 = call @labels(%[[L]], %[[M]], %[[IDS]])
// CHECK: arith.sitofp %{{.*}} : i64 to f64
// CHECK: arith.uitofp %{{.*}} : i1 to f64
// CHECK: arith.extui %{{.*}} : i1 to i64
// CHECK: linalg.generic {{.*}} ins(%[[R]]#2 : tensor<?x3xi32>)
// CHECK: arith.sitofp %{{.*}} : i32 to f64

// Tests that the hash generator scales floats by 1/sqrt(fan-in) and leaves
// integers as they are.
// HASH-LABEL: func.func @main()
// HASH: arith.remui
// HASH-NOT: math.sin
// HASH: math.sqrt
// HASH: arith.divf
// HASH: linalg.generic
// HASH: arith.uitofp %{{.*}} : i64 to f64
// HASH: arith.subf
// HASH: arith.truncf %{{.*}} : f64 to f32
// HASH: call @ckpt_rt_mark()

// Tests that load-inputs reads every argument through the runtime into a
// buffer used as the tensor (the folder as a constant string), and
// store-results hands every result to the runtime after printing it.
// RAW-DAG: memref.global "private" constant @__ckpt_rt_load_inputs_dir : memref<8xi8> = dense<[47, 116, 109, 112, 47, 105, 110, 0]>
// RAW-DAG: memref.global "private" constant @__ckpt_rt_store_results_dir : memref<9xi8>
// RAW-DAG: func.func private @ckpt_rt_load_input_i64(i64, i64, memref<*xi64>)
// RAW-DAG: func.func private @ckpt_rt_load_input_i1(i64, i64, memref<*xi1>)
// RAW-DAG: func.func private @ckpt_rt_store_result_i32(i64, memref<*xi32>)
// RAW-LABEL: func.func @main()
// RAW: %[[DIR:.*]] = memref.get_global @__ckpt_rt_load_inputs_dir
// RAW: %[[CAST:.*]] = memref.cast %[[DIR]] : memref<8xi8> to memref<*xi8>
// RAW: call @ckpt_rt_load_inputs_begin(%{{.*}}, %[[CAST]])
// RAW: %[[BUF:.*]] = memref.alloc() : memref<4xi64>
// RAW: call @ckpt_rt_load_input_i64(
// RAW: bufferization.to_tensor %[[BUF]] restrict writable : memref<4xi64> to tensor<4xi64>
// RAW: %[[IDSBUF:.*]] = memref.alloc() : memref<1x3xi32>
// RAW: %[[IDS:.*]] = bufferization.to_tensor %[[IDSBUF]]
// RAW: tensor.cast %[[IDS]] : tensor<1x3xi32> to tensor<?x3xi32>
// RAW: call @ckpt_rt_mark()
// RAW-NEXT: call @ckpt_rt_step_begin()
// RAW-NEXT: %[[R:.*]]:3 = call @labels(
// RAW-NEXT: call @ckpt_rt_step_end()
// RAW: call @ckpt_rt_print_result
// RAW: call @ckpt_rt_store_results_begin(
// RAW: bufferization.to_buffer %[[R]]#0 read_only : tensor<4xi64> to memref<4xi64>
// RAW: call @ckpt_rt_store_result_i64(
// RAW: bufferization.to_buffer %[[R]]#2 read_only : tensor<?x3xi32> to memref<?x3xi32>
// RAW: call @ckpt_rt_store_result_i32(
// RAW: call @ckpt_rt_print_memory()
func.func @labels(%labels: tensor<4xi64> {ckpt.input_range = 5 : i64},
                  %mask: tensor<8xi1>, %ids: tensor<?x3xi32>)
    -> (tensor<4xi64>, tensor<8xi1>, tensor<?x3xi32>) {
  return %labels, %mask, %ids : tensor<4xi64>, tensor<8xi1>, tensor<?x3xi32>
}

// -----

// Tests that a sharded argument reads the rank and rank count from the
// runtime and generates from its global index: the shard dimension's size
// is local x ranks and its index is shifted by local x rank.
// CHECK-LABEL: func.func @main()
// CHECK: %[[RANK:.*]] = call @ckpt_rt_rank() : () -> i64
// CHECK: %[[R:.*]] = arith.index_cast %[[RANK]] : i64 to index
// CHECK: %[[COUNT:.*]] = call @ckpt_rt_num_ranks() : () -> i64
// CHECK: %[[N:.*]] = arith.index_cast %[[COUNT]] : i64 to index
// CHECK: %[[LOCAL:.*]] = arith.constant 2 : index
// CHECK: %[[GLOBAL:.*]] = arith.muli %[[LOCAL]], %[[N]] : index
// CHECK: %[[OFFSET:.*]] = arith.muli %[[LOCAL]], %[[R]] : index
// CHECK: linalg.generic
// CHECK: %[[I:.*]] = linalg.index 0 : index
// CHECK: arith.addi %[[I]], %[[OFFSET]] : index
// CHECK: math.sin
// RAW-LABEL: func.func @main()
// RAW-NOT: ckpt_rt_rank
// RAW: %[[K0:.*]] = arith.constant 0 : i64
// RAW-NEXT: %[[SHARD:.*]] = arith.constant 0 : i64
// RAW-NEXT: call @ckpt_rt_load_input_f32(%[[K0]], %[[SHARD]], %{{.*}})
// RAW: %[[NOSHARD:.*]] = arith.constant -1 : i64
// RAW-NEXT: call @ckpt_rt_load_input_f32(%{{.*}}, %[[NOSHARD]], %{{.*}})
func.func @sharded(%x: tensor<2x3xf32> {ckpt.shard_dim = 0 : i64},
                   %w: tensor<3x3xf32>) -> tensor<2x3xf32> {
  return %x : tensor<2x3xf32>
}

