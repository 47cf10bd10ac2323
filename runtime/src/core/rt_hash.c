/* rt_hash.c — open-addressing hash map from a non-zero 64-bit key to a
 * pointer (linear probing, power-of-two capacity, load factor <= 3/4).
 *
 * An empty slot has key 0 and value null; an erased slot (tombstone) has key 0
 * and the value RC_MAP_TOMBSTONE, so no second key value is reserved. Lookups
 * skip tombstones, insertions reuse the first one they pass, and the table is
 * rebuilt when tombstones and entries together fill 3/4 of it. */
#include "core/runtime.h"

#define RC_MAP_TOMBSTONE ((void *)1)
#define RC_MAP_MIN_CAP 16

/* SplitMix64's output finalizer (Steele, Lea, Flood; "Fast splittable
 * pseudorandom number generators", OOPSLA'14): a bijective 64-bit mixer. */
uint64_t rc_hash64(uint64_t x) {
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebULL;
  x ^= x >> 31;
  return x;
}

static size_t rc_map_probe_start(const rc_map *m, uint64_t key) {
  return (size_t)rc_hash64(key) & (m->cap - 1);
}

void **rc_map_find(rc_map *m, uint64_t key) {
  RC_DCHECK(key != 0);
  if (m->cap == 0)
    return 0;
  for (size_t i = rc_map_probe_start(m, key);; i = (i + 1) & (m->cap - 1)) {
    if (m->keys[i] == key)
      return &m->values[i];
    if (m->keys[i] == 0 && m->values[i] == 0)
      return 0; /* true empty slot ends the probe sequence */
  }
}

static void rc_map_rebuild(rc_map *m, size_t new_cap) {
  uint64_t *old_keys = m->keys;
  void **old_values = m->values;
  size_t old_cap = m->cap;
  m->keys = rc_alloc(new_cap * sizeof *m->keys);
  m->values = rc_alloc(new_cap * sizeof *m->values);
  m->cap = new_cap;
  m->count = 0;
  m->tombstones = 0;
  for (size_t i = 0; i < old_cap; i++) {
    if (old_keys[i] == 0)
      continue;
    size_t j = rc_map_probe_start(m, old_keys[i]);
    while (m->keys[j] != 0)
      j = (j + 1) & (new_cap - 1);
    m->keys[j] = old_keys[i];
    m->values[j] = old_values[i];
    m->count++;
  }
  rc_free(old_keys, old_cap * sizeof *old_keys);
  rc_free(old_values, old_cap * sizeof *old_values);
}

void **rc_map_insert(rc_map *m, uint64_t key) {
  RC_CHECK(key != 0);
  if ((m->count + m->tombstones + 1) * 4 > m->cap * 3) {
    size_t cap = m->cap ? m->cap : RC_MAP_MIN_CAP;
    /* Grow only if live entries need it; otherwise just drop tombstones. */
    while ((m->count + 1) * 2 > cap)
      cap *= 2;
    rc_map_rebuild(m, cap);
  }
  size_t first_tombstone = SIZE_MAX;
  size_t i = rc_map_probe_start(m, key);
  for (;; i = (i + 1) & (m->cap - 1)) {
    if (m->keys[i] == key)
      return &m->values[i];
    if (m->keys[i] == 0) {
      if (m->values[i] == 0)
        break;
      if (first_tombstone == SIZE_MAX)
        first_tombstone = i;
    }
  }
  if (first_tombstone != SIZE_MAX) {
    i = first_tombstone;
    m->tombstones--;
  }
  m->keys[i] = key;
  m->values[i] = 0;
  m->count++;
  return &m->values[i];
}

void rc_map_erase(rc_map *m, uint64_t key) {
  void **slot = rc_map_find(m, key);
  if (!slot)
    return;
  size_t i = (size_t)(slot - m->values);
  m->keys[i] = 0;
  m->values[i] = RC_MAP_TOMBSTONE;
  m->count--;
  m->tombstones++;
}
