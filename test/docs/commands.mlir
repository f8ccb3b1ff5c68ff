// Tests that the shell commands of README.md and docs/*.md run as written
// (issue 20): every ```sh block and every "$ " line of a transcript block,
// from a copy of the source tree's top level with build/bin on PATH (files
// they write, and what they call /tmp/, land in %t). Blocks marked
// `<!-- doc-test: gpu -->` or `<!-- doc-test: not-run (REASON) -->` are
// listed, not run (test/docs/doc_blocks.py describes the markers). The
// commands of docs/distributed.md, which launch MPI ranks, run in
// mpi/commands-mpi.mlir. A block that reads ../shared/models or launches
// ranks is UNSUPPORTED (counted) where those are missing.
//
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %S/check_commands.py %ckpt_src_root %ckpt_obj_root %t --exclude docs/distributed.md | FileCheck %s

// CHECK-NOT: FAIL
// CHECK-NOT: MARKER ERROR
// CHECK: commands: {{[1-9][0-9]*}} passed, 0 failed, {{[0-9]+}} need a GPU, {{[0-9]+}} not run, {{[0-9]+}} unsupported, 0 marker errors
