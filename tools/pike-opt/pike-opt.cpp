//===- pike-opt.cpp - mlir-opt with the pike dialect and passes -----------===//

#include "pike/Dialect/Pike/IR/PikeDialect.h"
#include "pike/Dialect/Pike/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"
#include "mlir/Transforms/Passes.h"

int main(int argc, char **argv) {
  mlir::registerTransformsPasses();
  mlir::pike::registerPikePasses();
  mlir::pike::registerPikePipelines();

  mlir::DialectRegistry registry;
  mlir::pike::registerPikeDialect(registry);
  registry.insert<mlir::arith::ArithDialect, mlir::func::FuncDialect,
                  mlir::tensor::TensorDialect>();

  return mlir::asMainReturnCode(mlir::MlirOptMain(
      argc, argv, "Pike optimizer driver: the pike dialect and its passes\n",
      registry));
}
