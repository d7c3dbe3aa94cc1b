//===- DenseKernel.cpp - Packed-weight register-tiled convolution ---------===//
//
// out[n, oh, ow, f] for a tile of R pixels x V * L filters (L the target's
// i32 lanes, 16 on the 512-bit targets; R x V sized for its register file,
// registerTile) is accumulated in R * V i32 vectors over (kh, kw, c), then
// goes through the
// epilogue and is stored; the accumulators never reach memory. Weights are
// packed at compile time so that each step reads one contiguous vector per
// L filters:
//   u8 x s8 quads (avx512-vnni): [F/L][taps][C/4][L][4] bytes, one
//       pike.vector_dot4 (a vpdpbusd) per 4 channels of a pixel (its 4
//       input bytes broadcast) and L filters;
//   s8 x s8 quads (aarch64-dotprod, sdot): the same layout, the input read
//       as signed (an unsigned one offset by 128); on aarch64-i8mm the
//       quads take the input's own signedness (usdot or sdot);
//   byte matrix tiles (aarch64-i8mm): [F/L][taps][C/8][L/2][2][8], one
//       pike.vector_mmla (usmmla or smmla) per 8 channels of a pixel pair
//       and 2 filters: each of the tile's pixel pairs against each pair of
//       filters is a 2 x 2 accumulator, and the accumulators of two filter
//       pairs are shuffled into one vector per pixel before the epilogue;
//   byte pairs (vector, AVX2: no quads): the quad layout, one
//       pike.vector_dot2_bytes (pmaddubsw) per 4 channels of a pixel into
//       2L i16 lanes, for an unsigned input whose ranges keep the sums in
//       i16: a block of steps accumulates in i16, then goes into the i32
//       accumulators by one pike.vector_dot2 against ones (pmaddwd);
//   portable (vector): [F/L][taps][C/2][L][2], one pike.vector_dot2
//       (pmaddwd on x86) per 2 channels of a pixel (their i16 pair
//       broadcast) and L filters.
//
// Grouped convolutions take the same tiles: a filter vector reads only the
// channel window of the groups its 16 filters belong to (one group's
// channels when a group has a multiple of 16 filters, the channels of 16 / F_g
// groups when F_g divides 16), its weights packed over that window with
// zeros where a filter meets another group's channel. Filters stay in
// order, so the correction, the epilogue and the stores are the dense ones.
// Blocks of whole groups that span whole vectors repeat the same windows,
// so one loop over such blocks covers every group; what is left (a partial
// last vector) is one more block.
//
//===----------------------------------------------------------------------===//

#include "RowKernel.h"

#include "pike/Conversion/LoweringUtils.h"
#include "pike/Dialect/Pike/IR/PikeOps.h"
#include "pike/Numerics/FixedPoint.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

#include <numeric>

using namespace mlir;
using namespace mlir::pike;
using namespace mlir::pike::cpu;

namespace {

/// Outputs per weight below which 4-bit weights pay (see `nibbles`).
constexpr int64_t kNibbleOutputs = 4;

struct DenseKernelBuilder : PointwiseRowKernel {
  const MacOperands &mac;
  Epilogue &epilogue;
  /// i32 lanes per accumulator vector: filters per filter vector.
  int64_t lanes;
  /// Whether a step is 4 channels of byte quads (one vpdpbusd or sdot), or
  /// of byte pairs, rather than 2 x 2 channels of i16 pairs.
  bool dotQuads;
  /// Whether the quads are byte pairs into i16 accumulators
  /// (pike.vector_dot2_bytes), `pairBlock` steps at most between adding
  /// them into the i32 ones.
  bool bytePairs;
  int64_t pairBlock = 0;
  /// Whether the quads read the input as unsigned bytes (u8 x s8): the
  /// input's own signedness where the target has both kinds; always on
  /// byte pairs.
  bool quadsUnsigned;
  /// Whether a step is 8 channels of pixel pairs by filter pairs (byte
  /// matrix tiles): where the target has them and a tile has 2 pixels.
  bool matrixTiles;
  /// Whether quads take a pixel's 4 bytes as a lane of a 16-byte read
  /// rather than a broadcast: AArch64's indexed sdot (`sdot v.4s, w.16b,
  /// x.4b[j]`), so 4 steps read each pixel once.
  bool laneQuads;
  /// 4-bit weights (every centered weight in [-8, 7]) on quads in a layer
  /// bound by reading them (each weight used for at most kNibbleOutputs outputs:
  /// fully-connected at small batch): two quads' 4 * lanes-byte vectors share one,
  /// as low and high nibbles, so the kernel reads half the weight bytes and
  /// unpacks them in registers. Where weights are reused across pixels the
  /// unpacking costs more than it saves (docs/Lowering.md).
  bool nibbles;
  RegisterTile tileShape;
  int64_t taps, filterVectors;
  /// Channels and filters per group.
  int64_t groupChannels, groupFilters;
  /// Per filter vector: the first input channel of its window, the
  /// window's channels padded to whole steps, its steps, and where its
  /// weights start in the packed constant, in steps of stepBytes().
  SmallVector<int64_t> windowStart, paddedWindow, stepsOf, blockOffset;
  /// On `vector`, with 4 or 8 filters per group: each lane group of a
  /// vector reads its own group's channel pair, so a step covers 4
  /// channels of every group the vector holds, not 4 of their window (the
  /// products meet no other group's zero weights).
  bool laneGroups;
  /// Whether each row's input is a [1, 1, W, C] tensor set by setRowInput
  /// (a pointwise layer fed row by row), not a row of the whole input.
  bool readsRows;
  /// The first channel of the slice being filled (fillRowPart): output
  /// vectors are written that far to the left.
  int64_t sliceStart = 0;
  Value input, packedWeights, correction;
  VectorType accVector;

  DenseKernelBuilder(OpBuilder &b, const MacOperands &mac, Epilogue &epilogue,
                     const CpuTargetInfo &target, DenseChoices choices, bool readsRows = false)
      : mac(mac), epilogue(epilogue), lanes(target.lanes()), dotQuads(target.hasQuads()),
        readsRows(readsRows) {
    quadsUnsigned = target.hasU8S8Quads() && (mac.inputUnsigned || !target.hasS8S8Quads());
    nibbles = mac.batch * mac.outH * mac.outW <= kNibbleOutputs &&
              llvm::all_of(mac.weights, [](int8_t w) { return w >= -8 && w <= 7; });
    // Decided before the quads are, since a step on nibbles is two pair ops
    // into the same i16 accumulator, which halves a block.
    int64_t pairSteps = choices.allowBytePairs && target.hasU8S8Pairs() && !dotQuads
                            ? bytePairSteps(nibbles ? 2 : 1)
                            : 0;
    bytePairs = pairSteps > 0;
    if (bytePairs) {
      dotQuads = quadsUnsigned = true;
      pairBlock = pairSteps;
    }
    tileShape = choices.tile ? *choices.tile : registerTile(target, bytePairs);
    nibbles = nibbles && dotQuads;
    taps = mac.kernelH * mac.kernelW;
    filterVectors = llvm::divideCeil(mac.filters, lanes);
    groupChannels = mac.channels / mac.groups;
    groupFilters = mac.filters / mac.groups;
    laneGroups = !dotQuads && mac.groups > 1 && (groupFilters == 4 || groupFilters == 8) &&
                 lanes % groupFilters == 0;
    matrixTiles = target.hasByteMatrixTiles() && !nibbles && mac.outW >= 2;
    laneQuads = target.isAArch64() && dotQuads && !quadsUnsigned && !nibbles && !matrixTiles;
    int64_t offset = 0;
    for (int64_t vec = 0; vec < filterVectors; ++vec) {
      int64_t first = vec * lanes / groupFilters;
      int64_t last = (std::min((vec + 1) * lanes, mac.filters) - 1) / groupFilters;
      windowStart.push_back(first * groupChannels);
      if (laneGroups) {
        // The last group's pairs run past its channels into zero weights.
        paddedWindow.push_back((last - first) * groupChannels + llvm::alignTo(groupChannels, 4));
        stepsOf.push_back(llvm::alignTo(groupChannels, 4) / 4);
      } else {
        paddedWindow.push_back(llvm::alignTo((last + 1 - first) * groupChannels, stepChannels()));
        stepsOf.push_back(paddedWindow.back() / stepChannels());
      }
      blockOffset.push_back(offset);
      offset += taps * stepsOf.back();
    }
    accVector = VectorType::get({lanes}, b.getI32Type());
  }

  /// The steps an i16 accumulator of byte pairs may take, each `opsPerStep`
  /// pairs into it, before a sum could leave i16, or 0 where not even one
  /// pair fits: the input is read unsigned, its padding holding the zero
  /// point; a signed one from a copy flipped into [0, 255] (flipsInput), its
  /// numbers and zero point offset by 128, where blocks of two steps fit.
  /// Capped at 2^20, more steps than any window the packed-weight bound lets
  /// through.
  int64_t bytePairSteps(int64_t opsPerStep) const {
    int64_t offset = mac.inputUnsigned ? 0 : 128;
    int64_t input =
        std::max<int64_t>(numerics::maxValue(mac.inputBits, !mac.inputUnsigned), mac.inputZp) +
        offset;
    int64_t weight = 0;
    for (int8_t w : mac.weights)
      weight = std::max<int64_t>(weight, std::abs(int64_t(w)));
    int64_t perOp = 2 * input * weight;
    if (perOp == 0)
      return int64_t(1) << 20;
    int64_t steps = std::min<int64_t>(INT16_MAX / perOp / opsPerStep, int64_t(1) << 20);
    // Flushed at every step, a flipped copy's pairs cost what i16 pairs do
    // (0.93-1.10x on Zen 3, bench/RESULTS.md): those stay.
    return !mac.inputUnsigned && steps < 2 ? 0 : steps;
  }

  /// The channels the steps read: the input's, padded to whole steps.
  int64_t channelsRead() const {
    int64_t channels = 0;
    for (int64_t vec = 0; vec < filterVectors; ++vec)
      channels = std::max(channels, windowStart[vec] + paddedWindow[vec]);
    return channels;
  }

  /// Whether the kernel reads the input as it is, with no copy.
  bool readsInputInPlace() const {
    return dotQuads && !flipsInput() && channelsRead() == mac.channels &&
           llvm::all_of(mac.padding, [](int64_t p) { return p == 0; });
  }

  /// Whether the quads read the input with the other signedness: as a copy
  /// with every byte xor 0x80, which is the input offset by 128.
  bool flipsInput() const { return dotQuads && !matrixTiles && quadsUnsigned != mac.inputUnsigned; }

  /// Input channels of one step of the kernel's loop.
  int64_t stepChannels() const { return nibbles || matrixTiles ? 8 : 4; }
  /// Packed weight bytes of one step of one filter vector.
  int64_t stepBytes() const { return matrixTiles ? 8 * lanes : 4 * lanes; }
  /// Accumulators of a tile of `rows` pixels by `vectors` filter vectors:
  /// with matrix tiles, a 2 x 2 tile per pixel pair, filter vector and
  /// filter pair.
  int64_t accumulators(int64_t rows, int64_t vectors) const {
    return matrixTiles ? llvm::divideCeil(rows, 2) * vectors * (lanes / 2) : rows * vectors;
  }

  /// Where weight (f, tap, c) goes, c a channel of f's group, in the packed
  /// layout before nibbles pair its blocks: 4 * lanes bytes per step of 4
  /// channels, [lanes][4] on quads, [2][lanes][2] (channel pairs)
  /// elsewhere; 8 * lanes bytes per step of 8 channels, [lanes / 2][2][8],
  /// on matrix tiles.
  int64_t packedIndex(int64_t f, int64_t tap, int64_t c) const {
    int64_t vec = f / lanes, lane = f % lanes;
    int64_t inWindow = laneGroups ? c : f / groupFilters * groupChannels + c - windowStart[vec];
    if (matrixTiles) {
      int64_t block = blockOffset[vec] + tap * stepsOf[vec] + inWindow / 8;
      return block * stepBytes() + lane * 8 + inWindow % 8;
    }
    int64_t quads = laneGroups ? stepsOf[vec] : paddedWindow[vec] / 4;
    int64_t block = (nibbles ? 2 * blockOffset[vec] : blockOffset[vec]) + tap * quads +
                    inWindow / 4;
    if (dotQuads)
      return (block * lanes + lane) * 4 + inWindow % 4;
    return ((block * 2 + inWindow % 4 / 2) * lanes + lane) * 2 + inWindow % 2;
  }

  /// The packed weights, the correction table and the padded input.
  void materialize(OpBuilder &b, Location loc) override {
    int64_t blocks = blockOffset.back() + taps * stepsOf.back();
    std::vector<int8_t> packed(blocks * (nibbles ? 2 : 1) * stepBytes(), 0);
    // Quads that read the input with the other signedness see it offset by
    // 128 (its bits xor 0x80), which the correction takes back.
    int64_t readZp = mac.inputZp;
    if (flipsInput())
      readZp += quadsUnsigned ? 128 : -128;
    SmallVector<int64_t> corrections(filterVectors * lanes, 0);
    int64_t offset = epilogue.correctionOffset(mac.filters);
    for (int64_t f = 0; f < mac.filters; ++f) {
      int64_t sum = 0;
      for (int64_t tap = 0; tap < taps; ++tap)
        for (int64_t c = 0; c < groupChannels; ++c) {
          int8_t w = mac.weights[(f * taps + tap) * groupChannels + c];
          packed[packedIndex(f, tap, c)] = w;
          sum += w;
        }
      // Wraps modulo 2^32 like the i32 accumulators: the verified sum fits.
      corrections[f] = mac.bias[f] - readZp * sum + offset;
    }
    if (nibbles) {
      // Quads 2j and 2j + 1 of a (vector, tap): one 64-byte vector, low and
      // high nibbles.
      std::vector<int8_t> paired(packed.size() / 2);
      int64_t block = 4 * lanes;
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
    if (readsRows)
      return;
    // Padded pixels hold the zero point (they then add nothing); padded
    // channels meet zero weights.
    // Quads that read the input with the other signedness read a copy whose
    // bytes are flipped once here, not at every broadcast.
    input = padInput(b, loc, mac.input, mac.padding, mac.inputZp, channelsRead() - mac.channels,
                     flipsInput());
    if (!dotQuads)
      input = widenInput(b, loc);
  }

  /// The padded input as i16 (zero- or sign-extended as the op reads it),
  /// with vector copies: a pair of channels is then one i32 a pixel, which
  /// the kernel broadcasts straight from memory.
  Value widenInput(OpBuilder &b, Location loc) const {
    auto type = cast<RankedTensorType>(input.getType());
    int64_t elements = type.getNumElements();
    auto flatType = RankedTensorType::get({elements}, b.getI8Type());
    Value flat = tensor::CollapseShapeOp::create(b, loc, flatType, input,
                                                 ArrayRef<ReassociationIndices>{{0, 1, 2, 3}});
    Value wide = tensor::EmptyOp::create(b, loc, ArrayRef<int64_t>{elements}, b.getI16Type());
    int64_t chunk = std::min<int64_t>(elements, 2 * lanes);
    wide = forEachTile(b, loc, elements, chunk, wide,
                       [&](OpBuilder &nb, Location nl, Value start, int64_t size, Value w) {
                         Value bytes = readVector(nb, nl, VectorType::get({size}, nb.getI8Type()),
                                                  flat, start);
                         Value halves = lowering::castInt(
                             nb, nl, bytes, VectorType::get({size}, nb.getI16Type()),
                             mac.inputUnsigned);
                         return vector::TransferWriteOp::create(nb, nl, halves, w, start,
                                                                ArrayRef<bool>{true})
                             .getResult();
                       });
    return tensor::ExpandShapeOp::create(
        b, loc, RankedTensorType::get(type.getShape(), b.getI16Type()), wide,
        ArrayRef<ReassociationIndices>{{0, 1, 2, 3}});
  }

  /// The filter vectors of a tile, which share one channel window: the
  /// first vector, the step its packed weights start at, the window's first
  /// input channel and its steps.
  struct Span {
    Value filterVector, weightStep, channel;
    int64_t steps;
    /// Groups in the span's vectors (laneGroups).
    int64_t groups = 0;
  };

  /// Where the packed weights of filter vector `v` of `span` start at its
  /// first vector's `step`, plus `offset` bytes: vector v's steps are
  /// v * taps * steps further.
  Value weightOffset(OpBuilder &b, Location loc, Value step, const Span &span, int64_t v,
                     int64_t offset) const {
    Value at = v ? arith::AddIOp::create(b, loc, step, indexConst(b, loc, v * taps * span.steps))
                       .getResult()
                 : step;
    return indexMulAdd(b, loc, at, stepBytes(), offset ? indexConst(b, loc, offset) : Value());
  }

  /// The accumulators of one tile after one step of 4 channels (8 on
  /// nibbles and on matrix tiles).
  SmallVector<Value> accumulate(OpBuilder &b, Location loc, ValueRange acc, Value n,
                                Value ih, ArrayRef<Value> iw, Value tap, Value quad,
                                const Span &span, int64_t rows, int64_t vectors) const {
    SmallVector<Value> next(acc);
    // Step (tap, quad) of the span's first vector.
    Value step = arith::AddIOp::create(b, loc, indexMulAdd(b, loc, tap, span.steps, quad),
                                       span.weightStep);
    auto weightsAt = [&](int64_t v, int64_t offset) {
      return weightOffset(b, loc, step, span, v, offset);
    };
    if (matrixTiles)
      return accumulateTiles(b, loc, acc, n, ih, iw, quad, span, rows, vectors, weightsAt);
    if (dotQuads) {
      auto bytes = VectorType::get({4 * lanes}, b.getI8Type());
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
          inputs.push_back(vector::BitCastOp::create(b, loc, bytes, splat));
        }
        return inputs;
      };
      // A step covers one quad, or two on nibbles.
      Value firstChannel = indexMulAdd(b, loc, quad, nibbles ? 8 : 4, span.channel);
      SmallVector<SmallVector<Value>> inputs = {broadcastQuad(firstChannel)};
      if (nibbles)
        inputs.push_back(broadcastQuad(
            arith::AddIOp::create(b, loc, firstChannel, indexConst(b, loc, 4))));
      for (int64_t v = 0; v < vectors; ++v) {
        // Each (vector, tap, step) is 4 * lanes contiguous bytes.
        Value packed = readVector(b, loc, bytes, packedWeights, weightsAt(v, 0));
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
            a = bytePairs
                    ? VectorDot2BytesOp::create(b, loc, a.getType(), a, inputs[k][r], weights[k])
                          .getResult()
                    : VectorDot4Op::create(b, loc, accVector, a, inputs[k][r], weights[k],
                                           /*lhs_signed=*/!quadsUnsigned)
                          .getResult();
        }
      }
      return next;
    }
    // Two pairs of channels a step: each pixel's pair of i16 inputs (the
    // widened input) broadcast as one i32 per lane, against 16 filters x 2
    // channels of i16 weights: a pike.vector_dot2 (pmaddwd where the CPU
    // has it).
    Value channel = indexMulAdd(b, loc, quad, 4, span.channel);
    auto pairVector = VectorType::get({2 * lanes}, b.getI16Type());
    auto pairAt = [&](int64_t r, Value c) -> Value {
      Value pair =
          readVector(b, loc, VectorType::get({2}, b.getI16Type()), input, {n, ih, iw[r], c});
      return vector::ExtractOp::create(
          b, loc, vector::BitCastOp::create(b, loc, VectorType::get({1}, b.getI32Type()), pair),
          int64_t(0));
    };
    SmallVector<SmallVector<Value>> inputs(2);
    for (int64_t r = 0; r < rows; ++r)
      for (int64_t k = 0; k < 2; ++k) {
        Value c = k ? arith::AddIOp::create(b, loc, channel, indexConst(b, loc, 2)).getResult()
                    : channel;
        Value splat;
        if (laneGroups) {
          // Lanes [j * F_g, (j + 1) * F_g) take the pair of the vector's
          // group j; lanes past the last group (a partial vector) zero.
          SmallVector<Value> words;
          Value zero = lowering::scalarInt(b, loc, b.getI32Type(), 0);
          for (int64_t j = 0; j < lanes / groupFilters; ++j) {
            Value word = j < span.groups ? pairAt(r, arith::AddIOp::create(
                                                         b, loc, c,
                                                         indexConst(b, loc, j * groupChannels)))
                                         : zero;
            words.append(groupFilters, word);
          }
          splat = vector::FromElementsOp::create(b, loc, accVector, words);
        } else {
          splat = vector::BroadcastOp::create(b, loc, accVector, pairAt(r, c));
        }
        inputs[k].push_back(vector::BitCastOp::create(b, loc, pairVector, splat));
      }
    for (int64_t v = 0; v < vectors; ++v)
      for (int64_t k = 0; k < 2; ++k) {
        Value narrow = readVector(b, loc, VectorType::get({2 * lanes}, b.getI8Type()),
                                  packedWeights, weightsAt(v, k * 2 * lanes));
        Value weights = arith::ExtSIOp::create(b, loc, pairVector, narrow);
        for (int64_t r = 0; r < rows; ++r) {
          Value &a = next[r * vectors + v];
          a = VectorDot2Op::create(b, loc, accVector, a, inputs[k][r], weights);
        }
      }
    return next;
  }

  /// Four steps of lane-indexed quads, from step 4 * group: each pixel's 16
  /// channels read once, lane j (its channels 4j .. 4j + 3) against step j's
  /// weights.
  SmallVector<Value> accumulateLaneQuads(OpBuilder &b, Location loc, ValueRange acc, Value n,
                                         Value ih, ArrayRef<Value> iw, Value tap, Value group,
                                         const Span &span, int64_t rows,
                                         int64_t vectors) const {
    SmallVector<Value> next(acc);
    auto bytes = VectorType::get({4 * lanes}, b.getI8Type());
    auto words = VectorType::get({4}, b.getI32Type());
    Value channel = indexMulAdd(b, loc, group, 16, span.channel);
    SmallVector<Value> pixels;
    for (int64_t r = 0; r < rows; ++r)
      pixels.push_back(vector::BitCastOp::create(
          b, loc, words,
          readVector(b, loc, VectorType::get({16}, b.getI8Type()), input,
                     {n, ih, iw[r], channel})));
    for (int64_t j = 0; j < 4; ++j) {
      Value quad = indexMulAdd(b, loc, group, 4, indexConst(b, loc, j));
      Value step = arith::AddIOp::create(b, loc, indexMulAdd(b, loc, tap, span.steps, quad),
                                         span.weightStep);
      SmallVector<Value> lane;
      for (int64_t r = 0; r < rows; ++r) {
        SmallVector<int64_t> picks(lanes, j);
        Value splat = vector::ShuffleOp::create(b, loc, pixels[r], pixels[r], picks);
        lane.push_back(vector::BitCastOp::create(b, loc, bytes, splat));
      }
      for (int64_t v = 0; v < vectors; ++v) {
        Value weights =
            readVector(b, loc, bytes, packedWeights, weightOffset(b, loc, step, span, v, 0));
        for (int64_t r = 0; r < rows; ++r) {
          Value &a = next[r * vectors + v];
          a = VectorDot4Op::create(b, loc, accVector, a, lane[r], weights, /*lhs_signed=*/true);
        }
      }
    }
    return next;
  }

  /// One step of 8 channels on matrix tiles: each pixel pair's 2 x 8 input
  /// bytes (an odd last pixel paired with itself) against each filter
  /// pair's 2 x 8 weights, accumulator (pair, vector, half) holding filters
  /// [2 * half, 2 * half + 2) of the vector.
  SmallVector<Value>
  accumulateTiles(OpBuilder &b, Location loc, ValueRange acc, Value n, Value ih,
                  ArrayRef<Value> iw, Value quad, const Span &span, int64_t rows,
                  int64_t vectors, function_ref<Value(int64_t, int64_t)> weightsAt) const {
    SmallVector<Value> next(acc);
    auto bytes = VectorType::get({16}, b.getI8Type());
    auto half = VectorType::get({8}, b.getI8Type());
    Value channel = indexMulAdd(b, loc, quad, 8, span.channel);
    SmallVector<Value> pairs;
    for (int64_t r = 0; r < rows; r += 2) {
      Value first = readVector(b, loc, half, input, {n, ih, iw[r], channel});
      Value second = r + 1 < rows ? readVector(b, loc, half, input, {n, ih, iw[r + 1], channel})
                                  : first;
      pairs.push_back(vector::ShuffleOp::create(b, loc, first, second,
                                                llvm::to_vector(llvm::seq<int64_t>(0, 16))));
    }
    for (int64_t v = 0; v < vectors; ++v)
      for (int64_t h = 0; h < lanes / 2; ++h) {
        Value weights = readVector(b, loc, bytes, packedWeights, weightsAt(v, h * 16));
        for (size_t p = 0; p < pairs.size(); ++p) {
          Value &a = next[(p * vectors + v) * (lanes / 2) + h];
          a = VectorMmlaOp::create(b, loc, a.getType(), a, pairs[p], weights,
                                   /*lhs_signed=*/!mac.inputUnsigned);
        }
      }
    return next;
  }

  /// The tile's accumulators as one vector per (pixel, filter vector): on
  /// matrix tiles each pixel's rows of its pair's 2 x 2 tiles, in filter
  /// order.
  SmallVector<Value> perPixel(OpBuilder &b, Location loc, ArrayRef<Value> sums, int64_t rows,
                              int64_t vectors) const {
    if (!matrixTiles)
      return SmallVector<Value>(sums);
    SmallVector<Value> pixels(rows * vectors);
    int64_t halves = lanes / 2;
    for (int64_t r = 0; r < rows; ++r)
      for (int64_t v = 0; v < vectors; ++v) {
        // Lanes 2 * (r % 2) and the next of each half's tile, joined.
        Value pixel;
        for (int64_t h = 0; h < halves; ++h) {
          Value tile = sums[(r / 2 * vectors + v) * halves + h];
          Value part = vector::ShuffleOp::create(b, loc, tile, tile,
                                                 ArrayRef<int64_t>{2 * (r % 2), 2 * (r % 2) + 1});
          pixel = pixel ? vector::ShuffleOp::create(b, loc, pixel, part,
                                                    llvm::to_vector(llvm::seq<int64_t>(0, 2 * h + 2)))
                              .getResult()
                        : part;
        }
        pixels[r * vectors + v] = pixel;
      }
    return pixels;
  }

  /// The input row kernel row `kh` reads for the output row `inputRow`
  /// stands for.
  Value inputRowAt(OpBuilder &b, Location loc, Value inputRow, Value kh) const {
    return indexMulAdd(b, loc, inputRow, mac.strides[0],
                       indexMulAdd(b, loc, kh, mac.dilations[0], {}));
  }

  /// The input columns kernel column `kw` reads for `rows` pixels from `ow0`.
  SmallVector<Value> inputColumns(OpBuilder &b, Location loc, Value ow0, int64_t rows,
                                  Value kw) const {
    SmallVector<Value> iw;
    Value kwOffset = indexMulAdd(b, loc, kw, mac.dilations[1], {});
    for (int64_t r = 0; r < rows; ++r) {
      Value ow = arith::AddIOp::create(b, loc, ow0, indexConst(b, loc, r));
      iw.push_back(indexMulAdd(b, loc, ow, mac.strides[1], kwOffset));
    }
    return iw;
  }

  /// A tile's sums on byte pairs: i16 accumulators over blocks of at most
  /// pairBlock steps (the whole window, a kernel row, or part of one tap's
  /// steps, whichever fits), each block then added into the i32
  /// accumulators by pairs of lanes against ones.
  SmallVector<Value> pairSums(OpBuilder &b, Location loc, Value inputBatch, Value inputRow,
                              Value ow0, int64_t rows, const Span &span, int64_t vectors) const {
    auto pairType = VectorType::get({2 * lanes}, b.getI16Type());
    auto zeros = [&](OpBuilder &nb, Location nl, Type type) {
      return SmallVector<Value>(rows * vectors, lowering::scalarInt(nb, nl, type, 0));
    };
    auto flush = [&](OpBuilder &nb, Location nl, ValueRange wide, ValueRange narrow) {
      Value ones = lowering::scalarInt(nb, nl, pairType, 1);
      SmallVector<Value> sums;
      for (auto [w, p] : llvm::zip_equal(wide, narrow))
        sums.push_back(VectorDot2Op::create(nb, nl, accVector, w, p, ones));
      return sums;
    };
    // Steps [from, from + count) of tap (kh, kw) into the i16 `acc`; a null
    // `from` is 0.
    auto tapSteps = [&](OpBuilder &nb, Location nl, Value ih, Value kh, Value kw, Value from,
                        int64_t count, ValueRange acc) {
      SmallVector<Value> iw = inputColumns(nb, nl, ow0, rows, kw);
      Value tap = indexMulAdd(nb, nl, kh, mac.kernelW, kw);
      return forCarried(nb, nl, count, acc,
                        [&](OpBuilder &b3, Location l3, Value i, ValueRange a3) {
                          Value quad = indexMulAdd(b3, l3, i, 1, from);
                          return accumulate(b3, l3, a3, inputBatch, ih, iw, tap, quad, span, rows,
                                            vectors);
                        });
    };
    auto kernelRow = [&](OpBuilder &nb, Location nl, Value kh, ValueRange acc) {
      Value ih = inputRowAt(nb, nl, inputRow, kh);
      return forCarried(nb, nl, mac.kernelW, acc,
                        [&](OpBuilder &b2, Location l2, Value kw, ValueRange a2) {
                          return tapSteps(b2, l2, ih, kh, kw, {}, span.steps, a2);
                        });
    };
    if (taps * span.steps <= pairBlock)
      return flush(b, loc, zeros(b, loc, accVector),
                   forCarried(b, loc, mac.kernelH, zeros(b, loc, pairType), kernelRow));
    return forCarried(
        b, loc, mac.kernelH, zeros(b, loc, accVector),
        [&](OpBuilder &b1, Location l1, Value kh, ValueRange a1) {
          if (mac.kernelW * span.steps <= pairBlock)
            return flush(b1, l1, a1, kernelRow(b1, l1, kh, zeros(b1, l1, pairType)));
          Value ih = inputRowAt(b1, l1, inputRow, kh);
          return forCarried(
              b1, l1, mac.kernelW, a1, [&](OpBuilder &b2, Location l2, Value kw, ValueRange a2) {
                int64_t full = span.steps / pairBlock, rest = span.steps % pairBlock;
                SmallVector<Value> sums = forCarried(
                    b2, l2, full, a2, [&](OpBuilder &b3, Location l3, Value block, ValueRange a3) {
                      Value from = indexMulAdd(b3, l3, block, pairBlock, {});
                      return flush(
                          b3, l3, a3,
                          tapSteps(b3, l3, ih, kh, kw, from, pairBlock, zeros(b3, l3, pairType)));
                    });
                if (rest)
                  sums = flush(b2, l2, sums,
                               tapSteps(b2, l2, ih, kh, kw, indexConst(b2, l2, full * pairBlock),
                                        rest, zeros(b2, l2, pairType)));
                return sums;
              });
        });
  }

  /// A tile's sums over its window: the steps of each tap into the
  /// accumulators.
  SmallVector<Value> stepSums(OpBuilder &b, Location loc, Value inputBatch, Value inputRow,
                              Value ow0, int64_t rows, const Span &span, int64_t vectors) const {
    Type accType = matrixTiles ? VectorType::get({4}, b.getI32Type()) : Type(accVector);
    SmallVector<Value> inits(accumulators(rows, vectors), lowering::scalarInt(b, loc, accType, 0));
    return forCarried(
        b, loc, mac.kernelH, inits, [&](OpBuilder &b1, Location l1, Value kh, ValueRange a1) {
          Value ih = inputRowAt(b1, l1, inputRow, kh);
          return forCarried(
              b1, l1, mac.kernelW, a1, [&](OpBuilder &b2, Location l2, Value kw, ValueRange a2) {
                SmallVector<Value> iw = inputColumns(b2, l2, ow0, rows, kw);
                Value tap = indexMulAdd(b2, l2, kh, mac.kernelW, kw);
                // With lane-indexed quads, 4 steps share one read of each pixel's
                // 16 channels; the steps left over go one by one.
                int64_t groups = laneQuads ? span.steps / 4 : 0;
                SmallVector<Value> grouped(a2);
                if (groups)
                  grouped =
                      forCarried(b2, l2, groups, a2,
                                 [&](OpBuilder &b3, Location l3, Value group, ValueRange a3) {
                                   return accumulateLaneQuads(b3, l3, a3, inputBatch, ih, iw, tap,
                                                              group, span, rows, vectors);
                                 });
                if (span.steps == 4 * groups)
                  return grouped;
                return forCarried(
                    b2, l2, span.steps - 4 * groups, grouped,
                    [&](OpBuilder &b3, Location l3, Value rest, ValueRange a3) {
                      Value quad = groups ? arith::AddIOp::create(b3, l3, rest,
                                                                  indexConst(b3, l3, 4 * groups))
                                                .getResult()
                                          : rest;
                      return accumulate(b3, l3, a3, inputBatch, ih, iw, tap, quad, span, rows,
                                        vectors);
                    });
              });
        });
  }

  /// One register tile: `rows` pixels from `ow0`, `vectors` filter vectors
  /// of `span`, stored into `out`, the [1, 1, OW, F] row (n, oh).
  Value tile(OpBuilder &b, Location loc, Value n, Value oh, Value ow0, int64_t rows,
             const Span &span, int64_t vectors, bool partialLast, Value out) const {
    Value filterVector = span.filterVector;
    // A row input is the only row there is (the layer is 1x1, stride 1).
    Value inputRow = readsRows ? indexConst(b, loc, 0) : oh;
    Value inputBatch = readsRows ? indexConst(b, loc, 0) : n;
    SmallVector<Value> sums =
        bytePairs ? pairSums(b, loc, inputBatch, inputRow, ow0, rows, span, vectors)
                  : stepSums(b, loc, inputBatch, inputRow, ow0, rows, span, vectors);
    sums = perPixel(b, loc, sums, rows, vectors);
    for (int64_t r = 0; r < rows; ++r) {
      Value ow = arith::AddIOp::create(b, loc, ow0, indexConst(b, loc, r));
      for (int64_t v = 0; v < vectors; ++v) {
        Value f = indexMulAdd(b, loc, filterVector, lanes, indexConst(b, loc, v * lanes));
        Value acc = arith::AddIOp::create(b, loc, sums[r * vectors + v],
                                          readVector(b, loc, accVector, correction, f));
        bool partial = partialLast && v == vectors - 1;
        Value stored = epilogue.apply(b, loc, acc, epilogue.readTables(b, loc, f),
                                      {n, oh, ow, f}, partial);
        Value zero = indexConst(b, loc, 0);
        Value at = sliceStart ? indexMulAdd(b, loc, filterVector, lanes,
                                            indexConst(b, loc, v * lanes - sliceStart))
                              : f;
        out = writeVector(b, loc, stored, out, {zero, zero, ow, at},
                          partial ? mac.filters % lanes : lanes);
      }
    }
    return out;
  }

  /// Every tile of the output row (n, oh) for `vectors` filter vectors of
  /// `span`.
  Value rowOfTiles(OpBuilder &b, Location loc, Value n, Value oh, const Span &span,
                   int64_t vectors, bool partialLast, Value out) const {
    return forEachBlock(b, loc, mac.outW, tileShape.rows, out,
                        [&](OpBuilder &nb, Location nl, Value ow0, int64_t rows, bool, Value o) {
                          return tile(nb, nl, n, oh, ow0, rows, span, vectors, partialLast, o);
                        });
  }

  /// Filter vectors [first, first + count) of the output row (n, oh), at
  /// `filterShift` vectors, `stepShift` weight steps and `channelShift`
  /// input channels past where materialize placed them (a repeated block).
  /// Consecutive vectors with the same window share tiles of up to
  /// tileShape.vectors;
  /// the last vector of the op is partial if `partialLast`.
  Value vectorsOfRow(OpBuilder &b, Location loc, Value n, Value oh, int64_t first,
                     int64_t count, Value filterShift, Value stepShift, Value channelShift,
                     bool partialLast, Value out) const {
    auto shifted = [&](OpBuilder &nb, Location nl, Value shift, int64_t value) -> Value {
      if (!shift)
        return indexConst(nb, nl, value);
      return nb.createOrFold<arith::AddIOp>(nl, shift, indexConst(nb, nl, value));
    };
    for (int64_t vec = first, end = first + count; vec < end;) {
      int64_t same = vec + 1;
      while (same < end && windowStart[same] == windowStart[vec] &&
             paddedWindow[same] == paddedWindow[vec])
        ++same;
      int64_t from = vec;
      out = forEachBlock(
          b, loc, same - from, tileShape.vectors, out,
          [&](OpBuilder &nb, Location nl, Value start, int64_t size, bool last, Value o) {
            Span span;
            span.steps = stepsOf[from];
            span.filterVector =
                nb.createOrFold<arith::AddIOp>(nl, shifted(nb, nl, filterShift, from), start);
            span.weightStep = indexMulAdd(nb, nl, start, taps * span.steps,
                                          shifted(nb, nl, stepShift, blockOffset[from]));
            span.channel = shifted(nb, nl, channelShift, windowStart[from]);
            if (laneGroups)
              span.groups = (paddedWindow[from] - llvm::alignTo(groupChannels, 4)) /
                                groupChannels +
                            1;
            return rowOfTiles(nb, nl, n, oh, span, size,
                              partialLast && last && same == filterVectors, o);
          },
          /*peelLast=*/partialLast && same == filterVectors);
      vec = same;
    }
    return out;
  }

  void setRowInput(Value rowInput) override { input = rowInput; }

  /// One group's filters split at whole vectors (more groups repeat blocks
  /// of windows that a split would cut).
  SmallVector<int64_t> channelSplits(int64_t parts) const override {
    if (mac.groups != 1 || readsRows)
      return {};
    return evenChannelSplits(filterVectors, lanes, parts);
  }

  Value fillRowPart(OpBuilder &b, Location loc, Value n, Value oh, int64_t first, int64_t last,
                    Value part) override {
    bool partial = mac.filters % lanes != 0 && last == mac.filters;
    sliceStart = first;
    part = vectorsOfRow(b, loc, n, oh, first / lanes, llvm::divideCeil(last - first, lanes), {},
                        {}, {}, partial, part);
    sliceStart = 0;
    return part;
  }

  Value fillRow(OpBuilder &b, Location loc, Value n, Value oh, Value row) override {
    bool partial = mac.filters % lanes != 0;
    // The fewest whole groups whose filters fill whole vectors: each such
    // block has the same windows, `blockChannels` channels further on.
    int64_t blockGroups = lanes / std::gcd(groupFilters, lanes);
    int64_t blocks = mac.groups / blockGroups;
    int64_t blockVectors = blockGroups * groupFilters / lanes;
    int64_t blockSteps = blocks ? blockOffset[blockVectors - 1] +
                                      taps * stepsOf[blockVectors - 1]
                                : 0;
    int64_t blockChannels = blockGroups * groupChannels;
    if (blocks == 1)
      row = vectorsOfRow(b, loc, n, oh, 0, blockVectors, {}, {}, {}, partial, row);
    else if (blocks > 1)
      row =
          forTensor(b, loc, 0, blocks, row, [&](OpBuilder &nb, Location nl, Value block, Value r) {
            return vectorsOfRow(nb, nl, n, oh, 0, blockVectors,
                                indexMulAdd(nb, nl, block, blockVectors, {}),
                                indexMulAdd(nb, nl, block, blockSteps, {}),
                                indexMulAdd(nb, nl, block, blockChannels, {}), partial, r);
          });
    // The groups left over, whose filters end in a partial vector.
    int64_t done = blocks * blockVectors;
    return vectorsOfRow(b, loc, n, oh, done, filterVectors - done, {}, {}, {}, partial, row);
  }
};

} // namespace

RegisterTile mlir::pike::registerTile(const CpuTargetInfo &target, bool bytePairs) {
  // 16 accumulators where a vector is one register of 32 (AVX-512, NEON):
  // half the file, the rest for weights and broadcast inputs. Where a
  // vector takes two registers of 16 (`vector`'s 512 bits in AVX2's ymm),
  // 4 x 4 needs all 32 for its accumulators alone and spills at each step.
  int64_t accumulators = target.vectorRegisters / 2 / target.registersPerVector();
  if (accumulators >= 16)
    return {4, 4};
  // On byte pairs each pixel also holds two i16 products and its broadcast
  // at every step: 4 pixels spilled accumulators in the innermost loop, 3
  // do not (0.73-0.98x the time on AVX2's layers, bench/RESULTS.md).
  if (bytePairs && target.registersPerVector() > 1)
    accumulators = std::min<int64_t>(accumulators, 3);
  return {std::max<int64_t>(accumulators, 1), 1};
}

std::optional<RegisterTile> mlir::pike::parseRegisterTile(llvm::StringRef spelling) {
  auto [rows, vectors] = spelling.split('x');
  RegisterTile tile;
  if (rows.getAsInteger(10, tile.rows) || vectors.getAsInteger(10, tile.vectors) || tile.rows < 1 ||
      tile.rows > 8 || tile.vectors < 1 || tile.vectors > 4)
    return std::nullopt;
  return tile;
}

std::unique_ptr<RowKernel> mlir::pike::cpu::makeDenseRowKernel(OpBuilder &b, const MacOperands &mac,
                                                               Epilogue &epilogue,
                                                               const CpuTargetInfo &target,
                                                               DenseChoices choices) {
  return std::make_unique<DenseKernelBuilder>(b, mac, epilogue, target, choices);
}

bool mlir::pike::cpu::fitsPointwiseRowKernel(const MacOperands &mac, const CpuTargetInfo &target,
                                             DenseChoices choices, std::string &whyNot) {
  if (mac.kernelH != 1 || mac.kernelW != 1 || mac.strides[0] != 1 || mac.strides[1] != 1) {
    whyNot = "the consumer is not 1x1 with stride 1";
    return false;
  }
  // The builder's constructor only decides the layout; it makes no op.
  OpBuilder types(mac.accType.getContext());
  Epilogue none;
  DenseKernelBuilder kernel(types, mac, none, target, choices, /*readsRows=*/true);
  if (kernel.nibbles)
    whyNot = "the pointwise layer packs 4-bit weights in nibbles";
  else if (!kernel.readsInputInPlace())
    whyNot = "the pointwise kernel reads a copy of its input (padded, channel steps past the "
             "channels, the other signedness, or i16 pairs)";
  else
    return true;
  return false;
}

std::unique_ptr<PointwiseRowKernel>
mlir::pike::cpu::makePointwiseRowKernel(OpBuilder &b, const MacOperands &mac, Epilogue &epilogue,
                                        const CpuTargetInfo &target, DenseChoices choices) {
  return std::make_unique<DenseKernelBuilder>(b, mac, epilogue, target, choices,
                                              /*readsRows=*/true);
}
