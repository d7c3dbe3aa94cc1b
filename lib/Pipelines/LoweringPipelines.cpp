//===- LoweringPipelines.cpp - From pike to affine loops and LLVM ---------===//

#include "pike/Pipelines/LoweringPipelines.h"

#include "pike/Conversion/Passes.h"
#include "pike/Dialect/Pike/Transforms/Passes.h"

#include "mlir/Conversion/MathToLibm/MathToLibm.h"
#include "mlir/Conversion/Passes.h"
#include "mlir/Conversion/TosaToLinalg/TosaToLinalg.h"
#include "mlir/Conversion/VectorToLLVM/ConvertVectorToLLVMPass.h"
#include "mlir/Conversion/VectorToSCF/VectorToSCF.h"
#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/Transforms/BufferizableOpInterfaceImpl.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Bufferization/Pipelines/Passes.h"
#include "mlir/Dialect/Bufferization/Transforms/FuncBufferizableOpInterfaceImpl.h"
#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Dialect/ControlFlow/IR/ControlFlow.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Dialect/Linalg/Transforms/BufferizableOpInterfaceImpl.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/Dialect/OpenMP/OpenMPDialect.h"
#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/SCF/Transforms/BufferizableOpInterfaceImpl.h"
#include "mlir/Dialect/SCF/Transforms/Passes.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Tensor/Transforms/BufferizableOpInterfaceImpl.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Dialect/Vector/Transforms/BufferizableOpInterfaceImpl.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"

using namespace mlir;

namespace {

/// pike and tosa to linalg on tensors, then bufferized. With `bytes`,
/// sub-byte tensors are stored in bytes first where that keeps meaning:
/// LLVM vectorizes no loop over a memref of i4.
void buildToBufferizedLinalg(OpPassManager &pm, bool bytes) {
  pm.addPass(pike::createPikeVerifyLowerable());
  pm.addPass(pike::createConvertPikeToLinalg());
  OpPassManager &funcPm = pm.nest<func::FuncOp>();
  funcPm.addPass(tosa::createTosaToLinalgNamed());
  funcPm.addPass(tosa::createTosaToLinalg());
  TosaToArithPassOptions tosaToArith;
  tosaToArith.includeApplyRescale = true;
  funcPm.addPass(createTosaToArithPass(tosaToArith));
  funcPm.addPass(createTosaToTensorPass());
  // Elementwise arith on tensors (the importer's attention masks).
  funcPm.addPass(createConvertElementwiseToLinalgPass());
  if (bytes) {
    pike::PikeWidenSubByteOptions widen;
    widen.strict = false;
    pm.addPass(pike::createPikeWidenSubByte(widen));
  }
  pm.addPass(createCanonicalizerPass());
  bufferization::OneShotBufferizePassOptions bufferize;
  bufferize.bufferizeFunctionBoundaries = true;
  bufferize.functionBoundaryTypeConversion =
      bufferization::LayoutMapOption::IdentityLayoutMap;
  pm.addPass(bufferization::createOneShotBufferizePass(bufferize));
}

} // namespace

void mlir::pike::buildLowerToAffinePipeline(OpPassManager &pm) {
  buildToBufferizedLinalg(pm, /*bytes=*/false);
  pm.addNestedPass<func::FuncOp>(createConvertLinalgToAffineLoopsPass());
  pm.addPass(pike::createPikeExpandApplyScale());
  pm.addPass(createCanonicalizerPass());
}

void mlir::pike::buildLowerToLLVMPipeline(OpPassManager &pm, CpuTarget target,
                                          bool parallel, bool workspace) {
  buildToBufferizedLinalg(pm, /*bytes=*/true);
  // A kernel's result is its destination argument (once the loops carrying
  // it fold away): callers use that buffer.
  pm.addPass(createCanonicalizerPass());
  pm.addPass(bufferization::createDropEquivalentBufferResultsPass());
  bufferization::BufferResultsToOutParamsPassOptions outParams;
  outParams.hoistStaticAllocs = true;
  outParams.modifyPublicFunctions = true;
  pm.addPass(bufferization::createBufferResultsToOutParamsPass(outParams));
  bufferization::buildBufferDeallocationPipeline(pm);
  if (workspace) {
    pm.addPass(createCanonicalizerPass());
    pm.addPass(pike::createPikePlanWorkspace());
  }
  pm.addPass(pike::createPikeMemRefCopyToLinalg());
  pm.addNestedPass<func::FuncOp>(createConvertLinalgToLoopsPass());
  // Requantization stays one op through the loop transforms, then
  // becomes arith.
  pm.addPass(pike::createPikeExpandApplyScale());
  pm.addPass(createCanonicalizerPass());
  if (parallel) {
    // The kernels' scf.forall over output rows becomes an OpenMP loop;
    // without this, scf-to-cf runs it sequentially.
    pm.addPass(createForallToParallelLoopPass());
    pm.addPass(createConvertSCFToOpenMPPass());
    // Inlines the memref.alloca_scope around each loop body (the kernels
    // allocate nothing) before scf-to-cf gives that body several blocks.
    // The dot products are still pike ops here: the llvm.call_intrinsic
    // they become has no memory effects to show, so it counts as a
    // possible allocation and would keep the scope.
    pm.addPass(createCanonicalizerPass());
  }
  pike::PikeLowerVectorDotsOptions dot4;
  dot4.target = target;
  pm.addPass(pike::createPikeLowerVectorDots(dot4));
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createConvertVectorToSCFPass());
  pm.addPass(createLowerAffinePass());
  pm.addPass(createSCFToControlFlowPass());
  pm.addPass(createConvertVectorToLLVMPass());
  pm.addPass(memref::createExpandStridedMetadataPass());
  pm.addPass(createLowerAffinePass());
  // bf16 in f32, correctly rounded: LLVM would call __truncsfbf2, which
  // neither the JIT nor libc defines.
  pm.addPass(pike::createPikeLowerBFloat16());
  pm.addPass(createConvertMathToLLVMPass());
  // What LLVM has no intrinsic for (tanh, erf of pike.activation) calls libm.
  pm.addPass(createConvertMathToLibmPass());
  pm.addPass(createArithToLLVMConversionPass());
  pm.addPass(createConvertIndexToLLVMPass());
  pm.addPass(createFinalizeMemRefToLLVMConversionPass());
  pm.addPass(createConvertFuncToLLVMPass());
  pm.addPass(createConvertControlFlowToLLVMPass());
  if (parallel)
    pm.addPass(createConvertOpenMPToLLVMPass());
  pm.addPass(createReconcileUnrealizedCastsPass());
}

void mlir::pike::buildCpuPipeline(OpPassManager &pm, CpuTarget target, bool parallel,
                                  bool workspace, bool warnFallbacks, KernelChoices choices) {
  if (cpuTargetInfo(target).hasKernels()) {
    pike::ConvertPikeToCPUKernelsOptions kernels;
    kernels.target = target;
    kernels.warnFallbacks = warnFallbacks;
    kernels.binaryKernels = choices.binary;
    kernels.separableKernels = choices.separable;
    kernels.rowParts = choices.rowParts;
    kernels.denseTile = choices.denseTile;
    kernels.bytePairs = choices.bytePairs;
    pm.addPass(pike::createConvertPikeToCPUKernels(kernels));
  }
  buildLowerToLLVMPipeline(pm, target, parallel, workspace);
}

namespace {

struct CpuPipelineOptions : public PassPipelineOptions<CpuPipelineOptions> {
  Option<pike::CpuTarget> target{
      *this, "target", llvm::cl::desc("Instruction set of the MAC kernels"),
      llvm::cl::init(pike::CpuTarget::host),
      pike::CpuTargetValues()};
  Option<bool> parallel{
      *this, "parallel",
      llvm::cl::desc("Run the kernels' output rows as OpenMP parallel loops (the program "
                     "then needs the OpenMP runtime, libomp)"),
      llvm::cl::init(false)};
  Option<bool> workspace{
      *this, "workspace",
      llvm::cl::desc("Place every buffer in one caller-provided workspace "
                     "(pike-plan-workspace), for ahead-of-time libraries that allocate "
                     "nothing per call"),
      llvm::cl::init(false)};
  Option<bool> warnFallbacks{
      *this, "warn-fallbacks",
      llvm::cl::desc("Warn on each MAC layer that gets no kernel and runs as linalg loops "
                     "(10-100x slower), with the reason"),
      llvm::cl::init(true)};
  Option<bool> binaryKernels{
      *this, "binary-kernels",
      llvm::cl::desc("Compute layers whose inputs and weights are all +-1 with the "
                     "XOR-popcount kernel (false: the byte kernels)"),
      llvm::cl::init(true)};
  Option<bool> separableKernels{
      *this, "separable-kernels",
      llvm::cl::desc("Compute a depthwise layer and the pointwise layer that alone reads it "
                     "in one loop over output rows (false: two kernels)"),
      llvm::cl::init(true)};
  Option<bool> rowParts{
      *this, "row-parts",
      llvm::cl::desc("Loop over parts of the channels of a layer with fewer than 16 output "
                     "rows too, so that threads share it (false: whole rows)"),
      llvm::cl::init(true)};
  Option<std::string> denseTile{
      *this, "dense-tile",
      llvm::cl::desc("The dense kernel's register tile as RxV, output pixels x filter vectors "
                     "(default: sized for the target's register file)"),
      llvm::cl::init("")};
  Option<bool> bytePairs{
      *this, "byte-pairs",
      llvm::cl::desc("On a target with byte pairs and no quads (vector's AVX2 vpmaddubsw), "
                     "let the dense and depthwise kernels step on u8 x s8 pairs into i16 where "
                     "the operands fit (false: i16 pairs and i32 lanes)"),
      llvm::cl::init(true)};
};

pike::KernelChoices choicesOf(const CpuPipelineOptions &options) {
  pike::KernelChoices choices;
  choices.binary = options.binaryKernels;
  choices.separable = options.separableKernels;
  choices.rowParts = options.rowParts;
  choices.denseTile = options.denseTile;
  choices.bytePairs = options.bytePairs;
  return choices;
}

} // namespace

void mlir::pike::registerPikeLoweringPipelines() {
  PassPipelineRegistration<>(
      "pike-lower-to-affine",
      "Lower pike (and tosa) through linalg to bufferized affine loops",
      buildLowerToAffinePipeline);
  PassPipelineRegistration<>(
      "pike-lower-to-llvm",
      "Lower pike (and tosa) through linalg and loops to the LLVM dialect, "
      "function results becoming out-parameters",
      [](OpPassManager &pm) { buildLowerToLLVMPipeline(pm); });
  PassPipelineRegistration<CpuPipelineOptions>(
      "pike-cpu-pipeline",
      "Lower pike (and tosa) to the LLVM dialect for a CPU: MAC ops and their "
      "requantization become packed-weight vector kernels "
      "(convert-pike-to-cpu-kernels), the rest goes through pike-lower-to-llvm",
      [](OpPassManager &pm, const CpuPipelineOptions &options) {
        buildCpuPipeline(pm, options.target, options.parallel, options.workspace,
                         options.warnFallbacks, choicesOf(options));
      });
}

void mlir::pike::registerPikeLoweringDialects(DialectRegistry &registry) {
  registry.insert<affine::AffineDialect, arith::ArithDialect,
                  bufferization::BufferizationDialect, cf::ControlFlowDialect,
                  func::FuncDialect, linalg::LinalgDialect, LLVM::LLVMDialect,
                  math::MathDialect, memref::MemRefDialect, scf::SCFDialect,
                  omp::OpenMPDialect, quant::QuantDialect, tensor::TensorDialect,
                  tosa::TosaDialect,
                  vector::VectorDialect>();
  arith::registerBufferizableOpInterfaceExternalModels(registry);
  bufferization::func_ext::registerBufferizableOpInterfaceExternalModels(registry);
  linalg::registerBufferizableOpInterfaceExternalModels(registry);
  scf::registerBufferizableOpInterfaceExternalModels(registry);
  vector::registerBufferizableOpInterfaceExternalModels(registry);
  tensor::registerBufferizableOpInterfaceExternalModels(registry);
}
