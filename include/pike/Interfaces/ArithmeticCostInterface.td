//===- ArithmeticCostInterface.td - What an op computes -----*- tablegen -*-===//

#ifndef PIKE_INTERFACES_ARITHMETICCOSTINTERFACE_TD
#define PIKE_INTERFACES_ARITHMETICCOSTINTERFACE_TD

include "mlir/IR/OpBase.td"

def Pike_ArithmeticCostOpInterface : OpInterface<"ArithmeticCostOpInterface"> {
  let description = [{
    Counts of the multiply-accumulates, multiplies, adds and other
    elementwise operations an op performs for its actual shapes, each with
    its operand bit-widths. The ACEv2 analysis (`--pike-acev2`) turns them
    into ACE, ACEv2 and energy. Pike ops implement it; linalg, arith and
    tosa ops get it as external models, so IR from other compilers is
    costed too.
  }];
  let cppNamespace = "::mlir::pike";
  let methods = [
    InterfaceMethod<
      "The arithmetic this op performs, or failure if it cannot be counted "
      "(e.g. dynamic shapes).",
      "::llvm::FailureOr<::mlir::pike::ArithmeticCost>", "getArithmeticCost">
  ];
}

#endif // PIKE_INTERFACES_ARITHMETICCOSTINTERFACE_TD
