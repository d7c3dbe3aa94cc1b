//===- DepthwiseKernel.cpp - Channel-vectorized depthwise convolution -----===//
//
// NHWC keeps a pixel's channels contiguous, so each step reads a vector of
// channels (the target's i32 lanes) of one input pixel and multiply-adds
// them with the same channels' weights: where i16 pairs are one instruction
// (vpdpwssd on avx512-vnni) two taps at once, interleaved as i16 pairs
// (pike.vector_dot2); elsewhere widened to i32, one tap at a time. Per output row (the parallel loop) and
// channel block, the weights (one vector per tap, packed [taps][C] at
// compile time) and the epilogue's per-channel vectors are read once, before
// the loop over pixels; kRows output pixels share each tap's weights.
//
//===----------------------------------------------------------------------===//

#include "RowKernel.h"

#include "pike/Conversion/LoweringUtils.h"
#include "pike/Dialect/Pike/IR/PikeOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

using namespace mlir;
using namespace mlir::pike;
using namespace mlir::pike::cpu;

namespace {

constexpr int64_t kRows = 4;

struct DepthwiseKernelBuilder : RowKernel {
  const MacOperands &mac;
  Epilogue &epilogue;
  /// Two taps a step on vpdpwssd (pike.vector_dot2), else one i32
  /// multiply-add per tap.
  bool pairs;
  /// i32 lanes per vector: channels per step.
  int64_t lanes;
  int64_t taps, steps, channelVectors, paddedChannels;
  Value input, packedWeights, correction;
  VectorType accVector, byteVector, weightVector;

  DepthwiseKernelBuilder(OpBuilder &b, const MacOperands &mac, Epilogue &epilogue,
                         const CpuTargetInfo &target)
      : mac(mac), epilogue(epilogue), pairs(target.hasI16Pairs()), lanes(target.lanes()) {
    taps = mac.kernelH * mac.kernelW;
    steps = pairs ? llvm::divideCeil(taps, 2) : taps;
    channelVectors = llvm::divideCeil(mac.channels, lanes);
    paddedChannels = channelVectors * lanes;
    accVector = VectorType::get({lanes}, b.getI32Type());
    byteVector = VectorType::get({lanes}, b.getI8Type());
    weightVector = pairs ? VectorType::get({2 * lanes}, b.getI16Type()) : accVector;
  }

  void materialize(OpBuilder &b, Location loc) override {
    // [taps][C] as i32, or [tap pairs][C][2] as i16 (a missing second tap 0).
    int64_t perStep = pairs ? 2 : 1;
    SmallVector<int64_t> packed(steps * paddedChannels * perStep, 0),
        corrections(paddedChannels, 0);
    int64_t offset = epilogue.correctionOffset(mac.channels);
    for (int64_t c = 0; c < mac.channels; ++c) {
      int64_t sum = 0;
      for (int64_t tap = 0; tap < taps; ++tap) {
        int64_t w = mac.weights[c * taps + tap];
        int64_t step = tap / perStep, slot = tap % perStep;
        packed[(step * paddedChannels + c) * perStep + slot] = w;
        sum += w;
      }
      corrections[c] = mac.bias[c] - mac.inputZp * sum + offset;
    }
    packedWeights = constantTable(b, loc, packed,
                                  cast<IntegerType>(weightVector.getElementType()));
    correction = constantTable(b, loc, corrections, b.getI32Type());
    epilogue.materialize(b, loc, mac.channels);
    input = padInput(b, loc, mac.input, mac.padding, mac.inputZp, 0);
  }

  /// `rows` output pixels of row (n, oh) from `ow0`, channels from `c`.
  Value tile(OpBuilder &b, Location loc, Value n, Value oh, Value ow0, int64_t rows, Value c,
             bool partial, ArrayRef<Value> weights, Value corr, ValueRange tables,
             Value out) const {
    int64_t valid = partial ? mac.channels % lanes : lanes;
    // The input channels of tap `tap` for output pixel ow0 + r.
    auto pixel = [&](int64_t r, int64_t tap) {
      int64_t kh = tap / mac.kernelW, kw = tap % mac.kernelW;
      Value ih = indexMulAdd(b, loc, oh, mac.strides[0],
                             indexConst(b, loc, kh * mac.dilations[0]));
      Value ow = arith::AddIOp::create(b, loc, ow0, indexConst(b, loc, r));
      Value iw = indexMulAdd(b, loc, ow, mac.strides[1],
                             indexConst(b, loc, kw * mac.dilations[1]));
      return readLeadingLanes(b, loc, byteVector, input, {n, ih, iw, c}, valid);
    };
    SmallVector<Value> acc(rows, corr);
    auto halfType = VectorType::get({lanes}, b.getI16Type());
    SmallVector<int64_t> interleave;
    for (int64_t i = 0; i < lanes; ++i)
      interleave.append({i, i + lanes});
    for (int64_t step = 0; step < steps; ++step) {
      for (int64_t r = 0; r < rows; ++r) {
        if (!pairs) {
          Value wide = lowering::castInt(b, loc, pixel(r, step), accVector, mac.inputUnsigned);
          acc[r] = arith::AddIOp::create(b, loc, acc[r],
                                         arith::MulIOp::create(b, loc, wide, weights[step]));
          continue;
        }
        // (tap 2s, tap 2s + 1) per channel as i16 pairs; a missing second
        // tap repeats the first against a zero weight.
        Value first = pixel(r, 2 * step);
        Value second = 2 * step + 1 < taps ? pixel(r, 2 * step + 1) : first;
        Value lo = lowering::castInt(b, loc, first, halfType, mac.inputUnsigned);
        Value hi = lowering::castInt(b, loc, second, halfType, mac.inputUnsigned);
        Value both = vector::ShuffleOp::create(b, loc, lo, hi, interleave);
        acc[r] = VectorDot2Op::create(b, loc, accVector, acc[r], both, weights[step]);
      }
    }
    for (int64_t r = 0; r < rows; ++r) {
      Value ow = arith::AddIOp::create(b, loc, ow0, indexConst(b, loc, r));
      Value zero = indexConst(b, loc, 0);
      Value stored = epilogue.apply(b, loc, acc[r], tables, {n, oh, ow, c}, partial);
      out = writeVector(b, loc, stored, out, {zero, zero, ow, c}, valid);
    }
    return out;
  }

  /// The channels [c, c + lanes) of the output row (n, oh), `out`.
  Value channelBlock(OpBuilder &b, Location loc, Value n, Value oh, Value c, bool partial,
                     Value out) const {
    SmallVector<Value> weights;
    int64_t perStep = pairs ? 2 : 1;
    for (int64_t step = 0; step < steps; ++step) {
      Value at = indexMulAdd(b, loc, indexConst(b, loc, step), paddedChannels, c);
      weights.push_back(
          readVector(b, loc, weightVector, packedWeights, indexMulAdd(b, loc, at, perStep, {})));
    }
    Value corr = readVector(b, loc, accVector, correction, c);
    SmallVector<Value> tables = epilogue.readTables(b, loc, c);
    return forEachTile(b, loc, mac.outW, kRows, out,
                       [&](OpBuilder &nb, Location nl, Value ow0, int64_t rows, Value o) {
                         return tile(nb, nl, n, oh, ow0, rows, c, partial, weights, corr, tables,
                                     o);
                       });
  }

  Value fillRow(OpBuilder &b, Location loc, Value n, Value oh, Value row) override {
    return forEachBlock(b, loc, mac.channels, lanes, row,
                        [&](OpBuilder &nb, Location nl, Value c, int64_t size, bool, Value r) {
                          return channelBlock(nb, nl, n, oh, c, size != lanes, r);
                        });
  }
};

} // namespace

std::unique_ptr<RowKernel>
mlir::pike::cpu::makeDepthwiseRowKernel(OpBuilder &b, const MacOperands &mac, Epilogue &epilogue,
                                        const CpuTargetInfo &target, bool allowBytePairs) {
  // Without quads, byte pairs stand in for them where the weights allow.
  int64_t pairRun =
      !target.hasQuads() && allowBytePairs && target.hasU8S8Pairs() ? depthwisePairRun(mac) : 0;
  if ((target.hasQuads() || pairRun > 0) && fitsDepthwiseQuadKernel(mac))
    return makeDepthwiseQuadRowKernel(b, mac, epilogue, target, pairRun);
  return std::make_unique<DepthwiseKernelBuilder>(b, mac, epilogue, target);
}
