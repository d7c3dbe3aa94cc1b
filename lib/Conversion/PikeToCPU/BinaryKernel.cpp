//===- BinaryKernel.cpp - XOR-popcount convolution of +-1 operands --------===//
//
// With every input and every centered weight -1 or +1 (BipolarQuant
// activations against binarized weights), a dot product over K channels is
// K - 2 * popcount(a xor w) of their sign bits (set for -1): one 64-bit lane
// operation covers 64 products where a byte quad covers 4
// (bench/lowbit_peak.c measures both).
//
// The kernel reads the tensor the +-1 input was requantized from (up to two
// elementwise passes fewer), packing its signs once per call into
// [N * H * W][words] i64, words = ceil(C / 64) (channels past C bit 0, +1;
// with padding one more pixel of +1s), and the weights' at compile time into
// [F/L][taps][words][L] i64 (filters past F zero). A register tile of kRows
// pixels x kVectors vectors of L filters sums popcounts in i64 lanes over
// (tap, word); the accumulator is bias + taps * C - 2 * popcount, less the
// weight sums of the taps that fell into padding, and goes through the
// epilogue like the dense kernel's.
//
//===----------------------------------------------------------------------===//

#include "RowKernel.h"

#include "pike/Conversion/LoweringUtils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/TypeUtilities.h"

using namespace mlir;
using namespace mlir::pike;
using namespace mlir::pike::cpu;

namespace {

constexpr int64_t kRows = 4;
constexpr int64_t kVectors = 2;
constexpr int64_t kWordBits = 64;

/// `value` (a byte read signed or unsigned) as the i8 holding its bits.
int64_t asByte(int64_t value) { return int8_t(uint8_t(value)); }

struct BinaryKernelBuilder : RowKernel {
  const MacOperands &mac;
  Epilogue &epilogue;
  int64_t lanes, taps, words, filterVectors;
  VectorType wordVector, accVector;
  /// Whether the convolution pads its input: a padded pixel is a 0, which
  /// no sign bit holds.
  bool padded;
  Value packedInput, packedWeights, correction, tapSums;

  BinaryKernelBuilder(OpBuilder &b, const MacOperands &mac, Epilogue &epilogue,
                      const CpuTargetInfo &target)
      : mac(mac), epilogue(epilogue), lanes(target.lanes()) {
    taps = mac.kernelH * mac.kernelW;
    words = llvm::divideCeil(mac.channels, kWordBits);
    filterVectors = llvm::divideCeil(mac.filters, lanes);
    wordVector = VectorType::get({lanes}, b.getI64Type());
    accVector = VectorType::get({lanes}, b.getI32Type());
    padded = llvm::any_of(mac.padding, [](int64_t p) { return p != 0; });
  }

  int64_t pixels() const { return mac.batch * mac.height * mac.width; }

  /// The weights' sign bits, the correction bias + taps * C per filter,
  /// with padding each tap's weight sum per filter ([F/L][taps][L]), the
  /// epilogue's tables and the input's sign bits.
  void materialize(OpBuilder &b, Location loc) override {
    // 8 bytes per 64 channels and L filters: no more than the dense
    // kernel's packed bytes, which matchMacOperands bounds.
    std::vector<uint64_t> packed(filterVectors * taps * words * lanes, 0);
    SmallVector<int64_t> corrections(filterVectors * lanes, 0);
    SmallVector<int64_t> sums(filterVectors * taps * lanes, 0);
    int64_t offset = epilogue.correctionOffset(mac.filters);
    for (int64_t f = 0; f < mac.filters; ++f) {
      for (int64_t tap = 0; tap < taps; ++tap)
        for (int64_t c = 0; c < mac.channels; ++c) {
          int8_t w = mac.weights[(f * taps + tap) * mac.channels + c];
          sums[((f / lanes) * taps + tap) * lanes + f % lanes] += w;
          if (w < 0)
            packed[(((f / lanes) * taps + tap) * words + c / kWordBits) * lanes + f % lanes] |=
                uint64_t(1) << (c % kWordBits);
        }
      // Wraps modulo 2^32 like the i32 accumulators: the verified sum fits.
      corrections[f] = mac.bias[f] + taps * mac.channels + offset;
    }
    auto packedType = RankedTensorType::get({int64_t(packed.size())}, b.getI64Type());
    packedWeights = arith::ConstantOp::create(
        b, loc, DenseElementsAttr::get(packedType, ArrayRef<uint64_t>(packed)));
    correction = constantTable(b, loc, corrections, b.getI32Type());
    if (padded)
      tapSums = constantTable(b, loc, sums, b.getI32Type());
    epilogue.materialize(b, loc, mac.filters);
    packedInput = packInput(b, loc);
  }

  /// The input's sign bits, [pixels][words]: one compare of 64 bytes of the
  /// source (mac.input) with its threshold per word, whose mask is the word.
  /// With padding, one more pixel of +1s, which padded taps read.
  Value packInput(OpBuilder &b, Location loc) const {
    int64_t pixels = this->pixels();
    auto flatType = RankedTensorType::get({pixels, mac.channels}, b.getI8Type());
    Value flat = tensor::CollapseShapeOp::create(b, loc, flatType, mac.input,
                                                 ArrayRef<ReassociationIndices>{{0, 1, 2}, {3}});
    Value packed = tensor::EmptyOp::create(
        b, loc, ArrayRef<int64_t>{pixels + (padded ? 1 : 0), words}, b.getI64Type());
    if (padded)
      packed =
          forTensor(b, loc, 0, words, packed, [&](OpBuilder &nb, Location nl, Value k, Value o) {
            Value zero = lowering::scalarInt(nb, nl, VectorType::get({1}, nb.getI64Type()), 0);
            return vector::TransferWriteOp::create(nb, nl, zero, o,
                                                   ValueRange{indexConst(nb, nl, pixels), k},
                                                   ArrayRef<bool>{true})
                .getResult();
          });
    auto bytes = VectorType::get({kWordBits}, b.getI8Type());
    bool partial = mac.channels % kWordBits != 0;
    return forTensor(
        b, loc, 0, pixels, packed, [&](OpBuilder &b1, Location l1, Value p, Value out) {
          return forTensor(
              b1, l1, 0, words, out, [&](OpBuilder &b2, Location l2, Value k, Value o) {
                Value channel = indexMulAdd(b2, l2, k, kWordBits, {});
                // Channels past C read the threshold: +1, bit 0.
                int64_t threshold = asByte(mac.bipolarThreshold);
                Value word = readVector(b2, l2, bytes, flat, {p, channel}, partial, threshold);
                Value negative = arith::CmpIOp::create(
                    b2, l2,
                    mac.inputUnsigned ? arith::CmpIPredicate::ult : arith::CmpIPredicate::slt, word,
                    lowering::scalarInt(b2, l2, bytes, threshold));
                Value bits = vector::BitCastOp::create(
                    b2, l2, VectorType::get({1}, b2.getI64Type()), negative);
                return vector::TransferWriteOp::create(b2, l2, bits, o, ValueRange{p, k},
                                                       ArrayRef<bool>{true})
                    .getResult();
              });
        });
  }

  /// kRows x kVectors (or fewer) outputs at (n, oh, ow0..) and filter
  /// vectors firstVector..: popcounts summed over every tap and word. A
  /// padded tap reads the pixel of +1s, whose products sum to the tap's
  /// weight sum: that is summed too, and taken off.
  Value tile(OpBuilder &b, Location loc, Value n, Value oh, Value ow0, int64_t rows,
             Value firstVector, int64_t vectors, bool partialLast, Value out) const {
    int64_t outputs = rows * vectors;
    SmallVector<Value> inits(outputs, lowering::scalarInt(b, loc, wordVector, 0));
    if (padded)
      inits.append(outputs, lowering::scalarInt(b, loc, accVector, 0));
    // Whether index `at` (padding included) lies inside [0, extent) once
    // `before` is taken off; `inside` the index there.
    auto within = [](OpBuilder &nb, Location nl, Value at, int64_t before, int64_t extent,
                     Value &inside) -> Value {
      inside = arith::SubIOp::create(nb, nl, at, indexConst(nb, nl, before));
      // Below 0 wraps past `extent` as unsigned.
      return arith::CmpIOp::create(nb, nl, arith::CmpIPredicate::ult, inside,
                                   indexConst(nb, nl, extent));
    };
    SmallVector<Value> sums = forCarried(
        b, loc, mac.kernelH, inits, [&](OpBuilder &b1, Location l1, Value kh, ValueRange a1) {
          Value ih;
          Value rowInside = within(b1, l1,
                                   indexMulAdd(b1, l1, oh, mac.strides[0],
                                               indexMulAdd(b1, l1, kh, mac.dilations[0], {})),
                                   mac.padding[0], mac.height, ih);
          Value rowStart =
              indexMulAdd(b1, l1, indexMulAdd(b1, l1, n, mac.height, ih), mac.width, {});
          return forCarried(
              b1, l1, mac.kernelW, a1, [&](OpBuilder &b2, Location l2, Value kw, ValueRange a2) {
                SmallVector<Value> pixels, carried(a2);
                Value tap = indexMulAdd(b2, l2, kh, mac.kernelW, kw);
                for (int64_t r = 0; r < rows; ++r) {
                  Value ow = arith::AddIOp::create(b2, l2, ow0, indexConst(b2, l2, r));
                  Value iw;
                  Value inside = arith::AndIOp::create(
                      b2, l2, rowInside,
                      within(b2, l2,
                             indexMulAdd(b2, l2, ow, mac.strides[1],
                                         indexMulAdd(b2, l2, kw, mac.dilations[1], {})),
                             mac.padding[2], mac.width, iw));
                  Value pixel = arith::AddIOp::create(b2, l2, rowStart, iw);
                  if (!padded) {
                    pixels.push_back(pixel);
                    continue;
                  }
                  pixels.push_back(arith::SelectOp::create(b2, l2, inside, pixel,
                                                           indexConst(b2, l2, this->pixels())));
                  for (int64_t v = 0; v < vectors; ++v) {
                    Value vec = arith::AddIOp::create(b2, l2, firstVector, indexConst(b2, l2, v));
                    Value at = indexMulAdd(b2, l2, indexMulAdd(b2, l2, vec, taps, tap), lanes, {});
                    Value sum = readVector(b2, l2, accVector, tapSums, at);
                    Value taken = arith::SelectOp::create(
                        b2, l2, inside, lowering::scalarInt(b2, l2, accVector, 0), sum);
                    Value &total = carried[outputs + r * vectors + v];
                    total = arith::AddIOp::create(b2, l2, total, taken);
                  }
                }
                SmallVector<Value> counts = forCarried(
                    b2, l2, words, ValueRange(carried).take_front(outputs),
                    [&](OpBuilder &b3, Location l3, Value k, ValueRange acc) {
                      SmallVector<Value> weightWords;
                      for (int64_t v = 0; v < vectors; ++v) {
                        Value vec =
                            arith::AddIOp::create(b3, l3, firstVector, indexConst(b3, l3, v));
                        Value step =
                            indexMulAdd(b3, l3, indexMulAdd(b3, l3, vec, taps, tap), words, k);
                        weightWords.push_back(readVector(b3, l3, wordVector, packedWeights,
                                                         indexMulAdd(b3, l3, step, lanes, {})));
                      }
                      SmallVector<Value> next;
                      for (int64_t r = 0; r < rows; ++r) {
                        Value word = tensor::ExtractOp::create(b3, l3, packedInput,
                                                               ValueRange{pixels[r], k});
                        Value broadcast = vector::BroadcastOp::create(b3, l3, wordVector, word);
                        for (int64_t v = 0; v < vectors; ++v) {
                          Value differ = arith::XOrIOp::create(b3, l3, broadcast, weightWords[v]);
                          Value count = math::CtPopOp::create(b3, l3, differ);
                          next.push_back(
                              arith::AddIOp::create(b3, l3, acc[r * vectors + v], count));
                        }
                      }
                      return next;
                    });
                llvm::copy(counts, carried.begin());
                return carried;
              });
        });
    Value one = lowering::scalarInt(b, loc, accVector, 1);
    for (int64_t r = 0; r < rows; ++r) {
      Value ow = arith::AddIOp::create(b, loc, ow0, indexConst(b, loc, r));
      for (int64_t v = 0; v < vectors; ++v) {
        Value f = indexMulAdd(b, loc, firstVector, lanes, indexConst(b, loc, v * lanes));
        Value count = arith::TruncIOp::create(b, loc, accVector, sums[r * vectors + v]);
        Value acc = arith::SubIOp::create(b, loc, readVector(b, loc, accVector, correction, f),
                                          arith::ShLIOp::create(b, loc, count, one));
        if (padded)
          acc = arith::SubIOp::create(b, loc, acc, sums[outputs + r * vectors + v]);
        bool partial = partialLast && v == vectors - 1;
        Value stored =
            epilogue.apply(b, loc, acc, epilogue.readTables(b, loc, f), {n, oh, ow, f}, partial);
        Value zero = indexConst(b, loc, 0);
        out = writeVector(b, loc, stored, out, {zero, zero, ow, f},
                          partial ? mac.filters % lanes : lanes);
      }
    }
    return out;
  }

  Value fillRow(OpBuilder &b, Location loc, Value n, Value oh, Value row) override {
    bool partial = mac.filters % lanes != 0;
    return forEachBlock(
        b, loc, filterVectors, kVectors, row,
        [&](OpBuilder &b1, Location l1, Value first, int64_t vectors, bool last, Value r) {
          return forEachBlock(
              b1, l1, mac.outW, kRows, r,
              [&](OpBuilder &b2, Location l2, Value ow0, int64_t rows, bool, Value o) {
                return tile(b2, l2, n, oh, ow0, rows, first, vectors, partial && last, o);
              });
        },
        /*peelLast=*/partial);
  }
};

} // namespace

bool mlir::pike::cpu::fitsBinaryKernel(const MacOperands &mac) {
  return mac.bipolarSource && mac.groups == 1 &&
         llvm::all_of(mac.weights, [](int8_t w) { return w == 1 || w == -1; });
}

void mlir::pike::cpu::readBipolarSource(OpBuilder &b, Location loc, MacOperands &mac) {
  Value source = mac.bipolarSource;
  Type sourceElement = getElementTypeOrSelf(source.getType());
  for (Operation *move : llvm::reverse(mac.bipolarChain)) {
    auto moved = cast<RankedTensorType>(move->getResult(0).getType()).clone(sourceElement);
    if (auto transpose = dyn_cast<linalg::TransposeOp>(move)) {
      Value init = tensor::EmptyOp::create(b, loc, moved.getShape(), sourceElement);
      source = linalg::TransposeOp::create(b, loc, source, init, transpose.getPermutation())
                   .getResult()[0];
    } else if (isa<tensor::CollapseShapeOp, tensor::ExpandShapeOp>(move)) {
      Operation *copy = b.clone(*move);
      copy->setOperand(0, source);
      copy->getResult(0).setType(moved);
      source = copy->getResult(0);
    }
  }
  mac.input = source;
  mac.inputBits = cast<RankedTensorType>(source.getType()).getElementType().getIntOrFloatBitWidth();
  mac.inputUnsigned = mac.bipolarSourceUnsigned;
  mac.inputZp = 0;
}

void mlir::pike::cpu::eraseUnusedBipolarChain(const MacOperands &mac) {
  for (Operation *op : mac.bipolarChain)
    if (op->use_empty())
      op->erase();
}

std::unique_ptr<RowKernel> mlir::pike::cpu::makeBinaryRowKernel(OpBuilder &b,
                                                                const MacOperands &mac,
                                                                Epilogue &epilogue,
                                                                const CpuTargetInfo &target) {
  return std::make_unique<BinaryKernelBuilder>(b, mac, epilogue, target);
}
