// RUN: pike-opt %s -split-input-file --convert-onnx-to-pike | FileCheck %s

// MaxPool with ceil_mode (googlenet): 4 rows, kernel 3, stride 2 give
// ceil((4 - 3) / 2) + 1 = 2 windows where floor gives 1; the second starts
// at row 2, inside the input, and runs one row past it: one more row of
// end padding, which max pooling ignores.
// CHECK-LABEL: func.func @max_ceil
// CHECK: pike.max_pool2d %{{.*}} {kernel = array<i64: 3, 3>, padding = array<i64: 0, 1, 0, 1>, strides = array<i64: 2, 2>}
// CHECK-SAME: tensor<1x4x4x2xf32> -> tensor<1x2x2x2xf32>
func.func @max_ceil(%x: tensor<1x2x4x4xf32> {pike_onnx.name = "x"}) -> (none {pike_onnx.name = "y"}) {
  %y = pike_onnx.node "MaxPool"(%x) {node_name = "pool", node_attributes = {ceil_mode = 1 : i64, kernel_shape = array<i64: 3, 3>, strides = array<i64: 2, 2>}} : (tensor<1x2x4x4xf32>) -> none
  return %y : none
}

// -----

// A window that would start in the end padding is not made: 5 rows padded
// by 1 and 1, kernel 2, stride 2: ceil((7 - 2) / 2) + 1 = 4, but the fourth
// would start at padded row 6 >= 5 + 1, so 3 (as floor), no extra padding.
// CHECK-LABEL: func.func @max_ceil_dropped
// CHECK: pike.max_pool2d %{{.*}} {kernel = array<i64: 2, 2>, padding = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>}
// CHECK-SAME: tensor<1x5x5x1xf32> -> tensor<1x3x3x1xf32>
func.func @max_ceil_dropped(%x: tensor<1x1x5x5xf32> {pike_onnx.name = "x"}) -> (none {pike_onnx.name = "y"}) {
  %y = pike_onnx.node "MaxPool"(%x) {node_name = "pool", node_attributes = {ceil_mode = 1 : i64, kernel_shape = array<i64: 2, 2>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>}} : (tensor<1x1x5x5xf32>) -> none
  return %y : none
}

// -----

// AveragePool with ceil_mode keeps the declared padding and says ceil_mode:
// the positions past the input never count. Its pads (ONNX order [top,
// left, bottom, right] = [1, 0, 1, 0]) with count_include_pad = 1 count.
// CHECK-LABEL: func.func @avg_ceil_and_pads
// CHECK: pike.avg_pool2d %{{.*}} {ceil_mode, kernel = array<i64: 3, 3>, rounding = #pike<average_rounding half_even>, strides = array<i64: 2, 2>}
// CHECK-SAME: tensor<1x4x4x2xf32> -> tensor<1x2x2x2xf32>
// CHECK: pike.avg_pool2d %{{.*}} {count_include_pad, kernel = array<i64: 3, 3>, padding = array<i64: 1, 1, 0, 0>, rounding = #pike<average_rounding half_even>}
// CHECK-SAME: tensor<1x4x4x2xf32> -> tensor<1x4x2x2xf32>
// Without count_include_pad (ONNX's default) the padding does not count.
// CHECK: pike.avg_pool2d %{{.*}} {kernel = array<i64: 3, 3>, padding = array<i64: 1, 1, 1, 1>, rounding = #pike<average_rounding half_even>}
// CHECK-SAME: tensor<1x4x4x2xf32> -> tensor<1x4x4x2xf32>
func.func @avg_ceil_and_pads(%x: tensor<1x2x4x4xf32> {pike_onnx.name = "x"}) -> (none {pike_onnx.name = "y"}, none {pike_onnx.name = "z"}, none {pike_onnx.name = "w"}) {
  %y = pike_onnx.node "AveragePool"(%x) {node_name = "ceil", node_attributes = {ceil_mode = 1 : i64, kernel_shape = array<i64: 3, 3>, strides = array<i64: 2, 2>}} : (tensor<1x2x4x4xf32>) -> none
  %z = pike_onnx.node "AveragePool"(%x) {node_name = "counted", node_attributes = {count_include_pad = 1 : i64, kernel_shape = array<i64: 3, 3>, pads = array<i64: 1, 0, 1, 0>}} : (tensor<1x2x4x4xf32>) -> none
  %w = pike_onnx.node "AveragePool"(%x) {node_name = "excluded", node_attributes = {kernel_shape = array<i64: 3, 3>, pads = array<i64: 1, 1, 1, 1>}} : (tensor<1x2x4x4xf32>) -> none
  return %y, %z, %w : none, none, none
}

// -----

// inception_v3's F.avg_pool2d(x, 3, 1, 1) as torch.onnx writes it: a zero
// Pad of the dequantized tensor, then an unpadded AveragePool. The Pad
// folds into the pooling as padding whose zeros count; no tensor.pad is
// left. The average is quantized again with its input's quantizer.
// CHECK-LABEL: func.func @pad_then_average
// CHECK-NOT: tensor.pad
// CHECK: %[[D:.*]] = pike.dequantize %{{.*}} {quantizer = #pike.quantizer<u8, scales = [5.000000e-01], zero_points = [3]>} : tensor<1x4x4x2xi8> -> tensor<1x4x4x2xf32>
// CHECK: %[[P:.*]] = pike.avg_pool2d %[[D]] {count_include_pad, kernel = array<i64: 3, 3>, padding = array<i64: 1, 1, 1, 1>, rounding = #pike<average_rounding half_even>} : tensor<1x4x4x2xf32> -> tensor<1x4x4x2xf32>
// CHECK: pike.quantize %[[P]] {quantizer = #pike.quantizer<u8, scales = [5.000000e-01], zero_points = [3]>}
func.func @pad_then_average(%x: tensor<1x2x4x4xf32> {pike_onnx.name = "x"}) -> (none {pike_onnx.name = "y"}) {
  %s = pike_onnx.constant "s" = dense<0.5> : tensor<f32>
  %zp = pike_onnx.constant "zp" = dense<3> : tensor<ui8>
  %pads = pike_onnx.constant "pads" = dense<[0, 0, 1, 1, 0, 0, 1, 1]> : tensor<8xsi64>
  %q = pike_onnx.node "QuantizeLinear"(%x, %s, %zp) {node_name = "q"} : (tensor<1x2x4x4xf32>, tensor<f32>, tensor<ui8>) -> none
  %d = pike_onnx.node "DequantizeLinear"(%q, %s, %zp) {node_name = "d"} : (none, tensor<f32>, tensor<ui8>) -> none
  %p = pike_onnx.node "Pad"(%d, %pads) {node_name = "pad", node_attributes = {mode = "constant"}} : (none, tensor<8xsi64>) -> none
  %a = pike_onnx.node "AveragePool"(%p) {node_name = "avg", node_attributes = {kernel_shape = array<i64: 3, 3>, strides = array<i64: 1, 1>}} : (none) -> none
  %aq = pike_onnx.node "QuantizeLinear"(%a, %s, %zp) {node_name = "aq"} : (none, tensor<f32>, tensor<ui8>) -> none
  %y = pike_onnx.node "DequantizeLinear"(%aq, %s, %zp) {node_name = "ad"} : (none, tensor<f32>, tensor<ui8>) -> none
  return %y : none
}

// -----

// A Pad no pooling absorbs pads the integers: with the zero point for 0.0,
// and with 1.0 / 0.5 + 3 = 5 for 1.0 (constant_value input), then the max.
// CHECK-LABEL: func.func @pad_integers
// CHECK: %[[ZP:.*]] = arith.constant 3 : i8
// CHECK: tensor.pad %{{.*}} low[0, 1, 2, 0] high[0, 0, 1, 0]
// CHECK: tensor.yield %[[ZP]] : i8
// CHECK: } : tensor<1x4x4x2xi8> to tensor<1x5x7x2xi8>
// CHECK: %[[ONE:.*]] = arith.constant 5 : i8
// CHECK: tensor.pad %{{.*}} low[0, 1, 1, 0] high[0, 1, 1, 0]
// CHECK: tensor.yield %[[ONE]] : i8
// CHECK: pike.max_pool2d
func.func @pad_integers(%x: tensor<1x2x4x4xf32> {pike_onnx.name = "x"}) -> (none {pike_onnx.name = "y"}, none {pike_onnx.name = "z"}) {
  %s = pike_onnx.constant "s" = dense<0.5> : tensor<f32>
  %zp = pike_onnx.constant "zp" = dense<3> : tensor<ui8>
  %pads = pike_onnx.constant "pads" = dense<[0, 0, 1, 2, 0, 0, 0, 1]> : tensor<8xsi64>
  %pads1 = pike_onnx.constant "pads1" = dense<[0, 0, 1, 1, 0, 0, 1, 1]> : tensor<8xsi64>
  %one = pike_onnx.constant "one" = dense<1.0> : tensor<f32>
  %q = pike_onnx.node "QuantizeLinear"(%x, %s, %zp) {node_name = "q"} : (tensor<1x2x4x4xf32>, tensor<f32>, tensor<ui8>) -> none
  %d = pike_onnx.node "DequantizeLinear"(%q, %s, %zp) {node_name = "d"} : (none, tensor<f32>, tensor<ui8>) -> none
  %y = pike_onnx.node "Pad"(%d, %pads) {node_name = "pad"} : (none, tensor<8xsi64>) -> none
  %p = pike_onnx.node "Pad"(%d, %pads1, %one) {node_name = "pad_one"} : (none, tensor<8xsi64>, tensor<f32>) -> none
  %z = pike_onnx.node "MaxPool"(%p) {node_name = "max", node_attributes = {kernel_shape = array<i64: 3, 3>}} : (none) -> none
  return %y, %z : none, none
}

// -----

// ReduceMean over H and W is a global average pool; without keepdims the
// [N, 1, 1, C] result collapses to [N, C]. Axes as an attribute (opset 13,
// negative here) or as an input (opset 18).
// CHECK-LABEL: func.func @reduce_mean
// CHECK: %[[A:.*]] = pike.avg_pool2d %{{.*}} {kernel = array<i64: 4, 5>, rounding = #pike<average_rounding half_even>} : tensor<1x4x5x3xf32> -> tensor<1x1x1x3xf32>
// CHECK: tensor.collapse_shape %[[A]] {{\[\[}}0, 1, 2], [3]] : tensor<1x1x1x3xf32> into tensor<1x3xf32>
// CHECK: %[[B:.*]] = pike.avg_pool2d %{{.*}} {kernel = array<i64: 4, 5>, rounding = #pike<average_rounding half_even>} : tensor<1x4x5x3xf32> -> tensor<1x1x1x3xf32>
// CHECK: linalg.transpose ins(%[[B]] : tensor<1x1x1x3xf32>) outs(%{{.*}} : tensor<1x3x1x1xf32>)
func.func @reduce_mean(%x: tensor<1x3x4x5xf32> {pike_onnx.name = "x"}) -> (none {pike_onnx.name = "y"}, none {pike_onnx.name = "z"}) {
  %axes = pike_onnx.constant "axes" = dense<[3, 2]> : tensor<2xsi64>
  %y = pike_onnx.node "ReduceMean"(%x) {node_name = "mean", node_attributes = {axes = array<i64: -2, -1>, keepdims = 0 : i64}} : (tensor<1x3x4x5xf32>) -> none
  %z = pike_onnx.node "ReduceMean"(%x, %axes) {node_name = "mean18"} : (tensor<1x3x4x5xf32>, tensor<2xsi64>) -> none
  return %y, %z : none, none
}
