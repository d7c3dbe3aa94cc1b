//===- OnnxOps.td - ONNX graphs as MLIR, before conversion -*- tablegen -*-===//
//
// A faithful, generic spelling of an ONNX graph: one op per node carrying
// its op type, domain, name and attributes. The semantics live in
// --convert-onnx-to-pike, not here, so the dialect never needs to change
// when an operator is added.
//
//===----------------------------------------------------------------------===//

#ifndef PIKE_DIALECT_ONNX_IR_ONNXOPS_TD
#define PIKE_DIALECT_ONNX_IR_ONNXOPS_TD

include "mlir/IR/OpBase.td"
include "mlir/IR/BuiltinAttributeInterfaces.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

def PikeOnnx_Dialect : Dialect {
  let name = "pike_onnx";
  let cppNamespace = "::mlir::pike::onnx";
  let summary = "ONNX graphs in generic form, as `python -m pike import` writes them";
  let description = [{
    The import boundary for ONNX models. The Python front end only
    serializes: each ONNX node becomes a `pike_onnx.node` naming its op type
    and domain, with its ONNX attributes in a dictionary; each initializer
    becomes a `pike_onnx.constant` whose value is a `dense_resource` blob; an
    absent optional input is a `pike_onnx.none`. Graph inputs and outputs are
    the arguments and results of `func.func @main`, with their ONNX names in
    `pike_onnx.name` argument and result attributes.

    Element types keep ONNX's signedness (`ui8`, `si8`, `si32`, `si64`, `i1`
    for bool, `f32`), so nothing about the model is lost before
    `--convert-onnx-to-pike` gives it Pike's semantics. A node result whose
    type ONNX shape inference could not determine has type `none`; the
    conversion derives every shape itself.

    ```mlir
    func.func @main(%x: tensor<1x3x8x8xf32> {pike_onnx.name = "x"})
        -> (tensor<1x3x8x8xui8> {pike_onnx.name = "q"}) {
      %s = pike_onnx.constant "scale" = dense<0.05> : tensor<f32>
      %q = pike_onnx.node "QuantizeLinear"(%x, %s) {node_name = "quantize"}
          : (tensor<1x3x8x8xf32>, tensor<f32>) -> tensor<1x3x8x8xui8>
      return %q : tensor<1x3x8x8xui8>
    }
    ```
  }];
}

class PikeOnnx_Op<string mnemonic, list<Trait> traits = []>
    : Op<PikeOnnx_Dialect, mnemonic, traits>;

def PikeOnnx_NodeOp : PikeOnnx_Op<"node"> {
  let summary = "One ONNX node, in generic form";
  let description = [{
    `op_type` and `domain` (empty for the default `ai.onnx` domain) name the
    operator; `node_name` is the node's ONNX name (may be empty);
    `node_attributes` holds its ONNX attributes: `INT` as `i64`, `FLOAT` as
    `f32`, `STRING` as a string, `INTS` as `array<i64>`, `FLOATS` as
    `array<f32>`, `TENSOR` as an elements attribute, `STRINGS` as an array
    of strings; other kinds (graphs) as `unit`, which the conversion
    rejects where it matters. Operands are the node's inputs in order.

    ```mlir
    %y = pike_onnx.node "Conv"(%x, %w) {node_name = "conv1",
             node_attributes = {group = 1 : i64, pads = array<i64: 1, 1, 1, 1>}}
        : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x8x8xf32>
    ```
  }];
  let arguments = (ins
    Variadic<AnyType>:$inputs,
    StrAttr:$op_type,
    DefaultValuedStrAttr<StrAttr, "">:$domain,
    DefaultValuedStrAttr<StrAttr, "">:$node_name,
    DefaultValuedAttr<DictionaryAttr, "{}">:$node_attributes
  );
  let results = (outs Variadic<AnyType>:$outputs);
  let assemblyFormat = [{
    $op_type `(` $inputs `)` attr-dict `:` functional-type($inputs, $outputs)
  }];
}

def PikeOnnx_ConstantOp : PikeOnnx_Op<"constant", [Pure,
    AllTypesMatch<["value", "result"]>]> {
  let summary = "An ONNX initializer";
  let description = [{
    The initializer `name` with its value, usually a `dense_resource` blob
    in the element type ONNX declares.

    ```mlir
    %zp = pike_onnx.constant "x_zero_point" = dense<128> : tensor<ui8>
    ```
  }];
  let arguments = (ins StrAttr:$name, TypedAttrInterface:$value);
  let results = (outs AnyRankedTensor:$result);
  let assemblyFormat = "$name `=` $value attr-dict";
  let builders = [
    OpBuilder<(ins "::llvm::StringRef":$name, "::mlir::ElementsAttr":$value), [{
      build($_builder, $_state, value.getType(), $_builder.getStringAttr(name),
            ::llvm::cast<::mlir::TypedAttr>(value));
    }]>
  ];
  let hasVerifier = 1;
}

def PikeOnnx_NoneOp : PikeOnnx_Op<"none", [Pure]> {
  let summary = "An absent optional input";
  let description = [{
    ONNX leaves an optional input out by naming it `""`; it is passed as the
    result of this op so that later inputs keep their positions.

    ```mlir
    %none = pike_onnx.none
    %y = pike_onnx.node "Clip"(%x, %none, %max) : (tensor<4xf32>, none, tensor<f32>) -> tensor<4xf32>
    ```
  }];
  let results = (outs NoneType:$result);
  let assemblyFormat = "attr-dict";
}

#endif // PIKE_DIALECT_ONNX_IR_ONNXOPS_TD
