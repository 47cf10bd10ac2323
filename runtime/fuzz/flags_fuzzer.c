/* flags_fuzzer.c — libFuzzer target for the runtime's option parser
 * (runtime/src/core/flags.c). RACECHECK_OPTIONS comes from the environment
 * of whoever starts the program, so any text must either set options or be
 * refused with a message; rc_flags_try_parse is the same parser as the
 * exiting rc_flags_parse, minus the exit. */
#include "runtime_fuzz_fakes.h"

#include "sched/scheduler.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  /* The environment gives a NUL-terminated string. */
  char *text = malloc(size + 1);
  memcpy(text, data, size);
  text[size] = 0;
  rc_options options;
  rc_flags_set_defaults(&options);
  char error[1024];
  if (!rc_flags_try_parse(&options, text, error, sizeof error) &&
      !memchr(error, 0, sizeof error))
    abort(); /* a refusal always comes with a terminated message */
  free(text);
  rc_fuzz_free_all();
  return 0;
}
