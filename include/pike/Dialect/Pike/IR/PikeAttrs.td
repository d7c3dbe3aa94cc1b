//===- PikeAttrs.td - Quantizer, double-quantized scale, fixed point -*- tablegen -*-===//

#ifndef PIKE_DIALECT_PIKE_IR_PIKEATTRS_TD
#define PIKE_DIALECT_PIKE_IR_PIKEATTRS_TD

include "pike/Dialect/Pike/IR/PikeDialect.td"
include "mlir/IR/AttrTypeBase.td"
include "mlir/IR/BuiltinAttributeInterfaces.td"
include "mlir/IR/EnumAttr.td"

//===----------------------------------------------------------------------===//
// Enums
//===----------------------------------------------------------------------===//

def Pike_QuantScheme : I32EnumAttr<"QuantScheme", "how quantization levels are spaced", [
    I32EnumAttrCase<"uniform", 0>,
    I32EnumAttrCase<"pow2", 1>
  ]> {
  let genSpecializedAttr = 0;
  let cppNamespace = "::mlir::pike";
}

def Pike_RoundingMode : I32EnumAttr<"RoundingMode",
    "rounding of a fixed-point right shift, named after the runtime it matches", [
    I32EnumAttrCase<"single_round", 0, "single">,
    I32EnumAttrCase<"double_round", 1, "double">,
    I32EnumAttrCase<"half_even", 2>,
    I32EnumAttrCase<"tflite", 3>,
    I32EnumAttrCase<"tvm_upward", 4>,
    I32EnumAttrCase<"tvm_tonearest", 5>,
    I32EnumAttrCase<"float32", 6>
  ]> {
  let genSpecializedAttr = 0;
  let cppNamespace = "::mlir::pike";
}

def Pike_AverageRounding : I32EnumAttr<"AverageRounding",
    "rounding of an integer average sum / n", [
    I32EnumAttrCase<"half_up", 0>,
    I32EnumAttrCase<"half_even", 1>
  ]> {
  let genSpecializedAttr = 0;
  let cppNamespace = "::mlir::pike";
}

def Pike_QuantizeRounding : I32EnumAttr<"QuantizeRounding",
    "rounding of x / scale to an integer in pike.quantize", [
    I32EnumAttrCase<"half_even", 0>,
    I32EnumAttrCase<"floor", 1>,
    I32EnumAttrCase<"ceil", 2>,
    I32EnumAttrCase<"toward_zero", 3>
  ]> {
  let genSpecializedAttr = 0;
  let cppNamespace = "::mlir::pike";
}

def Pike_ActivationKind : I32EnumAttr<"ActivationKind",
    "a real elementwise activation, as ONNX defines it", [
    I32EnumAttrCase<"sigmoid", 0>,
    I32EnumAttrCase<"tanh", 1>,
    I32EnumAttrCase<"hard_sigmoid", 2>,
    I32EnumAttrCase<"hard_swish", 3>,
    I32EnumAttrCase<"leaky_relu", 4>,
    I32EnumAttrCase<"gelu", 5>,
    I32EnumAttrCase<"erf", 6>
  ]> {
  let genSpecializedAttr = 0;
  let cppNamespace = "::mlir::pike";
}

def Pike_ActivationKindAttr : EnumAttr<Pike_Dialect, Pike_ActivationKind, "activation"> {
  let assemblyFormat = "$value";
}

// The rounding mode as an op attribute, printed as its bare keyword.
def Pike_RoundingModeAttr : EnumAttr<Pike_Dialect, Pike_RoundingMode, "rounding"> {
  let assemblyFormat = "$value";
}

// The rounding of an average, printed as its bare keyword.
def Pike_AverageRoundingAttr : EnumAttr<Pike_Dialect, Pike_AverageRounding, "average_rounding"> {
  let assemblyFormat = "$value";
}

// The rounding of a quantize, printed as its bare keyword.
def Pike_QuantizeRoundingAttr : EnumAttr<Pike_Dialect, Pike_QuantizeRounding, "quantize_rounding"> {
  let assemblyFormat = "$value";
}

class Pike_Attr<string name, string attrMnemonic, list<Trait> traits = []>
    : AttrDef<Pike_Dialect, name, traits> {
  let mnemonic = attrMnemonic;
}

// A double-precision real, printed and parsed as a float literal.
class Pike_F64Parameter<string desc> : APFloatParameter<desc> {
  let parser = [{ [&]() -> ::mlir::FailureOr<::llvm::APFloat> {
    double value;
    if ($_parser.parseFloat(value))
      return ::mlir::failure();
    return ::llvm::APFloat(value);
  }() }];
}

// Reals printed at full precision (DenseArrayAttr's own printer rounds to
// six digits, which would change the model on a print/parse round trip).
def Pike_F64ArrayParameter : AttrOrTypeParameter<"::mlir::DenseF64ArrayAttr",
                                                 "list of reals"> {
  let printer = [{
    $_printer << '[';
    ::llvm::interleaveComma($_self.asArrayRef(), $_printer,
                            [&](double value) { $_printer << ::llvm::APFloat(value); });
    $_printer << ']';
  }];
}

def Pike_QuantSchemeParameter : EnumParameter<Pike_QuantScheme> {
  let defaultValue = "::mlir::pike::QuantScheme::uniform";
}

def Pike_RoundingModeParameter : EnumParameter<Pike_RoundingMode> {
  let defaultValue = "::mlir::pike::RoundingMode::single_round";
}

//===----------------------------------------------------------------------===//
// QuantizerAttr
//===----------------------------------------------------------------------===//

def Pike_QuantizerAttr : Pike_Attr<"Quantizer", "quantizer"> {
  let summary = "A uniform or power-of-two quantizer, per tensor or per channel";
  let description = [{
    Maps reals to `bits`-bit integers: `q = clamp(round(x / scale) + zp)`,
    `x = (q - zp) * scale`. The first parameter names signedness and width
    (`s4` is signed 4-bit, `u8` unsigned 8-bit; 1 to 16 bits). Without `axis`
    the quantizer is per tensor and has one scale; with `axis = a` it has one
    scale (and zero point) per index of dimension `a`. Scheme `pow2` requires
    every scale to be a power of two, so rescaling is a shift. Zero points
    default to 0.

    ```mlir
    #pike.quantizer<u4, scales = [0.05]>
    #pike.quantizer<s4, axis = 0, scheme = pow2, scales = [0.25, 0.125], zero_points = [0, 0]>
    ```
  }];
  let parameters = (ins
    "unsigned":$bits,
    "bool":$isSigned,
    OptionalParameter<"std::optional<int64_t>">:$axis,
    Pike_QuantSchemeParameter:$scheme,
    Pike_F64ArrayParameter:$scales,
    OptionalParameter<"::mlir::DenseI64ArrayAttr">:$zeroPoints
  );
  let assemblyFormat = [{
    `<` custom<BitWidth>($bits, $isSigned) `,`
        (`axis` `=` $axis^ `,`)?
        (`scheme` `=` $scheme^ `,`)?
        `scales` `=` $scales
        (`,` `zero_points` `=` $zeroPoints^)? `>`
  }];
  let genVerifyDecl = 1;
  let extraClassDeclaration = [{
    bool isPerChannel() const { return getAxis().has_value(); }
    /// Zero point of channel `index` (0 for per-tensor quantizers).
    int64_t getZeroPoint(size_t index) const;
    /// Scale of channel `index` (0 for per-tensor quantizers).
    double getScale(size_t index) const;
    int64_t getMinValue() const;
    int64_t getMaxValue() const;
  }];
}

//===----------------------------------------------------------------------===//
// DoubleQuantScaleAttr
//===----------------------------------------------------------------------===//

def Pike_DoubleQuantScaleAttr : Pike_Attr<"DoubleQuantScale", "dq_scale"> {
  let summary = "Per-channel scales quantized to low-bit integers with one shared scale";
  let description = [{
    Double Quantization (PikeLPN): the per-channel real scales are
    `values[c] * scale`, where `values` are unsigned `bits`-bit integers
    (1 to 16 bits, each at least 1 since a scale is positive) and `scale` is
    one positive real shared by all channels. The per-element multiply by
    `values[c]` is then low-bit integer work.

    ```mlir
    #pike.dq_scale<bits = 4, values = [3, 15, 7], scale = 1.250000e-02>
    ```
  }];
  let parameters = (ins
    "unsigned":$bits,
    "::mlir::DenseI64ArrayAttr":$values,
    Pike_F64Parameter<"shared scale">:$scale
  );
  let assemblyFormat = [{
    `<` `bits` `=` $bits `,` `values` `=` $values `,` `scale` `=` $scale `>`
  }];
  let genVerifyDecl = 1;
  let extraClassDeclaration = [{
    /// The real scale of channel `index`: values[index] * scale.
    double getChannelScale(size_t index) const;
  }];
}

//===----------------------------------------------------------------------===//
// FixedPointAttr
//===----------------------------------------------------------------------===//

def Pike_FixedPointAttr : Pike_Attr<"FixedPoint", "fixed_point"> {
  let summary = "Integer multipliers and right shifts standing for real scales";
  let description = [{
    Real scales `multipliers[c] * 2^-shifts[c]`, applied to an integer `v` as
    `round_shift(v * multipliers[c], shifts[c])` with the named `rounding`:
    `single` or `double`, exactly as TOSA `rescale`, or `half_even`, ties to
    even as ONNX rounds. Multipliers are
    non-negative integers of `bits` bits, sign bit included (2 to 32 bits);
    shifts are in [2, 62]. `multipliers` and `shifts` each hold one entry
    (shared by all channels) or one per channel. Double rounding needs 32-bit
    multipliers, as in TOSA.

    Double Quantization in integer form is a fixed-point scale with low-bit
    per-channel multipliers and one shared shift:

    ```mlir
    #pike.fixed_point<bits = 32, multipliers = [1518500250], shifts = [38]>
    #pike.fixed_point<bits = 4, multipliers = [5, 7, 3], shifts = [9]>
    ```
  }];
  let parameters = (ins
    "unsigned":$bits,
    "::mlir::DenseI64ArrayAttr":$multipliers,
    "::mlir::DenseI64ArrayAttr":$shifts,
    Pike_RoundingModeParameter:$rounding
  );
  let assemblyFormat = [{
    `<` `bits` `=` $bits `,` `multipliers` `=` $multipliers `,` `shifts` `=` $shifts
        (`,` `rounding` `=` $rounding^)? `>`
  }];
  let genVerifyDecl = 1;
  let extraClassDeclaration = [{
    /// Number of channels this scale distinguishes (1 if fully shared).
    size_t getNumChannels() const;
    int64_t getMultiplier(size_t channel) const;
    unsigned getShift(size_t channel) const;
    /// The real value of channel `channel`'s scale.
    double getRealScale(size_t channel) const;
  }];
}

#endif // PIKE_DIALECT_PIKE_IR_PIKEATTRS_TD
