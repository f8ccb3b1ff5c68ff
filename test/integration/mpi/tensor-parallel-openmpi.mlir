// REQUIRES: mpi-openmpi
// Tests the tensor-parallel MLP step of examples/gen_distributed_step.py on
// 2 ranks under Open MPI: W1 split by columns, W2 by rows (ckpt.shard_dim 1
// and 0), the block's all-reduce inside its checkpointed region (kept, not
// replayed: the remark says so), the input gradient all-reduced in the
// backward, the weight gradients gathered to full size. Checkpointed and
// unannotated results are bit-identical, and equal the unsharded step of
// the same sizes within relative 1e-5. The order with partitioning: an SPMD
// step as shard-partition would leave it (here the generator's, without
// regions), then ckpt-annotate, which cuts at each collective (no region
// holds an all-reduce), then ckpt-rematerialize: the same results.
//
// RUN: python3 %ckpt_src_root/examples/gen_distributed_step.py tp --ranks 2 --layers 2 --batch 4 --width 8 > %t.tp2.mlir
// RUN: python3 %ckpt_src_root/examples/gen_distributed_step.py tp --ranks 1 --layers 2 --batch 4 --width 8 > %t.tp1.mlir
// RUN: ckpt-opt %t.tp2.mlir -ckpt-rematerialize -o /dev/null 2>&1 | FileCheck %s --check-prefix=REMARK
// RUN: timeout 120 ckpt-run --ranks 2 --mpi openmpi %t.tp2.mlir > %t.ckpt
// RUN: timeout 120 ckpt-run --ranks 2 --mpi openmpi --no-checkpoint %t.tp2.mlir > %t.plain
// RUN: ckpt-run %t.tp1.mlir > %t.ref
// RUN: python3 %S/compare_results.py --bits %t.ckpt %t.plain | FileCheck %s --check-prefix=BITS
// RUN: python3 %S/compare_results.py --rtol 1e-5 %t.ckpt %t.ref | FileCheck %s --check-prefix=REF
// RUN: python3 %ckpt_src_root/examples/gen_distributed_step.py tp --ranks 2 --layers 2 --batch 4 --width 8 --no-regions > %t.spmd.mlir
// RUN: ckpt-opt %t.spmd.mlir -ckpt-annotate=segments=4 2>/dev/null | FileCheck %s --check-prefix=CUT
// RUN: timeout 120 ckpt-run --ranks 2 --mpi openmpi --passes 'ckpt-annotate{segments=4},ckpt-rematerialize' %t.spmd.mlir > %t.annotated
// RUN: python3 %S/compare_results.py --bits %t.annotated %t.plain | FileCheck %s --check-prefix=BITS

// REMARK: remark: checkpointed region 'blocks.0'
// REMARK: note: kept: collective
// REMARK-NEXT: shard.all_reduce
// REMARK: remark: checkpointed region 'blocks.1'
// REMARK: note: kept: collective
// REMARK-NEXT: shard.all_reduce
// CUT: ckpt.checkpoint "segment.0"
// CUT-NOT: shard.all_reduce
// CUT: ckpt.yield
// CUT-NEXT: }
// CUT-NEXT: shard.all_reduce
// CUT-NEXT: ckpt.checkpoint "segment.1"
// CUT-NOT: shard.all_reduce
// CUT: ckpt.yield
// CUT-NEXT: }
// CUT-NEXT: shard.all_reduce
// CUT-NEXT: ckpt.checkpoint "segment.2"
// BITS: all 5 results bit-identical
// REF: all 5 results agree within 1e-05
