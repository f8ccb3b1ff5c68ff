// Tests that the shell commands of docs/distributed.md run as written
// (issue 20), as test/docs/commands.mlir does for the other docs; most
// launch two MPI ranks (Open MPI and MPICH), so this test runs in the "mpi"
// parallelism group.
//
// REQUIRES: mpi-openmpi, mpi-mpich
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %S/../check_commands.py %ckpt_src_root %ckpt_obj_root %t docs/distributed.md | FileCheck %s

// CHECK-NOT: FAIL
// CHECK-NOT: MARKER ERROR
// CHECK: commands: {{[1-9][0-9]*}} passed, 0 failed, 0 need a GPU, {{[0-9]+}} not run, 0 unsupported, 0 marker errors
