// RUN: pike-opt %s -split-input-file -pike-lower-bfloat16 -verify-diagnostics | FileCheck %s

// A vector of i32 into bf16: exact in f64, then f32 rounded to odd, then
// one rounding to bf16, as integer operations; no float op on bf16 is left.
// CHECK-LABEL: func.func @ints
// CHECK: arith.sitofp %{{.*}} : vector<8xi32> to vector<8xf64>
// CHECK: arith.truncf %{{.*}} : vector<8xf64> to vector<8xf32>
// CHECK: arith.ori
// CHECK-NOT: bf16
// CHECK: arith.bitcast %{{.*}} : vector<8xi16> to vector<8xbf16>
// CHECK-NOT: bf16
// CHECK: return
func.func @ints(%x: vector<8xi32>) -> vector<8xbf16> {
  %y = arith.sitofp %x : vector<8xi32> to vector<8xbf16>
  return %y : vector<8xbf16>
}

// -----

// bf16 arithmetic in f32, each result rounded to bf16 before the next op:
// the truncf/extf pair between the two ops is expanded, not folded away.
// CHECK-LABEL: func.func @chain
// CHECK: arith.divf %{{.*}} : f32
// CHECK: arith.shrui
// CHECK: arith.mulf %{{.*}} : f32
func.func @chain(%x: bf16, %y: bf16) -> bf16 {
  %q = arith.divf %x, %y : bf16
  %p = arith.mulf %q, %y : bf16
  return %p : bf16
}

// -----

// An integer wider than 64 bits is refused, not rounded twice.
func.func @wide(%x: i128) -> bf16 {
  // expected-error @+1 {{'arith.sitofp' op converts an integer wider than 64 bits to bf16}}
  %y = arith.sitofp %x : i128 to bf16
  return %y : bf16
}
