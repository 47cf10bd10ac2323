/* detect/benign_races.h — the memory a program declared racy by design
 * (racecheck_benign_race): races on it are not reported. Looked up only
 * where a race is about to be reported, so it costs nothing on the access
 * path. */
#ifndef RACECHECK_DETECT_BENIGN_RACES_H
#define RACECHECK_DETECT_BENIGN_RACES_H

#include <stdbool.h>
#include <stdint.h>

/* Declares [addr, addr+size) benign until the run ends (as TSan keeps its
 * AnnotateBenignRaceSized ranges); a full table drops the range (the races
 * then stay reported, never wrongly hidden). */
void rc_benign_race_add(uintptr_t addr, uint64_t size);
/* Whether `addr` lies in a declared range. */
bool rc_benign_race_covers(uintptr_t addr);

#endif /* RACECHECK_DETECT_BENIGN_RACES_H */
