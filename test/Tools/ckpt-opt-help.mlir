// Tests that --help lists the ckpt passes with their summaries and options.
// RUN: ckpt-opt --help | FileCheck %s

// CHECK-DAG: --ckpt-rematerialize {{.*}}Drop the stored intermediates of checkpointed regions
// CHECK-DAG: --assume-pure=<string>
// CHECK-DAG: --policy=<value>
// CHECK-DAG: =recompute-all
// CHECK-DAG: =save-matmuls
// CHECK-DAG: --save-ops=<string>
// CHECK-DAG: --ckpt-verify {{.*}}Check that no dropped forward value is used by the backward
// CHECK-DAG: --ckpt-strip-barriers {{.*}}Remove ckpt.barrier ops
