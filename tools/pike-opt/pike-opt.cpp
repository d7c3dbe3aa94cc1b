//===- pike-opt.cpp - mlir-opt with the pike dialect and passes -----------===//

#include "pike/Dialect/Pike/IR/PikeDialect.h"
#include "pike/Analysis/Passes.h"
#include "pike/Analysis/UpstreamCostModels.h"
#include "pike/Conversion/Passes.h"
#include "pike/Dialect/Pike/Transforms/Passes.h"
#include "pike/Pipelines/LoweringPipelines.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"
#include "mlir/Transforms/Passes.h"

int main(int argc, char **argv) {
  mlir::registerTransformsPasses();
  mlir::pike::registerPikePasses();
  mlir::pike::registerPikePipelines();
  mlir::pike::registerPikeConversionPasses();
  mlir::pike::registerPikeLoweringPipelines();
  mlir::pike::registerPikeAnalysisPasses();

  mlir::DialectRegistry registry;
  mlir::pike::registerPikeDialect(registry);
  mlir::pike::registerPikeLoweringDialects(registry);
  mlir::pike::registerArithmeticCostExternalModels(registry);

  return mlir::asMainReturnCode(mlir::MlirOptMain(
      argc, argv, "Pike optimizer driver: the pike dialect and its passes\n",
      registry));
}
