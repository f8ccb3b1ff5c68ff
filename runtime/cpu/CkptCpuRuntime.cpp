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

#include <chrono>
#include <cinttypes>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
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

} // extern "C"

namespace {
/// The descriptor an unranked memref points to (MLIR's memref ABI):
/// allocated and aligned pointers, offset, sizes[rank], strides[rank].
struct Descriptor {
  float *allocated;
  float *aligned;
  int64_t offset;
  int64_t shape[];
};

/// Visits the elements in row-major order.
template <typename Fn> void forEach(int64_t rank, void *raw, Fn fn) {
  auto *desc = static_cast<Descriptor *>(raw);
  const int64_t *sizes = desc->shape;
  const int64_t *strides = desc->shape + rank;
  int64_t count = 1;
  for (int64_t d = 0; d < rank; ++d)
    count *= sizes[d];
  for (int64_t linear = 0; linear < count; ++linear) {
    int64_t rest = linear, offset = desc->offset;
    for (int64_t d = rank - 1; d >= 0; --d) {
      offset += (rest % sizes[d]) * strides[d];
      rest /= sizes[d];
    }
    fn(linear, desc->aligned[offset]);
  }
}

std::chrono::steady_clock::time_point stepStart;
} // namespace

extern "C" {

/// Fills an f32 buffer as ckpt-runner-main's tensor driver does: element i
/// of argument k is 0.5 * sin(0.37 * i + 1.3 * k), computed in double.
void ckpt_rt_fill_f32(int64_t rank, void *descriptor, int64_t k) {
  forEach(rank, descriptor, [&](int64_t i, float &value) {
    value = static_cast<float>(0.5 * std::sin(0.37 * static_cast<double>(i) +
                                              1.3 * static_cast<double>(k)));
  });
}

/// Prints an f32 result like ckpt_rt_print_result, from the buffer itself
/// (row-major order, sums in double, bit patterns summed as unsigned).
void ckpt_rt_print_memref_f32(int64_t index, int64_t rank, void *descriptor) {
  double sum = 0, l1 = 0;
  uint64_t bits = 0;
  forEach(rank, descriptor, [&](int64_t, float &value) {
    sum = static_cast<double>(value) + sum;
    l1 = std::fabs(static_cast<double>(value)) + l1;
    uint32_t raw;
    std::memcpy(&raw, &value, sizeof raw);
    bits += raw;
  });
  ckpt_rt_print_result(index, sum, l1, static_cast<int64_t>(bits));
}

/// Marks the allocation counter and starts the step's clock.
void ckpt_rt_step_begin() {
  ckpt_rt_mark();
  stepStart = std::chrono::steady_clock::now();
}

/// Prints the step's wall time (milliseconds).
void ckpt_rt_step_end() {
  double ms = std::chrono::duration<double, std::milli>(
                  std::chrono::steady_clock::now() - stepStart)
                  .count();
  std::printf("step time ms %.3f\n", ms);
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
