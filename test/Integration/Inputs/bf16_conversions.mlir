// Conversions into bfloat16 from wider values, each to be rounded once.
#map = affine_map<(d0) -> (d0)>
func.func @from_i32(%x: tensor<64xi32>) -> tensor<64xbf16> {
  %e = tensor.empty() : tensor<64xbf16>
  %r = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel"]} ins(%x : tensor<64xi32>) outs(%e : tensor<64xbf16>) {
  ^bb0(%a: i32, %o: bf16):
    %c = arith.sitofp %a : i32 to bf16
    linalg.yield %c : bf16
  } -> tensor<64xbf16>
  return %r : tensor<64xbf16>
}

func.func @from_u32(%x: tensor<64xi32>) -> tensor<64xbf16> {
  %e = tensor.empty() : tensor<64xbf16>
  %r = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel"]} ins(%x : tensor<64xi32>) outs(%e : tensor<64xbf16>) {
  ^bb0(%a: i32, %o: bf16):
    %c = arith.uitofp %a : i32 to bf16
    linalg.yield %c : bf16
  } -> tensor<64xbf16>
  return %r : tensor<64xbf16>
}

func.func @from_i64(%x: tensor<64xi64>) -> tensor<64xbf16> {
  %e = tensor.empty() : tensor<64xbf16>
  %r = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel"]} ins(%x : tensor<64xi64>) outs(%e : tensor<64xbf16>) {
  ^bb0(%a: i64, %o: bf16):
    %c = arith.sitofp %a : i64 to bf16
    linalg.yield %c : bf16
  } -> tensor<64xbf16>
  return %r : tensor<64xbf16>
}

func.func @from_u64(%x: tensor<64xi64>) -> tensor<64xbf16> {
  %e = tensor.empty() : tensor<64xbf16>
  %r = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel"]} ins(%x : tensor<64xi64>) outs(%e : tensor<64xbf16>) {
  ^bb0(%a: i64, %o: bf16):
    %c = arith.uitofp %a : i64 to bf16
    linalg.yield %c : bf16
  } -> tensor<64xbf16>
  return %r : tensor<64xbf16>
}

func.func @from_f64(%x: tensor<64xf64>) -> tensor<64xbf16> {
  %e = tensor.empty() : tensor<64xbf16>
  %r = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel"]} ins(%x : tensor<64xf64>) outs(%e : tensor<64xbf16>) {
  ^bb0(%a: f64, %o: bf16):
    %c = arith.truncf %a : f64 to bf16
    linalg.yield %c : bf16
  } -> tensor<64xbf16>
  return %r : tensor<64xbf16>
}

func.func @fma(%a: tensor<64xbf16>, %b: tensor<64xbf16>, %c: tensor<64xbf16>) -> tensor<64xbf16> {
  %e = tensor.empty() : tensor<64xbf16>
  %r = linalg.generic {indexing_maps = [#map, #map, #map, #map], iterator_types = ["parallel"]} ins(%a, %b, %c : tensor<64xbf16>, tensor<64xbf16>, tensor<64xbf16>) outs(%e : tensor<64xbf16>) {
  ^bb0(%x: bf16, %y: bf16, %z: bf16, %o: bf16):
    %f = math.fma %x, %y, %z : bf16
    linalg.yield %f : bf16
  } -> tensor<64xbf16>
  return %r : tensor<64xbf16>
}
