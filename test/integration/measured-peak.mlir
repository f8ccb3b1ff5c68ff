// The runtime-measured peak (bytes the lowered step allocates, inputs
// excluded) against the static estimate of the memory report, on the
// bundled example, with and without checkpointing. rationale §7 asks for
// within 5%; today it is within 1% (the estimate counts the copies
// bufferization makes where two matmuls share one zero-filled accumulator
// and the matmul written in place into the last one's buffer; the extra
// bytes are the 64-byte alignment of each allocation).
// RUN: ckpt-opt %ckpt_src_root/examples/mlp_train_step.mlir -ckpt-rematerialize --ckpt-memory-report -o /dev/null 2>&1 | FileCheck %s --check-prefix=STATIC
// RUN: ckpt-run %ckpt_src_root/examples/mlp_train_step.mlir | FileCheck %s --check-prefix=CKPT
// RUN: ckpt-run --no-checkpoint %ckpt_src_root/examples/mlp_train_step.mlir | FileCheck %s --check-prefix=BASE

// STATIC: peak live bytes 77828 73732
// CKPT: peak bytes 74180
// BASE: peak bytes 78340
