/* runtime_fuzz_fakes.h — what the runtime fuzz targets share with their fakes
 * (runtime_fuzz_fakes.c): a way back from rc_fatal, and the release of every
 * allocation made while one input was parsed. */
#ifndef RACECHECK_RUNTIME_FUZZ_FAKES_H
#define RACECHECK_RUNTIME_FUZZ_FAKES_H

#include <setjmp.h>

/* Set by the target before it calls the code under test: rc_fatal (a clean
 * refusal of the input) jumps back here instead of exiting. */
extern jmp_buf rc_fuzz_refused;
/* Whether rc_fuzz_refused is set (a fatal error outside it is a real bug). */
extern int rc_fuzz_armed;
/* Frees what rc_alloc/rc_realloc handed out since the last call. */
void rc_fuzz_free_all(void);

#endif
