//===- CkptCpuRuntime.cpp - allocation accounting for lowered steps -------===//
//
// `ckpt-lower-to-cpu` lowers memref allocation with the memref-to-LLVM
// option `use-generic-functions`, so every buffer is allocated and freed
// through `_mlir_memref_to_llvm_{alloc,aligned_alloc,free}`. This library
// defines those entry points and counts bytes: current, peak (since the last
// `ckpt_rt_mark`) and total. `ckpt-runner-main` calls `ckpt_rt_mark` right
// before the training step, so the peak it prints is the step's own
// allocations (inputs excluded, as in the static memory report).
//
//===----------------------------------------------------------------------===//

#include <cinttypes>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <unordered_map>

namespace {
struct Accounting {
  std::mutex mutex;
  std::unordered_map<void *, uint64_t> sizes;
  uint64_t current = 0, peak = 0, total = 0, base = 0, allocations = 0;

  void add(void *ptr, uint64_t bytes) {
    if (!ptr)
      return;
    std::lock_guard<std::mutex> lock(mutex);
    sizes[ptr] = bytes;
    current += bytes;
    total += bytes;
    ++allocations;
    if (current > peak)
      peak = current;
  }
  void remove(void *ptr) {
    if (!ptr)
      return;
    std::lock_guard<std::mutex> lock(mutex);
    auto it = sizes.find(ptr);
    if (it == sizes.end())
      return;
    current -= it->second;
    sizes.erase(it);
  }
};

Accounting &accounting() {
  static Accounting instance;
  return instance;
}
} // namespace

extern "C" {

/// Allocation entry point of the lowered code (bytes).
void *_mlir_memref_to_llvm_alloc(uint64_t size) {
  void *ptr = std::malloc(size ? size : 1);
  accounting().add(ptr, size);
  return ptr;
}

/// Aligned allocation entry point (alignment and size in bytes).
void *_mlir_memref_to_llvm_aligned_alloc(uint64_t alignment, uint64_t size) {
  uint64_t rounded = (size + alignment - 1) / alignment * alignment;
  void *ptr = std::aligned_alloc(alignment, rounded ? rounded : alignment);
  accounting().add(ptr, size);
  return ptr;
}

/// Deallocation entry point.
void _mlir_memref_to_llvm_free(void *ptr) {
  accounting().remove(ptr);
  std::free(ptr);
}

/// Starts a measurement: the peak restarts from the bytes live now, which
/// `ckpt_rt_print_memory` subtracts.
void ckpt_rt_mark() {
  Accounting &a = accounting();
  std::lock_guard<std::mutex> lock(a.mutex);
  a.base = a.current;
  a.peak = a.current;
  a.total = 0;
  a.allocations = 0;
}

/// Prints one result of the step: its index, the sum and L1 norm of its
/// elements (accumulated in f64), and the wrapping sum of the elements' bit
/// patterns, which is equal for bitwise-equal results.
void ckpt_rt_print_result(int64_t index, double sum, double l1,
                          int64_t bitsum) {
  std::printf("result %" PRId64 ": sum %.9e l1 %.9e bits %016" PRIx64 "\n",
              index, sum, l1, static_cast<uint64_t>(bitsum));
}

/// Prints the bytes the step allocated: peak above the bytes live at
/// `ckpt_rt_mark`, total, and the number of allocations.
void ckpt_rt_print_memory() {
  Accounting &a = accounting();
  std::lock_guard<std::mutex> lock(a.mutex);
  std::printf("peak bytes %" PRIu64 "\ntotal bytes %" PRIu64
              "\nallocations %" PRIu64 "\n",
              a.peak - a.base, a.total, a.allocations);
  std::fflush(stdout);
}
}
