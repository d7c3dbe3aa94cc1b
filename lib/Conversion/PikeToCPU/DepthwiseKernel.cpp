//===- DepthwiseKernel.cpp - Channel-vectorized depthwise convolution -----===//
//
// NHWC keeps a pixel's channels contiguous, so each step reads kLanes
// channels of one input pixel, widens them to i32 and multiply-adds them
// with the same channels' weights. Per output row (the parallel loop) and
// channel block, the weights (one vector per tap, packed [taps][C] at
// compile time) and the epilogue's per-channel vectors are read once, before
// the loop over pixels; kRows output pixels share each tap's weights.
//
//===----------------------------------------------------------------------===//

#include "MacOperands.h"

#include "../PikeToLinalg/LoweringUtils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

using namespace mlir;
using namespace mlir::pike;
using namespace mlir::pike::cpu;

namespace {

constexpr int64_t kRows = 4;

struct DepthwiseKernelBuilder {
  const MacOperands &mac;
  Epilogue &epilogue;
  int64_t taps, channelVectors, paddedChannels;
  Value input, packedWeights, correction;
  VectorType accVector, byteVector;

  DepthwiseKernelBuilder(OpBuilder &b, const MacOperands &mac, Epilogue &epilogue)
      : mac(mac), epilogue(epilogue) {
    taps = mac.kernelH * mac.kernelW;
    channelVectors = llvm::divideCeil(mac.channels, kLanes);
    paddedChannels = channelVectors * kLanes;
    accVector = VectorType::get({kLanes}, b.getI32Type());
    byteVector = VectorType::get({kLanes}, b.getI8Type());
  }

  void materialize(OpBuilder &b, Location loc) {
    SmallVector<int64_t> packed(taps * paddedChannels, 0), corrections(paddedChannels, 0);
    for (int64_t c = 0; c < mac.channels; ++c) {
      int64_t sum = 0;
      for (int64_t tap = 0; tap < taps; ++tap) {
        int64_t w = mac.weights[c * taps + tap];
        packed[tap * paddedChannels + c] = w;
        sum += w;
      }
      corrections[c] = mac.bias[c] - mac.inputZp * sum;
    }
    packedWeights = constantTable(b, loc, packed, b.getI32Type());
    correction = constantTable(b, loc, corrections, b.getI32Type());
    epilogue.materialize(b, loc, mac.channels);
    input = padInput(b, loc, mac.input, mac.padding, mac.inputZp, 0);
  }

  /// `rows` output pixels of row (n, oh) from `ow0`, channels from `c`.
  Value tile(OpBuilder &b, Location loc, Value n, Value oh, Value ow0, int64_t rows, Value c,
             bool partial, ArrayRef<Value> weights, Value corr, ValueRange tables,
             Value out) const {
    SmallVector<Value> acc(rows, corr);
    for (int64_t kh = 0; kh < mac.kernelH; ++kh) {
      Value ih = indexMulAdd(b, loc, oh, mac.strides[0],
                             indexConst(b, loc, kh * mac.dilations[0]));
      for (int64_t kw = 0; kw < mac.kernelW; ++kw) {
        for (int64_t r = 0; r < rows; ++r) {
          Value ow = arith::AddIOp::create(b, loc, ow0, indexConst(b, loc, r));
          Value iw = indexMulAdd(b, loc, ow, mac.strides[1],
                                 indexConst(b, loc, kw * mac.dilations[1]));
          Value raw = readVector(b, loc, byteVector, input, {n, ih, iw, c}, partial);
          Value wide = lowering::castInt(b, loc, raw, accVector, mac.inputUnsigned);
          acc[r] = arith::AddIOp::create(
              b, loc, acc[r],
              arith::MulIOp::create(b, loc, wide, weights[kh * mac.kernelW + kw]));
        }
      }
    }
    for (int64_t r = 0; r < rows; ++r) {
      Value ow = arith::AddIOp::create(b, loc, ow0, indexConst(b, loc, r));
      SmallVector<bool> inBounds = {!partial};
      Value zero = indexConst(b, loc, 0);
      out = vector::TransferWriteOp::create(b, loc, epilogue.apply(b, loc, acc[r], tables), out,
                                            ValueRange{zero, zero, ow, c}, inBounds)
                .getResult();
    }
    return out;
  }

  /// The channels [c, c + kLanes) of the output row (n, oh), `out`.
  Value channelBlock(OpBuilder &b, Location loc, Value n, Value oh, Value c, bool partial,
                     Value out) const {
    SmallVector<Value> weights;
    for (int64_t tap = 0; tap < taps; ++tap)
      weights.push_back(readVector(b, loc, accVector, packedWeights,
                                   indexMulAdd(b, loc, indexConst(b, loc, tap),
                                               paddedChannels, c)));
    Value corr = readVector(b, loc, accVector, correction, c);
    SmallVector<Value> tables = epilogue.readTables(b, loc, c);
    return forEachTile(b, loc, mac.outW, kRows, out,
                       [&](OpBuilder &nb, Location nl, Value ow0, int64_t rows, Value o) {
                         return tile(nb, nl, n, oh, ow0, rows, c, partial, weights, corr, tables,
                                     o);
                       });
  }

  Value build(OpBuilder &b, Location loc, Value out) {
    materialize(b, loc);
    int64_t fullVectors = mac.channels / kLanes;
    bool partial = mac.channels % kLanes != 0;
    return forEachOutputRow(b, loc, out, [&](OpBuilder &b1, Location l1, Value n, Value oh,
                                             Value row) {
      row = forTensor(b1, l1, 0, fullVectors, row, [&](OpBuilder &b2, Location l2, Value v,
                                                        Value r) {
        return channelBlock(b2, l2, n, oh, indexMulAdd(b2, l2, v, kLanes, {}), false, r);
      });
      if (partial)
        row = channelBlock(b1, l1, n, oh, indexConst(b1, l1, fullVectors * kLanes), true, row);
      return row;
    });
  }
};

} // namespace

Value mlir::pike::cpu::emitDepthwiseKernel(OpBuilder &b, Location loc, const MacOperands &mac,
                                           Epilogue &epilogue, Value dest) {
  DepthwiseKernelBuilder builder(b, mac, epilogue);
  return builder.build(b, loc, dest);
}
