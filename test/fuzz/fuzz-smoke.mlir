// Differential fuzzing smoke test (issue 19): generated training steps
// (test/fuzz/gen_graph.py) through the standard pipeline, ckpt-verify, the
// memory report and ckpt-lower-to-nvvm (compile-only), and executed with
// and without checkpointing (ckpt-run). No crash, no verifier error, no
// never-worse violation, bit-identical results, numpy agreement.
// The known defect the fuzzer still finds (memory report vs measured peak
// on loops, scf.if and calls; docs/testing.md) is counted but does not fail
// this test: --allow 'peak off'. ckpt-lower-to-nvvm must compile every
// graph (nvvm failed: 0; before the device-memory fixes of 2026-12-02, 142
// of these 200 failed). 200 compile-only and 20 executed seeds, as the
// issue asks: 57 s and 27 s on the 2-core machine (2026-12-02, --jobs 2,
// lightly loaded; 216 s and 51 s beside another build); fuzz.py runs any N.
// REQUIRES: numpy
// RUN: %numpy_python %S/fuzz.py --n 200 --seed 1 --compile-only --jobs 2 --allow 'peak off' | FileCheck %s --check-prefix=COMPILE
// RUN: %numpy_python %S/fuzz.py --n 20 --seed 1000 --jobs 2 --allow 'peak off' | FileCheck %s --check-prefix=EXEC
// COMPILE: fuzz: 200 seeds from 1 (compile-only)
// COMPILE-NEXT: generated: 200
// COMPILE-NEXT: crashed: 0
// COMPILE-NEXT: mismatched: 0
// COMPILE-NEXT: verifier errors: 0
// COMPILE-NEXT: never-worse broken: 0
// COMPILE: nvvm failed: 0
// COMPILE-NEXT: numerics wrong: 0
// COMPILE-NEXT: run failed: 0
// COMPILE-NEXT: generator failed: 0
// EXEC: fuzz: 20 seeds from 1000 (executed)
// EXEC-NEXT: generated: 20
// EXEC-NEXT: crashed: 0
// EXEC-NEXT: mismatched: 0
// EXEC-NEXT: verifier errors: 0
// EXEC-NEXT: never-worse broken: 0
// EXEC: nvvm failed: 0
// EXEC-NEXT: numerics wrong: 0
// EXEC-NEXT: run failed: 0
// EXEC-NEXT: generator failed: 0
