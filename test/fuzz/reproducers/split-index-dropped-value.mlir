// libFuzzer reproducer (issue 19 item 4, tools/ckpt-fuzz): a split-form
// @fwd whose outer region (here as ckpt-annotate{segments=1} made it)
// holds a region "layer.1" with an `index` result that sizes a later
// tensor.empty, and a region "r" that takes an `index` input. Reduced by
// line and block deletion (and by hand) from a fuzzer crash found with
// `ckpt-annotate{segments=1},ckpt-rematerialize` (4 of the first run's 64).
// Fixed: the remark's dynamic-shape check skips values that are not shaped. A regression test now.
// Was: SEGV in SplitFormRewriter::processRegion
// (lib/Dialect/Ckpt/Transforms/RematerializeSplitForm.cpp:244,
// `cast<ShapedType>(value.getType()).hasStaticShape()`): a value of the
// plan's dropped set is not shaped (an index), and the cast, unchecked in
// a build without assertions, calls through a null interface.
// RUN: ckpt-opt %s --ckpt-rematerialize --ckpt-verify -o /dev/null
#map = affine_map<(d0, d1) -> (d0, d1)>
#map1 = affine_map<(d0, d1) -> (d0)>
func.func @fwd(%arg0: tensor<?x64xf32>) -> (tensor<?x64xf32>, tensor<?x32xf32>, tensor<?x32xf32>) attributes {ckpt.backward = @bwd, ckpt.num_outputs = 1 : i64} {
  %0:3 = ckpt.checkpoint "segment.0" (%arg1 = %arg0 : tensor<?x64xf32>) -> (tensor<?x32xf32>, tensor<?x32xf32>, tensor<?x64xf32>) attributes {ckpt.auto} {
    %1:2 = ckpt.checkpoint "layer.1" (%arg2 = %arg1 : tensor<?x64xf32>) -> (tensor<?xf32>, index) {
      %c0_0 = arith.constant 0 : index
      %dim_1 = tensor.dim %arg2, %c0_0 : tensor<?x64xf32>
      %7 = tensor.empty(%dim_1) : tensor<?xf32>
      %cst = arith.constant 0.000000e+00 : f32
      %9 = linalg.fill ins(%cst : f32) outs(%7 : tensor<?xf32>) -> tensor<?xf32>
      %8 = linalg.reduce { arith.addf } ins(%arg2 : tensor<?x64xf32>) outs(%9 : tensor<?xf32>) dimensions = [1] 
      %c0_2 = arith.constant 0 : index
      ckpt.yield %8, %c0_2 : tensor<?xf32>, index
    }
    %2 = tensor.empty(%1#1) : tensor<?x64xf32>
    %3 = linalg.generic {indexing_maps = [#map, #map1, #map], iterator_types = ["parallel", "parallel"]} ins(%arg1, %1#0 : tensor<?x64xf32>, tensor<?xf32>) outs(%2 : tensor<?x64xf32>) {
    ^bb0(%in: f32, %in_0: f32, %out: f32):
      %cst = arith.constant 1.562500e-02 : f32
      %7 = arith.mulf %in_0, %cst : f32
      %8 = arith.addf %in, %7 : f32
      linalg.yield %8 : f32
    } -> tensor<?x64xf32>
    %c0 = arith.constant 0 : index
    %dim = tensor.dim %2, %c0 : tensor<?x64xf32>
    %4:3 = ckpt.checkpoint "r" (%arg2 = %3, %arg3 = %dim : tensor<?x64xf32>, index) -> (tensor<?x32xf32>, tensor<?x32xf32>, tensor<?x32xf32>) {
      %extracted_slice = tensor.extract_slice %arg2[0, 0] [%arg3, 32] [1, 1] : tensor<?x64xf32> to tensor<?x32xf32>
      %extracted_slice_0 = tensor.extract_slice %arg2[0, 32] [%arg3, 32] [1, 1] : tensor<?x64xf32> to tensor<?x32xf32>
      %7 = math.tanh %extracted_slice : tensor<?x32xf32>
      %concat_1 = tensor.concat dim(1) %extracted_slice_0, %7 : (tensor<?x32xf32>, tensor<?x32xf32>) -> tensor<?x64xf32>
      %c0_2 = arith.constant 0 : index
      %dim_3 = tensor.dim %concat_1, %c0_2 : tensor<?x64xf32>
      %extracted_slice_4 = tensor.extract_slice %concat_1[0, 0] [%dim_3, 32] [1, 1] : tensor<?x64xf32> to tensor<?x32xf32>
      %extracted_slice_5 = tensor.extract_slice %concat_1[0, 32] [%dim_3, 32] [1, 1] : tensor<?x64xf32> to tensor<?x32xf32>
      ckpt.yield %7, %extracted_slice_4, %extracted_slice_5 : tensor<?x32xf32>, tensor<?x32xf32>, tensor<?x32xf32>
    }
    %5 = math.tanh %4#1 : tensor<?x32xf32>
    %6 = math.tanh %4#1 : tensor<?x32xf32>
    %concat = tensor.concat dim(1) %4#2, %6 : (tensor<?x32xf32>, tensor<?x32xf32>) -> tensor<?x64xf32>
    ckpt.yield %4#0, %5, %concat : tensor<?x32xf32>, tensor<?x32xf32>, tensor<?x64xf32>
  }
  return %0#2, %0#0, %0#1 : tensor<?x64xf32>, tensor<?x32xf32>, tensor<?x32xf32>
}
func.func @bwd(%arg0: tensor<?x32xf32>, %arg1: tensor<?x32xf32>, %arg2: tensor<?x64xf32>) -> tensor<?x64xf32> {
  %concat = tensor.concat dim(1) %arg0, %arg1 : (tensor<?x32xf32>, tensor<?x32xf32>) -> tensor<?x64xf32>
  %0 = arith.addf %concat, %arg2 : tensor<?x64xf32>
  return %0 : tensor<?x64xf32>
}
