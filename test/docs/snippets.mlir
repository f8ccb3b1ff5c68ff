// Tests that every ```mlir block of README.md and docs/*.md parses and
// verifies as a whole module in ckpt-opt (issue 20); a block marked
// `<!-- doc-test: fragment -->` on the line before it is skipped and
// counted (test/docs/doc_blocks.py describes the markers).
//
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %S/check_snippets.py %ckpt_src_root %ckpt_obj_root/bin/ckpt-opt %t | FileCheck %s

// CHECK-NOT: FAILED
// CHECK-NOT: MARKER ERROR
// CHECK: snippets: {{[1-9][0-9]*}} parsed, {{[0-9]+}} fragments skipped, 0 failed, 0 marker errors
