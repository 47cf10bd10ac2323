/* schedule_reader_fuzzer.c — libFuzzer target for the runtime's
 * ScheduleReader (runtime/src/record/schedule_reader.c) and its guide and
 * race-targets readers. They read a path with raw system calls at start-up,
 * so the input is written to a private temporary file and read back through
 * the real code path; a refusal (rc_fatal) is a clean outcome. */
#include "runtime_fuzz_fakes.h"

#include "record/schedule.h"

#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char path[64];

static void write_input(const uint8_t *data, size_t size) {
  if (!path[0]) {
    snprintf(path, sizeof path, "%s/racecheck-fuzz-schedule-XXXXXX",
             access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp");
    int fd = mkstemp(path);
    if (fd < 0)
      abort();
    close(fd);
  }
  int fd = open(path, O_WRONLY | O_TRUNC);
  if (fd < 0 || write(fd, data, size) != (ssize_t)size)
    abort();
  close(fd);
}

static void remove_input(void) { unlink(path); }

/* Runs one reader; every field it returns must be readable. */
static volatile size_t sink;

static void read_schedule(void) {
  rc_schedule_file file;
  if (setjmp(rc_fuzz_refused))
    return;
  rc_schedule_reader_read(path, &file);
  sink += strlen(file.tool_version) + strlen(file.binary) +
          strlen(file.program) + strlen(file.strategy);
  for (uint64_t i = 0; i < file.n_decisions; i++)
    sink += strlen(file.decisions[i].op) + strlen(file.decisions[i].file);
  for (uint32_t i = 0; i < file.n_race_targets; i++)
    sink += strlen(file.race_targets[i].delay_file) +
            strlen(file.race_targets[i].until_function);
}

static void read_guide(void) {
  rc_guide_entry *entries;
  uint32_t n;
  if (setjmp(rc_fuzz_refused))
    return;
  rc_guide_read(path, &entries, &n);
  for (uint32_t i = 0; i < n; i++)
    sink += strlen(entries[i].file) + entries[i].op;
}

static void read_targets(void) {
  rc_race_target *targets;
  uint32_t n;
  if (setjmp(rc_fuzz_refused))
    return;
  rc_race_targets_read(path, &targets, &n);
  for (uint32_t i = 0; i < n; i++)
    sink += strlen(targets[i].until_file) + strlen(targets[i].delay_function);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (!path[0])
    atexit(remove_input);
  write_input(data, size);
  rc_fuzz_armed = 1;
  read_schedule();
  read_guide();
  read_targets();
  rc_fuzz_armed = 0;
  rc_fuzz_free_all();
  return 0;
}
