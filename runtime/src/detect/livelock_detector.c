/* livelock_detector.c — incremental cycle detection on the stream of step
 * hashes (see livelock.h). Cost per step: one rolling-hash update, one
 * probe and one store in a 2-way table, no allocation; a normal run pays
 * a few nanoseconds per scheduling point.
 *
 * The window fingerprint F(i) = sum_{k<W} h(i-k) * B^k (mod 2^64) is
 * updated in O(1): F(i) = F(i-1)*B + h(i) - h(i-W)*B^W (Karp-Rabin). Two
 * equal fingerprints at distance p say that the W steps before both are
 * equal, i.e. the stretch of W + p steps ending here has period p; each
 * further step whose fingerprint was last seen p steps earlier extends the
 * stretch by one. */
#include "detect/livelock.h"

#include <string.h>

#define RING_MASK (RC_CYCLE_RING - 1)
#define TABLE_SETS (RC_CYCLE_TABLE / 2)
static const uint64_t kBase = 0x9e3779b97f4a7c15ull; /* odd: invertible */

static uint64_t base_to_window(void) {
  static uint64_t power;
  if (!power) {
    power = 1;
    for (int i = 0; i < RC_CYCLE_WINDOW; i++)
      power *= kBase;
  }
  return power;
}

void rc_cycle_init(rc_cycle_detector *d) { memset(d, 0, sizeof *d); }

void rc_cycle_reset(rc_cycle_detector *d) {
  /* Entries recorded before reset_index are ignored from now on, so the
   * table need not be cleared (that would cost 128 KiB per progress). */
  d->reset_index = d->count;
  d->fingerprint = 0;
  d->period = 0;
  d->run = 0;
  d->candidate_id++;
}

uint64_t rc_cycle_stretch_start(const rc_cycle_detector *d) {
  /* The stretch: W + p + run - 1 steps ending at count-1. */
  return d->count - (RC_CYCLE_WINDOW + d->period + d->run - 1);
}

/* The index last seen with fingerprint f (not before the reset window), or
 * UINT64_MAX. */
static uint64_t lookup(const rc_cycle_detector *d, uint64_t f) {
  size_t set = (size_t)(f >> 20) % TABLE_SETS * 2;
  for (int way = 0; way < 2; way++) {
    uint64_t stored = d->table[set + way].index_plus_one;
    if (d->table[set + way].fingerprint == f && stored &&
        stored - 1 >= d->reset_index + RC_CYCLE_WINDOW - 1)
      return stored - 1;
  }
  return UINT64_MAX;
}

static void remember(rc_cycle_detector *d, uint64_t f, uint64_t index) {
  size_t set = (size_t)(f >> 20) % TABLE_SETS * 2;
  size_t slot = set;
  if (d->table[set].fingerprint != f &&
      (d->table[set + 1].fingerprint == f ||
       d->table[set + 1].index_plus_one < d->table[set].index_plus_one))
    slot = set + 1; /* the matching or the older way */
  d->table[slot].fingerprint = f;
  d->table[slot].index_plus_one = index + 1;
}

uint64_t rc_cycle_feed(rc_cycle_detector *d, uint64_t hash, uint64_t repeats) {
  uint64_t index = d->count++;
  d->ring[index & RING_MASK] = hash;
  uint64_t since_reset = index - d->reset_index + 1;
  d->fingerprint = d->fingerprint * kBase + hash;
  if (since_reset > RC_CYCLE_WINDOW)
    d->fingerprint -=
        d->ring[(index - RC_CYCLE_WINDOW) & RING_MASK] * base_to_window();
  if (since_reset < RC_CYCLE_WINDOW)
    return 0; /* the window is not full yet */

  uint64_t seen = lookup(d, d->fingerprint);
  uint64_t p = seen == UINT64_MAX ? 0 : index - seen;
  /* The period's steps must still be in the ring (for the report), and the
   * step p back must really equal this one (a fingerprint collision is
   * unlikely but must not invent a cycle). */
  if (p >= RC_CYCLE_RING || (p && d->ring[seen & RING_MASK] != hash))
    p = 0;
  if (p && p == d->period) {
    d->run++;
  } else {
    d->period = p;
    d->run = p ? 1 : 0;
    d->candidate_id++;
  }
  remember(d, d->fingerprint, index);
  if (!p)
    return 0;
  if (repeats < 2)
    repeats = 2;
  uint64_t stretch = RC_CYCLE_WINDOW + p + d->run - 1;
  return stretch >= repeats * p ? stretch / p : 0;
}
