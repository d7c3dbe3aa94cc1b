//===- PikeDialect.td - The pike dialect -------------------*- tablegen -*-===//

#ifndef PIKE_DIALECT_PIKE_IR_PIKEDIALECT_TD
#define PIKE_DIALECT_PIKE_IR_PIKEDIALECT_TD

include "mlir/IR/OpBase.td"

def Pike_Dialect : Dialect {
  let name = "pike";
  let cppNamespace = "::mlir::pike";
  let summary = "Low-precision neural networks with integer-only elementwise work";
  let description = [{
    The `pike` dialect represents low-bit (e.g. 4-bit) quantized neural
    networks in the style of PikeLPN: quantized convolutions and
    fully-connected layers with integer accumulators, batch-norm before and
    after folding (QuantNorm), double-quantized per-channel scales, and
    fixed-point requantization.

    Values are builtin tensors. Integer tensors use signless integer element
    types of the real width (`i4`, `i8`, `i32`); signedness, zero points and
    scales are attributes of the ops, as in TOSA. Activations are NHWC.

    A model passes through two forms: the *quantized-graph* form (float
    batch-norm, float scales, fake-quantized edges, as exported by
    quantization-aware training) and the *integer* form, in which every op of
    the inference graph is integer arithmetic.
  }];
  let useDefaultAttributePrinterParser = 1;
  // What a model was built or trained for, on the module (set by importers);
  // the passes follow them unless their own options are given. The bit
  // widths' ranges are kModelBitsAttrs (PikeDialect.h); the verifier checks
  // type and range wherever they appear.
  let discardableAttrs = (ins
    "::mlir::pike::RoundingModeAttr":$rounding,
    "::mlir::IntegerAttr":$double_quantize_bits,
    "::mlir::IntegerAttr":$quantnorm_multiplier_bits
  );
  let hasOperationAttrVerify = 1;
  // Folded values become arith.constant.
  let hasConstantMaterializer = 1;
  let extraClassDeclaration = [{
    /// Registers the attributes; defined beside their storage classes.
    void registerAttributes();
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::tensor::TensorDialect"];
}

class Pike_Op<string mnemonic, list<Trait> traits = []>
    : Op<Pike_Dialect, mnemonic, traits>;

#endif // PIKE_DIALECT_PIKE_IR_PIKEDIALECT_TD
