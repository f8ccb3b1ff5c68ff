// REQUIRES: mpi-openmpi
// Tests the data-parallel MLP step of examples/gen_distributed_step.py on 2
// ranks under Open MPI (each rank holds 4 of the 8 batch rows through
// ckpt.shard_dim; gradients and loss are summed by shard.all_reduce, lowered
// by ckpt-lower-to-cpu{mpi=openmpi}): the checkpointed step's results are
// bit-identical to the unannotated step's, and equal to the 1-rank step on
// the full batch within relative 1e-5 (the all-reduce sums the two halves'
// partial gradients in another order).
//
// RUN: python3 %ckpt_src_root/examples/gen_distributed_step.py dp --ranks 2 --layers 2 --batch 8 --width 8 > %t.dp2.mlir
// RUN: python3 %ckpt_src_root/examples/gen_distributed_step.py dp --ranks 1 --layers 2 --batch 8 --width 8 > %t.dp1.mlir
// RUN: timeout 120 ckpt-run --ranks 2 --mpi openmpi %t.dp2.mlir > %t.ckpt
// RUN: timeout 120 ckpt-run --ranks 2 --mpi openmpi --no-checkpoint %t.dp2.mlir > %t.plain
// RUN: ckpt-run %t.dp1.mlir > %t.ref
// RUN: python3 %S/compare_results.py --bits %t.ckpt %t.plain | FileCheck %s --check-prefix=BITS
// RUN: python3 %S/compare_results.py --rtol 1e-5 %t.ckpt %t.ref | FileCheck %s --check-prefix=REF
// RUN: FileCheck %s --check-prefix=PEAK < %t.ckpt

// BITS: all 5 results bit-identical
// REF: all 5 results agree within 1e-05
// PEAK-DAG: rank 0: peak {{[0-9]+}} bytes
// PEAK-DAG: rank 1: peak {{[0-9]+}} bytes
