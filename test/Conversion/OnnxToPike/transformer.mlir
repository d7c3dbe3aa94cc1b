// RUN: pike-opt %s -split-input-file --convert-onnx-to-pike | FileCheck %s

// Attention scores: a Div of the dequantized scores by a constant sqrt(d)
// (Pow of constants, folded: 16^0.5) joins the dequantize's scale (0.5 / 4), and
// Softmax over the last axis is a pike.softmax of those reals.
// CHECK-LABEL: func.func @main
// CHECK: %[[D:.*]] = pike.dequantize %{{.*}} {quantizer = #pike.quantizer<u8, scales = [1.250000e-01], zero_points = [128]>}
// CHECK: pike.softmax %[[D]] : tensor<1x2x4x4xf32>
func.func @main(%x: tensor<1x2x4x4xf32> {pike_onnx.name = "x"}) -> (none {pike_onnx.name = "y"}) {
  %s = pike_onnx.constant "s" = dense<0.5> : tensor<f32>
  %z = pike_onnx.constant "z" = dense<128> : tensor<ui8>
  %base = pike_onnx.constant "base" = dense<16.0> : tensor<f32>
  %half = pike_onnx.constant "half" = dense<0.5> : tensor<f32>
  %q = pike_onnx.node "QuantizeLinear"(%x, %s, %z) {node_name = "q"} : (tensor<1x2x4x4xf32>, tensor<f32>, tensor<ui8>) -> none
  %d = pike_onnx.node "DequantizeLinear"(%q, %s, %z) {node_name = "d"} : (none, tensor<f32>, tensor<ui8>) -> none
  %root = pike_onnx.node "Pow"(%base, %half) {node_name = "root"} : (tensor<f32>, tensor<f32>) -> none
  %scaled = pike_onnx.node "Div"(%d, %root) {node_name = "scaled"} : (none, none) -> none
  %y = pike_onnx.node "Softmax"(%scaled) {node_name = "softmax", node_attributes = {axis = -1 : si64}} : (none) -> none
  return %y : none
}

// -----

// LayerNormalization with a dequantized constant scale (as onnxruntime's
// quantizer writes it: int8 [2, -4] at 0.25) and a real bias.
// CHECK-LABEL: func.func @main
// CHECK: pike.layer_norm %{{.*}} {bias = array<f64: 0.10000000149011612, 0.000000e+00>, epsilon = 9.9999997473787516E-6 : f64, scale = array<f64: 5.000000e-01, -1.000000e+00>} : tensor<3x2xf32>
func.func @main(%x: tensor<3x2xf32> {pike_onnx.name = "x"}) -> (none {pike_onnx.name = "y"}) {
  %s = pike_onnx.constant "s" = dense<0.25> : tensor<f32>
  %z = pike_onnx.constant "z" = dense<0> : tensor<si8>
  %w = pike_onnx.constant "w" = dense<[2, -4]> : tensor<2xsi8>
  %b = pike_onnx.constant "b" = dense<[0.1, 0.0]> : tensor<2xf32>
  %g = pike_onnx.node "DequantizeLinear"(%w, %s, %z) {node_name = "g"} : (tensor<2xsi8>, tensor<f32>, tensor<si8>) -> none
  %y = pike_onnx.node "LayerNormalization"(%x, %g, %b) {node_name = "norm", node_attributes = {epsilon = 1.0e-05 : f32}} : (tensor<3x2xf32>, none, tensor<2xf32>) -> none
  return %y : none
}

// -----

// Token embedding: a Gather of a dequantized constant table by the ids the
// model reads (pike.gather of the integers, dequantized after), then Split
// into two halves of the width, each a slice of the integers.
// CHECK-LABEL: func.func @main
// CHECK: %[[E:.*]] = pike.gather %{{.*}}, %{{.*}} : (tensor<5x4xi8>, tensor<1x3xi64>) -> tensor<1x3x4xi8>
// CHECK: tensor.extract_slice %[[E]][0, 0, 0] [1, 3, 2] [1, 1, 1] : tensor<1x3x4xi8> to tensor<1x3x2xi8>
// CHECK: tensor.extract_slice %[[E]][0, 0, 2] [1, 3, 2] [1, 1, 1] : tensor<1x3x4xi8> to tensor<1x3x2xi8>
func.func @main(%ids: tensor<1x3xsi64> {pike_onnx.name = "ids"}) -> (none {pike_onnx.name = "a"}, none {pike_onnx.name = "b"}) {
  %s = pike_onnx.constant "s" = dense<0.1> : tensor<f32>
  %z = pike_onnx.constant "z" = dense<0> : tensor<si8>
  %t = pike_onnx.constant "t" = dense<3> : tensor<5x4xsi8>
  %sizes = pike_onnx.constant "sizes" = dense<[2, 2]> : tensor<2xsi64>
  %table = pike_onnx.node "DequantizeLinear"(%t, %s, %z) {node_name = "table"} : (tensor<5x4xsi8>, tensor<f32>, tensor<si8>) -> none
  %e = pike_onnx.node "Gather"(%table, %ids) {node_name = "embed"} : (none, tensor<1x3xsi64>) -> none
  %a, %b = pike_onnx.node "Split"(%e, %sizes) {node_name = "split", node_attributes = {axis = 2 : si64}} : (none, tensor<2xsi64>) -> (none, none)
  return %a, %b : none, none
}

// -----

// The class token: a Gather of index 0 on axis 1 drops that axis (a slice
// of the integers); GELU as exported before opset 20 begins with a Div by
// sqrt(2), which joins the dequantize's scale, then Erf.
// CHECK-LABEL: func.func @main
// CHECK: tensor.extract_slice %{{.*}}[0, 0, 0] [1, 1, 4] [1, 1, 1] : tensor<1x3x4xi8> to tensor<1x4xi8>
// CHECK: %[[S:.*]] = pike.dequantize %{{.*}} {quantizer = #pike.quantizer<s8, scales = [0.07071068{{[0-9]*}}]>}
// CHECK: %[[E:.*]] = pike.activation %[[S]] {kind = #pike<activation erf>}
// CHECK: pike.scale %[[E]] {bias = array<f64: 1.000000e+00>, scale = array<f64: 1.000000e+00>}
func.func @main(%x: tensor<1x3x4xf32> {pike_onnx.name = "x"}) -> (none {pike_onnx.name = "y"}) {
  %s = pike_onnx.constant "s" = dense<0.1> : tensor<f32>
  %z = pike_onnx.constant "z" = dense<0> : tensor<si8>
  %i = pike_onnx.constant "i" = dense<0> : tensor<si64>
  %r2 = pike_onnx.constant "r2" = dense<1.41421354> : tensor<f32>
  %one = pike_onnx.constant "one" = dense<1.0> : tensor<f32>
  %half = pike_onnx.constant "half" = dense<0.5> : tensor<f32>
  %q = pike_onnx.node "QuantizeLinear"(%x, %s, %z) {node_name = "q"} : (tensor<1x3x4xf32>, tensor<f32>, tensor<si8>) -> none
  %d = pike_onnx.node "DequantizeLinear"(%q, %s, %z) {node_name = "d"} : (none, tensor<f32>, tensor<si8>) -> none
  %c = pike_onnx.node "Gather"(%d, %i) {node_name = "cls", node_attributes = {axis = 1 : si64}} : (none, tensor<si64>) -> none
  %cq = pike_onnx.node "QuantizeLinear"(%c, %s, %z) {node_name = "cq"} : (none, tensor<f32>, tensor<si8>) -> none
  %cd = pike_onnx.node "DequantizeLinear"(%cq, %s, %z) {node_name = "cd"} : (none, tensor<f32>, tensor<si8>) -> none
  %u = pike_onnx.node "Div"(%cd, %r2) {node_name = "u"} : (none, tensor<f32>) -> none
  %e = pike_onnx.node "Erf"(%u) {node_name = "erf"} : (none) -> none
  %y = pike_onnx.node "Add"(%e, %one) {node_name = "add"} : (none, tensor<f32>) -> none
  return %y : none
}

// -----

// GELU's tail as PyTorch's export writes it: constants of shape [1, 1, 1]
// (one value, a shape that leaves the tensor's) are a shared pike.scale of
// the reals, not a broadcast operand, so a table between quantizers absorbs
// them; the second use of the integers is dequantized again.
// CHECK-LABEL: func.func @main
// CHECK: %[[E:.*]] = pike.activation %{{.*}} {kind = #pike<activation erf>}
// CHECK: %[[A:.*]] = pike.scale %[[E]] {bias = array<f64: 1.000000e+00>, scale = array<f64: 1.000000e+00>} : tensor<1x3x4xf32>
// CHECK: %[[P:.*]] = pike.mul %{{.*}}, %[[A]]
// CHECK: pike.scale %[[P]] {bias = array<f64: 0.000000e+00>, scale = array<f64: 5.000000e-01>} : tensor<1x3x4xf32>
// CHECK-NOT: linalg.broadcast
func.func @main(%x: tensor<1x3x4xf32> {pike_onnx.name = "x"}) -> (none {pike_onnx.name = "y"}) {
  %s = pike_onnx.constant "s" = dense<0.1> : tensor<f32>
  %z = pike_onnx.constant "z" = dense<0> : tensor<si8>
  %r2 = pike_onnx.constant "r2" = dense<1.41421354> : tensor<1x1x1xf32>
  %one = pike_onnx.constant "one" = dense<1.0> : tensor<1x1x1xf32>
  %half = pike_onnx.constant "half" = dense<0.5> : tensor<1x1x1xf32>
  %q = pike_onnx.node "QuantizeLinear"(%x, %s, %z) {node_name = "q"} : (tensor<1x3x4xf32>, tensor<f32>, tensor<si8>) -> none
  %d = pike_onnx.node "DequantizeLinear"(%q, %s, %z) {node_name = "d"} : (none, tensor<f32>, tensor<si8>) -> none
  %d2 = pike_onnx.node "DequantizeLinear"(%q, %s, %z) {node_name = "d2"} : (none, tensor<f32>, tensor<si8>) -> none
  %u = pike_onnx.node "Div"(%d, %r2) {node_name = "u"} : (none, tensor<1x1x1xf32>) -> none
  %e = pike_onnx.node "Erf"(%u) {node_name = "erf"} : (none) -> none
  %a = pike_onnx.node "Add"(%e, %one) {node_name = "add"} : (none, tensor<1x1x1xf32>) -> none
  %m = pike_onnx.node "Mul"(%d2, %a) {node_name = "mul"} : (none, none) -> none
  %y = pike_onnx.node "Mul"(%m, %half) {node_name = "mul_1"} : (none, tensor<1x1x1xf32>) -> none
  return %y : none
}

// -----

// A real tensor that no dequantize or product precedes, scaled by a
// constant: a pike.scale of the reals.
// CHECK-LABEL: func.func @main
// CHECK: pike.scale %arg0 {bias = array<f64: -1.000000e+00>, scale = array<f64: 1.000000e+00>} : tensor<2x3xf32> -> tensor<2x3xf32>
func.func @main(%x: tensor<2x3xf32> {pike_onnx.name = "x"}) -> (none {pike_onnx.name = "y"}) {
  %one = pike_onnx.constant "one" = dense<1.0> : tensor<f32>
  %y = pike_onnx.node "Sub"(%x, %one) {node_name = "sub"} : (tensor<2x3xf32>, tensor<f32>) -> none
  return %y : none
}

// -----

// nn.LayerNorm as PyTorch exports it before opset 17: seven nodes over the
// last axis, then Mul by its weight and Add of its bias, which join the one
// pike.layer_norm.
// CHECK-LABEL: func.func @main
// CHECK-NOT: pike.mul
// CHECK: pike.layer_norm %arg0 {bias = array<f64: 1.000000e+00, -1.000000e+00>, epsilon = 9.9999997473787516E-6 : f64, scale = array<f64: 2.000000e+00, 5.000000e-01>} : tensor<1x3x2xf32>
// CHECK-NOT: pike.mul
// CHECK-NOT: pike.add
func.func @main(%x: tensor<1x3x2xf32> {pike_onnx.name = "x"}) -> (none {pike_onnx.name = "y"}) {
  %two = pike_onnx.constant "two" = dense<2.0> : tensor<f32>
  %eps = pike_onnx.constant "eps" = dense<1.0e-05> : tensor<f32>
  %w = pike_onnx.constant "w" = dense<[2.0, 0.5]> : tensor<2xf32>
  %b = pike_onnx.constant "b" = dense<[1.0, -1.0]> : tensor<2xf32>
  %m = pike_onnx.node "ReduceMean"(%x) {node_name = "mean", node_attributes = {axes = array<i64: -1>}} : (tensor<1x3x2xf32>) -> none
  %c = pike_onnx.node "Sub"(%x, %m) {node_name = "sub"} : (tensor<1x3x2xf32>, none) -> none
  %s = pike_onnx.node "Pow"(%c, %two) {node_name = "pow"} : (none, tensor<f32>) -> none
  %v = pike_onnx.node "ReduceMean"(%s) {node_name = "var", node_attributes = {axes = array<i64: -1>}} : (none) -> none
  %e = pike_onnx.node "Add"(%v, %eps) {node_name = "add_eps"} : (none, tensor<f32>) -> none
  %d = pike_onnx.node "Sqrt"(%e) {node_name = "sqrt"} : (none) -> none
  %n = pike_onnx.node "Div"(%c, %d) {node_name = "div"} : (none, none) -> none
  %g = pike_onnx.node "Mul"(%n, %w) {node_name = "mul"} : (none, tensor<2xf32>) -> none
  %y = pike_onnx.node "Add"(%g, %b) {node_name = "add"} : (none, tensor<2xf32>) -> none
  return %y : none
}

// -----

// The same seven nodes as onnxruntime's quantize_static leaves them: the
// variance and variance plus epsilon each quantized and dequantized, the
// epsilon a dequantized constant (255 * 3.92e-8). Their quantizers join the
// one pike.layer_norm; epsilon is the dequantized constant.
// CHECK-LABEL: func.func @main
// CHECK: %[[X:.*]] = pike.dequantize
// CHECK-NOT: pike.quantize %
// CHECK: pike.layer_norm %[[X]] {bias = array<f64: 0.000000e+00>, deviation_quantizer = #pike.quantizer<u8, scales = [0.0055100000463426113]>, epsilon = 9.9999997473787516E-6 : f64, epsilon_quantizer = #pike.quantizer<u8, scales = [3.9215684921600769E-8]>, scale = array<f64: 1.000000e+00>, variance_quantizer = #pike.quantizer<u8, scales = [0.0054999999701976776], zero_points = [2]>} : tensor<1x3x8xf32>
// CHECK-NEXT: pike.quantize
func.func @main(%x: tensor<1x3x8xui8> {pike_onnx.name = "x"}) -> (none {pike_onnx.name = "y"}) {
  %sx = pike_onnx.constant "sx" = dense<0.05> : tensor<f32>
  %zx = pike_onnx.constant "zx" = dense<128> : tensor<ui8>
  %two = pike_onnx.constant "two" = dense<2.0> : tensor<f32>
  %sv = pike_onnx.constant "sv" = dense<0.0055> : tensor<f32>
  %zv = pike_onnx.constant "zv" = dense<2> : tensor<ui8>
  %se = pike_onnx.constant "se" = dense<0.00551> : tensor<f32>
  %ze = pike_onnx.constant "ze" = dense<0> : tensor<ui8>
  %qeps = pike_onnx.constant "qeps" = dense<255> : tensor<ui8>
  %seps = pike_onnx.constant "seps" = dense<3.9215684e-08> : tensor<f32>
  %sy = pike_onnx.constant "sy" = dense<0.03> : tensor<f32>
  %zy = pike_onnx.constant "zy" = dense<125> : tensor<ui8>
  %xr = pike_onnx.node "DequantizeLinear"(%x, %sx, %zx) {node_name = "dqx"} : (tensor<1x3x8xui8>, tensor<f32>, tensor<ui8>) -> none
  %m = pike_onnx.node "ReduceMean"(%xr) {node_name = "mean", node_attributes = {axes = array<i64: -1>}} : (none) -> none
  %c = pike_onnx.node "Sub"(%xr, %m) {node_name = "sub"} : (none, none) -> none
  %s = pike_onnx.node "Pow"(%c, %two) {node_name = "pow"} : (none, tensor<f32>) -> none
  %v = pike_onnx.node "ReduceMean"(%s) {node_name = "var", node_attributes = {axes = array<i64: -1>}} : (none) -> none
  %vq = pike_onnx.node "QuantizeLinear"(%v, %sv, %zv) {node_name = "qv"} : (none, tensor<f32>, tensor<ui8>) -> none
  %vr = pike_onnx.node "DequantizeLinear"(%vq, %sv, %zv) {node_name = "dqv"} : (none, tensor<f32>, tensor<ui8>) -> none
  %eps = pike_onnx.node "DequantizeLinear"(%qeps, %seps, %ze) {node_name = "dqeps"} : (tensor<ui8>, tensor<f32>, tensor<ui8>) -> none
  %e = pike_onnx.node "Add"(%vr, %eps) {node_name = "add_eps"} : (none, none) -> none
  %eq = pike_onnx.node "QuantizeLinear"(%e, %se, %ze) {node_name = "qe"} : (none, tensor<f32>, tensor<ui8>) -> none
  %er = pike_onnx.node "DequantizeLinear"(%eq, %se, %ze) {node_name = "dqe"} : (none, tensor<f32>, tensor<ui8>) -> none
  %d = pike_onnx.node "Sqrt"(%er) {node_name = "sqrt"} : (none) -> none
  %n = pike_onnx.node "Div"(%c, %d) {node_name = "div"} : (none, none) -> none
  %y = pike_onnx.node "QuantizeLinear"(%n, %sy, %zy) {node_name = "qy"} : (none, tensor<f32>, tensor<ui8>) -> none
  return %y : none
}

// -----

// The same with the epsilon first and a uniform Mul and an Add of constants
// after the Div: they join the pike.layer_norm as one scale and one bias,
// and the quantizers stay.
// CHECK-LABEL: func.func @main
// CHECK: %[[X:.*]] = pike.dequantize
// CHECK-NOT: pike.quantize %
// CHECK: pike.layer_norm %[[X]] {bias = array<f64: 2.500000e-01>, deviation_quantizer = #pike.quantizer<u8, scales = [0.0055100000463426113]>, epsilon = 9.9999997473787516E-6 : f64, epsilon_quantizer = #pike.quantizer<u8, scales = [3.9215684921600769E-8]>, scale = array<f64: 1.500000e+00>, variance_quantizer = #pike.quantizer<u8, scales = [0.0054999999701976776], zero_points = [2]>} : tensor<1x3x8xf32>
// CHECK-NEXT: pike.quantize
func.func @main(%x: tensor<1x3x8xui8> {pike_onnx.name = "x"}) -> (none {pike_onnx.name = "y"}) {
  %sx = pike_onnx.constant "sx" = dense<0.05> : tensor<f32>
  %zx = pike_onnx.constant "zx" = dense<128> : tensor<ui8>
  %two = pike_onnx.constant "two" = dense<2.0> : tensor<f32>
  %sv = pike_onnx.constant "sv" = dense<0.0055> : tensor<f32>
  %zv = pike_onnx.constant "zv" = dense<2> : tensor<ui8>
  %se = pike_onnx.constant "se" = dense<0.00551> : tensor<f32>
  %ze = pike_onnx.constant "ze" = dense<0> : tensor<ui8>
  %qeps = pike_onnx.constant "qeps" = dense<255> : tensor<ui8>
  %seps = pike_onnx.constant "seps" = dense<3.9215684e-08> : tensor<f32>
  %sy = pike_onnx.constant "sy" = dense<0.03> : tensor<f32>
  %zy = pike_onnx.constant "zy" = dense<125> : tensor<ui8>
  %w = pike_onnx.constant "w" = dense<1.5> : tensor<8xf32>
  %bias = pike_onnx.constant "bias" = dense<0.25> : tensor<8xf32>
  %xr = pike_onnx.node "DequantizeLinear"(%x, %sx, %zx) {node_name = "dqx"} : (tensor<1x3x8xui8>, tensor<f32>, tensor<ui8>) -> none
  %m = pike_onnx.node "ReduceMean"(%xr) {node_name = "mean", node_attributes = {axes = array<i64: -1>}} : (none) -> none
  %c = pike_onnx.node "Sub"(%xr, %m) {node_name = "sub"} : (none, none) -> none
  %s = pike_onnx.node "Pow"(%c, %two) {node_name = "pow"} : (none, tensor<f32>) -> none
  %v = pike_onnx.node "ReduceMean"(%s) {node_name = "var", node_attributes = {axes = array<i64: -1>}} : (none) -> none
  %vq = pike_onnx.node "QuantizeLinear"(%v, %sv, %zv) {node_name = "qv"} : (none, tensor<f32>, tensor<ui8>) -> none
  %vr = pike_onnx.node "DequantizeLinear"(%vq, %sv, %zv) {node_name = "dqv"} : (none, tensor<f32>, tensor<ui8>) -> none
  %eps = pike_onnx.node "DequantizeLinear"(%qeps, %seps, %ze) {node_name = "dqeps"} : (tensor<ui8>, tensor<f32>, tensor<ui8>) -> none
  %e = pike_onnx.node "Add"(%eps, %vr) {node_name = "add_eps"} : (none, none) -> none
  %eq = pike_onnx.node "QuantizeLinear"(%e, %se, %ze) {node_name = "qe"} : (none, tensor<f32>, tensor<ui8>) -> none
  %er = pike_onnx.node "DequantizeLinear"(%eq, %se, %ze) {node_name = "dqe"} : (none, tensor<f32>, tensor<ui8>) -> none
  %d = pike_onnx.node "Sqrt"(%er) {node_name = "sqrt"} : (none) -> none
  %n = pike_onnx.node "Div"(%c, %d) {node_name = "div"} : (none, none) -> none
  %g = pike_onnx.node "Mul"(%n, %w) {node_name = "mul"} : (none, tensor<8xf32>) -> none
  %b = pike_onnx.node "Add"(%g, %bias) {node_name = "add"} : (none, tensor<8xf32>) -> none
  %y = pike_onnx.node "QuantizeLinear"(%b, %sy, %zy) {node_name = "qy"} : (none, tensor<f32>, tensor<ui8>) -> none
  return %y : none
}

// -----

// A Mul of a dequantized tensor by a positive scalar joins its scale (0.5 *
// 3); a Gather from an int64 table keeps its integers.
// CHECK-LABEL: func.func @main
// CHECK-DAG: pike.dequantize %{{.*}} {quantizer = #pike.quantizer<s8, scales = [1.500000e+00]>}
// CHECK-DAG: pike.gather %{{.*}}, %{{.*}} : (tensor<2x2xi64>, tensor<2xi64>) -> tensor<2x2xi64>
func.func @main(%x: tensor<4xf32> {pike_onnx.name = "x"}, %ids: tensor<2xsi64> {pike_onnx.name = "ids"}) -> (none {pike_onnx.name = "y"}, none {pike_onnx.name = "g"}) {
  %s = pike_onnx.constant "s" = dense<0.5> : tensor<f32>
  %z = pike_onnx.constant "z" = dense<0> : tensor<si8>
  %three = pike_onnx.constant "three" = dense<3.0> : tensor<f32>
  %t = pike_onnx.constant "t" = dense<[[1099511627777, 16777217], [3, -5]]> : tensor<2x2xsi64>
  %q = pike_onnx.node "QuantizeLinear"(%x, %s, %z) {node_name = "q"} : (tensor<4xf32>, tensor<f32>, tensor<si8>) -> none
  %d = pike_onnx.node "DequantizeLinear"(%q, %s, %z) {node_name = "d"} : (none, tensor<f32>, tensor<si8>) -> none
  %y = pike_onnx.node "Mul"(%d, %three) {node_name = "m"} : (none, tensor<f32>) -> none
  %g = pike_onnx.node "Gather"(%t, %ids) {node_name = "g"} : (tensor<2x2xsi64>, tensor<2xsi64>) -> none
  return %y, %g : none, none
}

// -----

// A constant that is not finite is no pike.scale: the tensors are added as
// they are (a broadcast real pike.add).
// CHECK-LABEL: func.func @main
// CHECK: linalg.broadcast
// CHECK: pike.add %arg0, %{{.*}} : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
func.func @main(%x: tensor<2x3xf32> {pike_onnx.name = "x"}) -> (none {pike_onnx.name = "y"}) {
  %inf = pike_onnx.constant "inf" = dense<0x7F800000> : tensor<f32>
  %y = pike_onnx.node "Add"(%x, %inf) {node_name = "add"} : (tensor<2x3xf32>, tensor<f32>) -> none
  return %y : none
}
