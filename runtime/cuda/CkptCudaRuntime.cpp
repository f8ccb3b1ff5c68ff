//===- CkptCudaRuntime.cpp - mgpu* entry points on the driver API ---------===//
//
// The entry points that host code lowered by `ckpt-lower-to-nvvm` calls
// (module load, function lookup, kernel launch, streams, events, device
// allocation, copies, memset), implemented on the CUDA driver API, counting
// the device bytes allocated: current, peak since `ckpt_rt_device_mark`, and
// total. Debian ships no libmlir_cuda_runtime; this replaces it for ckpt.
// Signatures are those of MLIR 22's GPU-to-LLVM lowering (`mlir-translate
// --mlir-to-llvmir` declares them).
//
//===----------------------------------------------------------------------===//

#include "cuda.h"

#include <cinttypes>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <unordered_map>

namespace {
void check(CUresult result, const char *what) {
  if (result == CUDA_SUCCESS)
    return;
  const char *name = "<unknown>";
  cuGetErrorName(result, &name);
  std::fprintf(stderr, "ckpt cuda runtime: %s failed: %s\n", what, name);
  std::abort();
}
#define CUDA_CHECK(expr) check((expr), #expr)

/// One context for the process, on device 0 (or CKPT_CUDA_DEVICE).
CUcontext context() {
  static CUcontext ctx = [] {
    CUDA_CHECK(cuInit(0));
    int ordinal = 0;
    if (const char *env = std::getenv("CKPT_CUDA_DEVICE"))
      ordinal = std::atoi(env);
    CUdevice device;
    CUDA_CHECK(cuDeviceGet(&device, ordinal));
    CUcontext c;
    CUDA_CHECK(cuDevicePrimaryCtxRetain(&c, device));
    return c;
  }();
  CUDA_CHECK(cuCtxSetCurrent(ctx));
  return ctx;
}

struct DeviceAccounting {
  std::mutex mutex;
  std::unordered_map<CUdeviceptr, uint64_t> sizes;
  uint64_t current = 0, peak = 0, total = 0, base = 0;
};
DeviceAccounting &accounting() {
  static DeviceAccounting instance;
  return instance;
}
} // namespace

extern "C" {

CUmodule mgpuModuleLoad(void *data, size_t /*gpuBlobSize*/) {
  context();
  CUmodule module;
  CUDA_CHECK(cuModuleLoadData(&module, data));
  return module;
}

CUmodule mgpuModuleLoadJIT(void *data, int optLevel) {
  context();
  CUmodule module;
  CUjit_option options[] = {CU_JIT_OPTIMIZATION_LEVEL};
  void *values[] = {reinterpret_cast<void *>(static_cast<intptr_t>(optLevel))};
  CUDA_CHECK(cuModuleLoadDataEx(&module, data, 1, options, values));
  return module;
}

void mgpuModuleUnload(CUmodule module) { CUDA_CHECK(cuModuleUnload(module)); }

CUfunction mgpuModuleGetFunction(CUmodule module, const char *name) {
  CUfunction function;
  CUDA_CHECK(cuModuleGetFunction(&function, module, name));
  return function;
}

void mgpuLaunchKernel(CUfunction function, intptr_t gridX, intptr_t gridY,
                      intptr_t gridZ, intptr_t blockX, intptr_t blockY,
                      intptr_t blockZ, int32_t smem, CUstream stream,
                      void **params, void **extra, size_t /*paramsCount*/) {
  context();
  CUDA_CHECK(cuLaunchKernel(function, gridX, gridY, gridZ, blockX, blockY,
                            blockZ, smem, stream, params, extra));
}

CUstream mgpuStreamCreate() {
  context();
  CUstream stream;
  CUDA_CHECK(cuStreamCreate(&stream, CU_STREAM_NON_BLOCKING));
  return stream;
}
void mgpuStreamDestroy(CUstream stream) { CUDA_CHECK(cuStreamDestroy(stream)); }
void mgpuStreamSynchronize(CUstream stream) {
  CUDA_CHECK(cuStreamSynchronize(stream));
}
void mgpuStreamWaitEvent(CUstream stream, CUevent event) {
  CUDA_CHECK(cuStreamWaitEvent(stream, event, 0));
}

CUevent mgpuEventCreate() {
  context();
  CUevent event;
  CUDA_CHECK(cuEventCreate(&event, CU_EVENT_DISABLE_TIMING));
  return event;
}
void mgpuEventDestroy(CUevent event) { CUDA_CHECK(cuEventDestroy(event)); }
void mgpuEventSynchronize(CUevent event) {
  CUDA_CHECK(cuEventSynchronize(event));
}
void mgpuEventRecord(CUevent event, CUstream stream) {
  CUDA_CHECK(cuEventRecord(event, stream));
}

/// Device memory only: managed (host-shared) memory is refused, as
/// rationale §6 requires.
void *mgpuMemAlloc(uint64_t sizeBytes, CUstream /*stream*/, bool isHostShared) {
  context();
  if (isHostShared) {
    std::fprintf(stderr, "ckpt cuda runtime: host-shared (managed) memory "
                         "is not used by ckpt\n");
    std::abort();
  }
  CUdeviceptr ptr = 0;
  if (sizeBytes != 0)
    CUDA_CHECK(cuMemAlloc(&ptr, sizeBytes));
  DeviceAccounting &a = accounting();
  std::lock_guard<std::mutex> lock(a.mutex);
  a.sizes[ptr] = sizeBytes;
  a.current += sizeBytes;
  a.total += sizeBytes;
  if (a.current > a.peak)
    a.peak = a.current;
  return reinterpret_cast<void *>(ptr);
}

void mgpuMemFree(void *ptr, CUstream /*stream*/) {
  CUdeviceptr device = reinterpret_cast<CUdeviceptr>(ptr);
  {
    DeviceAccounting &a = accounting();
    std::lock_guard<std::mutex> lock(a.mutex);
    auto it = a.sizes.find(device);
    if (it != a.sizes.end()) {
      a.current -= it->second;
      a.sizes.erase(it);
    }
  }
  if (device)
    CUDA_CHECK(cuMemFree(device));
}

void mgpuMemcpy(void *dst, void *src, size_t sizeBytes, CUstream stream) {
  CUDA_CHECK(cuMemcpyAsync(reinterpret_cast<CUdeviceptr>(dst),
                           reinterpret_cast<CUdeviceptr>(src), sizeBytes,
                           stream));
}

void mgpuMemset32(void *dst, unsigned int value, size_t count,
                  CUstream stream) {
  CUDA_CHECK(cuMemsetD32Async(reinterpret_cast<CUdeviceptr>(dst), value, count,
                              stream));
}

void mgpuMemset16(void *dst, unsigned short value, size_t count,
                  CUstream stream) {
  CUDA_CHECK(cuMemsetD16Async(reinterpret_cast<CUdeviceptr>(dst), value, count,
                              stream));
}

void mgpuSetDefaultDevice(int32_t device) {
  (void)device; // the context is chosen by CKPT_CUDA_DEVICE
  context();
}

/// Starts a measurement of device bytes (see ckpt_rt_mark on the CPU).
void ckpt_rt_device_mark() {
  DeviceAccounting &a = accounting();
  std::lock_guard<std::mutex> lock(a.mutex);
  a.base = a.current;
  a.peak = a.current;
  a.total = 0;
}

/// Prints the device bytes allocated since the mark: peak and total.
void ckpt_rt_print_device_memory() {
  DeviceAccounting &a = accounting();
  std::lock_guard<std::mutex> lock(a.mutex);
  std::printf("peak device bytes %" PRIu64 "\ntotal device bytes %" PRIu64 "\n",
              a.peak - a.base, a.total);
  std::fflush(stdout);
}
}
