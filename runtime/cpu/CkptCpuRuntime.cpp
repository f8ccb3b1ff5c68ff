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
// For SPMD runs (`ckpt-run --ranks N`) the rank and rank count come from
// the MPI launcher's environment; results print from rank 0 only and every
// rank prints its own peak. Inputs can be read from, and results written
// to, raw files (`ckpt-run --inputs/--outputs` converts them to and from
// npz archives with numpy).
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
#include <string>
#include <unordered_map>
#include <vector>

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

/// This process's rank: OMPI_COMM_WORLD_RANK (Open MPI) or PMI_RANK (MPICH
/// and other PMI launchers), else 0.
int64_t ckpt_rt_rank() {
  for (const char *name : {"OMPI_COMM_WORLD_RANK", "PMI_RANK"})
    if (const char *value = std::getenv(name))
      return std::strtoll(value, nullptr, 10);
  return 0;
}

/// The number of ranks: OMPI_COMM_WORLD_SIZE or PMI_SIZE, else 1.
int64_t ckpt_rt_num_ranks() {
  for (const char *name : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE"})
    if (const char *value = std::getenv(name)) {
      int64_t count = std::strtoll(value, nullptr, 10);
      return count > 0 ? count : 1;
    }
  return 1;
}

/// Prints one result of the step: its index, the sum and L1 norm of its
/// elements (accumulated in f64), and the wrapping sum of the elements' bit
/// patterns, which is equal for bitwise-equal results. Rank 0 only, unless
/// CKPT_RT_ALL_RANKS is set: then every rank, prefixed `rank R: `.
void ckpt_rt_print_result(int64_t index, double sum, double l1,
                          int64_t bitsum) {
  if (std::getenv("CKPT_RT_ALL_RANKS"))
    std::printf("rank %" PRId64 ": ", ckpt_rt_rank());
  else if (ckpt_rt_rank() != 0)
    return;
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
/// `ckpt_rt_mark`, total, and the number of allocations. With several
/// ranks, each prints one line `rank R: peak P bytes, total T bytes, A
/// allocations`.
void ckpt_rt_print_memory() {
  Accounting &a = accounting();
  std::lock_guard<std::mutex> lock(a.mutex);
  if (ckpt_rt_num_ranks() > 1) {
    std::printf("rank %" PRId64 ": peak %" PRIu64 " bytes, total %" PRIu64
                " bytes, %" PRIu64 " allocations\n",
                ckpt_rt_rank(), a.peak - a.base, a.total, a.allocations);
    std::fflush(stdout);
    return;
  }
  std::printf("peak bytes %" PRIu64 "\ntotal bytes %" PRIu64
              "\nallocations %" PRIu64 "\n",
              a.peak - a.base, a.total, a.allocations);
  std::fflush(stdout);
}
}

//===----------------------------------------------------------------------===//
// Inputs from and results to raw files (ckpt-runner-main load-inputs and
// store-results)
//===----------------------------------------------------------------------===//
//
// A tensor K is two files in a folder: `argK.bin` (inputs) or
// `resultK.bin` (results), the elements in row-major order as little-endian
// bytes (`i1`: one byte, 0 or 1), and `argK.txt`/`resultK.txt`, one line:
// the numpy dtype name (bfloat16 for bf16) and the dimensions, separated by
// spaces. ckpt-run's helper (tools/ckpt-run/ckpt_run_npz.py) writes and
// reads them with numpy.

namespace {
/// An unranked memref's descriptor, element type erased.
struct RawDescriptor {
  char *allocated;
  char *aligned;
  int64_t offset;
  int64_t shape[]; // sizes[rank], then strides[rank]
};

std::string loadDir, storeDir;

[[noreturn]] void fail(const std::string &message) {
  std::fflush(stdout);
  std::fprintf(stderr, "ckpt-run: error: %s\n", message.c_str());
  std::exit(1);
}

std::string shapeText(const std::vector<int64_t> &shape) {
  std::string text = "[";
  for (size_t d = 0; d < shape.size(); ++d)
    text += (d ? ", " : "") + std::to_string(shape[d]);
  return text + "]";
}

std::string pathOf(int64_t rank, void *descriptor) {
  (void)rank;
  auto *desc = static_cast<RawDescriptor *>(descriptor);
  return std::string(desc->aligned + desc->offset);
}

bool readHeader(const std::string &path, std::string &dtype,
                std::vector<int64_t> &shape) {
  FILE *file = std::fopen(path.c_str(), "r");
  if (!file)
    return false;
  char word[64];
  if (std::fscanf(file, "%63s", word) == 1)
    dtype = word;
  long long size;
  while (std::fscanf(file, "%lld", &size) == 1)
    shape.push_back(size);
  std::fclose(file);
  return !dtype.empty();
}

bool exists(const std::string &path) {
  FILE *file = std::fopen(path.c_str(), "r");
  if (file)
    std::fclose(file);
  return file != nullptr;
}

/// Visits the elements of a strided buffer in row-major order: `fn(linear
/// local index, local indices, element pointer)`.
template <typename Fn>
void forEachRaw(int64_t rank, void *raw, int64_t elementBytes, Fn fn) {
  auto *desc = static_cast<RawDescriptor *>(raw);
  const int64_t *sizes = desc->shape;
  const int64_t *strides = desc->shape + rank;
  int64_t count = 1;
  for (int64_t d = 0; d < rank; ++d)
    count *= sizes[d];
  std::vector<int64_t> index(rank);
  for (int64_t linear = 0; linear < count; ++linear) {
    int64_t rest = linear, offset = desc->offset;
    for (int64_t d = rank - 1; d >= 0; --d) {
      index[d] = rest % sizes[d];
      offset += index[d] * strides[d];
      rest /= sizes[d];
    }
    fn(linear, index, desc->aligned + offset * elementBytes);
  }
}

/// Reads argument `k` (this rank's slice along `shardDim` if >= 0) into the
/// buffer, after checking its dtype and global shape.
void loadInput(int64_t k, int64_t shardDim, int64_t rank, void *descriptor,
               const char *dtype, int64_t elementBytes) {
  if (loadDir.empty())
    fail("ckpt_rt_load_input called before ckpt_rt_load_inputs_begin");
  auto *desc = static_cast<RawDescriptor *>(descriptor);
  std::vector<int64_t> global(desc->shape, desc->shape + rank);
  int64_t ranks = ckpt_rt_num_ranks(), me = ckpt_rt_rank();
  int64_t local = shardDim >= 0 ? global[shardDim] : 0;
  if (shardDim >= 0)
    global[shardDim] *= ranks;
  std::string stem = loadDir + "/arg" + std::to_string(k);
  std::string haveType;
  std::vector<int64_t> haveShape;
  if (!readHeader(stem + ".txt", haveType, haveShape))
    fail("cannot read " + stem + ".txt");
  // numpy has no bfloat16: a bf16 argument also takes float32 data,
  // rounded to nearest even.
  bool fromF32 = std::string(dtype) == "bfloat16" && haveType == "float32";
  if ((haveType != dtype && !fromF32) || haveShape != global)
    fail("input " + std::to_string(k) + " is " + haveType + " " +
         shapeText(haveShape) + " but argument #" + std::to_string(k) +
         " of the step takes " + dtype + " " + shapeText(global) +
         (shardDim >= 0 ? " (the global shape: " + std::to_string(ranks) +
                              " ranks, sharded along dimension " +
                              std::to_string(shardDim) + ")"
                        : ""));
  int64_t count = 1;
  for (int64_t size : global)
    count *= size;
  int64_t fileBytes = fromF32 ? 4 : elementBytes;
  std::vector<char> data(count * fileBytes);
  FILE *file = std::fopen((stem + ".bin").c_str(), "rb");
  if (!file)
    fail("cannot read " + stem + ".bin");
  size_t got = std::fread(data.data(), 1, data.size(), file);
  bool extra = std::fgetc(file) != EOF;
  std::fclose(file);
  if (got != data.size() || extra)
    fail(stem + ".bin does not hold " + std::to_string(data.size()) + " bytes");
  forEachRaw(rank, descriptor, elementBytes,
             [&](int64_t, const std::vector<int64_t> &index, char *element) {
               int64_t linear = 0;
               for (int64_t d = 0; d < rank; ++d) {
                 int64_t i = index[d] + (d == shardDim ? me * local : 0);
                 linear = linear * global[d] + i;
               }
               const char *source = data.data() + linear * fileBytes;
               if (!fromF32) {
                 std::memcpy(element, source, elementBytes);
                 return;
               }
               uint32_t bits;
               std::memcpy(&bits, source, 4);
               uint16_t rounded;
               if ((bits & 0x7fffffffu) > 0x7f800000u) // NaN stays NaN
                 rounded = static_cast<uint16_t>((bits >> 16) | 0x40);
               else
                 rounded = static_cast<uint16_t>(
                     (bits + 0x7fffu + ((bits >> 16) & 1u)) >> 16);
               std::memcpy(element, &rounded, 2);
             });
}

/// Writes result `k` (rank 0 only).
void storeResult(int64_t k, int64_t rank, void *descriptor, const char *dtype,
                 int64_t elementBytes) {
  if (storeDir.empty())
    fail("ckpt_rt_store_result called before ckpt_rt_store_results_begin");
  if (ckpt_rt_rank() != 0)
    return;
  auto *desc = static_cast<RawDescriptor *>(descriptor);
  std::string stem = storeDir + "/result" + std::to_string(k);
  FILE *header = std::fopen((stem + ".txt").c_str(), "w");
  FILE *file = std::fopen((stem + ".bin").c_str(), "wb");
  if (!header || !file)
    fail("cannot write " + stem + ".bin and .txt");
  std::fprintf(header, "%s", dtype);
  for (int64_t d = 0; d < rank; ++d)
    std::fprintf(header, " %" PRId64, desc->shape[d]);
  std::fprintf(header, "\n");
  forEachRaw(rank, descriptor, elementBytes,
             [&](int64_t, const std::vector<int64_t> &, char *element) {
               std::fwrite(element, 1, elementBytes, file);
             });
  if (std::fclose(file) != 0 || std::fclose(header) != 0)
    fail("cannot write " + stem + ".bin and .txt");
}
} // namespace

extern "C" {

/// Starts loading the step's `count` arguments from the folder named by the
/// NUL-terminated string `path`: there must be exactly `count` inputs.
void ckpt_rt_load_inputs_begin(int64_t count, int64_t pathRank, void *path) {
  loadDir = pathOf(pathRank, path);
  int64_t have = 0;
  while (exists(loadDir + "/arg" + std::to_string(have) + ".txt"))
    ++have;
  if (have != count)
    fail("the inputs hold " + std::to_string(have) +
         " arrays but the step takes " + std::to_string(count) + " arguments");
}

/// Starts writing results into the folder named by `path` (rank 0 only).
void ckpt_rt_store_results_begin(int64_t count, int64_t pathRank, void *path) {
  (void)count;
  storeDir = pathOf(pathRank, path);
}

#define CKPT_RT_RAW(SUFFIX, DTYPE, BYTES)                                      \
  void ckpt_rt_load_input_##SUFFIX(int64_t k, int64_t shardDim, int64_t rank,  \
                                   void *descriptor) {                         \
    loadInput(k, shardDim, rank, descriptor, DTYPE, BYTES);                    \
  }                                                                            \
  void ckpt_rt_store_result_##SUFFIX(int64_t k, int64_t rank,                  \
                                     void *descriptor) {                       \
    storeResult(k, rank, descriptor, DTYPE, BYTES);                            \
  }
/// Loads argument k / stores result k of one element type (see above).
CKPT_RT_RAW(f16, "float16", 2)
CKPT_RT_RAW(bf16, "bfloat16", 2)
CKPT_RT_RAW(f32, "float32", 4)
CKPT_RT_RAW(f64, "float64", 8)
CKPT_RT_RAW(i1, "bool", 1)
CKPT_RT_RAW(i8, "int8", 1)
CKPT_RT_RAW(i16, "int16", 2)
CKPT_RT_RAW(i32, "int32", 4)
CKPT_RT_RAW(i64, "int64", 8)
#undef CKPT_RT_RAW
}
