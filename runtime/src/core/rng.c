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
