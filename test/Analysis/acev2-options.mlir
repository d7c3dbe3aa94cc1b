// RUN: not pike-opt %s --pike-acev2="other-ops=sometimes" 2>&1 | FileCheck %s
// RUN: not pike-opt %s --pike-acev2="report=/nonexistent-dir/r.json" 2>&1 | FileCheck %s --check-prefix=PATH

// CHECK: for the --other-ops option: Cannot find option named 'sometimes'!
// PATH: error: pike-acev2: cannot open output file '/nonexistent-dir/r.json'
func.func @f(%x: tensor<4xf32>) -> tensor<4xf32> {
  %y = pike.clamp %x {min = 0.0 : f64, max = 1.0 : f64} : tensor<4xf32>
  return %y : tensor<4xf32>
}
