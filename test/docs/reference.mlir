// Tests that the references name everything the code defines (issue 20):
// every op of CkptOps.td has a section in the generated dialect reference
// (build/docs/Ckpt/CkptDialect.md, `ninja ckpt-doc`, which check-ckpt
// builds), every ckpt- pass of `ckpt-opt --help` one in a generated pass
// reference (one page per Passes.td), and docs/reference.md names every
// test-only pass, every ckpt- pipeline with each of its options, every
// --ckpt-* flag of ckpt-opt and every ckpt.* attribute and trace key. A pass,
// option, flag or attribute added without docs makes this test fail; so do
// a source path named in the docs that does not exist and a folder missing
// from the layout in docs/building.md.
//
// RUN: %python %S/check_reference.py %ckpt_src_root %ckpt_obj_root %ckpt_obj_root/bin/ckpt-opt | FileCheck %s

// CHECK: ops: 3 (ckpt.checkpoint, ckpt.yield, ckpt.barrier)
// CHECK: pass pages: 5 for 5 Passes.td
// CHECK: passes: {{[1-9][0-9]*}} ckpt-, {{[1-9][0-9]*}} test-ckpt-; pipelines: ckpt-lower-to-cpu ({{[1-9][0-9]*}} options), ckpt-lower-to-nvvm ({{[1-9][0-9]*}} options); flags: --ckpt-dynamic-dim-size, --ckpt-memory-report
// CHECK: attributes: ckpt.checkpoint, ckpt.forward_results, ckpt.backward, ckpt.num_outputs, ckpt.auto, ckpt.shard_dim, ckpt.input_range; trace keys: ckpt.region, ckpt.dropped, ckpt.recompute, ckpt.instance
// CHECK: paths named in the docs: {{[1-9][0-9]*}}
// CHECK: layout: {{[1-9][0-9]*}} folders
// CHECK-NOT: FAIL
// CHECK: reference: 0 omissions
