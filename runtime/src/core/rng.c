/* rng.c — the runtime's pseudo-random numbers: xoshiro256** (Blackman &
 * Vigna, "Scrambled linear pseudorandom number generators", ACM TOMS 2021;
 * reference code at https://prng.di.unimi.it/xoshiro256starstar.c) seeded by
 * SplitMix64 (Steele, Lea & Flood, "Fast splittable pseudorandom number
 * generators", OOPSLA 2014), as the xoshiro authors recommend. Written from
 * the published definitions so a seed means the same schedule everywhere. */
#include "core/runtime.h"

static uint64_t splitmix64_next(uint64_t *state) {
  uint64_t z = (*state += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

static inline uint64_t rotl(uint64_t x, int k) {
  return (x << k) | (x >> (64 - k));
}

void rc_rng_seed(rc_rng *rng, uint64_t seed) {
  uint64_t state = seed;
  for (int i = 0; i < 4; i++)
    rng->s[i] = splitmix64_next(&state); /* never all zero */
}

uint64_t rc_rng_next(rc_rng *rng) {
  uint64_t *s = rng->s;
  const uint64_t result = rotl(s[1] * 5, 7) * 9;
  const uint64_t t = s[1] << 17;
  s[2] ^= s[0];
  s[3] ^= s[1];
  s[1] ^= s[2];
  s[0] ^= s[3];
  s[2] ^= t;
  s[3] = rotl(s[3], 45);
  return result;
}

/* Unbiased: reject the values of the incomplete last block (Lemire's
 * threshold formulation, "Fast random integer generation in an interval",
 * ACM TOMACS 2019). */
uint64_t rc_rng_below(rc_rng *rng, uint64_t bound) {
  RC_CHECK(bound > 0);
  for (;;) {
    uint64_t x = rc_rng_next(rng);
    /* The threshold is below `bound`, so x >= bound passes without the
     * division that computes it (the random walk draws below the step
     * number at most points: one division saved per draw, same values). */
    if (x >= bound || x >= (0 - bound) % bound) /* 2^64 mod bound */
      return x % bound;
  }
}

/* ln(y) for 0 < y <= 1, from IEEE basic operations only (the runtime does
 * not link libm, and a seed must draw the same values on every machine):
 * y = m * 2^-e with m in [1/2, 1), ln m = 2 atanh((m - 1) / (m + 1)), whose
 * series in z^2 <= 1/9 is exact to double precision in 20 terms. */
static double log_unit(double y) {
  int e = 0;
  while (y < 0.5) {
    y *= 2;
    e++;
  }
  double z = (y - 1) / (y + 1), z2 = z * z, term = z, sum = 0;
  for (int k = 1; k < 40; k += 2) {
    sum += term / k;
    term *= z2;
  }
  return 2 * sum - e * 0.69314718055994530942;
}

uint64_t rc_rng_geometric(rc_rng *rng, uint64_t num, uint64_t den) {
  RC_CHECK(num > 0 && num <= den);
  if (num == den)
    return 0;
  /* Inversion: failures = floor(ln U / ln(1 - p)), U uniform in (0, 1]. */
  double u = (double)((rc_rng_next(rng) >> 11) + 1) * 0x1p-53;
  double failures = log_unit(u) / log_unit((double)(den - num) / (double)den);
  return failures < 0x1p62 ? (uint64_t)failures : (uint64_t)1 << 62;
}
