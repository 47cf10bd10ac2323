/* bounded_choices.c — see bounded_choices.h. */
#include "sched/bounded_choices.h"

#include <string.h>

/* C(a, k), saturating at UINT64_MAX. */
static uint64_t binomial(uint64_t a, uint32_t k) {
  if (k > a)
    return 0;
  unsigned __int128 v = 1;
  for (uint32_t j = 1; j <= k; j++) {
    v = v * (a - k + j) / j; /* exact: C(a-k+j, j) */
    if (v > UINT64_MAX)
      return UINT64_MAX;
  }
  return (uint64_t)v;
}

void rc_bounded_choices_of(uint64_t seed, uint32_t bound, bool multiset,
                           rc_bounded_choices *out) {
  memset(out, 0, sizeof *out);
  if (seed == 0 || bound == 0)
    return;
  if (bound > RC_BOUNDED_MAX)
    bound = RC_BOUNDED_MAX;
  uint32_t c = 1 + (uint32_t)((seed - 1) % bound);
  uint64_t rank = (seed - 1) / bound;
  /* Combinatorial number system: rank = C(a_c, c) + ... + C(a_1, 1) with
   * a_c > ... > a_1 >= 0; each a_i the largest with C(a_i, i) <= rest. */
  for (uint32_t i = c; i >= 1; i--) {
    uint64_t lo = i - 1, hi = (uint64_t)i + rank; /* C(hi, i) > rank */
    while (lo < hi) {
      uint64_t mid = lo + (hi - lo + 1) / 2;
      if (binomial(mid, i) <= rank)
        lo = mid;
      else
        hi = mid - 1;
    }
    rank -= binomial(lo, i);
    out->at[i - 1] = lo;
  }
  out->n = c;
  /* Distinct a_1 < ... < a_c -> multiset b_i = a_i - (i - 1). */
  if (multiset)
    for (uint32_t i = 0; i < c; i++)
      out->at[i] -= i;
}

uint32_t rc_bounded_choices_at(const rc_bounded_choices *choices,
                               uint32_t *cursor, uint64_t index) {
  while (*cursor < choices->n && choices->at[*cursor] < index)
    ++*cursor;
  uint32_t count = 0;
  while (*cursor < choices->n && choices->at[*cursor] == index) {
    ++*cursor;
    count++;
  }
  return count;
}

uint32_t rc_bounded_parse(const char *name, const char *prefix) {
  size_t len = strlen(prefix);
  if (strncmp(name, prefix, len) != 0)
    return 0;
  uint32_t n = 0;
  const char *p = name + len;
  if (!*p)
    return 0;
  for (; *p; p++) {
    if (*p < '0' || *p > '9' || n > RC_BOUNDED_MAX)
      return 0;
    n = n * 10 + (uint32_t)(*p - '0');
  }
  return n >= 1 && n <= RC_BOUNDED_MAX ? n : 0;
}
