//===- Passes.td - making a step runnable ---*- tablegen -*-===//

#ifndef CKPT_RUNNER_PASSES_TD
#define CKPT_RUNNER_PASSES_TD

include "mlir/Pass/PassBase.td"

def CkptRunnerMain : Pass<"ckpt-runner-main", "::mlir::ModuleOp"> {
  let summary = "Add a @main that runs a training step on generated or "
                "loaded inputs and prints its results and allocated bytes";
  let description = [{
    For running a step with `mlir-runner` after `ckpt-lower-to-cpu`. The
    new `func.func @main()`:

    1. builds argument k of the entry function. Element i (the row-major
       linear index in the argument's *global* shape, see sharding below)
       of a floating-point argument is, with `generator=sin` (the default),
       `0.5 * sin(0.37 * i + 1.3 * k)`; with `generator=hash`,
       `(2 * u - 1) / sqrt(fan_in)` where `u = (h(k, i) >> 11) * 2^-53` is
       uniform in [0, 1) and `fan_in` is the product of all dimensions but
       the first (1 for rank 0 and 1): PyTorch's fan-in of an `out x in`
       or `out x in x kh x kw` weight, the usual scaling of initializers,
       so activations keep their scale through layers and batch statistics
       of real models are not degenerate. Both are computed in f64 and
       truncated to the element type (`i` and `k` as f64 for sin). An
       integer or `i1` argument (labels, masks), under either generator,
       is `(h(k, i) >> 11) mod N`: uniform in [0, N) with `N` the
       argument's `ckpt.input_range = N : i64` attribute, else `int-range`
       (`i1`: at most 2, `int-range` taken as min(`int-range`, 2); `iW`: at
       most 2^(W-1), so values are non-negative).
       `h(k, i) = mix(i + (k + 1) * 0x9E3779B97F4A7C15)` in wrapping 64-bit
       unsigned arithmetic, `mix` the SplitMix64 finalizer
       (`x ^= x >> 30; x *= 0xBF58476D1CE4E5B9; x ^= x >> 27;
       x *= 0x94D049BB133111EB; x ^= x >> 31`). The gradient oracle in
       `test/integration` builds the sin inputs with PyTorch, and
       `test/Runner/input_oracle.py` every generator with numpy.
       With `load-inputs=DIR` the arguments are read instead from raw files
       that `ckpt-run --inputs` writes there (`argK.bin`, little-endian
       row-major data, and `argK.txt`, its dtype and global shape): the
       runtime checks that there are as many as the step has arguments and
       that each dtype and shape match, and exits with an error otherwise.
    2. calls `ckpt_rt_mark()` (allocations from here on are the step's),
       then the entry function;
    3. for each result, calls `ckpt_rt_print_result(index, sum, l1, bits)`:
       the sum and L1 norm of its elements in f64 (integers converted, `i1`
       as 0/1), and the wrapping sum of their bit patterns zero-extended to
       64 bits (equal for bitwise-equal results); with `store-results=DIR`
       also writes each result to `DIR/resultK.bin` and `resultK.txt`;
    4. calls `ckpt_rt_print_memory()`.

    Dynamic dimensions: every `?` dimension of the entry's arguments takes
    `dynamic-dim-size` elements (the same option, and meaning, as the
    memory report's); results may have dynamic dimensions.

    SPMD (`ckpt-run --ranks N`): an argument with `ckpt.shard_dim = D : i64`
    is this rank's slice of a global tensor along dimension D (global size =
    local size x ranks). Its element at local index `(.., j_D, ..)` is the
    generator applied to the global index `(.., r * local_D + j_D, ..)` in
    the global shape, so rank r's slice equals rows
    `[r * local_D, (r + 1) * local_D)` of the 1-rank global tensor; loaded
    inputs hold global tensors and each rank reads its slice. The rank r
    and rank count come at run time from `ckpt_rt_rank()` and
    `ckpt_rt_num_ranks()` (the MPI launcher's environment), so one lowered
    module serves every rank; the runtime prints results from rank 0 only.

    The `ckpt_rt_*` functions live in the `ckpt_cpu_runtime` library.
    Refused with an error: no entry function, an existing `@main`, an
    argument or result that is not a ranked tensor of f16, bf16, f32, f64
    or a signless integer (including `i1`), a malformed `ckpt.shard_dim` or
    `ckpt.input_range`, `dynamic-dim-size` or `int-range` below 1, an
    unknown `generator`, and with `load-inputs`/`store-results` an element
    type other than f16, bf16, f32, f64, i1, i8, i16, i32, i64.

    With `buffers`, for a step that is already bufferized (static memref
    arguments and results of f32), the `@main` does the same with host
    buffers and calls only into the runtime (`ckpt_rt_fill_f32`,
    `ckpt_rt_print_memref_f32`): it computes nothing itself, so a GPU
    lowering leaves it on the host. With `device` it also marks and prints
    the device bytes (`ckpt_rt_device_mark`, `ckpt_rt_print_device_memory`
    of the CUDA runtime library). `ckpt_rt_step_begin`/`ckpt_rt_step_end`
    around the call print the step's wall time. The other options do not
    apply there (sin inputs, static f32 buffers).
  }];
  let options = [
    Option<"entry", "entry", "std::string", "\"\"",
           "The function to run (default: the only public function with a "
           "body)">,
    Option<"generator", "generator", "std::string", "\"sin\"",
           "How floating-point inputs are generated: 'sin' "
           "(0.5*sin(0.37*i+1.3*k)) or 'hash' (uniform [-1,1) over "
           "sqrt(fan-in))">,
    Option<"intRange", "int-range", "int64_t", "2",
           "Integer and i1 inputs are uniform in [0, int-range) unless the "
           "argument has 'ckpt.input_range'">,
    Option<"dynamicDimSize", "dynamic-dim-size", "int64_t", "1",
           "Elements of each dynamic dimension of the entry's arguments "
           "(at least 1; the memory report's option of the same name)">,
    Option<"loadInputs", "load-inputs", "std::string", "\"\"",
           "Read the arguments from DIR/argK.bin (raw little-endian, "
           "checked against DIR/argK.txt) instead of generating them">,
    Option<"storeResults", "store-results", "std::string", "\"\"",
           "Also write each result to DIR/resultK.bin and DIR/resultK.txt "
           "(dtype and shape), from rank 0">,
    Option<"timeStep", "time-step", "bool", "false",
           "Print the step's wall time (ckpt_rt_step_begin/end around the "
           "call)">,
    Option<"buffers", "buffers", "bool", "false",
           "The step is bufferized: build the driver on host buffers with "
           "runtime calls only">,
    Option<"device", "device", "bool", "false",
           "With buffers: also measure device bytes (CUDA runtime library)">,
  ];
  let dependentDialects = [
    "::mlir::arith::ArithDialect", "::mlir::bufferization::BufferizationDialect",
    "::mlir::func::FuncDialect", "::mlir::linalg::LinalgDialect",
    "::mlir::math::MathDialect", "::mlir::memref::MemRefDialect",
    "::mlir::tensor::TensorDialect"
  ];
}

#endif // CKPT_RUNNER_PASSES_TD
