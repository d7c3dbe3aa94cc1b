//===- KernelSupport.cpp - Epilogues, tables and loops of the CPU kernels -===//

#include "KernelSupport.h"
#include "FloatEpilogue.h"

#include "pike/Numerics/FixedPoint.h"
#include "pike/Numerics/IntRange.h"

#include "pike/Conversion/LoweringUtils.h"
#include "pike/Dialect/Pike/IR/PikeOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

#include <limits>
#include <numeric>

using namespace mlir;
using namespace mlir::pike;
using namespace mlir::pike::cpu;
using lowering::castInt;

namespace {

/// What a kernel can store: 8 bits or fewer (as i8), 16 or 32.
bool isStorable(Type type) {
  unsigned width = type.getIntOrFloatBitWidth();
  return width <= 8 || width == 16 || width == 32;
}

} // namespace

FixedPointAttr mlir::pike::cpu::multiplierOf(Operation *op) {
  if (auto quantNorm = dyn_cast<QuantNormOp>(op))
    return quantNorm.getMultiplier();
  return cast<RequantizeOp>(op).getMultiplier();
}

bool mlir::pike::cpu::inI32(int64_t v) {
  return v >= std::numeric_limits<int32_t>::min() && v <= std::numeric_limits<int32_t>::max();
}

Type Epilogue::storedType() const {
  if (AddOp add = residual)
    return add.getOutput().getType().getElementType();
  if (!op)
    return accType;
  return cast<RankedTensorType>(op->getResult(0).getType()).getElementType();
}

Type Epilogue::byteType() const {
  Type stored = storedType();
  if (stored.getIntOrFloatBitWidth() < 8)
    return IntegerType::get(stored.getContext(), 8);
  return stored;
}

bool Epilogue::storedUnsigned() const {
  if (AddOp add = residual)
    return add.getOutputUnsigned();
  if (auto quantNorm = dyn_cast_or_null<QuantNormOp>(op))
    return quantNorm.getOutputUnsigned();
  if (auto requantize = dyn_cast_or_null<RequantizeOp>(op))
    return requantize.getOutputUnsigned();
  return false;
}

/// The bit width of a tensor's elements.
static unsigned elementWidth(Value tensor) {
  return cast<RankedTensorType>(tensor.getType()).getElementType().getIntOrFloatBitWidth();
}

/// Whether lowering::requantize's clamp to [lo, hi] and offset by zp can
/// be done in i32 lanes (narrowRequantize).
static bool narrowsInI32(int64_t zp, int64_t lo, int64_t hi) {
  return inI32(lo - zp) && inI32(hi - zp) && inI32(zp);
}

/// The i64 lanes `x` scaled and saturated to i32's range (still i64);
/// without `saturate` the caller knows the scaled value lies inside it.
static Value scaleSaturated(OpBuilder &b, Location loc, Value x, Value multiplier,
                            Value addend, Value shift, RoundingMode mode,
                            bool saturate = true) {
  Value shifted = ApplyScaleOp::create(b, loc, x, multiplier, addend, shift, mode);
  if (!saturate)
    return shifted;
  return lowering::clampInt(b, loc, shifted, std::numeric_limits<int32_t>::min(),
                            std::numeric_limits<int32_t>::max());
}

Value mlir::pike::cpu::clampOffset(OpBuilder &b, Location loc, Value saturated, int64_t zp,
                                   int64_t lo, int64_t hi, Type outType, bool offsetFits) {
  auto offset = [&](Value v) -> Value {
    if (zp == 0)
      return v;
    return arith::AddIOp::create(b, loc, v, lowering::narrowInt(b, loc, v.getType(), zp));
  };
  // Offset first, the clamp is to [lo, hi]: where that is the stored
  // type's range, LLVM narrows with saturating packs (vpackssdw +
  // vpackuswb, vpmovusdb) and emits no min, max or mask. A u32 output's
  // bounds may lie past i32, where only lo - zp and hi - zp do not.
  offsetFits = offsetFits && inI32(lo) && inI32(hi);
  Value clamped = offsetFits ? lowering::clampInt(b, loc, offset(saturated), lo, hi)
                             : offset(lowering::clampInt(b, loc, saturated, lo - zp, hi - zp));
  return castInt(b, loc, clamped, outType, /*isUnsigned=*/false);
}

/// lowering::requantize with everything after the i64 scaling in i32
/// lanes: the scaled value saturated to i32 (one narrowing instruction,
/// sqxtn on AArch64, where NEON has no 64-bit min or max), then clamped to
/// [lo - zp, hi - zp] and offset by zp. The same numbers: the bounds lie
/// inside i32, so saturating first changes no clamped value, and
/// clamp(v + zp, lo, hi) = clamp(v, lo - zp, hi - zp) + zp. Without
/// `saturate` (Epilogue::scaledFitsI32: v + zp lies in i32) the value is
/// only truncated, then offset and clamped to [lo, hi] (clampOffset).
static Value narrowRequantize(OpBuilder &b, Location loc, Value x, Value multiplier, Value addend,
                              Value shift, RoundingMode mode, int64_t zp, int64_t lo, int64_t hi,
                              Type outType, bool saturate) {
  if (!narrowsInI32(zp, lo, hi))
    return lowering::requantize(b, loc, x, multiplier, addend, shift, mode, zp, lo, hi,
                                outType);
  auto narrowType = cast<VectorType>(x.getType()).clone(b.getI32Type());
  Value saturated = arith::TruncIOp::create(
      b, loc, narrowType, scaleSaturated(b, loc, x, multiplier, addend, shift, mode, saturate));
  return clampOffset(b, loc, saturated, zp, lo, hi, outType, !saturate);
}

/// Lanes `first`, `first` + 2, ... of the i32 vector `v` as i64 lanes,
/// made by reinterpreting v's bits: a 64-bit lane's low half is the even
/// lane (sign-extended in place: what vpmuldq multiplies), its high half
/// shifted down the odd one.
static Value alternateLanes(OpBuilder &b, Location loc, Value v, int64_t first) {
  int64_t lanes = cast<VectorType>(v.getType()).getNumElements();
  auto pairType = VectorType::get({lanes / 2}, b.getI64Type());
  Value pairs = vector::BitCastOp::create(b, loc, pairType, v);
  Value half = lowering::scalarInt(b, loc, pairType, 32);
  if (first == 0)
    pairs = arith::ShLIOp::create(b, loc, pairs, half);
  return arith::ShRSIOp::create(b, loc, pairs, half);
}

/// Lanes `first`, `first` + 2, ... of a per-lane table (null stays null).
static Value alternateTable(OpBuilder &b, Location loc, Value table, int64_t first) {
  if (!table)
    return table;
  SmallVector<int64_t> mask;
  for (int64_t i = first; i < cast<VectorType>(table.getType()).getNumElements(); i += 2)
    mask.push_back(i);
  return vector::ShuffleOp::create(b, loc, table, table, mask);
}

/// The i32 vector of `type` whose even lanes are the low words of
/// `even`'s i64 lanes and odd lanes those of `odd`'s: one shuffle.
static Value interleaveLowWords(OpBuilder &b, Location loc, Value even, Value odd,
                                VectorType type) {
  int64_t lanes = type.getNumElements();
  SmallVector<int64_t> mask;
  for (int64_t i = 0; i < lanes; i += 2)
    mask.append({i, lanes + i});
  return vector::ShuffleOp::create(b, loc, vector::BitCastOp::create(b, loc, type, even),
                                   vector::BitCastOp::create(b, loc, type, odd), mask);
}

/// narrowRequantize of i32 accumulators `acc` (sign-extended, less
/// `inputZp`) computed on their even and odd lanes as two i64 vectors
/// (alternateLanes), saturated to i32 and interleaved back by one shuffle.
/// This spares widening the accumulators to i64 and narrowing them back, 4
/// of the 14 instructions a 16-lane epilogue took on AVX-512.
static Value narrowRequantizePairs(OpBuilder &b, Location loc, Value acc, int64_t inputZp,
                                   ArrayRef<Value> tables, RoundingMode mode, int64_t zp,
                                   int64_t lo, int64_t hi, Type outType, bool saturate) {
  SmallVector<Value> scaled;
  for (int64_t first : {0, 1}) {
    Value x = alternateLanes(b, loc, acc, first);
    if (inputZp != 0)
      x = arith::SubIOp::create(b, loc, x, lowering::narrowInt(b, loc, x.getType(), inputZp));
    scaled.push_back(
        scaleSaturated(b, loc, x, alternateTable(b, loc, tables[0], first),
                       alternateTable(b, loc, tables.size() > 2 ? tables[2] : Value(), first),
                       alternateTable(b, loc, tables[1], first), mode, saturate));
  }
  Value saturated =
      interleaveLowWords(b, loc, scaled[0], scaled[1], cast<VectorType>(acc.getType()));
  return clampOffset(b, loc, saturated, zp, lo, hi, outType, !saturate);
}

Clamp mlir::pike::cpu::clampOf(Operation *op) {
  if (auto quantNorm = dyn_cast<QuantNormOp>(op))
    return {int64_t(quantNorm.getOutputZp()), int64_t(quantNorm.getClampMin()),
            int64_t(quantNorm.getClampMax())};
  auto requantize = cast<RequantizeOp>(op);
  return {int64_t(requantize.getOutputZp()), int64_t(requantize.getClampMin()),
          int64_t(requantize.getClampMax())};
}

/// narrowRequantizePairs under Epilogue::highWordScaling: each half's
/// x M + (B + 2^(s-1)) in i64 lanes, the two halves' high words blended
/// into one i32 vector in lane order, shifted right by s - 32 there.
static Value highWordRequantizePairs(OpBuilder &b, Location loc, Value acc, int64_t inputZp,
                                     ValueRange tables, int64_t zp, int64_t lo, int64_t hi,
                                     Type outType) {
  auto accType = cast<VectorType>(acc.getType());
  int64_t lanes = accType.getNumElements();
  SmallVector<Value> words;
  for (int64_t first : {0, 1}) {
    Value x = alternateLanes(b, loc, acc, first);
    if (inputZp != 0)
      x = arith::SubIOp::create(b, loc, x, lowering::narrowInt(b, loc, x.getType(), inputZp));
    // The tables hold each vector's even lanes, then its odd ones.
    auto half = [&](Value table) {
      SmallVector<int64_t> mask(lanes / 2);
      std::iota(mask.begin(), mask.end(), first * lanes / 2);
      return vector::ShuffleOp::create(b, loc, table, table, mask).getResult();
    };
    Value product = arith::MulIOp::create(b, loc, x, half(tables[0]));
    Value sum = arith::AddIOp::create(b, loc, product, half(tables[2]));
    words.push_back(vector::BitCastOp::create(b, loc, accType, sum));
  }
  // Lane 2j: the even half's word 2j + 1 (its i64 lane j's high word);
  // lane 2j + 1: the odd half's.
  SmallVector<int64_t> highWords;
  for (int64_t i = 0; i < lanes; i += 2)
    highWords.append({i + 1, lanes + i + 1});
  Value high = vector::ShuffleOp::create(b, loc, words[0], words[1], highWords);
  Value shift = arith::TruncIOp::create(b, loc, accType, tables[1]);
  Value shifted = arith::ShRSIOp::create(b, loc, high, shift);
  return clampOffset(b, loc, shifted, zp, lo, hi, outType, /*offsetFits=*/true);
}

Epilogue mlir::pike::cpu::fusableEpilogue(Operation *mac, IntegerType accType, int64_t lanes) {
  Epilogue epilogue;
  epilogue.accType = accType;
  epilogue.lanes = lanes;
  Value result = mac->getResult(0);
  if (!result.hasOneUse())
    return epilogue;
  Operation *user = *result.getUsers().begin();
  if (!isa<QuantNormOp, RequantizeOp>(user))
    return epilogue;
  Type stored = cast<RankedTensorType>(user->getResult(0).getType()).getElementType();
  if (isStorable(stored))
    epilogue.op = user;
  return epilogue;
}

int64_t Epilogue::correctionOffset(int64_t channels) const {
  offsetAsked = true;
  return op && scalesByHalves(*this, channels) ? int64_t(1) << 31 : 0;
}

void Epilogue::materialize(OpBuilder &b, Location loc, int64_t channels) {
  if (!op)
    return;
  int64_t padded = llvm::divideCeil(channels, lanes) * lanes;
  FixedPointAttr fp = multiplierOf(op);
  SmallVector<int64_t> multipliers, shifts, biases;
  std::optional<ArrayRef<int64_t>> bias;
  if (auto quantNorm = dyn_cast<QuantNormOp>(op))
    bias = quantNorm.getBias();
  for (int64_t c = 0; c < padded; ++c) {
    int64_t real = std::min(c, channels - 1);
    multipliers.push_back(fp.getMultiplier(real));
    shifts.push_back(fp.getShift(real));
    if (bias)
      biases.push_back((*bias)[bias->size() == 1 ? 0 : real]);
  }
  // Each table in the narrowest of i8 .. i64 that holds it, sign-extended
  // when read: a product of two sign-extended i32 is one vpmuldq on AVX2,
  // where a product of two i64 is three multiplies.
  if (materializeFloatScaling(b, loc, *this, channels))
    return;
  auto narrowest = [&](ArrayRef<int64_t> values) {
    for (unsigned bits : {8u, 16u, 32u})
      if (llvm::all_of(values, [&](int64_t v) { return llvm::isIntN(bits, v); }))
        return constantTable(b, loc, values, b.getIntegerType(bits));
    return constantTable(b, loc, values, b.getI64Type());
  };
  channelTables = {narrowest(multipliers), narrowest(shifts)};
  if (bias)
    channelTables.push_back(narrowest(biases));
  scaledFitsI32 = scaledBoundFitsI32(channels, multipliers, shifts, biases);
  highWordScaling = scaledFitsI32 && takesHighWords(channels, multipliers, shifts, biases);
  if (!highWordScaling)
    return;
  // Multipliers and addends with each vector's even lanes first, then its
  // odd ones: the halves the i64 lanes take are then whole half-vectors
  // (no shuffle a pixel); the shifts meet the i32 lanes in order.
  SmallVector<int64_t> wordShifts, halvedMultipliers, halvedAddends;
  for (int64_t c = 0; c < padded; ++c) {
    int64_t base = c - c % lanes, at = c % lanes;
    int64_t source = base + (at < lanes / 2 ? 2 * at : 2 * (at - lanes / 2) + 1);
    wordShifts.push_back(shifts[c] - 32);
    halvedMultipliers.push_back(multipliers[source]);
    halvedAddends.push_back((biases.empty() ? 0 : biases[source]) +
                            (int64_t(1) << (shifts[source] - 1)));
  }
  channelTables = {narrowest(halvedMultipliers), narrowest(wordShifts), narrowest(halvedAddends)};
}

__int128 Epilogue::scaledSumBound(int64_t c, ArrayRef<int64_t> multipliers,
                                  ArrayRef<int64_t> biases) const {
  // The accumulator is an i32 or narrower whatever the bound says (it wraps).
  auto requantize = dyn_cast<RequantizeOp>(op);
  __int128 inputZp = requantize ? std::abs(int64_t(requantize.getInputZp())) : 0;
  __int128 x = std::min<__int128>(accumulatorBounds[c], __int128(1) << 31) + inputZp;
  return x * std::abs(__int128(multipliers[c])) +
         (biases.empty() ? 0 : std::abs(__int128(biases[c])));
}

bool Epilogue::takesHighWords(int64_t channels, ArrayRef<int64_t> multipliers,
                              ArrayRef<int64_t> shifts, ArrayRef<int64_t> biases) const {
  RoundingMode mode = multiplierOf(op).getRounding();
  if (mode != RoundingMode::single_round && mode != RoundingMode::tvm_upward)
    return false;
  // Only the path requantized() takes for these lanes (narrowRequantizePairs).
  auto requantize = dyn_cast<RequantizeOp>(op);
  Clamp range = clampOf(op);
  if (accType.getWidth() != 32 || (requantize && requantize.getInputUnsigned()) || lanes % 2 != 0 ||
      !narrowsInI32(range.zp, range.lo, range.hi))
    return false;
  for (int64_t c = 0; c < channels; ++c) {
    if (shifts[c] < 32)
      return false;
    // x M + B + 2^(s-1) stays inside i64, so its high word is floor(v / 2^32).
    __int128 sum = scaledSumBound(c, multipliers, biases) + (__int128(1) << (shifts[c] - 1));
    if (sum >= __int128(INT64_MAX))
      return false;
  }
  return true;
}

bool Epilogue::scaledBoundFitsI32(int64_t channels, ArrayRef<int64_t> multipliers,
                                  ArrayRef<int64_t> shifts, ArrayRef<int64_t> biases) const {
  // float32 rounds the sum to 24 bits, its bias added before the multiply:
  // the bound below does not hold for it (it keeps the saturation).
  if (int64_t(accumulatorBounds.size()) != channels ||
      multiplierOf(op).getRounding() == RoundingMode::float32)
    return false;
  // The output zero point is added in i32 too (clampOffset).
  __int128 zp = std::abs(clampOf(op).zp);
  for (int64_t c = 0; c < channels; ++c) {
    // An integer rounding moves the shifted value by at most two (tflite
    // rounds twice).
    __int128 sum = scaledSumBound(c, multipliers, biases);
    if (sum >= __int128(INT64_MAX) || (sum >> shifts[c]) + 2 + zp >= __int128(INT32_MAX))
      return false;
  }
  return true;
}

SmallVector<Value> Epilogue::readTables(OpBuilder &b, Location loc, Value channel) const {
  auto wide = VectorType::get({lanes}, b.getI64Type());
  SmallVector<Value> tables;
  for (Value table : channelTables) {
    Type element = cast<RankedTensorType>(table.getType()).getElementType();
    Value read = readVector(b, loc, VectorType::get({lanes}, element), table, channel);
    // Float lanes read their tables as they are (FloatEpilogue.h).
    tables.push_back(scaleLanes != ScaleLanes::i64
                         ? read
                         : castInt(b, loc, read, wide, /*isUnsigned=*/false));
  }
  return tables;
}

/// The requantizing op's stored vector (its type's numbers, in i8 when
/// narrower) for the i32 accumulators `acc`.
static Value requantized(OpBuilder &b, Location loc, const Epilogue &epilogue, Value acc,
                         ValueRange tables) {
  Operation *op = epilogue.op;
  int64_t lanes = epilogue.lanes;
  IntegerType accType = epilogue.accType;
  // The accumulator as the MAC op would have produced it.
  auto accVector = VectorType::get({lanes}, accType);
  Value value = castInt(b, loc, acc, accVector, /*isUnsigned=*/false);
  if (!op)
    return value;
  auto wide = VectorType::get({lanes}, b.getI64Type());
  // Clamped to the stored type's range, so i8 holds a narrower type's numbers.
  Type outType = cast<RankedTensorType>(op->getResult(0).getType()).getElementType();
  if (outType.getIntOrFloatBitWidth() < 8)
    outType = b.getI8Type();
  auto quantNorm = dyn_cast<QuantNormOp>(op);
  auto requantize = dyn_cast<RequantizeOp>(op);
  FixedPointAttr multiplier = multiplierOf(op);
  auto [zp, lo, hi] = clampOf(op);
  int64_t inputZp = requantize ? requantize.getInputZp() : 0;
  if (epilogue.highWordScaling)
    return highWordRequantizePairs(b, loc, value, inputZp, tables, zp, lo, hi, outType);
  bool inputUnsigned = requantize && requantize.getInputUnsigned();
  SmallVector<Value> scaleTables = {tables[0], tables[1]};
  if (quantNorm && tables.size() > 2)
    scaleTables.push_back(tables[2]);
  if (accType.getWidth() == 32 && !inputUnsigned && lanes % 2 == 0 &&
      narrowsInI32(zp, lo, hi))
    return narrowRequantizePairs(b, loc, value, inputZp, scaleTables, multiplier.getRounding(), zp,
                                 lo, hi, outType, !epilogue.scaledFitsI32);
  Value x = castInt(b, loc, value, wide, inputUnsigned);
  if (inputZp != 0)
    x = arith::SubIOp::create(b, loc, x, lowering::narrowInt(b, loc, wide, inputZp));
  return narrowRequantize(
      b, loc, x, scaleTables[0], scaleTables.size() > 2 ? scaleTables[2] : Value(), scaleTables[1],
      multiplier.getRounding(), zp, lo, hi, outType, !epilogue.scaledFitsI32 || inputUnsigned);
}

Value Epilogue::fuseResidual() {
  Value stored = op ? op->getResult(0) : Value();
  if (!stored || !stored.hasOneUse() || !isa<Conv2DOp>(op->getOperand(0).getDefiningOp()))
    return {};
  auto add = dyn_cast<AddOp>(*stored.getUsers().begin());
  // onnxruntime's QLinearAdd (float32 scales) runs as its own float32 loop.
  if (!add || !add.getLhsScale() || !add.getRhsScale() || add.getLhs() == add.getRhs() ||
      add.getLhsScale()->getRounding() == RoundingMode::float32)
    return {};
  bool isLhs = add.getLhs() == stored;
  Value other = isLhs ? add.getRhs() : add.getLhs();
  auto byteWide = [](Value v) { return elementWidth(v) <= 8; };
  // Both operands and the sum are bytes, so each operand less its zero
  // point fits the i32 lanes apply() centers it in; the add reads op's
  // numbers with op's own signedness. Only after a convolution: a
  // fully-connected kernel's output is a reshaped view of the op's.
  bool readsUnsigned = isLhs ? add.getLhsUnsigned() : add.getRhsUnsigned();
  if (!byteWide(stored) || !byteWide(other) || !byteWide(add.getOutput()) ||
      readsUnsigned != storedUnsigned() || lanes % 2 != 0)
    return {};
  residual = add;
  residualIsLhs = isLhs;
  return other;
}

Value Epilogue::readSkip(OpBuilder &b, Location loc, ValueRange position, bool partial) const {
  // A partial vector is a row's last: it holds the channels left over.
  int64_t channels = cast<RankedTensorType>(skip.getType()).getDimSize(3);
  return readLeadingLanes(b, loc, VectorType::get({lanes}, b.getI8Type()), skip, position,
                          partial && channels % lanes ? channels % lanes : lanes);
}

Value Epilogue::apply(OpBuilder &b, Location loc, Value acc, ValueRange tables,
                      ValueRange position, bool partial) const {
  Value stored;
  if (scaleLanes != ScaleLanes::i64) {
    if (residual && residualInFloat64)
      return addResidualInFloat64(b, loc, *this, acc, tables, position, partial);
    stored = storeFloatScaled(b, loc, *this, acc, tables);
  } else {
    stored = requantized(b, loc, *this, acc, tables);
  }
  AddOp add = residual;
  if (!add)
    return stored;
  // clamp(zp + round_shift((lhs - zp_l) * M_l + (rhs - zp_r) * M_r, s)),
  // the add's arithmetic as convert-pike-to-linalg spells it per element,
  // on the even and odd lanes as i64 (bytes less their zero points fit i32).
  auto narrow = VectorType::get({lanes}, b.getI32Type());
  bool ownUnsigned = residualIsLhs ? add.getLhsUnsigned() : add.getRhsUnsigned();
  bool skipUnsigned = residualIsLhs ? add.getRhsUnsigned() : add.getLhsUnsigned();
  Value skipBytes = readSkip(b, loc, position, partial);
  auto centered = [&](Value bytes, bool isUnsigned, int64_t zp) -> Value {
    Value x = castInt(b, loc, bytes, narrow, isUnsigned);
    if (zp == 0)
      return x;
    return arith::SubIOp::create(b, loc, x, lowering::narrowInt(b, loc, narrow, zp));
  };
  Value lhs = centered(residualIsLhs ? stored : skipBytes,
                       residualIsLhs ? ownUnsigned : skipUnsigned, add.getLhsZp());
  Value rhs = centered(residualIsLhs ? skipBytes : stored,
                       residualIsLhs ? skipUnsigned : ownUnsigned, add.getRhsZp());
  FixedPointAttr lhsScale = *add.getLhsScale(), rhsScale = *add.getRhsScale();
  Type outType = add.getOutput().getType().getElementType();
  bool outUnsigned = add.getOutputUnsigned();
  unsigned bits = outType.getIntOrFloatBitWidth();
  int64_t lo = numerics::minValue(bits, !outUnsigned);
  int64_t hi = numerics::maxValue(bits, !outUnsigned);
  assert(lanes % 2 == 0 && narrowsInI32(add.getOutputZp(), lo, hi) && "8-bit lanes in pairs");
  // The scaled sum's bound, from the operands' 8-bit ranges: where it lies
  // inside i32 (it does for shifts of 20 or more), nothing is saturated.
  auto largest = [](bool isUnsigned, int64_t zp, Value operand) {
    unsigned width = elementWidth(operand);
    return std::max(std::abs(numerics::minValue(width, !isUnsigned) - zp),
                    std::abs(numerics::maxValue(width, !isUnsigned) - zp));
  };
  unsigned shift = lhsScale.getShift(0);
  int64_t sumBound = largest(add.getLhsUnsigned(), add.getLhsZp(), add.getLhs()) *
                         std::abs(lhsScale.getMultiplier(0)) +
                     largest(add.getRhsUnsigned(), add.getRhsZp(), add.getRhs()) *
                         std::abs(rhsScale.getMultiplier(0));
  bool saturate = shift >= 62 || sumBound >= (int64_t(1) << 61) ||
                  (sumBound >> shift) + 2 > std::numeric_limits<int32_t>::max();
  SmallVector<Value> scaled;
  for (int64_t first : {0, 1}) {
    Value x = alternateLanes(b, loc, lhs, first);
    auto pairType = cast<VectorType>(x.getType());
    auto splat = [&](int64_t v) { return lowering::narrowInt(b, loc, pairType, v); };
    Value rhsTerm = arith::MulIOp::create(b, loc, alternateLanes(b, loc, rhs, first),
                                          splat(rhsScale.getMultiplier(0)));
    scaled.push_back(scaleSaturated(b, loc, x, splat(lhsScale.getMultiplier(0)), rhsTerm,
                                    splat(shift), lhsScale.getRounding(), saturate));
  }
  bool offsetFits = !saturate && (sumBound >> shift) + 2 + std::abs(int64_t(add.getOutputZp())) <=
                                     std::numeric_limits<int32_t>::max();
  return clampOffset(b, loc, interleaveLowWords(b, loc, scaled[0], scaled[1], narrow),
                     add.getOutputZp(), lo, hi, byteType(), offsetFits);
}

Value ByteStorage::asBytes(OpBuilder &b, Location loc, Value value, bool isUnsigned) {
  auto type = cast<RankedTensorType>(value.getType());
  assert(type.getElementType().getIntOrFloatBitWidth() <= 8 && "wider numbers lose bits");
  if (type.getElementType().getIntOrFloatBitWidth() == 8)
    return value;
  auto known = bytesOf.find(value);
  if (known != bytesOf.end() && known->second.second == isUnsigned)
    return known->second.first;
  auto bytesType = RankedTensorType::get(type.getShape(), b.getI8Type());
  return lowering::elementwise(b, loc, bytesType, value, {},
                               [&](OpBuilder &nb, Location nl, ValueRange t, ValueRange) {
                                 return castInt(nb, nl, t[0], nb.getI8Type(), isUnsigned);
                               });
}

Value ByteStorage::narrow(OpBuilder &b, Location loc, Value bytes, Type narrowType,
                          bool isUnsigned) {
  auto type = cast<RankedTensorType>(bytes.getType());
  auto narrowTensor = RankedTensorType::get(type.getShape(), narrowType);
  Value narrowed = lowering::elementwise(
      b, loc, narrowTensor, bytes, {}, [&](OpBuilder &nb, Location nl, ValueRange t, ValueRange) {
        return castInt(nb, nl, t[0], narrowType, /*isUnsigned=*/false);
      });
  bytesOf[narrowed] = {bytes, isUnsigned};
  return narrowed;
}

Value mlir::pike::cpu::constantTable(OpBuilder &b, Location loc, ArrayRef<int64_t> values,
                                     IntegerType elementType) {
  auto type = RankedTensorType::get({int64_t(values.size())}, elementType);
  SmallVector<APInt> bits;
  for (int64_t v : values)
    bits.push_back(APInt(64, uint64_t(v)).trunc(elementType.getWidth()));
  return arith::ConstantOp::create(b, loc, DenseElementsAttr::get(type, bits));
}

std::optional<int64_t> mlir::pike::cpu::checkedNumElements(ShapedType type) {
  if (!type.hasStaticShape())
    return std::nullopt;
  return numerics::checkedProduct(type.getShape(), 1, int64_t(1) << 62);
}

Value mlir::pike::cpu::indexConst(OpBuilder &b, Location loc, int64_t value) {
  return arith::ConstantIndexOp::create(b, loc, value);
}

Value mlir::pike::cpu::indexMulAdd(OpBuilder &b, Location loc, Value x, int64_t scale,
                                   Value offset) {
  Value scaled = scale == 1 ? x : arith::MulIOp::create(b, loc, x, indexConst(b, loc, scale));
  if (!offset)
    return scaled;
  return arith::AddIOp::create(b, loc, scaled, offset);
}

Value mlir::pike::cpu::forTensor(
    OpBuilder &b, Location loc, int64_t lower, int64_t upper, Value init,
    llvm::function_ref<Value(OpBuilder &, Location, Value, Value)> body) {
  if (lower >= upper)
    return init;
  auto loop = scf::ForOp::create(
      b, loc, indexConst(b, loc, lower), indexConst(b, loc, upper), indexConst(b, loc, 1),
      ValueRange{init}, [&](OpBuilder &nb, Location nl, Value iv, ValueRange args) {
        scf::YieldOp::create(nb, nl, body(nb, nl, iv, args[0]));
      });
  return loop.getResult(0);
}

SmallVector<Value> mlir::pike::cpu::forCarried(
    OpBuilder &b, Location loc, int64_t upper, ValueRange carried,
    llvm::function_ref<SmallVector<Value>(OpBuilder &, Location, Value, ValueRange)> body) {
  auto forOp = scf::ForOp::create(b, loc, indexConst(b, loc, 0), indexConst(b, loc, upper),
                                  indexConst(b, loc, 1), carried,
                                  [&](OpBuilder &nb, Location nl, Value iv, ValueRange args) {
                                    scf::YieldOp::create(nb, nl, body(nb, nl, iv, args));
                                  });
  return SmallVector<Value>(forOp.getResults());
}

Value mlir::pike::cpu::forEachBlock(
    OpBuilder &b, Location loc, int64_t extent, int64_t blockSize, Value init,
    llvm::function_ref<Value(OpBuilder &, Location, Value, int64_t, bool, Value)> body,
    bool peelLast) {
  int64_t full = extent / blockSize, rest = extent % blockSize;
  int64_t looped = peelLast && rest == 0 && full > 1 ? full - 1 : full;
  Value out = forTensor(b, loc, 0, looped, init, [&](OpBuilder &nb, Location nl, Value i, Value o) {
    return body(nb, nl, indexMulAdd(nb, nl, i, blockSize, {}), blockSize,
                looped == full && rest == 0, o);
  });
  if (looped < full)
    out = body(b, loc, indexConst(b, loc, looped * blockSize), blockSize, /*last=*/true, out);
  if (rest)
    out = body(b, loc, indexConst(b, loc, full * blockSize), rest, /*last=*/true, out);
  return out;
}

Value mlir::pike::cpu::forEachTile(
    OpBuilder &b, Location loc, int64_t extent, int64_t tileSize, Value init,
    llvm::function_ref<Value(OpBuilder &, Location, Value, int64_t, Value)> body) {
  if (extent < tileSize)
    return body(b, loc, indexConst(b, loc, 0), extent, init);
  int64_t tiles = llvm::divideCeil(extent, tileSize);
  return forTensor(b, loc, 0, tiles, init, [&](OpBuilder &nb, Location nl, Value t, Value o) {
    Value start = arith::MinSIOp::create(nb, nl, indexMulAdd(nb, nl, t, tileSize, {}),
                                         indexConst(nb, nl, extent - tileSize));
    return body(nb, nl, start, tileSize, o);
  });
}

SmallVector<Value> mlir::pike::cpu::forEachOutputRow(
    OpBuilder &b, Location loc, ValueRange dests,
    llvm::function_ref<SmallVector<Value>(OpBuilder &, Location, Value, Value, ValueRange)> body) {
  ArrayRef<int64_t> shape = cast<RankedTensorType>(dests.front().getType()).getShape();
  auto forall = scf::ForallOp::create(
      b, loc, ArrayRef<OpFoldResult>{b.getIndexAttr(shape[0]), b.getIndexAttr(shape[1])}, dests,
      std::nullopt);
  Block *block = forall.getBody();
  Value n = block->getArgument(0), oh = block->getArgument(1);
  OpBuilder rb = OpBuilder::atBlockTerminator(block);
  OpBuilder tb = OpBuilder::atBlockBegin(forall.getTerminator().getBody());
  struct Slice {
    SmallVector<OpFoldResult> offsets, sizes, strides;
  };
  SmallVector<Slice> slices;
  SmallVector<Value> rows;
  for (Value shared : block->getArguments().drop_front(2)) {
    ArrayRef<int64_t> dims = cast<RankedTensorType>(shared.getType()).getShape();
    assert(dims[0] == shape[0] && dims[1] == shape[1] && "rows of tensors of another N or H");
    Slice slice{{n, oh, rb.getIndexAttr(0), rb.getIndexAttr(0)},
                {rb.getIndexAttr(1), rb.getIndexAttr(1), rb.getIndexAttr(dims[2]),
                 rb.getIndexAttr(dims[3])},
                SmallVector<OpFoldResult>(4, rb.getIndexAttr(1))};
    rows.push_back(
        tensor::ExtractSliceOp::create(rb, loc, shared, slice.offsets, slice.sizes, slice.strides));
    slices.push_back(std::move(slice));
  }
  rows = body(rb, loc, n, oh, rows);
  for (auto [row, shared, slice] :
       llvm::zip_equal(rows, block->getArguments().drop_front(2), slices))
    tensor::ParallelInsertSliceOp::create(tb, loc, row, shared, slice.offsets, slice.sizes,
                                          slice.strides);
  return SmallVector<Value>(forall.getResults());
}

Value mlir::pike::cpu::forEachOutputRow(
    OpBuilder &b, Location loc, Value dest,
    llvm::function_ref<Value(OpBuilder &, Location, Value, Value, Value)> body) {
  return forEachOutputRow(b, loc, ValueRange{dest},
                          [&](OpBuilder &nb, Location nl, Value n, Value oh, ValueRange rows) {
                            return SmallVector<Value>{body(nb, nl, n, oh, rows.front())};
                          })
      .front();
}

Value mlir::pike::cpu::padInput(OpBuilder &b, Location loc, Value input,
                                ArrayRef<int64_t> padding, int64_t zp, int64_t channelsAfter,
                                bool flipSigns) {
  if (llvm::all_of(padding, [](int64_t p) { return p == 0; }) && channelsAfter == 0 &&
      !flipSigns)
    return input;
  auto type = cast<RankedTensorType>(input.getType());
  int64_t n = type.getDimSize(0), h = type.getDimSize(1), w = type.getDimSize(2),
          c = type.getDimSize(3);
  int64_t hp = h + padding[0] + padding[1], wp = w + padding[2] + padding[3],
          cp = c + channelsAfter;
  Type i8 = b.getI8Type();
  uint64_t fillByte = (uint64_t(zp) & 0xff) ^ (flipSigns ? 0x80 : 0);
  Value fill = arith::ConstantOp::create(b, loc, IntegerAttr::get(i8, APInt(8, fillByte)));
  auto flipped = [&](OpBuilder &nb, Location nl, Value bytes) -> Value {
    if (!flipSigns)
      return bytes;
    return arith::XOrIOp::create(nb, nl, bytes, lowering::scalarInt(nb, nl, bytes.getType(), 0x80));
  };
  Value empty = tensor::EmptyOp::create(b, loc, ArrayRef<int64_t>{n, hp, wp, cp}, i8);
  Value padded = linalg::FillOp::create(b, loc, fill, empty).getResult(0);
  constexpr int64_t chunk = 64;
  if (channelsAfter == 0) {
    // A row's W*C bytes are contiguous in both tensors.
    SmallVector<ReassociationIndices> rows = {{0}, {1}, {2, 3}};
    Value source = tensor::CollapseShapeOp::create(b, loc, input, rows);
    Value dest = tensor::CollapseShapeOp::create(b, loc, padded, rows);
    Value copied = forTensor(b, loc, 0, n, dest, [&](OpBuilder &b1, Location l1, Value ni, Value d1) {
      return forTensor(b1, l1, 0, h, d1, [&](OpBuilder &b2, Location l2, Value hi, Value d2) {
        Value hd = arith::AddIOp::create(b2, l2, hi, indexConst(b2, l2, padding[0]));
        return forEachTile(b2, l2, w * c, chunk, d2,
                           [&](OpBuilder &b3, Location l3, Value start, int64_t size, Value d3) {
          Value bytes = flipped(b3, l3, readVector(b3, l3, VectorType::get({size}, i8), source,
                                                  ValueRange{ni, hi, start}));
          Value at = arith::AddIOp::create(b3, l3, start, indexConst(b3, l3, padding[2] * c));
          return vector::TransferWriteOp::create(b3, l3, bytes, d3, ValueRange{ni, hd, at},
                                                 ArrayRef<bool>{true})
              .getResult();
        });
      });
    });
    return tensor::ExpandShapeOp::create(b, loc, padded.getType(), copied, rows);
  }
  if (cp == 4 && w >= 16) {
    // A first layer's 1 to 3 channels made 4: 16 pixels a step, their C
    // bytes loaded at once, each 16-byte lane's dwords gathered (vpermd),
    // spread within the lane (vpshufb) and the fill or-ed in, where a copy
    // per pixel was scalar moves.
    constexpr int64_t pixels = 16;
    SmallVector<ReassociationIndices> rows = {{0}, {1}, {2, 3}};
    Value source = tensor::CollapseShapeOp::create(b, loc, input, rows);
    Value dest = tensor::CollapseShapeOp::create(b, loc, padded, rows);
    auto readType = VectorType::get({pixels * c}, i8);
    auto bytesType = VectorType::get({64}, i8);
    auto dwordsType = VectorType::get({16}, b.getI32Type());
    SmallVector<int64_t> widen(64, vector::ShuffleOp::kPoisonIndex), gather, spread;
    SmallVector<int8_t> fillPattern;
    for (int64_t i = 0; i < pixels * c; ++i)
      widen[i] = i;
    for (int64_t lane = 0; lane < 4; ++lane)
      for (int64_t j = 0; j < 4; ++j)
        gather.push_back(std::min<int64_t>(lane * c + j, 15));
    for (int64_t lane = 0; lane < 4; ++lane)
      for (int64_t p = 0; p < 4; ++p)
        for (int64_t ch = 0; ch < 4; ++ch) {
          spread.push_back(ch < c ? 16 * lane + p * c + ch : 64);
          fillPattern.push_back(ch < c ? 0 : int8_t(fillByte));
        }
    Value copied = forTensor(b, loc, 0, n, dest, [&](OpBuilder &b1, Location l1, Value ni, Value d1) {
      return forTensor(b1, l1, 0, h, d1, [&](OpBuilder &b2, Location l2, Value hi, Value d2) {
        Value hd = arith::AddIOp::create(b2, l2, hi, indexConst(b2, l2, padding[0]));
        Value zeros = lowering::scalarInt(b2, l2, bytesType, 0);
        Value fills = arith::ConstantOp::create(
            b2, l2, DenseElementsAttr::get(bytesType, ArrayRef<int8_t>(fillPattern)));
        return forEachTile(b2, l2, w, pixels, d2,
                           [&](OpBuilder &b3, Location l3, Value first, int64_t, Value d3) {
          Value bytes = flipped(b3, l3, readVector(b3, l3, readType, source,
                                                  ValueRange{ni, hi, indexMulAdd(b3, l3, first,
                                                                                 c, {})}));
          bytes = vector::ShuffleOp::create(b3, l3, bytes, bytes, widen);
          Value dwords = vector::BitCastOp::create(b3, l3, dwordsType, bytes);
          dwords = vector::ShuffleOp::create(b3, l3, dwords, dwords, gather);
          bytes = vector::BitCastOp::create(b3, l3, bytesType, dwords);
          bytes = vector::ShuffleOp::create(b3, l3, bytes, zeros, spread);
          bytes = arith::OrIOp::create(b3, l3, bytes, fills);
          Value at = indexMulAdd(b3, l3, first, cp, indexConst(b3, l3, padding[2] * cp));
          return vector::TransferWriteOp::create(b3, l3, bytes, d3, ValueRange{ni, hd, at},
                                                 ArrayRef<bool>{true})
              .getResult();
        });
      });
    });
    return tensor::ExpandShapeOp::create(b, loc, padded.getType(), copied, rows);
  }
  // Many channels padded: each pixel's C bytes.
  return forTensor(b, loc, 0, n, padded, [&](OpBuilder &b1, Location l1, Value ni, Value d1) {
    return forTensor(b1, l1, 0, h, d1, [&](OpBuilder &b2, Location l2, Value hi, Value d2) {
      Value hd = arith::AddIOp::create(b2, l2, hi, indexConst(b2, l2, padding[0]));
      return forTensor(b2, l2, 0, w, d2, [&](OpBuilder &b3, Location l3, Value wi, Value d3) {
        Value wd = arith::AddIOp::create(b3, l3, wi, indexConst(b3, l3, padding[2]));
        return forEachTile(b3, l3, c, chunk, d3,
                           [&](OpBuilder &b4, Location l4, Value start, int64_t size, Value d4) {
          Value bytes = flipped(b4, l4, readVector(b4, l4, VectorType::get({size}, i8), input,
                                                  ValueRange{ni, hi, wi, start}));
          return vector::TransferWriteOp::create(b4, l4, bytes, d4, ValueRange{ni, hd, wd, start},
                                                 ArrayRef<bool>{true})
              .getResult();
        });
      });
    });
  });
}

Value mlir::pike::cpu::writeVector(OpBuilder &b, Location loc, Value value, Value dest,
                                   ValueRange indices, int64_t valid) {
  auto type = cast<VectorType>(value.getType());
  if (valid < type.getNumElements())
    value = vector::ExtractStridedSliceOp::create(b, loc, value, ArrayRef<int64_t>{0},
                                                  ArrayRef<int64_t>{valid},
                                                  ArrayRef<int64_t>{1});
  return vector::TransferWriteOp::create(b, loc, value, dest, indices, ArrayRef<bool>{true})
      .getResult();
}

Value mlir::pike::cpu::readVector(OpBuilder &b, Location loc, VectorType type, Value source,
                                  ValueRange indices, bool maybePartial, int64_t padding) {
  Type element = type.getElementType();
  Value pad = isa<FloatType>(element)
                  ? arith::ConstantOp::create(b, loc, b.getFloatAttr(element, double(padding)))
                        .getResult()
                  : lowering::scalarInt(b, loc, element, padding);
  SmallVector<bool> inBounds = {!maybePartial};
  return vector::TransferReadOp::create(b, loc, type, source, indices, pad, inBounds);
}

Value mlir::pike::cpu::readLeadingLanes(OpBuilder &b, Location loc, VectorType type, Value source,
                                        ValueRange indices, int64_t valid, int64_t padding) {
  int64_t lanes = type.getNumElements();
  if (valid >= lanes)
    return readVector(b, loc, type, source, indices);
  Value read = readVector(b, loc, VectorType::get({valid}, type.getElementType()), source, indices);
  Value pad = lowering::scalarInt(b, loc, type, padding);
  SmallVector<int64_t> widen(lanes);
  std::iota(widen.begin(), widen.end(), 0);
  // Lanes from `valid` on take the padding's (the second operand's) lanes.
  for (int64_t i = valid; i < lanes; ++i)
    widen[i] = valid + i;
  return vector::ShuffleOp::create(b, loc, read, pad, widen);
}
