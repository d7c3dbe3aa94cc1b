// A 2^40-byte (the largest a model may declare) intermediate tensor (a broadcast of the input), two rows of it read.
#in = affine_map<(d0, d1) -> (d1)>
#id = affine_map<(d0, d1) -> (d0, d1)>
#row = affine_map<(d0) -> (d0)>
func.func @main(%x: tensor<4xf32>) -> tensor<4xf32> {
  %e = tensor.empty() : tensor<68719476736x4xf32>
  %b = linalg.generic {indexing_maps = [#in, #id], iterator_types = ["parallel", "parallel"]} ins(%x : tensor<4xf32>) outs(%e : tensor<68719476736x4xf32>) {
  ^bb0(%p: f32, %o: f32):
    linalg.yield %p : f32
  } -> tensor<68719476736x4xf32>
  %last = tensor.extract_slice %b[68719476735, 0] [1, 4] [1, 1] : tensor<68719476736x4xf32> to tensor<4xf32>
  %first = tensor.extract_slice %b[0, 0] [1, 4] [1, 1] : tensor<68719476736x4xf32> to tensor<4xf32>
  %e2 = tensor.empty() : tensor<4xf32>
  %r = linalg.generic {indexing_maps = [#row, #row, #row], iterator_types = ["parallel"]} ins(%last, %first : tensor<4xf32>, tensor<4xf32>) outs(%e2 : tensor<4xf32>) {
  ^bb0(%p: f32, %q: f32, %o: f32):
    %t = arith.addf %p, %q : f32
    linalg.yield %t : f32
  } -> tensor<4xf32>
  return %r : tensor<4xf32>
}
