// cuda-path is gpu-module-to-binary's toolkit option: with no CUDA_HOME,
// CUDA_ROOT or CUDA_PATH and no ptxas on PATH, ptxas and libdevice (which
// math.tanh links against, __nv_tanhf) are found under cuda-path alone; a
// cuda-path without a toolkit fails with MLIR's serializer error instead of
// silently using another toolkit.
// REQUIRES: ptxas
// RUN: env -u CUDA_HOME -u CUDA_ROOT -u CUDA_PATH PATH=/usr/bin:/bin ckpt-opt %s --ckpt-lower-to-nvvm='cuda-path=/usr/local/cuda format=fatbin' 2>&1 | FileCheck %s
// RUN: not env -u CUDA_HOME -u CUDA_ROOT -u CUDA_PATH PATH=/usr/bin:/bin ckpt-opt %s --ckpt-lower-to-nvvm='cuda-path=%t.no-toolkit format=fatbin' 2>&1 | FileCheck %s --check-prefix=MISSING

// CHECK: gpu.binary @step_kernel  [#gpu.object<#nvvm.target<chip = "sm_90", features = "+ptx80">, properties = {ISAToBinaryTimeInMs = {{[0-9]+}} : i64, LLVMIRToISATimeInMs = {{[0-9]+}} : i64}, "P\EDU\BA
// MISSING: error: CUDA path: {{.*}}.no-toolkit does not exist or is not a directory

func.func @step(%x: tensor<256xf32>) -> tensor<256xf32> {
  %e = tensor.empty() : tensor<256xf32>
  %y = linalg.generic {indexing_maps = [affine_map<(i) -> (i)>, affine_map<(i) -> (i)>], iterator_types = ["parallel"]}
      ins(%x : tensor<256xf32>) outs(%e : tensor<256xf32>) {
  ^bb0(%a: f32, %b: f32):
    %t = math.tanh %a : f32
    linalg.yield %t : f32
  } -> tensor<256xf32>
  return %y : tensor<256xf32>
}
