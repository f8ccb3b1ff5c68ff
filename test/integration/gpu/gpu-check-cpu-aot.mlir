// The GPU half's runs, comparisons and report, checked on the CPU: with
// --cpu-aot, scripts/gpu_check.py runs the CPU twins that gpu-prepare
// --cpu-aot built, with no device needed. Every case matches the CPU
// (difference 0: the same code), the checkpointed and unannotated results
// are bit-identical, the JSON and markdown are written; a result that
// differs from the recorded CPU result is a MISMATCH with exit status 1,
// and a run that fails prints its whole output (not its last lines).
// REQUIRES: ptxas
// RUN: rm -rf %t %t.out && python3 %ckpt_src_root/scripts/gpu_prepare.py --build %ckpt_obj_root --out %t --quick --cpu-aot > /dev/null
// RUN: python3 %ckpt_src_root/scripts/gpu_check.py %t %t.out --cpu-aot | FileCheck %s
// RUN: python3 -c "import json; r = json.load(open('%t.out/gpu-check.json')); print(r['repeat'], r['tolerance'], [(c['name'], c['mode'], c['max_rel_diff'], c['match']) for c in r['cases']])" | FileCheck %s --check-prefix=JSON
// RUN: FileCheck %s --check-prefix=MD < %t.out/gpu-check.md

// A recorded CPU result changed by 1 in its sum: a mismatch.
// RUN: python3 -c "import json; p = '%t/manifest.json'; m = json.load(open(p)); m['cases'][2]['cpu']['results']['0']['sum'] += 1.0; json.dump(m, open(p, 'w'))"
// RUN: not python3 %ckpt_src_root/scripts/gpu_check.py %t %t.out --cpu-aot | FileCheck %s --check-prefix=MISMATCH

// An executable that fails: its whole output is printed.
// RUN: printf '#!/bin/sh\necho first line of many\necho "ckpt cuda runtime: cuMemAlloc failed: CUDA_ERROR_OUT_OF_MEMORY" >&2\nexit 134\n' > %t/cpu-aot/mlp-bundled.no-ckpt
// RUN: not python3 %ckpt_src_root/scripts/gpu_check.py %t %t.out --cpu-aot 2>&1 | FileCheck %s --check-prefix=FAILED

// CHECK: gpu-check: mlp-bundled.ckpt: {{[0-9.]+}} ms, match
// CHECK: gpu-check: mlp-bundled.no-ckpt: {{[0-9.]+}} ms, match
// CHECK: gpu-check: mlp.ckpt: {{[0-9.]+}} ms, match
// CHECK: gpu-check: mlp.no-ckpt: {{[0-9.]+}} ms, match
// CHECK: GPU check on the CPU (--cpu-aot) (CPU twins), 5 runs per executable, tolerance 0.001
// CHECK: | mlp-bundled | ckpt | {{[0-9.]+}} | n/a | 73732 | 74180 | {{[0-9.]+}} | 0.00e+00 ok |  |
// CHECK: | mlp-bundled | no-ckpt | {{[0-9.]+}} | n/a | 77828 | 78340 | {{[0-9.]+}} | 0.00e+00 ok | yes |

// JSON: 5 0.001 [('mlp-bundled', 'ckpt', 0.0, True), ('mlp-bundled', 'no-ckpt', 0.0, True), ('mlp', 'ckpt', 0.0, True), ('mlp', 'no-ckpt', 0.0, True)]

// MD: | case | mode | step ms (median) | device peak bytes | static peak bytes | CPU peak bytes | CPU step ms | max rel diff vs CPU | ckpt = no-ckpt bits |
// MD: | mlp | no-ckpt | {{.*}} | yes |

// MISMATCH: gpu-check: mlp.ckpt: {{[0-9.]+}} ms, MISMATCH
// MISMATCH: | mlp | ckpt | {{.*}} MISMATCH |

// FAILED: gpu-check: mlp-bundled.no-ckpt failed:
// FAILED-NEXT: {{.*}}cpu-aot/mlp-bundled.no-ckpt: exit 134
// FAILED-NEXT: first line of many
// FAILED-NEXT: ckpt cuda runtime: cuMemAlloc failed: CUDA_ERROR_OUT_OF_MEMORY
// FAILED: | mlp-bundled | no-ckpt | FAILED (see the JSON) |
