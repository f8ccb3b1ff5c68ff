// Fuzz reproducer (issue 19; gen_graph.py --seed 1 --ops slicecat
// --no-annotations --static --joint --dtype f32, reduced by hand).
// XFAIL: *
// Defect: ckpt-lower-to-nvvm cannot lower a tensor.concat one of whose
// operands is a tensor.extract_slice of a function argument (a strided view
// of host-visible memory): "error: 'builtin.unrealized_conversion_cast' was
// not lowered to the LLVM dialect (4 ops of this kind left)" at the return,
// next to "'gpu.memcpy' was not lowered" (a gpu.memcpy between
// memref<32x32xf32, strided<[64, 1], offset: 32>> views whose async token
// is an unrealized cast from !llvm.ptr). The same step runs on the CPU and
// the corpus's slices-concat.mlir (insert_slice, no concat of an argument
// slice) compiles.
// RUN: ckpt-opt %s --ckpt-rematerialize --ckpt-lower-to-nvvm -o /dev/null
func.func @step(%x: tensor<32x64xf32>) -> tensor<32x64xf32> {
  %a = tensor.extract_slice %x[0, 0] [32, 32] [1, 1] : tensor<32x64xf32> to tensor<32x32xf32>
  %b = tensor.extract_slice %x[0, 32] [32, 32] [1, 1] : tensor<32x64xf32> to tensor<32x32xf32>
  %t = math.tanh %a : tensor<32x32xf32>
  %y = tensor.concat dim(1) %t, %b : (tensor<32x32xf32>, tensor<32x32xf32>) -> tensor<32x64xf32>
  return %y : tensor<32x64xf32>
}
