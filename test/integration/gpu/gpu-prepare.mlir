// The half of the GPU check that runs here (scripts/gpu_prepare.py, issue 14
// item 10): every case compiles to a self-contained executable that needs
// only the two runtime libraries copied beside it (RUNPATH $ORIGIN/../lib,
// no LLVM or MLIR library), the folder stays far under 64 MiB, and the same
// objects built for the CPU (--cpu-aot: the same translate, opt, llc,
// objcopy and link steps) reproduce ckpt-run's results bit for bit, so the
// compile-and-link path is checked without a GPU. --quick: the bundled MLP
// and a small generated MLP, each with and without checkpointing.
// REQUIRES: ptxas
// RUN: rm -rf %t && python3 %ckpt_src_root/scripts/gpu_prepare.py --build %ckpt_obj_root --out %t --quick --cpu-aot | FileCheck %s
// RUN: llvm-readelf -d %t/bin/mlp.ckpt | FileCheck %s --check-prefix=ELF
// RUN: llvm-readelf -d %t/bin/mlp-bundled.no-ckpt | FileCheck %s --check-prefix=ELF
// RUN: ls %t/lib | FileCheck %s --check-prefix=LIBS
// RUN: %t/cpu-aot/mlp-bundled.ckpt | grep '^result' > %t/aot.txt && grep '^result' %t/cpu/mlp-bundled.ckpt.txt | diff - %t/aot.txt
// RUN: %t/cpu-aot/mlp-bundled.no-ckpt | grep '^result' > %t/aot.txt && grep '^result' %t/cpu/mlp-bundled.no-ckpt.txt | diff - %t/aot.txt
// RUN: %t/cpu-aot/mlp.ckpt | grep '^result' > %t/aot.txt && grep '^result' %t/cpu/mlp.ckpt.txt | diff - %t/aot.txt
// RUN: %t/cpu-aot/mlp.no-ckpt | grep '^result' > %t/aot.txt && grep '^result' %t/cpu/mlp.no-ckpt.txt | diff - %t/aot.txt
// RUN: %t/cpu-aot/mlp-bundled.ckpt | FileCheck %s --check-prefix=AOT
// RUN: python3 -c "import json; m = json.load(open('%t/manifest.json')); print(m['chip'], [(c['name'], c['mode'], c['executable'], c['cpu']['static_peak_bytes'], len(c['cpu']['results'])) for c in m['cases']])" | FileCheck %s --check-prefix=MANIFEST

// The figures of the bundled MLP: the memory report's 73732 and 77828
// bytes (docs/memory-report.md), the CPU runtime's measured peaks.
// CHECK: gpu-prepare: mlp-bundled.ckpt: compiled; CPU peak 74180 bytes, static 73732
// CHECK: gpu-prepare: mlp-bundled.no-ckpt: compiled; CPU peak 78340 bytes, static 77828
// CHECK: gpu-prepare: mlp.ckpt: compiled
// CHECK: gpu-prepare: mlp.no-ckpt: compiled
// CHECK: gpu-prepare: 4 executables in {{.*}}, {{[0-9]+}} bytes

// ELF-DAG: (NEEDED) Shared library: [libckpt_cuda_runtime.so]
// ELF-DAG: (NEEDED) Shared library: [libckpt_cpu_runtime.so]
// ELF-DAG: (RUNPATH) Library runpath: [$ORIGIN/../lib]
// ELF-NOT: libMLIR
// ELF-NOT: libLLVM
// ELF-NOT: mlir_c_runner_utils

// LIBS: libckpt_cpu_runtime.so
// LIBS-NEXT: libckpt_cuda_runtime.so
// LIBS-NOT: .so

// AOT: step time ms
// AOT-NEXT: result 0: sum
// AOT: result 3: sum
// AOT: peak bytes 74180

// MANIFEST: sm_90 [('mlp-bundled', 'ckpt', 'bin/mlp-bundled.ckpt', 73732, 4), ('mlp-bundled', 'no-ckpt', 'bin/mlp-bundled.no-ckpt', 77828, 4), ('mlp', 'ckpt', 'bin/mlp.ckpt', {{[0-9]+}}, {{[0-9]+}}), ('mlp', 'no-ckpt', 'bin/mlp.no-ckpt', {{[0-9]+}}, {{[0-9]+}})]
