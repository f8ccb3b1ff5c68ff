// Differential fuzzing smoke test (issue 19): generated training steps
// (test/fuzz/gen_graph.py) through the standard pipeline, ckpt-verify, the
// memory report and ckpt-lower-to-nvvm (compile-only), and executed with
// and without checkpointing (ckpt-run). No crash, no verifier error, no
// never-worse violation, bit-identical results, numpy agreement.
// The known defects the fuzzer finds (reduced in test/fuzz/reproducers/,
// each XFAIL) are counted but do not fail this test: --allow 'peak off'
// (memory report vs measured peak) and --allow 'nvvm failed'
// (ckpt-lower-to-nvvm refusals). The issue asks for 200 compile-only and 20
// executed seeds; on the 2-core CI machine those take about 6 and 3 minutes
// (docs/testing.md), so this test runs 40 and 6 (60 and 8 took 268 s); fuzz.py runs any N.
// REQUIRES: numpy
// RUN: %numpy_python %S/fuzz.py --n 40 --seed 1 --compile-only --jobs 2 --allow 'peak off' --allow 'nvvm failed' | FileCheck %s --check-prefix=COMPILE
// RUN: %numpy_python %S/fuzz.py --n 6 --seed 1000 --jobs 2 --allow 'peak off' --allow 'nvvm failed' | FileCheck %s --check-prefix=EXEC
// COMPILE: fuzz: 40 seeds from 1 (compile-only)
// COMPILE-NEXT: generated: 40
// COMPILE-NEXT: crashed: 0
// COMPILE-NEXT: mismatched: 0
// COMPILE-NEXT: verifier errors: 0
// COMPILE-NEXT: never-worse broken: 0
// COMPILE: numerics wrong: 0
// COMPILE-NEXT: run failed: 0
// COMPILE-NEXT: generator failed: 0
// EXEC: fuzz: 6 seeds from 1000 (executed)
// EXEC-NEXT: generated: 6
// EXEC-NEXT: crashed: 0
// EXEC-NEXT: mismatched: 0
// EXEC-NEXT: verifier errors: 0
// EXEC-NEXT: never-worse broken: 0
// EXEC: numerics wrong: 0
// EXEC-NEXT: run failed: 0
// EXEC-NEXT: generator failed: 0
