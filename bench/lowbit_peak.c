/* Which kernel technique computes sub-8-bit dot products fastest on this
 * core. One layer shape for all (4 pixels x 64 filters x CHANNELS, 256 by
 * default: a 1x1 convolution's register tile, its weights in L1), each
 * technique's exact integer outputs checked against a scalar loop, on
 * random and on extreme operands, before it is timed:
 *   bytes     one value per byte, vpdpbusd (64 MACs an instruction at any
 *             width up to 8 bits): what Pike's kernels do;
 *   packed    ULPPACK: two values per byte or 16-bit lane, the products'
 *             sum read from the middle bits of the accumulator, extracted
 *             before it overflows (vpdpbusd for 1 bit, vpdpwssd for 2-4);
 *   popcount  bit-serial: one bit plane of 64 channels per 64-bit lane,
 *             8 filters a vector; each plane pair is and (xor for +-1
 *             values), vpopcntb and a vpdpbusd that weights it by
 *             2^(i+j): b*b plane pairs for b-bit operands.
 * Values are unsigned (0..2^b-1) on both sides, except `bytes` (signed
 * weights, as vpdpbusd reads them) and the +-1 row; a zero point's
 * correction (one sum per pixel) is outside the inner loop in every case.
 * Built and run by bench/dot_peak.sh. Not a test. */
#include <immintrin.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#ifndef CHANNELS
#define CHANNELS 256
#endif
enum { ROWS = 4, FILTERS = 64, WORDS = CHANNELS / 64 };

static uint8_t act[ROWS][CHANNELS];
static int8_t wgt[FILTERS][CHANNELS];
static int32_t out[ROWS][FILTERS], expected[ROWS][FILTERS];

static double seconds(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static uint64_t state = 88172645463325252ull;
static uint32_t next(void) {
  state ^= state << 13, state ^= state >> 7, state ^= state << 17;
  return (uint32_t)state;
}

/* The operands at random, or each at its largest magnitude (`extreme`: the
 * packed fields' worst case, which random values seldom reach), and the
 * sums they should give. */
static void fill(int bits, int signedWeights, int extreme) {
  int top = (1 << bits) - 1, low = signedWeights ? -(1 << (bits - 1)) : 0;
  for (int r = 0; r < ROWS; ++r)
    for (int k = 0; k < CHANNELS; ++k)
      act[r][k] = extreme ? top : (int)(next() % (1u << bits));
  for (int f = 0; f < FILTERS; ++f)
    for (int k = 0; k < CHANNELS; ++k)
      wgt[f][k] = extreme ? (signedWeights ? low : top) : low + (int)(next() % (1u << bits));
  for (int r = 0; r < ROWS; ++r)
    for (int f = 0; f < FILTERS; ++f) {
      int32_t sum = 0;
      for (int k = 0; k < CHANNELS; ++k)
        sum += act[r][k] * wgt[f][k];
      expected[r][f] = sum;
    }
}

/* --- bytes: [K/4][64 filters][4] weights, 4 broadcast quads per step. --- */
static int8_t byteWeights[CHANNELS / 4][FILTERS][4];

static void packBytes(void) {
  for (int q = 0; q < CHANNELS / 4; ++q)
    for (int f = 0; f < FILTERS; ++f)
      for (int j = 0; j < 4; ++j)
        byteWeights[q][f][j] = wgt[f][4 * q + j];
}

static void runBytes(void) {
  __m512i acc[ROWS][4];
  for (int r = 0; r < ROWS; ++r)
    for (int v = 0; v < 4; ++v)
      acc[r][v] = _mm512_setzero_si512();
  for (int q = 0; q < CHANNELS / 4; ++q) {
    __m512i w[4];
    for (int v = 0; v < 4; ++v)
      w[v] = _mm512_loadu_si512(&byteWeights[q][16 * v][0]);
    for (int r = 0; r < ROWS; ++r) {
      int32_t quad;
      memcpy(&quad, &act[r][4 * q], 4);
      __m512i a = _mm512_set1_epi32(quad);
      for (int v = 0; v < 4; ++v)
        acc[r][v] = _mm512_dpbusd_epi32(acc[r][v], a, w[v]);
    }
  }
  for (int r = 0; r < ROWS; ++r)
    for (int v = 0; v < 4; ++v)
      _mm512_storeu_si512(&out[r][16 * v], acc[r][v]);
}

/* --- packed: two channels share a byte (1 bit, vpdpbusd) or a 16-bit lane
 * (2 to 4 bits, vpdpwssd): a = a_k + 2^s a_k+1 and w = w_k+1 + 2^s w_k, so
 * each product's bits s..2s-1 hold a_k w_k + a_k+1 w_k+1. A step (4 bytes
 * of a pixel against 4 of each filter) adds at most 4 or 8 (2^b-1)^2 to
 * that field and half that below it: the field is extracted every
 * `packSteps` steps, before it reaches 2^s. For 1 bit s = 6 (a and w
 * below 128). --- */
static int packShift, packSteps, packWide;
static uint8_t packedAct[ROWS][CHANNELS];
static uint8_t packedWeights[CHANNELS / 4][FILTERS][4];

static int packPacked(int bits) {
  int top = (1 << bits) - 1, limit = bits == 1 ? 128 : 32768;
  packWide = bits > 1;
  for (packShift = 14; packShift > 0 && top + (top << packShift) >= limit; --packShift)
    ;
  int channelsPerStep = packWide ? 4 : 8;
  /* A step sums 4 products of 16-bit lanes or 8 of bytes into the field. */
  packSteps = ((1 << packShift) - 1) / ((packWide ? 4 : 8) * top * top);
  if (packSteps < 1)
    return 0;
  for (int r = 0; r < ROWS; ++r)
    for (int k = 0; k < CHANNELS; k += 2) {
      int pair = act[r][k] + (act[r][k + 1] << packShift);
      if (packWide)
        memcpy(&packedAct[r][k], &(int16_t){(int16_t)pair}, 2);
      else
        packedAct[r][k / 2] = (uint8_t)pair;
    }
  for (int q = 0; q < CHANNELS / channelsPerStep; ++q)
    for (int f = 0; f < FILTERS; ++f)
      for (int j = 0; j < channelsPerStep / 2; ++j) {
        int k = channelsPerStep * q + 2 * j;
        int pair = wgt[f][k + 1] + (wgt[f][k] << packShift);
        if (packWide)
          memcpy(&packedWeights[q][f][2 * j], &(int16_t){(int16_t)pair}, 2);
        else
          packedWeights[q][f][j] = (uint8_t)pair;
      }
  return 1;
}

/* Inlined into each caller with `wide` constant. */
static inline __attribute__((always_inline)) void runPackedWith(int wide) {
  const __m512i mask = _mm512_set1_epi32((1 << packShift) - 1);
  const __m128i shift = _mm_cvtsi32_si128(packShift);
  __m512i total[ROWS][4], acc[ROWS][4];
  for (int r = 0; r < ROWS; ++r)
    for (int v = 0; v < 4; ++v)
      total[r][v] = acc[r][v] = _mm512_setzero_si512();
  const int steps = CHANNELS / (wide ? 4 : 8);
  for (int q0 = 0; q0 < steps; q0 += packSteps) {
    int end = q0 + packSteps < steps ? q0 + packSteps : steps;
    for (int q = q0; q < end; ++q) {
      __m512i w[4];
      for (int v = 0; v < 4; ++v)
        w[v] = _mm512_loadu_si512(&packedWeights[q][16 * v][0]);
      for (int r = 0; r < ROWS; ++r) {
        int32_t quad;
        memcpy(&quad, &packedAct[r][4 * q], 4);
        __m512i a = _mm512_set1_epi32(quad);
        for (int v = 0; v < 4; ++v)
          acc[r][v] = wide ? _mm512_dpwssd_epi32(acc[r][v], a, w[v])
                           : _mm512_dpbusd_epi32(acc[r][v], a, w[v]);
      }
    }
    for (int r = 0; r < ROWS; ++r)
      for (int v = 0; v < 4; ++v) {
        __m512i middle = _mm512_and_si512(_mm512_srl_epi32(acc[r][v], shift), mask);
        total[r][v] = _mm512_add_epi32(total[r][v], middle);
        acc[r][v] = _mm512_setzero_si512();
      }
  }
  for (int r = 0; r < ROWS; ++r)
    for (int v = 0; v < 4; ++v)
      _mm512_storeu_si512(&out[r][16 * v], total[r][v]);
}

static void runPacked8(void) { runPackedWith(0); }
static void runPacked16(void) { runPackedWith(1); }

/* --- popcount: plane i of a pixel is WORDS 64-bit words; plane j of the
 * filters is [word][filter] so one vector is a word of 8 filters. --- */
static int planes, bipolar;
static uint64_t actPlanes[8][ROWS][WORDS];
static uint64_t weightPlanes[8][WORDS][FILTERS];

static void packPlanes(int bits) {
  planes = bits;
  memset(actPlanes, 0, sizeof actPlanes);
  memset(weightPlanes, 0, sizeof weightPlanes);
  for (int i = 0; i < bits; ++i)
    for (int k = 0; k < CHANNELS; ++k) {
      for (int r = 0; r < ROWS; ++r)
        actPlanes[i][r][k / 64] |= (uint64_t)((act[r][k] >> i) & 1) << (k % 64);
      for (int f = 0; f < FILTERS; ++f)
        weightPlanes[i][k / 64][f] |= (uint64_t)((wgt[f][k] >> i) & 1) << (k % 64);
    }
}

__attribute__((target("avx512vpopcntdq,avx512bitalg"))) static void runPopcount(void) {
  /* Each 64-bit lane's two dwords hold halves of one filter's sum. */
  __m512i acc[ROWS][FILTERS / 8];
  for (int r = 0; r < ROWS; ++r)
    for (int v = 0; v < FILTERS / 8; ++v)
      acc[r][v] = _mm512_setzero_si512();
  for (int i = 0; i < planes; ++i)
    for (int j = 0; j < planes; ++j) {
      const __m512i weight = _mm512_set1_epi8((char)(1 << (i + j)));
      for (int v0 = 0; v0 < FILTERS / 8; v0 += 4)
        for (int word = 0; word < WORDS; ++word) {
          __m512i w[4];
          for (int v = 0; v < 4; ++v)
            w[v] = _mm512_loadu_si512(&weightPlanes[j][word][8 * (v0 + v)]);
          for (int r = 0; r < ROWS; ++r) {
            __m512i a = _mm512_set1_epi64((long long)actPlanes[i][r][word]);
            for (int v = 0; v < 4; ++v) {
              __m512i bitsOn = bipolar ? _mm512_xor_si512(a, w[v]) : _mm512_and_si512(a, w[v]);
              acc[r][v0 + v] =
                  _mm512_dpbusd_epi32(acc[r][v0 + v], _mm512_popcnt_epi8(bitsOn), weight);
            }
          }
        }
    }
  for (int r = 0; r < ROWS; ++r)
    for (int v = 0; v < FILTERS / 8; ++v) {
      __m512i halves = _mm512_add_epi64(_mm512_srli_epi64(acc[r][v], 32), acc[r][v]);
      __m256i sums = _mm512_cvtepi64_epi32(halves);
      /* +-1 values (bit 1 for -1): dot = K - 2 popcount(a xor w). */
      if (bipolar)
        sums = _mm256_sub_epi32(_mm256_set1_epi32(CHANNELS), _mm256_slli_epi32(sums, 1));
      _mm256_storeu_si256((__m256i *)&out[r][8 * v], sums);
    }
}

/* +-1 references: bit 1 stands for -1. */
static void bipolarExpected(void) {
  for (int r = 0; r < ROWS; ++r)
    for (int f = 0; f < FILTERS; ++f) {
      int32_t sum = 0;
      for (int k = 0; k < CHANNELS; ++k)
        sum += (1 - 2 * act[r][k]) * (1 - 2 * wgt[f][k]);
      expected[r][f] = sum;
    }
}

static double timeKernel(void (*kernel)(void)) {
  double best = 0;
  long calls = 200000;
  for (int round = 0; round < 3; ++round) {
    double start = seconds();
    for (long c = 0; c < calls; ++c) {
      kernel();
      __asm__ volatile("" ::: "memory");
    }
    double rate = (double)calls * ROWS * FILTERS * CHANNELS / (seconds() - start) / 1e9;
    best = rate > best ? rate : best;
  }
  return best;
}

/* The kernel's outputs against the sums expected; a line naming the
 * difference when they differ. */
static int wrong(const char *technique, int bits, const char *data, void (*kernel)(void)) {
  memset(out, 0, sizeof out);
  kernel();
  if (!memcmp(out, expected, sizeof out))
    return 0;
  printf("| %s | %d | wrong result on %s data: out[0][0] %d, expected %d |\n", technique, bits,
         data, out[0][0], expected[0][0]);
  return 1;
}

static int packBytesFor(int bits) {
  (void)bits;
  packBytes();
  return 1;
}

static int packPlanesFor(int bits) {
  packPlanes(bits);
  return 1;
}

struct Technique {
  const char *name;
  int fromBits, toBits, signedWeights, bipolarValues, needsPopcounts;
  int (*pack)(int bits);
  void (*run)(void);
};

static const struct Technique techniques[] = {
    {"bytes (vpdpbusd)", 8, 1, 1, 0, 0, packBytesFor, runBytes},
    {"packed, 2 a 16-bit lane (vpdpwssd)", 4, 2, 0, 0, 0, packPacked, runPacked16},
    {"packed, 2 a byte (vpdpbusd)", 1, 1, 0, 0, 0, packPacked, runPacked8},
    {"popcount of and, per plane pair", 4, 1, 0, 0, 1, packPlanesFor, runPopcount},
    {"popcount of xor, +-1 values", 1, 1, 0, 1, 1, packPlanesFor, runPopcount},
};

int main(void) {
  int popcounts = __builtin_cpu_supports("avx512vpopcntdq") &&
                  __builtin_cpu_supports("avx512bitalg");
  int failures = 0;
  printf("%d pixels x %d filters x %d channels, one core, GMAC/s (best of 3 rounds of 200000 "
         "calls)\n\n| technique | bits | GMAC/s |\n|---|---:|---:|\n",
         ROWS, FILTERS, CHANNELS);
  for (size_t t = 0; t < sizeof techniques / sizeof techniques[0]; ++t) {
    const struct Technique *tech = &techniques[t];
    if (tech->needsPopcounts && !popcounts)
      continue;
    for (int bits = tech->fromBits; bits >= tech->toBits; --bits) {
      bipolar = tech->bipolarValues;
      /* Checked on the extreme operands, then timed on random ones. */
      int failed = 0;
      for (int extreme = 1; extreme >= 0; --extreme) {
        fill(bits, tech->signedWeights && bits > 1, extreme);
        if (tech->bipolarValues)
          bipolarExpected();
        if (!tech->pack(bits))
          break;
        failed = wrong(tech->name, bits, extreme ? "extreme" : "random", tech->run);
        if (failed)
          break;
        if (!extreme)
          printf("| %s | %d | %.1f |\n", tech->name, bits, timeKernel(tech->run));
      }
      failures += failed;
      fflush(stdout);
    }
  }
  if (!popcounts)
    printf("\npopcount rows skipped: this CPU has no AVX512_VPOPCNTDQ and AVX512_BITALG\n");
  return failures ? 1 : 0;
}
