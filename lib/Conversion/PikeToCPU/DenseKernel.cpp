//===- DenseKernel.cpp - Packed-weight register-tiled convolution ---------===//
//
// out[n, oh, ow, f] for a tile of kRows pixels x kVectors * kLanes filters is
// accumulated in kRows * kVectors i32 vectors over (kh, kw, c), then goes
// through the epilogue and is stored; the accumulators never reach memory.
// Weights are packed at compile time so that each step reads one contiguous
// vector per kLanes filters:
//   avx512-vnni: [F/16][taps][C/4][16][4] bytes, one pike.vector_dot4 (a
//                vpdpbusd) per 4 channels of a pixel (its 4 input bytes
//                broadcast) and 16 filters;
//   vector:      [F/16][taps][C][16], a multiply-add per channel.
//
//===----------------------------------------------------------------------===//

#include "MacOperands.h"

#include "../PikeToLinalg/LoweringUtils.h"
#include "pike/Dialect/Pike/IR/PikeOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

using namespace mlir;
using namespace mlir::pike;
using namespace mlir::pike::cpu;

namespace {

/// Output pixels and filter vectors of one register tile: 16 accumulators.
constexpr int64_t kRows = 4;
constexpr int64_t kVectors = 4;

struct DenseKernelBuilder {
  const MacOperands &mac;
  Epilogue &epilogue;
  bool vnni;
  /// 4-bit weights (every centered weight in [-8, 7]) on vnni in a layer
  /// bound by reading them (each weight used for at most kRows outputs:
  /// fully-connected at small batch): two quads' 64-byte vectors share one,
  /// as low and high nibbles, so the kernel reads half the weight bytes and
  /// unpacks them in registers. Where weights are reused across pixels the
  /// unpacking costs more than it saves (docs/Lowering.md).
  bool nibbles;
  int64_t taps, paddedChannels, quads, steps, filterVectors;
  Value input, packedWeights, correction;
  VectorType accVector;

  DenseKernelBuilder(OpBuilder &b, const MacOperands &mac, Epilogue &epilogue, bool vnni)
      : mac(mac), epilogue(epilogue), vnni(vnni) {
    nibbles = vnni && mac.batch * mac.outH * mac.outW <= kRows &&
              llvm::all_of(mac.weights, [](int8_t w) { return w >= -8 && w <= 7; });
    taps = mac.kernelH * mac.kernelW;
    paddedChannels = llvm::alignTo(mac.channels, nibbles ? 8 : 4);
    quads = paddedChannels / 4;
    steps = nibbles ? quads / 2 : quads;
    filterVectors = llvm::divideCeil(mac.filters, kLanes);
    accVector = VectorType::get({kLanes}, b.getI32Type());
  }

  int64_t packedIndex(int64_t f, int64_t tap, int64_t c) const {
    int64_t vec = f / kLanes, lane = f % kLanes;
    if (vnni)
      return (((vec * taps + tap) * quads + c / 4) * kLanes + lane) * 4 + c % 4;
    return ((vec * taps + tap) * paddedChannels + c) * kLanes + lane;
  }

  /// The packed weights, the correction table and the padded input.
  void materialize(OpBuilder &b, Location loc) {
    std::vector<int8_t> packed(filterVectors * kLanes * taps * paddedChannels, 0);
    // The dot product reads a VNNI input as unsigned: a signed one is
    // offset by 128 (its bits xor 0x80), which the correction takes back.
    int64_t readZp = mac.inputZp + (vnni && !mac.inputUnsigned ? 128 : 0);
    SmallVector<int64_t> corrections(filterVectors * kLanes, 0);
    for (int64_t f = 0; f < mac.filters; ++f) {
      int64_t sum = 0;
      for (int64_t tap = 0; tap < taps; ++tap)
        for (int64_t c = 0; c < mac.channels; ++c) {
          int8_t w = mac.weights[(f * taps + tap) * mac.channels + c];
          packed[packedIndex(f, tap, c)] = w;
          sum += w;
        }
      // Wraps modulo 2^32 like the i32 accumulators: the verified sum fits.
      corrections[f] = mac.bias[f] - readZp * sum;
    }
    if (nibbles) {
      // Quads 2j and 2j + 1 of a (vector, tap): one 64-byte vector, low and
      // high nibbles.
      std::vector<int8_t> paired(packed.size() / 2);
      int64_t block = 4 * kLanes;
      for (size_t pair = 0; pair < paired.size() / block; ++pair)
        for (int64_t i = 0; i < block; ++i) {
          uint8_t lo = uint8_t(packed[2 * pair * block + i]) & 0x0f;
          uint8_t hi = uint8_t(packed[(2 * pair + 1) * block + i]) & 0x0f;
          paired[pair * block + i] = int8_t(lo | (hi << 4));
        }
      packed = std::move(paired);
    }
    auto packedType = RankedTensorType::get({int64_t(packed.size())}, b.getI8Type());
    packedWeights = arith::ConstantOp::create(
        b, loc, DenseElementsAttr::get(packedType, ArrayRef<int8_t>(packed)));
    correction = constantTable(b, loc, corrections, b.getI32Type());
    epilogue.materialize(b, loc, mac.filters);
    // Padded pixels hold the zero point (they then add nothing); padded
    // channels meet zero weights.
    input = padInput(b, loc, mac.input, mac.padding, mac.inputZp, paddedChannels - mac.channels);
  }

  /// The accumulators of one tile after one step of 4 (vnni) or 1 channel.
  SmallVector<Value> accumulate(OpBuilder &b, Location loc, ValueRange acc, Value n,
                                Value ih, ArrayRef<Value> iw, Value tap, Value quad,
                                Value filterVector, int64_t rows, int64_t vectors) const {
    SmallVector<Value> next(acc);
    Value channel = indexMulAdd(b, loc, quad, 4, {});
    // (filterVector * taps + tap) * paddedChannels + channel, in weights.
    Value row = indexMulAdd(b, loc, filterVector, taps, tap);
    if (vnni) {
      auto bytes = VectorType::get({4 * kLanes}, b.getI8Type());
      // The 4 input bytes of channels [c, c + 4) per pixel, broadcast.
      auto broadcastQuad = [&](Value c) {
        SmallVector<Value> inputs;
        for (int64_t r = 0; r < rows; ++r) {
          Value raw = readVector(b, loc, VectorType::get({4}, b.getI8Type()), input,
                                 {n, ih, iw[r], c});
          Value word =
              vector::BitCastOp::create(b, loc, VectorType::get({1}, b.getI32Type()), raw);
          Value scalar = vector::ExtractOp::create(b, loc, word, int64_t(0));
          Value splat = vector::BroadcastOp::create(b, loc, accVector, scalar);
          if (!mac.inputUnsigned)
            splat = arith::XOrIOp::create(b, loc, splat,
                                          lowering::scalarInt(b, loc, accVector, 0x80808080));
          inputs.push_back(vector::BitCastOp::create(b, loc, bytes, splat));
        }
        return inputs;
      };
      // A step covers one quad, or two on nibbles.
      Value firstChannel = indexMulAdd(b, loc, quad, nibbles ? 8 : 4, {});
      SmallVector<SmallVector<Value>> inputs = {broadcastQuad(firstChannel)};
      if (nibbles)
        inputs.push_back(broadcastQuad(
            arith::AddIOp::create(b, loc, firstChannel, indexConst(b, loc, 4))));
      for (int64_t v = 0; v < vectors; ++v) {
        // Each (vector, tap, step) is 4 * kLanes contiguous bytes.
        Value base = indexMulAdd(b, loc, row, steps, quad);
        if (v)
          base = arith::AddIOp::create(b, loc, base, indexConst(b, loc, v * taps * steps));
        Value packed = readVector(b, loc, bytes, packedWeights,
                                  indexMulAdd(b, loc, base, 4 * kLanes, {}));
        SmallVector<Value> weights = {packed};
        if (nibbles) {
          // Sign-extend each nibble: ((x & 15) ^ 8) - 8.
          auto signExtend = [&](Value nibble) {
            Value eight = lowering::scalarInt(b, loc, bytes, 8);
            return arith::SubIOp::create(
                       b, loc, arith::XOrIOp::create(b, loc, nibble, eight), eight)
                .getResult();
          };
          Value low = arith::AndIOp::create(b, loc, packed, lowering::scalarInt(b, loc, bytes, 15));
          Value high =
              arith::ShRUIOp::create(b, loc, packed, lowering::scalarInt(b, loc, bytes, 4));
          weights = {signExtend(low), signExtend(high)};
        }
        for (int64_t r = 0; r < rows; ++r) {
          Value &a = next[r * vectors + v];
          for (size_t k = 0; k < weights.size(); ++k)
            a = VectorDot4Op::create(b, loc, accVector, a, inputs[k][r], weights[k]);
        }
      }
      return next;
    }
    for (int64_t q = 0; q < 4; ++q) {
      SmallVector<Value> inputs;
      for (int64_t r = 0; r < rows; ++r) {
        Value c = arith::AddIOp::create(b, loc, channel, indexConst(b, loc, q));
        Value raw = readVector(b, loc, VectorType::get({1}, b.getI8Type()), input,
                               {n, ih, iw[r], c});
        Value scalar = vector::ExtractOp::create(b, loc, raw, int64_t(0));
        scalar = lowering::castInt(b, loc, scalar, b.getI32Type(), mac.inputUnsigned);
        inputs.push_back(vector::BroadcastOp::create(b, loc, accVector, scalar));
      }
      Value c = arith::AddIOp::create(b, loc, channel, indexConst(b, loc, q));
      for (int64_t v = 0; v < vectors; ++v) {
        Value base = indexMulAdd(b, loc, row, paddedChannels, c);
        if (v)
          base = arith::AddIOp::create(
              b, loc, base, indexConst(b, loc, v * taps * paddedChannels));
        Value narrow = readVector(b, loc, VectorType::get({kLanes}, b.getI8Type()),
                                  packedWeights, indexMulAdd(b, loc, base, kLanes, {}));
        Value weights = arith::ExtSIOp::create(b, loc, accVector, narrow);
        for (int64_t r = 0; r < rows; ++r) {
          Value &a = next[r * vectors + v];
          a = arith::AddIOp::create(b, loc, a,
                                    arith::MulIOp::create(b, loc, inputs[r], weights));
        }
      }
    }
    return next;
  }

  /// One register tile: `rows` pixels from `ow0`, `vectors` filter vectors
  /// from `filterVector`, stored into `out`, the [1, 1, OW, F] row (n, oh).
  Value tile(OpBuilder &b, Location loc, Value n, Value oh, Value ow0, int64_t rows,
             Value filterVector, int64_t vectors, bool partialLast, Value out) const {
    SmallVector<Value> inits(rows * vectors, lowering::scalarInt(b, loc, accVector, 0));
    using Body = function_ref<SmallVector<Value>(OpBuilder &, Location, Value, ValueRange)>;
    auto loop = [](OpBuilder &lb, Location ll, int64_t upper, ValueRange carried,
                   Body body) -> SmallVector<Value> {
      auto forOp = scf::ForOp::create(
          lb, ll, indexConst(lb, ll, 0), indexConst(lb, ll, upper), indexConst(lb, ll, 1),
          carried, [&](OpBuilder &nb, Location nl, Value iv, ValueRange args) {
            scf::YieldOp::create(nb, nl, body(nb, nl, iv, args));
          });
      return SmallVector<Value>(forOp.getResults());
    };
    SmallVector<Value> sums = loop(b, loc, mac.kernelH, inits, [&](OpBuilder &b1, Location l1,
                                                                   Value kh, ValueRange a1) {
      Value ih = indexMulAdd(b1, l1, oh, mac.strides[0],
                             indexMulAdd(b1, l1, kh, mac.dilations[0], {}));
      return loop(b1, l1, mac.kernelW, a1, [&](OpBuilder &b2, Location l2, Value kw,
                                               ValueRange a2) {
        SmallVector<Value> iw;
        Value kwOffset = indexMulAdd(b2, l2, kw, mac.dilations[1], {});
        for (int64_t r = 0; r < rows; ++r) {
          Value ow = arith::AddIOp::create(b2, l2, ow0, indexConst(b2, l2, r));
          iw.push_back(indexMulAdd(b2, l2, ow, mac.strides[1], kwOffset));
        }
        Value tap = indexMulAdd(b2, l2, kh, mac.kernelW, kw);
        return loop(b2, l2, steps, a2, [&](OpBuilder &b3, Location l3, Value quad,
                                          ValueRange a3) {
          return accumulate(b3, l3, a3, n, ih, iw, tap, quad, filterVector, rows, vectors);
        });
      });
    });
    for (int64_t r = 0; r < rows; ++r) {
      Value ow = arith::AddIOp::create(b, loc, ow0, indexConst(b, loc, r));
      for (int64_t v = 0; v < vectors; ++v) {
        Value f = indexMulAdd(b, loc, filterVector, kLanes, indexConst(b, loc, v * kLanes));
        Value acc = arith::AddIOp::create(b, loc, sums[r * vectors + v],
                                          readVector(b, loc, accVector, correction, f));
        Value stored = epilogue.apply(b, loc, acc, f);
        SmallVector<bool> inBounds = {!(partialLast && v == vectors - 1)};
        Value zero = indexConst(b, loc, 0);
        out = vector::TransferWriteOp::create(b, loc, stored, out,
                                              ValueRange{zero, zero, ow, f}, inBounds)
                  .getResult();
      }
    }
    return out;
  }

  /// Every tile of the output row (n, oh) for `vectors` filter vectors from
  /// `filterVector`.
  Value rowOfTiles(OpBuilder &b, Location loc, Value n, Value oh, Value filterVector,
                   int64_t vectors, bool partialLast, Value out) const {
    return forEachTile(b, loc, mac.outW, kRows, out,
                       [&](OpBuilder &nb, Location nl, Value ow0, int64_t rows, Value o) {
                         return tile(nb, nl, n, oh, ow0, rows, filterVector, vectors,
                                     partialLast, o);
                       });
  }

  Value build(OpBuilder &b, Location loc, Value out) {
    materialize(b, loc);
    bool partial = mac.filters % kLanes != 0;
    return forEachOutputRow(b, loc, out, [&](OpBuilder &b1, Location l1, Value n, Value oh,
                                             Value row) {
      return forEachBlock(b1, l1, filterVectors, kVectors, row,
                          [&](OpBuilder &b2, Location l2, Value start, int64_t size, bool last,
                              Value r) {
                            return rowOfTiles(b2, l2, n, oh, start, size, partial && last, r);
                          });
    });
  }
};

} // namespace

Value mlir::pike::cpu::emitDenseKernel(OpBuilder &b, Location loc, const MacOperands &mac,
                                       Epilogue &epilogue, CpuTarget target, Value dest) {
  DenseKernelBuilder builder(b, mac, epilogue, target == CpuTarget::avx512_vnni);
  return builder.build(b, loc, dest);
}
