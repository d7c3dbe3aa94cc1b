/* Exercises Pike's C API: register, parse, run the quantize pipeline, read
 * ACEv2 totals. Checked by capi.test. */

#include "pike-c/Pike.h"

#include "mlir-c/IR.h"

#include <stdio.h>

static const char *model =
    "func.func @block(%x: tensor<1x4xi8>) -> tensor<1x2xi4> {\n"
    "  %w = arith.constant dense<3> : tensor<2x4xi8>\n"
    "  %acc = pike.fully_connected %x, %w : (tensor<1x4xi8>, tensor<2x4xi8>) -> tensor<1x2xi32>\n"
    "  %y = pike.scale %acc {scale = array<f64: 0.5, 0.25>} : tensor<1x2xi32> -> tensor<1x2xf32>\n"
    "  %q = pike.quantize %y {quantizer = #pike.quantizer<u4, scales = [0.25]>} : tensor<1x2xf32> -> tensor<1x2xi4>\n"
    "  return %q : tensor<1x2xi4>\n"
    "}\n";

/* A 2-bit table: 4 entries, one lookup per element. */
static const char *tableModel =
    "func.func @act(%x: tensor<1x8xi2>) -> tensor<1x8xi8> {\n"
    "  %y = pike.table %x {table = array<i64: -3, -1, 0, 2>} : (tensor<1x8xi2>) -> tensor<1x8xi8>\n"
    "  return %y : tensor<1x8xi8>\n"
    "}\n";

static void printTotals(const char *label, PikeCostTotals t) {
  printf("%s: macs %lld ace %.0f acev2 %.0f muls %lld adds %lld others %lld lookups %lld\n",
         label, (long long)t.macs, t.ace, t.acev2, (long long)t.muls, (long long)t.adds,
         (long long)t.others, (long long)t.lookups);
}

int main(void) {
  setvbuf(stdout, NULL, _IONBF, 0); /* interleave with diagnostics on stderr */
  MlirContext context = mlirContextCreate();
  MlirDialectRegistry registry = mlirDialectRegistryCreate();
  pikeRegisterDialects(registry);
  mlirContextAppendDialectRegistry(context, registry);
  mlirDialectRegistryDestroy(registry);
  pikeRegisterPasses();

  MlirDialectHandle handle = mlirGetDialectHandle__pike__();
  MlirStringRef name = mlirDialectHandleGetNamespace(handle);
  printf("dialect: %.*s\n", (int)name.length, name.data);

  MlirModule module = mlirModuleCreateParse(context, mlirStringRefCreateFromCString(model));
  if (mlirModuleIsNull(module)) {
    fprintf(stderr, "parse failed\n");
    return 1;
  }
  printTotals("real", pikeComputeACEv2(module, 0, true));
  MlirLogicalResult result = pikeRunPassPipeline(
      module, mlirStringRefCreateFromCString("pike-quantize-pipeline"));
  printf("pipeline: %s\n", mlirLogicalResultIsSuccess(result) ? "success" : "failure");
  printTotals("integer", pikeComputeACEv2(module, 0, true));
  MlirLogicalResult bad = pikeRunPassPipeline(
      module, mlirStringRefCreateFromCString("no-such-pass"));
  printf("bad pipeline: %s\n", mlirLogicalResultIsSuccess(bad) ? "success" : "failure");

  mlirModuleDestroy(module);

  MlirModule table = mlirModuleCreateParse(context, mlirStringRefCreateFromCString(tableModel));
  if (mlirModuleIsNull(table)) {
    fprintf(stderr, "parse failed\n");
    return 1;
  }
  printTotals("table", pikeComputeACEv2(table, 0, true));
  mlirModuleDestroy(table);
  mlirContextDestroy(context);
  return 0;
}
