// A u4 input read by extui, a u4 result marked pike.unsigned (values above 7
// are where a sign-extended byte and the unsigned reading part).
func.func @main(%x: tensor<16xi32>, %a: tensor<16xi4>) -> (tensor<16xi4> {pike.unsigned}, tensor<16xi32>) {
  %q = pike.requantize %x {output_unsigned, multiplier = #pike.fixed_point<bits = 32, multipliers = [1073741824], shifts = [28]>} : tensor<16xi32> -> tensor<16xi4>
  %e = tensor.empty() : tensor<16xi32>
  %u = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]}
      ins(%a : tensor<16xi4>) outs(%e : tensor<16xi32>) {
  ^bb0(%in: i4, %out: i32):
    %w = arith.extui %in : i4 to i32
    linalg.yield %w : i32
  } -> tensor<16xi32>
  return %q, %u : tensor<16xi4>, tensor<16xi32>
}
