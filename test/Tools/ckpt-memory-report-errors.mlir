// Tests that ckpt-memory-report fails, with an error and a non-zero exit,
// when a report file cannot be written (through ckpt-opt's flags and as a
// pass), when its options are invalid, and that it writes no report when a
// pass of its pipeline fails.

// RUN: not ckpt-opt %s --ckpt-memory-report-json=%t.missing/report.json -o /dev/null 2>&1 | FileCheck %s --check-prefix=JSON
// RUN: not ckpt-opt %s --pass-pipeline='builtin.module(ckpt-memory-report{json=%t.missing/report.json})' -o /dev/null 2>&1 | FileCheck %s --check-prefix=JSON
// JSON: error: cannot write the memory report as JSON: cannot open output file '{{.*}}missing/report.json'

// RUN: not ckpt-opt %s --ckpt-memory-report-svg=%t.missing/live.svg -o /dev/null 2>&1 | FileCheck %s --check-prefix=SVG
// SVG: error: cannot write the memory report as SVG: cannot open output file '{{.*}}missing/live.svg'

// RUN: not ckpt-opt %s --pass-pipeline='builtin.module(ckpt-memory-report{json=/dev/full text=false})' -o /dev/null 2>&1 | FileCheck %s --check-prefix=FULL
// FULL: error: cannot write the memory report as JSON to '/dev/full': No space left on device

// RUN: not ckpt-opt %s --pass-pipeline='builtin.module(ckpt-memory-report{pipeline=no-such-pass})' -o /dev/null 2>&1 | FileCheck %s --check-prefix=PIPELINE
// PIPELINE: error: invalid 'pipeline' of ckpt-memory-report: 'no-such-pass': {{.*}}'no-such-pass' does not refer to a registered pass or pass pipeline

// RUN: not ckpt-opt %s --ckpt-memory-report --ckpt-dynamic-dim-size=-1 -o /dev/null 2>&1 | FileCheck %s --check-prefix=DIM
// RUN: not ckpt-opt %s --pass-pipeline='builtin.module(ckpt-memory-report{dynamic-dim-size=-1})' -o /dev/null 2>&1 | FileCheck %s --check-prefix=DIM
// DIM: error: invalid 'dynamic-dim-size' -1: expected a number of elements (0 or more)

// RUN: not ckpt-opt %s --pass-pipeline='builtin.module(ckpt-memory-report{pipeline=ckpt-rematerialize{assume-pure=(} json=%t.failed.json})' -o /dev/null 2>&1 | FileCheck %s --check-prefix=NESTED
// RUN: not test -e %t.failed.json
// NESTED: error: invalid 'assume-pure' regex '('
// NESTED-NOT: ckpt memory report

func.func @f(%x: tensor<4xf32>) -> tensor<4xf32> {
  %y = math.exp %x : tensor<4xf32>
  return %y : tensor<4xf32>
}
