# Tests the Python package on the bundled training step: run_pipeline gives
# ckpt-opt's output and remarks, memory_report gives the numbers of the text
# report (before and after, per region), an empty pipeline reports the
# module as it is, failures raise PipelineError with the diagnostics, and
# the public functions carry docstrings.
#
# RUN: ckpt-opt %ckpt_src_root/examples/mlp_train_step.mlir --ckpt-rematerialize --ckpt-verify --cse -o %t.ckpt-opt.mlir 2> %t.remarks.txt
# RUN: ckpt-opt %ckpt_src_root/examples/mlp_train_step.mlir --ckpt-rematerialize --ckpt-memory-report -o /dev/null 2> %t.report.txt
# RUN: env PYTHONPATH=%ckpt_python_dir python3 %s %ckpt_src_root/examples/mlp_train_step.mlir %t.python.mlir > %t.python.txt
# RUN: diff %t.ckpt-opt.mlir %t.python.mlir
# RUN: cat %t.report.txt %t.python.txt | FileCheck %s
#
# The text report (ckpt-opt), its numbers captured:
# CHECK: === ckpt memory report: @mlp_train_step ===
# CHECK: peak live bytes [[PB:[0-9]+]] [[PA:[0-9]+]]
# CHECK-NEXT: saved bytes (forward->backward) [[SB:[0-9]+]] [[SA:[0-9]+]]
# CHECK-NEXT: saved values [[VB:[0-9]+]] [[VA:[0-9]+]]
# CHECK-NEXT: argument bytes [[AB:[0-9]+]] [[AA:[0-9]+]]
# CHECK-NEXT: FLOPs (total) [[TB:[0-9]+]] [[TA:[0-9]+]]
# CHECK-NEXT: FLOPs (forward) [[FB:[0-9]+]] [[FA:[0-9]+]]
# CHECK-NEXT: recompute FLOPs [[RB:[0-9]+]] [[RA:[0-9]+]]
# CHECK-NEXT: ops [[OB:[0-9]+]] [[OA:[0-9]+]]
# CHECK: layers.0 [[R0:[0-9]+ +[0-9]+ +[0-9]+ +[0-9]+ +[0-9]+]]
# CHECK-NEXT: layers.1 [[R1:[0-9]+ +[0-9]+ +[0-9]+ +[0-9]+ +[0-9]+]]
# CHECK-NEXT: layers.2 [[R2:[0-9]+ +[0-9]+ +[0-9]+ +[0-9]+ +[0-9]+]]
#
# The same numbers from Python:
# CHECK: python run_pipeline: remarks 3
# CHECK: python report: @mlp_train_step
# CHECK-NEXT: peak live bytes [[PB]] [[PA]]
# CHECK-NEXT: saved bytes (forward->backward) [[SB]] [[SA]]
# CHECK-NEXT: saved values [[VB]] [[VA]]
# CHECK-NEXT: argument bytes [[AB]] [[AA]]
# CHECK-NEXT: FLOPs (total) [[TB]] [[TA]]
# CHECK-NEXT: FLOPs (forward) [[FB]] [[FA]]
# CHECK-NEXT: recompute FLOPs [[RB]] [[RA]]
# CHECK-NEXT: ops [[OB]] [[OA]]
# CHECK-NEXT: layers.0 [[R0]]
# CHECK-NEXT: layers.1 [[R1]]
# CHECK-NEXT: layers.2 [[R2]]
# CHECK: python report as is: peak [[PB]] [[PB]], saved [[SB]] [[SB]]
# CHECK: python error: <input>:0:0: error: invalid 'dynamic-dim-size' -1
# CHECK: python error: {{.*}}'no-such-pass' does not refer to a registered pass
# CHECK: python error: <input>:1:{{[0-9]+}}: error:
# CHECK: python docstrings: ok

import sys

import ckpt

step_path, output_path = sys.argv[1], sys.argv[2]
with open(step_path) as f:
    step = f.read()

result = ckpt.run_pipeline(step, "ckpt-rematerialize,ckpt-verify,cse")
with open(output_path, "w") as f:
    f.write(result.output)
print("python run_pipeline: remarks",
      result.diagnostics.count(": remark: checkpointed region"))

ROWS = [("peak live bytes", "peak_bytes"),
        ("saved bytes (forward->backward)", "saved_bytes"),
        ("saved values", "saved_values"),
        ("argument bytes", "argument_bytes"),
        ("FLOPs (total)", "total_flops"),
        ("FLOPs (forward)", "forward_flops"),
        ("recompute FLOPs", "recompute_flops"),
        ("ops", "ops")]
report = ckpt.memory_report(step, "ckpt-rematerialize")
for fn in report["functions"]:
    before, after = fn["before"], fn["after"]
    print("python report: @%s" % fn["name"])
    for label, key in ROWS:
        print(label, before[key], after[key])
    for region in after["regions"]:
        print(region["name"], region["saved_bytes"], region["dropped_bytes"],
              region["dropped_values"], region["recompute_flops"],
              region["ops_cloned"])

as_is = ckpt.memory_report(step)["functions"][0]
print("python report as is: peak %d %d, saved %d %d"
      % (as_is["before"]["peak_bytes"], as_is["after"]["peak_bytes"],
         as_is["before"]["saved_bytes"], as_is["after"]["saved_bytes"]))

for call in [lambda: ckpt.memory_report(step, dynamic_dim_size=-1),
             lambda: ckpt.run_pipeline(step, "no-such-pass"),
             lambda: ckpt.run_pipeline("func.func @f( {", "cse")]:
    try:
        call()
        print("python error: none")
    except ckpt.PipelineError as error:
        print("python error:", error.diagnostics.splitlines()[0])

documented = all(f.__doc__ and f.__doc__.strip() for f in
                 [ckpt, ckpt.run_pipeline, ckpt.memory_report,
                  ckpt.library_path, ckpt.PipelineError,
                  ckpt.PipelineResult])
print("python docstrings:", "ok" if documented else "missing")
