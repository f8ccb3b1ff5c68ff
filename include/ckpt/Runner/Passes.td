//===- Passes.td - making a step runnable ---*- tablegen -*-===//

#ifndef CKPT_RUNNER_PASSES_TD
#define CKPT_RUNNER_PASSES_TD

include "mlir/Pass/PassBase.td"

def CkptRunnerMain : Pass<"ckpt-runner-main", "::mlir::ModuleOp"> {
  let summary = "Add a @main that runs a training step on generated inputs "
                "and prints its results and allocated bytes";
  let description = [{
    For running a step with `mlir-runner` after `ckpt-lower-to-cpu`. The
    new `func.func @main()`:

    1. builds argument k of the entry function, element at row-major linear
       index i, as `0.5 * sin(0.37 * i + 1.3 * k)` computed in f64 and
       truncated to the element type (the gradient oracle in
       `test/integration` builds the same inputs with PyTorch);
    2. calls `ckpt_rt_mark()` (allocations from here on are the step's),
       then the entry function;
    3. for each result, calls `ckpt_rt_print_result(index, sum, l1, bits)`:
       the sum and L1 norm of its elements in f64, and the wrapping sum of
       their bit patterns (equal for bitwise-equal results);
    4. calls `ckpt_rt_print_memory()`.

    The `ckpt_rt_*` functions live in the `ckpt_cpu_runtime` library.
    Refused with an error: no entry function, an existing `@main`, or an
    argument or result that is not a statically shaped tensor of f16, bf16,
    f32 or f64.

    With `buffers`, for a step that is already bufferized (static memref
    arguments and results of f32), the `@main` does the same with host
    buffers and calls only into the runtime (`ckpt_rt_fill_f32`,
    `ckpt_rt_print_memref_f32`): it computes nothing itself, so a GPU
    lowering leaves it on the host. With `device` it also marks and prints
    the device bytes (`ckpt_rt_device_mark`, `ckpt_rt_print_device_memory`
    of the CUDA runtime library). `ckpt_rt_step_begin`/`ckpt_rt_step_end`
    around the call print the step's wall time.
  }];
  let options = [
    Option<"entry", "entry", "std::string", "\"\"",
           "The function to run (default: the only public function with a "
           "body)">,
    Option<"buffers", "buffers", "bool", "false",
           "The step is bufferized: build the driver on host buffers with "
           "runtime calls only">,
    Option<"device", "device", "bool", "false",
           "With buffers: also measure device bytes (CUDA runtime library)">,
  ];
  let dependentDialects = [
    "::mlir::arith::ArithDialect", "::mlir::func::FuncDialect",
    "::mlir::linalg::LinalgDialect", "::mlir::math::MathDialect",
    "::mlir::memref::MemRefDialect", "::mlir::tensor::TensorDialect"
  ];
}

#endif // CKPT_RUNNER_PASSES_TD
