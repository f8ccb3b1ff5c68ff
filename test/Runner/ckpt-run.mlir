// Tests the ckpt-run tool itself: --help lists every option; --keep-lowered
// keeps the module mlir-runner runs; -O0 and the default -O3 give the same
// bits; --time-step prints the step's time; ckpt-opt's diagnostics are shown
// whole and every failure exits non-zero.
//
// RUN: ckpt-run --help | FileCheck %s --check-prefix=HELP
// RUN: ckpt-run --entry step --keep-lowered %t.lowered.mlir --time-step %s | FileCheck %s --check-prefix=OUT
// RUN: FileCheck %s --check-prefix=LOWERED < %t.lowered.mlir
// RUN: ckpt-run -O0 --entry step %s | grep '^result' > %t.O0
// RUN: ckpt-run --entry step %s | grep '^result' > %t.O3
// RUN: diff %t.O0 %t.O3
// RUN: not ckpt-run --entry bad %s 2>&1 | FileCheck %s --check-prefix=BAD
// RUN: not ckpt-run --entry missing %s 2>&1 | FileCheck %s --check-prefix=MISSING
// RUN: not ckpt-run %s 2>&1 | FileCheck %s --check-prefix=SEVERAL
// RUN: not ckpt-run --int-range 0 %s 2>&1 | FileCheck %s --check-prefix=RANGE
// RUN: not ckpt-run %t.does-not-exist.mlir 2>&1 | FileCheck %s --check-prefix=NOFILE
// RUN: not ckpt-run --ranks 2 --mpi-lib %t.no-such-lib.so --entry step %s 2>&1 | FileCheck %s --check-prefix=MPILIB

// HELP: usage: ckpt-run
// HELP-DAG: --no-checkpoint
// HELP-DAG: --passes
// HELP-DAG: --entry NAME
// HELP-DAG: --generator {sin,hash}
// HELP-DAG: --int-range N
// HELP-DAG: --dynamic-dim-size N
// HELP-DAG: -O LEVEL
// HELP-DAG: --inputs PATH.npz
// HELP-DAG: --outputs PATH.npz
// HELP-DAG: --keep-lowered FILE
// HELP-DAG: --time-step
// HELP-DAG: --ranks N
// HELP-DAG: --all-ranks
// HELP-DAG: --mpi {mpich,openmpi}
// HELP-DAG: --mpi-lib PATH

// The loss-like result: sum of 0.5*sin(0.37*i) over 4 elements.
// OUT: step time ms {{[0-9.]+}}
// OUT: result 0: sum {{.*}} bits
// OUT: peak bytes

// LOWERED: llvm.func @main()
// LOWERED: llvm.call @ckpt_rt_step_begin()

// BAD: ckpt-run.mlir:{{[0-9]+}}:1: error: argument #0 has type 'tensor<4xindex>'; expected a ranked tensor of f16, bf16, f32, f64 or a signless integer
// BAD-NEXT: func.func @bad
// BAD: ckpt-run: error: ckpt-opt failed on {{.*}}ckpt-run.mlir (exit status 1)
// MISSING: error: no function @missing with a body
// MISSING: ckpt-run: error: ckpt-opt failed
// SEVERAL: error: several public functions; name one with 'entry'
// RANGE: ckpt-run: error: --int-range must be at least 1
// NOFILE: ckpt-run: error: no such file: {{.*}}does-not-exist.mlir
// MPILIB: ckpt-run: error: the MPI library {{.*}}no-such-lib.so does not exist (give one with --mpi-lib)

func.func @step(%x: tensor<4xf32>) -> tensor<4xf32> {
  %e = tensor.empty() : tensor<4xf32>
  %y = linalg.copy ins(%x : tensor<4xf32>) outs(%e : tensor<4xf32>) -> tensor<4xf32>
  return %y : tensor<4xf32>
}

func.func @bad(%x: tensor<4xindex>) -> tensor<4xf32> {
  %one = arith.constant 1.0 : f32
  %e = tensor.empty() : tensor<4xf32>
  %y = linalg.fill ins(%one : f32) outs(%e : tensor<4xf32>) -> tensor<4xf32>
  return %y : tensor<4xf32>
}
