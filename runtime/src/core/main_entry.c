/* main_entry.c — the runtime's hook at the entry of main: glibc's
 * __libc_start_main is wrapped (the executable's own definition, which the
 * startup code _start binds to at link time; hidden, so nothing else sees
 * it), and the program's main runs behind main_entry. There, before main's
 * first statement, the fork server takes over when asked (fork_server.c)
 * and the scheduling strategy begins with the run's seed
 * (rc_schedule_begin): constructors before it run with a single thread and
 * no seeded choice, so every seed starts main from the same state. */
#include "sched/scheduler.h"

typedef int (*rc_main_fn)(int, char **, char **);
typedef int (*rc_libc_start_main_fn)(rc_main_fn main, int argc, char **argv,
                                     void (*init)(void), void (*fini)(void),
                                     void (*rtld_fini)(void), void *stack_end);

static rc_main_fn program_main;

static int main_entry(int argc, char **argv, char **envp) {
  rc_fork_server_serve(); /* returns in a served child, or when not asked */
  rc_watchdog_start_at_main(); /* single-threaded programs hang too */
  rc_schedule_begin();
  return program_main(argc, argv, envp);
}

int __libc_start_main(rc_main_fn main, int argc, char **argv,
                      void (*init)(void), void (*fini)(void),
                      void (*rtld_fini)(void), void *stack_end) {
  static rc_libc_start_main_fn real_start_main;
  RC_REAL(real_start_main, "__libc_start_main");
  program_main = main;
  return real_start_main(main_entry, argc, argv, init, fini, rtld_fini,
                         stack_end);
}
