//===- KernelSupport.h - Pieces shared by the CPU MAC kernels ---*- C++ -*-===//
//
// A MAC kernel computes `sum a_u * w + corr[f]` in i32 registers, where a_u
// is the input as the dot product reads it and corr folds the op's bias and
// the input zero point's weight-sum term (both known at compile time), and
// hands each vector to the epilogue of the requantizing op it absorbed.
//
//===----------------------------------------------------------------------===//

#ifndef PIKE_LIB_CONVERSION_PIKETOCPU_KERNELSUPPORT_H
#define PIKE_LIB_CONVERSION_PIKETOCPU_KERNELSUPPORT_H

#include "pike/Dialect/Pike/IR/PikeOps.h"
#include "pike/Target/CpuTarget.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"

#include "llvm/ADT/DenseMap.h"

#include <functional>
#include <optional>
#include <utility>

namespace mlir::pike::cpu {

/// The requantizing op fused after a MAC op (or none): what every
/// accumulator vector goes through before it is stored.
struct Epilogue {
  /// pike.quant_norm or pike.requantize, or null to store the accumulator.
  Operation *op = nullptr;
  /// The MAC op's accumulator element type.
  IntegerType accType;
  /// i32 lanes of the target's accumulator vectors.
  int64_t lanes = 0;
  /// Per-channel constants padded to whole vectors, in the order `apply`
  /// reads them: multiplier, shift[, bias] as integer tensors, or the float
  /// tables of FloatEpilogue.h (each vector's float64 entries in the
  /// doubles' order where doublesByHalves).
  SmallVector<Value> channelTables;
  /// A pike.add that `op`'s result feeds, fused after it: the kernel
  /// stores the sum of op's result and the add's other operand (a residual
  /// connection), which is never written and read back. Null when none.
  AddOp residual;
  /// Whether op's result is the add's lhs.
  bool residualIsLhs = false;
  /// The add's other operand inside the kernel: NHWC bytes of the output's
  /// shape, read at each stored vector's position.
  Value skip;
  /// Per channel, the largest magnitude of the accumulator (empty when
  /// unknown). Set before materialize, which decides from it whether the
  /// scaling can run in float64 lanes.
  SmallVector<int64_t> accumulatorBounds;
  /// The lanes `op`'s scaling runs in: i64 (pike.apply_scale), or float
  /// lanes where each float operation is exact or is the rounding the op
  /// specifies, so the integers are the same (FloatEpilogue.h).
  enum class ScaleLanes { i64, f64, f32 };
  ScaleLanes scaleLanes = ScaleLanes::i64;
  /// Whether the residual add's scaling runs in float64 lanes too, reading
  /// the op's rounded float lanes.
  bool residualInFloat64 = false;
  /// Whether every scaled value (float64 or i64 lanes) plus the output
  /// zero point lies in i32's range (from the accumulator bounds), so the
  /// clamp runs on i32 lanes with no saturation before it: on AVX2, which
  /// has no i64 min or max, that spares 4 compares and 4 blends a 16-lane
  /// vector.
  bool scaledFitsI32 = false;
  /// Whether the i64 scaling keeps only its products' high words: where
  /// every value fits i32, the rounding is a constant (`single`,
  /// `tvm_upward`) and every shift is 32 or more, round_shift(x M + B, s) is
  /// the high word of x M + B + 2^(s-1) shifted by s - 32 in i32 lanes
  /// (one blend and vpsravd, where AVX2 emulates a 64-bit arithmetic
  /// shift in three). The tables are then M, s - 32 and B + 2^(s-1), the
  /// first and last with each vector's even lanes before its odd ones.
  bool highWordScaling = false;
  /// i32 lanes per machine register on x86, whose unpacks interleave within
  /// 128-bit blocks (8 on AVX2, 16 on AVX-512); 0 elsewhere.
  int64_t registerLanes = 0;
  /// Whether float64 lanes hold each register's 128-bit blocks by halves
  /// (AVX2; FloatEpilogue.cpp, `doublesByHalves`): the accumulator is widened by
  /// unpacking it against the exponent of 2^52, not by conversion, and the
  /// rounded low words come back in order by one in-block shuffle. The
  /// float64 tables are stored in that order.
  bool doublesByHalves = false;
  /// Whether the kernel asked for correctionOffset (checked where the
  /// doubles go by halves, whose widening needs the offset).
  mutable bool offsetAsked = false;

  /// The element type the fused op produces.
  Type storedType() const;
  /// The element type the kernel stores: storedType(), or i8 holding its
  /// numbers when that is narrower than a byte (see ByteStorage).
  Type byteType() const;
  /// Whether the stored numbers are unsigned.
  bool storedUnsigned() const;
  /// What a kernel adds to each of the `channels` channels' corrections
  /// (wrapping in i32) before `apply` reads the accumulators: 2^31 where
  /// the float64 lanes hold the doubles by halves, whose widening reads the
  /// accumulators as unsigned numbers offset so; 0 elsewhere.
  int64_t correctionOffset(int64_t channels) const;
  /// Materializes the per-channel tables for `channels` channels at `b`.
  void materialize(OpBuilder &b, Location loc, int64_t channels);
  /// Whether each channel's |accumulator| bound, scaled in i64 by its
  /// multiplier, bias and shift, stays inside i64 and then i32.
  bool scaledBoundFitsI32(int64_t channels, ArrayRef<int64_t> multipliers, ArrayRef<int64_t> shifts,
                          ArrayRef<int64_t> biases) const;
  /// |x| M + |B| of channel c at most: its accumulator bound (less the
  /// requantize's input zero point) scaled by its multiplier, and its bias.
  __int128 scaledSumBound(int64_t c, ArrayRef<int64_t> multipliers, ArrayRef<int64_t> biases) const;
  /// Whether highWordScaling applies (given scaledFitsI32).
  bool takesHighWords(int64_t channels, ArrayRef<int64_t> multipliers, ArrayRef<int64_t> shifts,
                      ArrayRef<int64_t> biases) const;
  /// The per-channel vectors of channels [channel, channel + lanes), for
  /// `apply`; read them once where the channels stay fixed over a loop.
  SmallVector<Value> readTables(OpBuilder &b, Location loc, Value channel) const;
  /// The stored vector for the i32 accumulators `acc` (with the kernel's
  /// correction, correctionOffset included) of the channels whose
  /// `tables` these are, at `position` ([n, h, w, c] of the output; the
  /// residual's operand is read there, only the channels left when
  /// `partial`).
  Value apply(OpBuilder &b, Location loc, Value acc, ValueRange tables, ValueRange position,
              bool partial) const;
  /// The residual's operand at `position`: `lanes` bytes, or the channels
  /// left when `partial`.
  Value readSkip(OpBuilder &b, Location loc, ValueRange position, bool partial) const;
  /// The other operand of the residual add fused after `op`, if `op`'s
  /// result feeds one it can absorb; sets `residual`.
  Value fuseResidual();
};

/// [min, max] of a requantizing op (pike.quant_norm, pike.requantize) and
/// its output zero point.
struct Clamp {
  int64_t zp, lo, hi;
};
Clamp clampOf(Operation *op);

/// The epilogue `mac`'s result can absorb: its only user, if that is a
/// requantizing op storing 8 bits or fewer, 16 or 32.
Epilogue fusableEpilogue(Operation *mac, IntegerType accType, int64_t lanes);

/// Sub-byte tensors (i4 activations) cannot be read or written as vectors
/// in place: a vector of i4 is packed, a memref of i4 is not. The kernels
/// read and write such tensors as i8 holding the same numbers; between two
/// kernels the i8 tensor is passed on directly, and other users get the
/// narrow tensor back through an elementwise truncation.
class ByteStorage {
public:
  /// `value` (an integer tensor of at most 8 bits) as an i8 tensor whose
  /// bytes, read as unsigned if `isUnsigned`, are its numbers.
  Value asBytes(OpBuilder &b, Location loc, Value value, bool isUnsigned);
  /// `bytes` (i8 holding numbers of `narrowType`, unsigned if `isUnsigned`)
  /// as a `narrowType` tensor for other users; remembers the pair.
  Value narrow(OpBuilder &b, Location loc, Value bytes, Type narrowType, bool isUnsigned);

private:
  llvm::DenseMap<Value, std::pair<Value, bool>> bytesOf;
};

/// The fixed-point multiplier of a requantizing op (pike.quant_norm or
/// pike.requantize).
FixedPointAttr multiplierOf(Operation *op);

/// The i32 lanes `saturated` clamped to [lo - zp, hi - zp], offset by zp
/// and cast to `outType`; offset first and clamped to [lo, hi] where
/// `offsetFits` (the caller's bound: every lane plus zp lies in i32).
Value clampOffset(OpBuilder &b, Location loc, Value saturated, int64_t zp, int64_t lo, int64_t hi,
                  Type outType, bool offsetFits);

/// Whether `v` is an i32 value.
bool inI32(int64_t v);

/// A 1-D constant of `values` as `elementType` (wrapped to its width).
Value constantTable(OpBuilder &b, Location loc, ArrayRef<int64_t> values,
                    IntegerType elementType);

/// An index constant and index arithmetic, folded when constant.
Value indexConst(OpBuilder &b, Location loc, int64_t value);
/// Elements of a static shape, or nullopt when the product passes 2^62
/// (ShapedType::getNumElements wraps, and shapes come from the model).
std::optional<int64_t> checkedNumElements(ShapedType type);
Value indexMulAdd(OpBuilder &b, Location loc, Value x, int64_t scale, Value offset);

/// scf.for from `lower` to `upper` (constants) carrying the tensor `init`;
/// returns `init` untouched when the range is empty.
Value forTensor(OpBuilder &b, Location loc, int64_t lower, int64_t upper, Value init,
                llvm::function_ref<Value(OpBuilder &, Location, Value iv, Value tensor)> body);

/// scf.for from 0 to `upper` carrying `carried`: `body` gets the induction
/// variable and the carried values and returns their next values.
SmallVector<Value> forCarried(
    OpBuilder &b, Location loc, int64_t upper, ValueRange carried,
    llvm::function_ref<SmallVector<Value>(OpBuilder &, Location, Value iv, ValueRange)> body);

/// [0, extent) in blocks of `blockSize`: a loop over the full blocks, then
/// one narrower block for what is left. `body` gets a block's start, its
/// size and whether it is the block that ends at `extent`; with
/// `peelLast`, a last full block is taken out of the loop so that `last` is
/// exact (otherwise the loop's body, which serves every full block, gets
/// `last` when the final one ends at `extent`).
Value forEachBlock(OpBuilder &b, Location loc, int64_t extent, int64_t blockSize, Value init,
                   llvm::function_ref<Value(OpBuilder &, Location, Value start, int64_t size,
                                            bool last, Value tensor)> body,
                   bool peelLast = false);

/// Covers [0, extent) with tiles of `tileSize`: one loop whose last tile
/// is moved back to end at `extent` (it recomputes a few outputs, which
/// stores the same values again) so that one copy of the tile's code serves
/// every size; a single narrower tile when `extent < tileSize`. `body`
/// gets the tile's start and width.
Value forEachTile(OpBuilder &b, Location loc, int64_t extent, int64_t tileSize, Value init,
                  llvm::function_ref<Value(OpBuilder &, Location, Value start, int64_t size,
                                           Value tensor)> body);

/// An scf.forall over the rows (n, oh) of the NHWC tensor `dest`: `body`
/// fills one row, a [1, 1, W, C] slice of it, and returns the filled slice
/// (written at [0, 0, w, c]). Rows are independent, so the loop runs on as
/// many threads as the runtime gives it.
Value forEachOutputRow(
    OpBuilder &b, Location loc, Value dest,
    llvm::function_ref<Value(OpBuilder &, Location, Value n, Value oh, Value row)> body);
/// The same over several NHWC tensors of the same N and H at once: `body`
/// fills row (n, oh) of each and returns them in order.
SmallVector<Value>
forEachOutputRow(OpBuilder &b, Location loc, ValueRange dests,
                 llvm::function_ref<SmallVector<Value>(OpBuilder &, Location, Value n, Value oh,
                                                       ValueRange rows)>
                     body);

/// `input` (NHWC, i8) padded with `zp` by `padding` ([top, bottom, left,
/// right]) and by `channelsAfter` channels, with vector copies: a fill of
/// the padded tensor, then each input row's W*C contiguous bytes (each
/// pixel's C bytes when channels are padded too). tensor.pad would become a
/// byte-by-byte copy loop. With `flipSigns` every byte, the fill's too, has
/// its top bit flipped (x ^ 0x80: the input read with the other
/// signedness, offset by 128), in a copy even without padding.
Value padInput(OpBuilder &b, Location loc, Value input, ArrayRef<int64_t> padding, int64_t zp,
               int64_t channelsAfter, bool flipSigns = false);

/// Writes the first `valid` lanes of the 1-D vector `value` at `indices` of
/// `dest` (which ends there when valid is short of the vector) and returns
/// the new tensor. A short write stores a narrower vector, not a masked
/// one: LLVM 22 turns a masked narrowing store with one active lane into a
/// store of the lane before narrowing (4 bytes for an i8), which wrote past
/// the last channel of a pixel into the next pixel's.
Value writeVector(OpBuilder &b, Location loc, Value value, Value dest, ValueRange indices,
                  int64_t valid);

/// A 1-D vector read of `type` at `indices` of `source`, in bounds unless
/// `maybePartial` (then lanes past the end read `padding`).
Value readVector(OpBuilder &b, Location loc, VectorType type, Value source,
                 ValueRange indices, bool maybePartial = false, int64_t padding = 0);

/// readVector of the integer `type` whose first `valid` lanes are read at `indices` of
/// `source` (which may end there) and the rest are `padding`: a narrower
/// read in bounds, widened by a shuffle. A masked read of bytes has no
/// instruction on AVX2 and became one load and insert a byte.
Value readLeadingLanes(OpBuilder &b, Location loc, VectorType type, Value source,
                       ValueRange indices, int64_t valid, int64_t padding = 0);

} // namespace mlir::pike::cpu

#endif // PIKE_LIB_CONVERSION_PIKETOCPU_KERNELSUPPORT_H
