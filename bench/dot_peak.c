/* The CPU's peak of u8 x s8 multiply-accumulates on one core: twelve
 * independent chains of vpdpbusd on 512-bit vectors (64 MACs each), timed.
 * Whole networks cannot beat this rate; bench/RESULTS.md compares the
 * convolutions' GMAC/s with it. Built and run by bench/dot_peak.sh, which
 * skips it where the CPU lacks AVX-512 VNNI. */
#include <immintrin.h>
#include <stdio.h>
#include <time.h>

static double seconds(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

/* Twelve accumulators in registers: each vpdpbusd waits on its own chain
 * only, so the loop runs at the units' throughput, not their latency. */
#define CHAINS(X) X(0) X(1) X(2) X(3) X(4) X(5) X(6) X(7) X(8) X(9) X(10) X(11)
#define DECLARE(i) __m512i acc##i = _mm512_set1_epi32(i);
#define STEP(i) acc##i = _mm512_dpbusd_epi32(acc##i, x, w);
#define FOLD(i) sum = _mm512_add_epi32(sum, acc##i);

int main(void) {
  const long iterations = 200000000;
  CHAINS(DECLARE)
  __m512i x = _mm512_set1_epi8(3), w = _mm512_set1_epi8(5);
  double best = 0;
  for (int round = 0; round < 3; ++round) {
    double start = seconds();
    for (long k = 0; k < iterations; ++k) {
      /* Opaque to the compiler: every iteration's products are computed. */
      __asm__ volatile("" : "+v"(x), "+v"(w));
      CHAINS(STEP)
    }
    double rate = (double)iterations * 12 * 64 / (seconds() - start) / 1e9;
    best = rate > best ? rate : best;
  }
  __m512i sum = _mm512_setzero_si512();
  CHAINS(FOLD)
  printf("vpdpbusd zmm peak: %.1f GMAC/s on one core (best of 3; checksum %d)\n", best,
         _mm512_reduce_add_epi32(sum));
  return 0;
}
