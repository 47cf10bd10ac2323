/* malloc_arenas.c — one glibc malloc arena for the whole program.
 *
 * glibc gives each new thread that calls malloc an arena of its own: a
 * 64 MiB-aligned reservation (mmap of 128 MiB, two munmaps, an mprotect)
 * and fresh page faults, in every thread of every run. Several arenas
 * exist so that threads running in parallel do not contend for one malloc
 * lock; under racecheck one thread runs at a time, so they buy nothing and
 * cost tens of microseconds per thread — a large part of a fork-served
 * schedule (docs/fork-server.md). mallopt(M_ARENA_MAX, 1) makes every
 * thread use the main arena. It changes which addresses malloc returns in
 * threads other than main, never what the program computes; it is done
 * before main in every run (served or not), so a schedule behaves the same
 * with and without the fork server. */
#include "core/runtime.h"

#include <malloc.h>

static void use_one_malloc_arena(int argc, char **argv, char **envp) {
  (void)argc;
  (void)argv;
  (void)envp;
  mallopt(M_ARENA_MAX, 1);
}

__attribute__((section(".preinit_array"),
               used)) static void (*const rc_malloc_arenas_entry)(int, char **,
                                                                  char **) =
    use_one_malloc_arena;
