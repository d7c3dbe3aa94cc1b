// A 2^40-byte (the largest a model may declare) result: the input broadcast.
#in = affine_map<(d0, d1) -> (d1)>
#id = affine_map<(d0, d1) -> (d0, d1)>
func.func @main(%x: tensor<4xf32>) -> tensor<68719476736x4xf32> {
  %e = tensor.empty() : tensor<68719476736x4xf32>
  %b = linalg.generic {indexing_maps = [#in, #id], iterator_types = ["parallel", "parallel"]} ins(%x : tensor<4xf32>) outs(%e : tensor<68719476736x4xf32>) {
  ^bb0(%p: f32, %o: f32):
    linalg.yield %p : f32
  } -> tensor<68719476736x4xf32>
  return %b : tensor<68719476736x4xf32>
}
