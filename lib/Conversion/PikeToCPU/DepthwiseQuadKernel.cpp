//===- DepthwiseQuadKernel.cpp - Depthwise convolution on byte quads ------===//
//
// Where 4 byte products into an i32 lane are one instruction (vpdpbusd,
// sdot, usdot), each lane of a depthwise step holds one channel's 4 kernel
// rows at one input column: a "column quad" [x(kh), x(kh+1), x(kh+2),
// x(kh+3)], a row past the kernel meeting a zero weight. A quad depends on
// the column, not on the output pixel, so a tile of output pixels along a
// row builds each column's quad once and every pixel whose window holds the
// column takes it with its own kernel column's weights: a 3x3 kernel is 3
// dot products per pixel, and a stride-1 tile of R pixels builds R + 2
// quads.
//
// The input is read in place, not through a padded copy (which took 40 % of
// a stride-2 layer's time): a kernel row above or below the input is read
// from the nearest row against weights zeroed for that output row, its
// padding's share going into the row's correction; a column left or right
// of it, which only the tiles at the row's two ends meet (positions known
// at compile time), is a quad of the zero point.
//
// Where the register file holds tiles of several pixels by 4 vectors (32
// registers of the vector's width), channels in blocks of 4 vectors take
// their quads from whole 16-byte lanes: each kernel row's bytes are loaded
// for the block, their 4-byte groups transposed across lanes, then two
// rounds of in-lane interleaves (x86 punpck, AArch64 zip) give the 4 quad
// vectors in channel order, about 3 shuffles a quad where widening each
// byte to a lane took 6.
//
// Where the target has no quads but byte pairs into saturating i16 lanes
// (AVX2's vpmaddubsw), a quad is two pairs (pike.vector_dot2_bytes), added
// into i32 lanes by pike.vector_dot2 against ones (vpmaddwd) after a run
// of kernel columns: taken only when the weights keep every run's sum of
// products inside i16 (depthwisePairRun), as onnxruntime's 7-bit weights
// and sub-8-bit ones do; other layers keep the i32 lanes kernel.
//
//===----------------------------------------------------------------------===//

#include "RowKernel.h"

#include "pike/Conversion/LoweringUtils.h"
#include "pike/Dialect/Pike/IR/PikeOps.h"
#include "pike/Numerics/FixedPoint.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

#include "llvm/ADT/DenseMap.h"

using namespace mlir;
using namespace mlir::pike;
using namespace mlir::pike::cpu;

namespace {

/// Output pixels per tile of one vector, at most: with 32 registers of the
/// vector's width, 8 accumulators, the kernel's weight vectors and the
/// quads in flight fit (fewer registers cap it at accumulatorBudget).
constexpr int64_t kPixels = 8;
/// Output pixels at each end of a row whose windows reach into the padding,
/// unrolled at their static positions; wider padding takes the other kernel.
constexpr int64_t kMaxEdgePixels = 2 * kPixels;
/// Channel vectors whose quads one column's loads build together.
constexpr int64_t kBlockVectors = 4;

/// Accumulator vectors a tile may hold: half the register file, in
/// vectors of the target's width (16 on AVX-512, 4 on `vector`, whose
/// 512-bit vectors take two of AVX2's 16 registers).
int64_t accumulatorBudget(const CpuTargetInfo &target) {
  return std::max<int64_t>(target.vectorRegisters / target.registersPerVector() / 2, 1);
}

/// Output pixels per tile of `vectors` channel vectors: kPixels of one
/// (the budget's, if fewer), else the budget's accumulators, the weights
/// then read from memory.
int64_t tilePixels(int64_t vectors, int64_t budget) {
  return std::max<int64_t>(vectors == 1 ? std::min(kPixels, budget) : budget / vectors, 1);
}

/// The output pixels [lo, hi) of a row whose windows lie inside the input.
std::pair<int64_t, int64_t> interiorColumns(const MacOperands &mac) {
  int64_t stride = mac.strides[1], left = mac.padding[2];
  int64_t lo = std::min(mac.outW, (left + stride - 1) / stride);
  int64_t lastStart = mac.width - 1 + left - (mac.kernelW - 1) * mac.dilations[1];
  int64_t hi = lastStart < 0 ? lo : std::clamp(lastStart / stride + 1, lo, mac.outW);
  return {lo, hi};
}

struct DepthwiseQuadKernelBuilder : RowKernel {
  const MacOperands &mac;
  Epilogue &epilogue;
  /// Whether the dot product reads the input as unsigned bytes.
  bool quadsUnsigned;
  /// Kernel columns whose byte pairs one i16 accumulator sums before it is
  /// added into the i32 one, or 0 on quads.
  int64_t pairRun;
  int64_t lanes, budget;
  /// Channel vectors a tile may take: kBlockVectors where the budget holds
  /// tiles of several pixels by as many, else one.
  int64_t blockVectors;
  /// Groups of 4 kernel rows.
  int64_t rowGroups, channelVectors, paddedChannels;
  /// The zero point as the dot product reads it.
  int64_t readZp;
  Value packedWeights, correction, rowCorrection;
  VectorType accVector, byteVector, quadVector, pairVector;
  /// The first channel of the slice being filled (fillRowPart): output
  /// vectors are written that far to the left.
  int64_t sliceStart = 0;

  DepthwiseQuadKernelBuilder(OpBuilder &b, const MacOperands &mac, Epilogue &epilogue,
                             const CpuTargetInfo &target, int64_t pairRun)
      : mac(mac), epilogue(epilogue), quadsUnsigned(target.hasU8S8Quads() || pairRun > 0),
        pairRun(pairRun), lanes(target.lanes()), budget(accumulatorBudget(target)) {
    blockVectors = budget >= 2 * kBlockVectors ? kBlockVectors : 1;
    rowGroups = llvm::divideCeil(mac.kernelH, 4);
    channelVectors = llvm::divideCeil(mac.channels, lanes);
    paddedChannels = channelVectors * lanes;
    // Read with the other signedness, the input is offset by 128 (its bits
    // xor 0x80).
    readZp = mac.inputZp;
    if (flipsInput())
      readZp += quadsUnsigned ? 128 : -128;
    accVector = VectorType::get({lanes}, b.getI32Type());
    byteVector = VectorType::get({lanes}, b.getI8Type());
    quadVector = VectorType::get({4 * lanes}, b.getI8Type());
    pairVector = VectorType::get({2 * lanes}, b.getI16Type());
  }

  bool flipsInput() const { return quadsUnsigned != mac.inputUnsigned; }
  /// The channels in a vector: all its lanes, or those left for a `partial`
  /// last one.
  int64_t validLanes(bool partial) const { return partial ? mac.channels % lanes : lanes; }

  /// Weights [row group][kw][C][4], the correction, and per kernel row the
  /// padding's share readZp * sum_kw w when that row lies outside the input.
  void materialize(OpBuilder &b, Location loc) override {
    int64_t taps = mac.kernelH * mac.kernelW;
    SmallVector<int64_t> packed(rowGroups * mac.kernelW * paddedChannels * 4, 0),
        corrections(paddedChannels, 0), rowShares(mac.kernelH * paddedChannels, 0);
    int64_t offset = epilogue.correctionOffset(mac.channels);
    for (int64_t c = 0; c < mac.channels; ++c) {
      int64_t sum = 0;
      for (int64_t kh = 0; kh < mac.kernelH; ++kh)
        for (int64_t kw = 0; kw < mac.kernelW; ++kw) {
          int64_t w = mac.weights[c * taps + kh * mac.kernelW + kw];
          packed[(((kh / 4) * mac.kernelW + kw) * paddedChannels + c) * 4 + kh % 4] = w;
          rowShares[kh * paddedChannels + c] += readZp * w;
          sum += w;
        }
      // Wraps modulo 2^32 like the i32 accumulators: the verified sum fits.
      corrections[c] = mac.bias[c] - readZp * sum + offset;
    }
    packedWeights = constantTable(b, loc, packed, b.getI8Type());
    correction = constantTable(b, loc, corrections, b.getI32Type());
    rowCorrection = constantTable(b, loc, rowShares, b.getI32Type());
    epilogue.materialize(b, loc, mac.channels);
  }

  /// Kernel row kh of output row oh: whether it lies inside the input, and
  /// the input row read for it (the nearest one when it does not).
  struct KernelRow {
    Value inside, row;
  };

  SmallVector<KernelRow> kernelRows(OpBuilder &b, Location loc, Value oh) const {
    SmallVector<KernelRow> rows;
    Value zero = indexConst(b, loc, 0), last = indexConst(b, loc, mac.height - 1);
    for (int64_t kh = 0; kh < mac.kernelH; ++kh) {
      Value ih = indexMulAdd(b, loc, oh, mac.strides[0],
                             indexConst(b, loc, kh * mac.dilations[0] - mac.padding[0]));
      Value inside = arith::AndIOp::create(
          b, loc, arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sge, ih, zero),
          arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sle, ih, last));
      Value row = arith::MaxSIOp::create(b, loc, arith::MinSIOp::create(b, loc, ih, last), zero);
      rows.push_back({inside, row});
    }
    return rows;
  }

  /// The quad of kernel rows [4 * group, 4 * group + 4) at input column
  /// `iw`, channels from `c`: lane i holds channel c + i's bytes.
  Value columnQuad(OpBuilder &b, Location loc, Value n, ArrayRef<KernelRow> rows, int64_t group,
                   Value iw, Value c, bool partial) const {
    if (pairRun)
      return interleavedQuad(b, loc, n, rows, group, iw, c, partial);
    Value quad;
    for (int64_t j = 0; j < 4 && 4 * group + j < mac.kernelH; ++j) {
      Value bytes = readLeadingLanes(b, loc, byteVector, mac.input,
                                     {n, rows[4 * group + j].row, iw, c}, validLanes(partial));
      Value lane = arith::ExtUIOp::create(b, loc, accVector, bytes);
      if (j)
        lane = arith::ShLIOp::create(b, loc, lane, lowering::scalarInt(b, loc, accVector, 8 * j));
      quad = quad ? arith::OrIOp::create(b, loc, quad, lane).getResult() : lane;
    }
    if (flipsInput())
      quad = arith::XOrIOp::create(b, loc, quad,
                                   lowering::scalarInt(b, loc, accVector, int64_t(0x80808080)));
    return vector::BitCastOp::create(b, loc, quadVector, quad);
  }

  /// columnQuad as two rounds of interleaves, of bytes then of byte pairs:
  /// on x86 4 punpck of each 16 bytes of a row, where widening each byte
  /// to an i32 lane, shifting and or-ing took 6 instructions a row.
  Value interleavedQuad(OpBuilder &b, Location loc, Value n, ArrayRef<KernelRow> rows,
                        int64_t group, Value iw, Value c, bool partial) const {
    SmallVector<Value> loaded;
    for (int64_t j = 0; j < 4; ++j) {
      if (4 * group + j >= mac.kernelH) {
        loaded.push_back(lowering::scalarInt(b, loc, byteVector, 0));
        continue;
      }
      Value row = readLeadingLanes(b, loc, byteVector, mac.input,
                                   {n, rows[4 * group + j].row, iw, c}, validLanes(partial));
      if (flipsInput())
        row = arith::XOrIOp::create(b, loc, row, lowering::scalarInt(b, loc, byteVector, 0x80));
      loaded.push_back(row);
    }
    // Items of `width` bytes, alternately from each side.
    auto interleave = [&](Value lhs, Value rhs, int64_t width) {
      int64_t size = cast<VectorType>(lhs.getType()).getNumElements();
      SmallVector<int64_t> mask;
      for (int64_t i = 0; i < size / width; ++i)
        for (int64_t side = 0; side < 2; ++side)
          for (int64_t t = 0; t < width; ++t)
            mask.push_back(side * size + i * width + t);
      return vector::ShuffleOp::create(b, loc, lhs, rhs, mask).getResult();
    };
    return interleave(interleave(loaded[0], loaded[1], 1), interleave(loaded[2], loaded[3], 1), 2);
  }

  /// The quads of kernel rows [4 * group, 4 * group + 4) at input column
  /// `iw` for the first `vectors` of the kBlockVectors channel vectors from
  /// `c`, in channel order, the last short of `lanes` channels when
  /// `partial`. A block of fewer bytes than a row vector reads only its own
  /// (up to the last channel), or it would read the next pixel's and, at
  /// the tensor's end, past it; the lanes past them are zeros (not poison,
  /// which the epilogue's i64 lane pairs would spread to a stored lane).
  /// With L 16-byte lanes a vector (lanes / 4), each row's dword k * L + l
  /// (k < 4, l < L: channels k * lanes + 4l ..) moves to 4l + k; the
  /// in-lane interleaves of bytes, then of byte pairs, put dword 4l + k of
  /// the 4 rows into lanes 4l .. 4l + 3 of quad vector k, which are those
  /// channels.
  SmallVector<Value> blockQuads(OpBuilder &b, Location loc, Value n, ArrayRef<KernelRow> rows,
                                int64_t group, Value iw, Value c, int64_t vectors,
                                bool partial) const {
    static_assert(kBlockVectors == 4, "a quad's 4 bytes come from 4 vectors' dwords");
    int64_t bytes = lanes * kBlockVectors, laneGroups = lanes / 4;
    auto rowType = VectorType::get({bytes}, b.getI8Type());
    auto dwordType = VectorType::get({bytes / 4}, b.getI32Type());
    SmallVector<int64_t> transpose(bytes / 4);
    for (int64_t l = 0; l < laneGroups; ++l)
      for (int64_t k = 0; k < 4; ++k)
        transpose[4 * l + k] = k * laneGroups + l;
    SmallVector<Value> loaded;
    for (int64_t j = 0; j < 4; ++j) {
      if (4 * group + j >= mac.kernelH) {
        // A row past the kernel meets zero weights: any bytes do. Zeros:
        // a repeated row made v64i8 shuffles that LLVM 22's X86 backend
        // loops on (llvm/llvm-project#224266, x86-codegen-terminates.test).
        loaded.push_back(lowering::scalarInt(b, loc, rowType, 0));
        continue;
      }
      SmallVector<Value> at = {n, rows[4 * group + j].row, iw, c};
      Value row = readLeadingLanes(b, loc, rowType, mac.input, at,
                                   (vectors - 1) * lanes + validLanes(partial));
      if (laneGroups > 1) {
        Value dwords = vector::BitCastOp::create(b, loc, dwordType, row);
        dwords = vector::ShuffleOp::create(b, loc, dwords, dwords, transpose);
        row = vector::BitCastOp::create(b, loc, rowType, dwords);
      }
      if (flipsInput())
        row = arith::XOrIOp::create(b, loc, row, lowering::scalarInt(b, loc, rowType, 0x80));
      loaded.push_back(row);
    }
    // Interleaves `width`-byte items of two vectors within each 16-byte
    // lane, from its low or high half.
    auto interleave = [&](Value lhs, Value rhs, int64_t width, bool high) {
      SmallVector<int64_t> mask;
      int64_t items = 16 / width;
      for (int64_t l = 0; l < bytes / 16; ++l)
        for (int64_t i = 0; i < items / 2; ++i)
          for (int64_t side = 0; side < 2; ++side)
            for (int64_t t = 0; t < width; ++t)
              mask.push_back(side * bytes + 16 * l + (i + (high ? items / 2 : 0)) * width + t);
      return vector::ShuffleOp::create(b, loc, lhs, rhs, mask).getResult();
    };
    Value low01 = interleave(loaded[0], loaded[1], 1, false);
    Value high01 = interleave(loaded[0], loaded[1], 1, true);
    Value low23 = interleave(loaded[2], loaded[3], 1, false);
    Value high23 = interleave(loaded[2], loaded[3], 1, true);
    SmallVector<Value> quads = {
        interleave(low01, low23, 2, false), interleave(low01, low23, 2, true),
        interleave(high01, high23, 2, false), interleave(high01, high23, 2, true)};
    quads.resize(vectors);
    return quads;
  }

  /// What a tile reads besides its position: its channels are `vectors`
  /// vectors from `c` (one, or up to kBlockVectors built together), each
  /// with its own weights, correction and epilogue tables; the last is
  /// short of `lanes` channels when `partial`.
  struct Block {
    Value n, oh, c;
    bool partial;
    int64_t vectors;
    SmallVector<KernelRow> rows;
    /// [vector][row group * kernelW + kw]
    SmallVector<SmallVector<Value>> weights;
    SmallVector<Value> corr;
    SmallVector<SmallVector<Value>> tables;
  };

  /// `pixels` output pixels of row (n, oh) from `ow0`, or from the static
  /// `edgeStart` at the row's ends, where columns outside the input read
  /// the zero point.
  Value tile(OpBuilder &b, Location loc, const Block &block, Value ow0,
             std::optional<int64_t> edgeStart, int64_t pixels, Value out) const {
    SmallVector<SmallVector<Value>> acc(pixels, SmallVector<Value>(block.corr));
    Value firstColumn = indexMulAdd(b, loc, ow0, mac.strides[1],
                                    indexConst(b, loc, -mac.padding[2]));
    Value zpQuad, noPairs, ones;
    if (pairRun) {
      noPairs = lowering::scalarInt(b, loc, pairVector, 0);
      ones = lowering::scalarInt(b, loc, pairVector, 1);
    }
    for (int64_t group = 0; group < rowGroups; ++group) {
      // Column offsets from the tile's first input column, each built once.
      llvm::DenseMap<int64_t, SmallVector<Value>> quads;
      for (int64_t r = 0; r < pixels; ++r) {
        SmallVector<Value> pairs(block.vectors, noPairs);
        for (int64_t kw = 0; kw < mac.kernelW; ++kw) {
          int64_t offset = r * mac.strides[1] + kw * mac.dilations[1];
          SmallVector<Value> &column = quads[offset];
          if (column.empty() && edgeStart) {
            int64_t iw = *edgeStart * mac.strides[1] - mac.padding[2] + offset;
            if (iw < 0 || iw >= mac.width) {
              if (!zpQuad)
                zpQuad = lowering::scalarInt(b, loc, quadVector, readZp & 0xff);
              column.assign(block.vectors, zpQuad);
            }
          }
          if (column.empty()) {
            Value iw = arith::AddIOp::create(b, loc, firstColumn, indexConst(b, loc, offset));
            if (block.vectors == 1)
              column.push_back(
                  columnQuad(b, loc, block.n, block.rows, group, iw, block.c, block.partial));
            else
              column = blockQuads(b, loc, block.n, block.rows, group, iw, block.c,
                                  block.vectors, block.partial);
          }
          for (int64_t v = 0; v < block.vectors; ++v) {
            Value w = block.weights[v][group * mac.kernelW + kw];
            if (!pairRun) {
              acc[r][v] = VectorDot4Op::create(b, loc, accVector, acc[r][v], column[v], w,
                                               /*lhs_signed=*/!quadsUnsigned);
              continue;
            }
            pairs[v] = VectorDot2BytesOp::create(b, loc, pairVector, pairs[v], column[v], w);
            if ((kw + 1) % pairRun == 0 || kw + 1 == mac.kernelW) {
              acc[r][v] = VectorDot2Op::create(b, loc, accVector, acc[r][v], pairs[v], ones);
              pairs[v] = noPairs;
            }
          }
        }
      }
    }
    Value zero = indexConst(b, loc, 0);
    for (int64_t r = 0; r < pixels; ++r) {
      Value ow = arith::AddIOp::create(b, loc, ow0, indexConst(b, loc, r));
      for (int64_t v = 0; v < block.vectors; ++v) {
        Value c = v ? arith::AddIOp::create(b, loc, block.c, indexConst(b, loc, v * lanes))
                          .getResult()
                    : block.c;
        bool partial = block.partial && v == block.vectors - 1;
        Value stored = epilogue.apply(b, loc, acc[r][v], block.tables[v],
                                      {block.n, block.oh, ow, c}, partial);
        Value at = sliceStart ? arith::SubIOp::create(b, loc, c, indexConst(b, loc, sliceStart))
                                    .getResult()
                              : c;
        out = writeVector(b, loc, stored, out, {zero, zero, ow, at}, validLanes(partial));
      }
    }
    return out;
  }

  /// The channels of `vectors` vectors from `c` of the output row (n, oh),
  /// `out`: the weights of kernel rows outside the input zeroed and their
  /// padding's share added to the correction, once for the row's tiles.
  Value channelBlock(OpBuilder &b, Location loc, Value n, Value oh, ArrayRef<KernelRow> rows,
                     Value c0, int64_t vectors, bool partial, Value out) const {
    Block block{n, oh, c0, partial, vectors, SmallVector<KernelRow>(rows), {}, {}, {}};
    Value none = lowering::scalarInt(b, loc, accVector, 0);
    for (int64_t v = 0; v < vectors; ++v) {
      Value c = arith::AddIOp::create(b, loc, c0, indexConst(b, loc, v * lanes));
      SmallVector<Value> &weights = block.weights.emplace_back();
      for (int64_t step = 0; step < rowGroups * mac.kernelW; ++step) {
        Value at = indexMulAdd(b, loc, indexConst(b, loc, step), paddedChannels, c);
        Value w = readVector(b, loc, quadVector, packedWeights, indexMulAdd(b, loc, at, 4, {}));
        int64_t group = step / mac.kernelW;
        for (int64_t j = 0; j < 4 && 4 * group + j < mac.kernelH; ++j) {
          SmallVector<int64_t> keep(4 * lanes, -1);
          for (int64_t lane = 0; lane < lanes; ++lane)
            keep[4 * lane + j] = 0;
          Value kept = arith::AndIOp::create(b, loc, w, constantVector(b, loc, keep));
          w = arith::SelectOp::create(b, loc, rows[4 * group + j].inside, w, kept);
        }
        weights.push_back(w);
      }
      Value corr = readVector(b, loc, accVector, correction, c);
      for (int64_t kh = 0; kh < mac.kernelH; ++kh) {
        Value share = readVector(b, loc, accVector, rowCorrection,
                                 indexMulAdd(b, loc, indexConst(b, loc, kh), paddedChannels, c));
        corr = arith::AddIOp::create(b, loc, corr,
                                     arith::SelectOp::create(b, loc, rows[kh].inside, none, share));
      }
      block.corr.push_back(corr);
      block.tables.push_back(epilogue.readTables(b, loc, c));
    }

    int64_t pixels = tilePixels(vectors, budget);
    auto [lo, hi] = interiorColumns(mac);
    auto edge = [&](int64_t from, int64_t to, Value o) {
      for (int64_t start = from; start < to; start += pixels)
        o = tile(b, loc, block, indexConst(b, loc, start), start, std::min(pixels, to - start),
                 o);
      return o;
    };
    out = edge(0, lo, out);
    // A narrow row's interior is one tile (up to a one-vector tile); a
    // wider one is whole tiles and a narrower one for the rest.
    if (hi - lo > pixels && hi - lo <= tilePixels(1, budget))
      pixels = hi - lo;
    int64_t tiles = (hi - lo) / pixels, rest = (hi - lo) % pixels;
    out = forTensor(b, loc, 0, tiles, out, [&](OpBuilder &nb, Location nl, Value t, Value o) {
      Value start = indexMulAdd(nb, nl, t, pixels, indexConst(nb, nl, lo));
      return tile(nb, nl, block, start, std::nullopt, pixels, o);
    });
    if (rest)
      out = tile(b, loc, block, indexConst(b, loc, hi - rest), std::nullopt, rest, out);
    return edge(hi, mac.outW, out);
  }

  static Value constantVector(OpBuilder &b, Location loc, ArrayRef<int64_t> values) {
    auto type = VectorType::get({int64_t(values.size())}, b.getI8Type());
    SmallVector<int8_t> bytes(values.begin(), values.end());
    return arith::ConstantOp::create(
        b, loc, DenseElementsAttr::get(type, ArrayRef<int8_t>(bytes)));
  }

  Value fillRow(OpBuilder &b, Location loc, Value n, Value oh, Value row) override {
    return fillChannels(b, loc, n, oh, 0, mac.channels, row);
  }

  SmallVector<int64_t> channelSplits(int64_t parts) const override {
    return evenChannelSplits(llvm::divideCeil(mac.channels, lanes), lanes, parts);
  }

  Value fillRowPart(OpBuilder &b, Location loc, Value n, Value oh, int64_t first, int64_t last,
                    Value part) override {
    sliceStart = first;
    part = fillChannels(b, loc, n, oh, first, last, part);
    sliceStart = 0;
    return part;
  }

  /// Channels [first, last) of the output row (n, oh): whole blocks of
  /// vectors, then the vectors left (a block of them, or one alone).
  Value fillChannels(OpBuilder &b, Location loc, Value n, Value oh, int64_t first, int64_t last,
                     Value row) const {
    int64_t blockChannels = blockVectors * lanes;
    SmallVector<KernelRow> rows = kernelRows(b, loc, oh);
    return forEachBlock(b, loc, last - first, blockChannels, row,
                        [&](OpBuilder &nb, Location nl, Value c, int64_t size, bool, Value r) {
                          Value at = first ? arith::AddIOp::create(nb, nl, c,
                                                                   indexConst(nb, nl, first))
                                                 .getResult()
                                           : c;
                          return channelBlock(nb, nl, n, oh, rows, at,
                                              llvm::divideCeil(size, lanes), size % lanes != 0,
                                              r);
                        });
  }
};

} // namespace

bool mlir::pike::cpu::fitsDepthwiseQuadKernel(const MacOperands &mac) {
  auto [lo, hi] = interiorColumns(mac);
  return lo <= kMaxEdgePixels && mac.outW - hi <= kMaxEdgePixels;
}

int64_t mlir::pike::cpu::depthwisePairRun(const MacOperands &mac) {
  // The quads read the input unsigned: a signed one flipped into [0, 255].
  int64_t input = 255;
  if (mac.inputUnsigned)
    input = std::max<int64_t>(numerics::maxValue(mac.inputBits, /*isSigned=*/false),
                              mac.inputZp & 0xff);
  int64_t taps = mac.kernelH * mac.kernelW;
  // Whether every i16 lane's sum over runs of `run` kernel columns from
  // column 0 stays in [-32768, 32767]: a lane holds kernel rows 2p, 2p + 1.
  auto fits = [&](int64_t run) {
    for (int64_t c = 0; c < mac.channels; ++c)
      for (int64_t pair = 0; 2 * pair < mac.kernelH; ++pair)
        for (int64_t start = 0; start < mac.kernelW; start += run) {
          int64_t positive = 0, negative = 0;
          for (int64_t kw = start; kw < std::min(start + run, mac.kernelW); ++kw)
            for (int64_t kh = 2 * pair; kh < std::min(2 * pair + 2, mac.kernelH); ++kh) {
              int64_t w = mac.weights[c * taps + kh * mac.kernelW + kw];
              (w > 0 ? positive : negative) += std::abs(w);
            }
          if (input * positive > INT16_MAX || input * negative > -int64_t(INT16_MIN))
            return false;
        }
    return true;
  };
  for (int64_t run = mac.kernelW; run > 0; --run)
    if (fits(run))
      return run;
  return 0;
}

std::unique_ptr<RowKernel> mlir::pike::cpu::makeDepthwiseQuadRowKernel(OpBuilder &b,
                                                                       const MacOperands &mac,
                                                                       Epilogue &epilogue,
                                                                       const CpuTargetInfo &target,
                                                                       int64_t pairRun) {
  assert((target.hasQuads() ? pairRun == 0 : target.hasU8S8Pairs() && pairRun > 0) &&
         "quads, or byte pairs that fit");
  return std::make_unique<DepthwiseQuadKernelBuilder>(b, mac, epilogue, target, pairRun);
}
