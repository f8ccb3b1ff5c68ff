// ckpt-annotate's cost targets, pareto= and segments=sqrt by layers, on the
// generated 4-layer MLP of annotate-budget.mlir (batch 64, width 32, f32).
// RUN: python3 %ckpt_src_root/examples/gen_train_step.py mlp --layers 4 --batch 64 --width 32 --no-regions > %t.mlir
// RUN: ckpt-opt %t.mlir '--ckpt-annotate=budget=60K target=h200' -o /dev/null 2>&1 | FileCheck %s --check-prefix=H200
// RUN: ckpt-opt %t.mlir '--ckpt-annotate=budget=60K target=cpu' -o /dev/null 2>&1 | FileCheck %s --check-prefix=CPU
// RUN: ckpt-opt %t.mlir '--ckpt-annotate=budget=60K peak-flops=1e12 bandwidth=1e11' -o /dev/null 2>&1 | FileCheck %s --check-prefix=OVERRIDE
// RUN: not ckpt-opt %t.mlir '--ckpt-annotate=budget=60K target=tpu' -o /dev/null 2>&1 | FileCheck %s --check-prefix=BADTARGET
// RUN: not ckpt-opt %t.mlir '--ckpt-annotate=budget=60K peak-flops=1e12' -o /dev/null 2>&1 | FileCheck %s --check-prefix=HALF
// RUN: ckpt-opt %t.mlir '--ckpt-annotate=budget=60K pareto=%t.front' -o /dev/null 2>&1 | FileCheck %s --check-prefix=REMARK
// RUN: FileCheck %s --check-prefix=JSON < %t.front.json
// RUN: python3 -c "import sys, xml.dom.minidom as m; d = m.parse(sys.argv[1]); print('texts', [t.firstChild.data for t in d.getElementsByTagName('text')]); print('chosen', len([c for c in d.getElementsByTagName('circle') if c.getAttribute('id') == 'chosen']))" %t.front.svg | FileCheck %s --check-prefix=SVG
// RUN: not ckpt-opt %t.mlir '--ckpt-annotate=budget=60K pareto=%t.missing/x' -o /dev/null 2>&1 | FileCheck %s --check-prefix=NOWRITE
// RUN: ckpt-opt %t.mlir '--ckpt-annotate=segments=sqrt' --ckpt-rematerialize --ckpt-memory-report -o /dev/null 2>&1 | FileCheck %s --check-prefix=SQRT

// The same plan at 60K for every target here (the matmuls and elementwise
// ops of a layer are recomputed together); the cost is priced per op as
// max(FLOPs / peak FLOP/s, bytes moved / bandwidth). H200, f32 (67e12
// FLOP/s, 4.8e12 B/s): every op is bandwidth-bound.
// H200: recompute 36864 FLOPs (plan model 36864 FLOPs, 98304 bytes moved, cost 2.048e-08 s on target 'h200')
// CPU: recompute 36864 FLOPs (plan model 36864 FLOPs, 98304 bytes moved, cost 2.83857e-05 s on target 'cpu')
// 1e12 FLOP/s and 1e11 B/s: 98304 / 1e11 = 9.8304e-07 s (bandwidth-bound).
// OVERRIDE: cost 9.8304e-07 s on target 'flops+override'
// BADTARGET: error: 'target' must be 'flops', 'h200' or 'cpu', got 'tpu'
// HALF: error: a roofline needs both 'peak-flops' and 'bandwidth' (target 'flops' gives only peak FLOP/s)

// The front: each plan the least cost at its peak, from the unannotated
// peak down to the least reachable (40964); the chosen plan marked.
// REMARK: remark: budget 61440 bytes: 11 regions, estimated peak 57348 bytes
// JSON: "function": "train_step",
// JSON: "target": "flops",
// JSON: "cost_unit": "FLOPs",
// JSON: "unannotated_peak_bytes": 73732,
// JSON: "front": [
// JSON: "peak_bytes": 65540,
// JSON-NEXT: "cost": 34816,
// JSON: "peak_bytes": 57348,
// JSON-NEXT: "cost": 36864,
// JSON: "peak_bytes": 49156,
// JSON-NEXT: "cost": 38912,
// JSON: "peak_bytes": 40964,
// JSON-NEXT: "cost": 169984,
// JSON: "chosen": {
// JSON-NEXT: "peak_bytes": 57348,
// JSON-NEXT: "cost": 36864,
// SVG: texts ['40964', '73732', '0', '1.7e+05', 'estimated peak (bytes)', 'recompute cost (FLOPs, target flops)', 'Pareto front of @train_step (4 plans)', 'chosen']
// SVG: chosen 1
// NOWRITE: error: cannot write '{{.*}}missing/x.json'

// sqrt of the number of layers (4 matmuls): 2 regions, balanced by bytes.
// SQRT: remark: created 2 regions
// SQRT: peak live bytes 73732 73732
