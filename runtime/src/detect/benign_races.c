/* detect/benign_races.c — the table of benign-race ranges
 * (benign_races.h). A fixed array: programs declare a handful of ranges
 * (TSan's AnnotateBenignRaceSized users do), and only one thread runs at a
 * time under the scheduler, so the table needs no lock. */
#include "detect/benign_races.h"

#define RC_BENIGN_RANGES 1024

static struct {
  uintptr_t begin, end;
} ranges[RC_BENIGN_RANGES];
static uint32_t n_ranges;

void rc_benign_race_add(uintptr_t addr, uint64_t size) {
  if (size == 0 || n_ranges == RC_BENIGN_RANGES)
    return;
  ranges[n_ranges].begin = addr;
  ranges[n_ranges].end = addr + size;
  n_ranges++;
}

bool rc_benign_race_covers(uintptr_t addr) {
  for (uint32_t i = 0; i < n_ranges; i++)
    if (addr >= ranges[i].begin && addr < ranges[i].end)
      return true;
  return false;
}
