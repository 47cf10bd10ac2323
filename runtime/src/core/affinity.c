/* affinity.c — a fork server's children run on one CPU, and the program
 * does not see it.
 *
 * Under the scheduler only one thread of a run executes at a time, so a
 * served child gains nothing from a second CPU and pays for it: every hand-
 * over wakes a thread on the other CPU (an IPI and a scheduler wake-up), a
 * copy-on-write fault of a multi-threaded child flushes the other CPU's TLB,
 * and the parked thread spins in park() while the CPU it would need is
 * running the token holder. So a served child runs pinned to one CPU, and
 * park() yields the CPU instead of spinning in a pinned process
 * (rc_cpu_pinned). Which CPU:
 * with one server, and in a single run (option pin_cpu: the hand-over of
 * the token then costs a few microseconds instead of a cross-CPU wake-up
 * of 10-20), each child pins itself, when it creates its first
 * thread (a single thread gains nothing from it), to the CPU it runs on
 * (where the kernel placed it, the least busy one at its fork: on a shared
 * machine a fixed CPU would be stuck behind whatever else runs there); with
 * several (--jobs J), the server of slot K pins itself to the K-th CPU of
 * its mask before its first fork and its children inherit that, so that
 * the J children never share a CPU.
 *
 * What the program sees is the mask it would have had without the pinning:
 * sched_getaffinity / pthread_getaffinity_np on its own threads answer the
 * mask the server had before any pinning, or the mask the program set
 * with sched_setaffinity / pthread_setaffinity_np, which is remembered (and
 * validated like the kernel does) but not applied — execution is serialized
 * anyway. A new thread inherits its creator's mask at pthread_create, as in
 * Linux. Processes the program starts (exec, posix_spawn, system, popen)
 * get the calling thread's mask for real. Threads the runtime does not
 * know, and other processes, are passed to libc unchanged. */
#include "core/child_channel.h"
#include "core/options_env.h"
#include "sched/scheduler.h"
#include "sync/models.h"

#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

bool rc_cpu_pinned;
bool rc_affinity_pin_pending;

/* Whether the program's view is ours: the process runs pinned, or will be
 * at its first pthread_create. */
static bool virtualized(void) {
  return rc_cpu_pinned || rc_affinity_pin_pending;
}

/* The mask the process had before any pinning: what the program sees. */
static cpu_set_t original_mask;
/* The CPU the process is pinned to (as a mask, for re-pinning). */
static cpu_set_t pinned_mask;

/* Masks the program set, in order: thread `thread` set `mask` while the
 * run had `threads_then` threads, so thread k inherited it from its
 * creator iff k >= threads_then (threads are numbered in creation order). */
typedef struct rc_mask_change {
  rc_tid thread;
  uint32_t threads_then;
  cpu_set_t mask;
} rc_mask_change;
static rc_mask_change *changes;
static uint32_t n_changes, changes_cap;

void rc_affinity_capture(void) {
  if (rc_raw_syscall(SYS_sched_getaffinity, 0, sizeof original_mask,
                     (long)&original_mask, 0, 0, 0) < 0)
    CPU_ZERO(&original_mask); /* unknown: nobody pins */
}

/* Pins the calling thread (the process's only one) to `cpu`; with a single
 * allowed CPU it is pinned already. */
static void pin_to(int cpu) {
  if (cpu < 0 || CPU_COUNT(&original_mask) < 1)
    return;
  CPU_ZERO(&pinned_mask);
  CPU_SET(cpu, &pinned_mask);
  if (CPU_COUNT(&original_mask) > 1 &&
      rc_raw_syscall(SYS_sched_setaffinity, 0, sizeof pinned_mask,
                     (long)&pinned_mask, 0, 0, 0) < 0)
    return;
  rc_cpu_pinned = true;
}

void rc_affinity_pin_server(uint64_t slot) {
  int allowed = CPU_COUNT(&original_mask);
  if (allowed < 1)
    return;
  int wanted = (int)(slot % (uint64_t)allowed), seen = 0, cpu = -1;
  for (int c = 0; c < CPU_SETSIZE && cpu < 0; c++)
    if (CPU_ISSET(c, &original_mask) && seen++ == wanted)
      cpu = c;
  pin_to(cpu);
}

void rc_affinity_single_run(void) {
  if (!g_rt.options.pin_cpu || g_rt.fork_child || virtualized())
    return;
  rc_affinity_capture();
  rc_affinity_pin_pending = true;
}

void rc_affinity_first_thread(void) {
  /* The program's own fork children stay as they are (still virtual). */
  if (!rc_affinity_pin_pending || g_rt.fork_child)
    return;
  rc_affinity_pin_pending = false;
  if (!rc_cpu_pinned)
    pin_to(sched_getcpu());
}

void rc_affinity_thread_start(rc_thread *t) {
  if (virtualized())
    __atomic_store_n(&rc_ext(t)->os_tid,
                     (int32_t)rc_raw_syscall(SYS_gettid, 0, 0, 0, 0, 0, 0),
                     __ATOMIC_RELEASE);
}

/* ---- the program's view ---- */

/* The mask of thread `tid` just before thread `before` was created. */
static const cpu_set_t *mask_before(rc_tid tid, uint32_t before) {
  for (;;) {
    for (uint32_t i = n_changes; i-- > 0;)
      if (changes[i].thread == tid && changes[i].threads_then <= before)
        return &changes[i].mask;
    rc_tid parent = g_rt.threads[tid]->parent;
    if (parent == UINT32_MAX)
      return &original_mask;
    before = tid; /* the parent's mask when it created `tid` */
    tid = parent;
  }
}

static const cpu_set_t *current_mask(rc_tid tid) {
  return mask_before(tid, UINT32_MAX);
}

/* The registered thread with kernel thread id `pid` (0: the caller), or
 * null: another process, or a thread the runtime does not know. Only
 * while pinned and while the caller takes part in the run. */
static rc_thread *thread_by_os_tid(pid_t pid) {
  rc_thread *self = rc_active_thread();
  if (!virtualized() || !self)
    return 0;
  if (pid == 0)
    return self;
  if (pid == (pid_t)rc_raw_syscall(SYS_getpid, 0, 0, 0, 0, 0, 0))
    return g_rt.threads[0]; /* the main thread's id is the process id */
  for (uint32_t i = g_rt.n_threads; i-- > 1;) /* newest first: ids are reused */
    if (__atomic_load_n(&rc_ext(g_rt.threads[i])->os_tid, __ATOMIC_ACQUIRE) ==
        pid)
      return g_rt.threads[i];
  return 0;
}

static rc_thread *thread_by_pthread(pthread_t thread) {
  return virtualized() ? rc_thread_of(thread) : 0;
}

/* Replaces what the real call wrote (the pinned mask, zero-filled to
 * `size` bytes) by the thread's mask, within the bytes the kernel wrote. */
static void answer_mask(rc_thread *t, size_t size, cpu_set_t *mask) {
  const cpu_set_t *virtual_mask = current_mask(t->tid);
  size_t n = size < sizeof *virtual_mask ? size : sizeof *virtual_mask;
  memcpy(mask, virtual_mask, n);
}

/* Remembers `mask` for `t`; EINVAL, as the kernel, when it names no CPU the
 * process may use. */
static int remember_mask(rc_thread *t, size_t size, const cpu_set_t *mask) {
  cpu_set_t requested;
  CPU_ZERO(&requested);
  memcpy(&requested, mask, size < sizeof requested ? size : sizeof requested);
  CPU_AND(&requested, &requested, &original_mask);
  if (CPU_COUNT(&requested) == 0)
    return EINVAL;
  if (n_changes == changes_cap) {
    uint32_t cap = changes_cap ? changes_cap * 2 : 8;
    changes = rc_realloc(changes, changes_cap * sizeof *changes,
                         cap * sizeof *changes);
    changes_cap = cap;
  }
  changes[n_changes++] = (rc_mask_change){t->tid, g_rt.n_threads, requested};
  return 0;
}

static int (*real_sched_getaffinity)(pid_t, size_t, cpu_set_t *);
static int (*real_sched_setaffinity)(pid_t, size_t, const cpu_set_t *);
static int (*real_pthread_getaffinity_np)(pthread_t, size_t, cpu_set_t *);
static int (*real_pthread_setaffinity_np)(pthread_t, size_t, const cpu_set_t *);

RC_INTERCEPT int sched_getaffinity(pid_t pid, size_t size, cpu_set_t *mask) {
  RC_REAL(real_sched_getaffinity, "sched_getaffinity");
  rc_thread *t = thread_by_os_tid(pid);
  /* The real call first: its errors (size too small, bad pointer) and the
   * zero fill stay libc's. */
  int ret = real_sched_getaffinity(pid, size, mask);
  if (ret == 0 && t)
    answer_mask(t, size, mask);
  return ret;
}

RC_INTERCEPT int sched_setaffinity(pid_t pid, size_t size,
                                   const cpu_set_t *mask) {
  RC_REAL(real_sched_setaffinity, "sched_setaffinity");
  rc_thread *t = thread_by_os_tid(pid);
  if (!t)
    return real_sched_setaffinity(pid, size, mask);
  int err = remember_mask(t, size, mask);
  if (err) {
    errno = err;
    return -1;
  }
  return 0;
}

RC_INTERCEPT int pthread_getaffinity_np(pthread_t thread, size_t size,
                                        cpu_set_t *mask) {
  RC_REAL(real_pthread_getaffinity_np, "pthread_getaffinity_np");
  rc_thread *t = thread_by_pthread(thread);
  int ret = real_pthread_getaffinity_np(thread, size, mask);
  if (ret == 0 && t)
    answer_mask(t, size, mask);
  return ret;
}

RC_INTERCEPT int pthread_setaffinity_np(pthread_t thread, size_t size,
                                        const cpu_set_t *mask) {
  RC_REAL(real_pthread_setaffinity_np, "pthread_setaffinity_np");
  rc_thread *t = thread_by_pthread(thread);
  if (!t)
    return real_pthread_setaffinity_np(thread, size, mask);
  return remember_mask(t, size, mask);
}

/* ---- processes the program starts get the caller's mask for real ---- */

/* Gives the calling thread its program-visible mask for real; returns
 * whether it did (then repin() undoes it). */
static bool unpin_caller(void) {
  rc_thread *t = thread_by_os_tid(0);
  if (!t)
    return false;
  const cpu_set_t *mask = current_mask(t->tid);
  return rc_raw_syscall(SYS_sched_setaffinity, 0, sizeof *mask, (long)mask, 0,
                        0, 0) == 0;
}

static void repin(bool unpinned) {
  if (!unpinned)
    return;
  /* Not pinned yet (no thread created so far): the process's real mask. */
  const cpu_set_t *mask = rc_cpu_pinned ? &pinned_mask : &original_mask;
  rc_raw_syscall(SYS_sched_setaffinity, 0, sizeof *mask, (long)mask, 0, 0, 0);
}

#define RC_WITH_REAL_MASK(type, call)                                          \
  do {                                                                         \
    int saved_errno;                                                           \
    bool unpinned = unpin_caller();                                            \
    type result = call;                                                        \
    saved_errno = errno;                                                       \
    repin(unpinned);                                                           \
    errno = saved_errno;                                                       \
    return result;                                                             \
  } while (0)

/* The same around a call that starts a process (or execs): the channel
 * `open` made (core/child_channel.h) is inherited by it, and closed after. */
#define RC_WITH_CHANNEL(open, type, call)                                      \
  do {                                                                         \
    int saved_errno;                                                           \
    int channel = (open);                                                      \
    bool unpinned = unpin_caller();                                            \
    type result = call;                                                        \
    saved_errno = errno;                                                       \
    repin(unpinned);                                                           \
    rc_child_channel_close(channel);                                           \
    errno = saved_errno;                                                       \
    return result;                                                             \
  } while (0)

extern char **environ;

static int (*real_execve)(const char *, char *const[], char *const[]);
static int (*real_execvpe)(const char *, char *const[], char *const[]);
static int (*real_fexecve)(int, char *const[], char *const[]);
static int (*real_posix_spawn)(pid_t *, const char *,
                               const posix_spawn_file_actions_t *,
                               const posix_spawnattr_t *, char *const[],
                               char *const[]);
static int (*real_posix_spawnp)(pid_t *, const char *,
                                const posix_spawn_file_actions_t *,
                                const posix_spawnattr_t *, char *const[],
                                char *const[]);
static int (*real_system)(const char *);
static FILE *(*real_popen)(const char *, const char *);

/* Resolved before main: the exec wrappers may run in a vfork child, where
 * dlsym (locks, possibly malloc) is better avoided. */
__attribute__((constructor)) static void resolve_process_starters(void) {
  RC_REAL(real_execve, "execve");
  RC_REAL(real_execvpe, "execvpe");
  RC_REAL(real_fexecve, "fexecve");
}

RC_INTERCEPT int execve(const char *path, char *const argv[],
                        char *const envp[]) {
  RC_REAL(real_execve, "execve");
  rc_record_before_exec(); /* nothing of this image runs after */
  envp = rc_options_env_for_exec(envp);
  RC_WITH_CHANNEL(rc_exec_channel(), int, real_execve(path, argv, envp));
}

RC_INTERCEPT int execv(const char *path, char *const argv[]) {
  RC_REAL(real_execve, "execve");
  rc_record_before_exec(); /* nothing of this image runs after */
  char *const *envp = rc_options_env_for_exec(environ);
  RC_WITH_CHANNEL(rc_exec_channel(), int, real_execve(path, argv, envp));
}

RC_INTERCEPT int execvp(const char *file, char *const argv[]) {
  RC_REAL(real_execvpe, "execvpe");
  rc_record_before_exec(); /* nothing of this image runs after */
  char *const *envp = rc_options_env_for_exec(environ);
  RC_WITH_CHANNEL(rc_exec_channel(), int, real_execvpe(file, argv, envp));
}

RC_INTERCEPT int execvpe(const char *file, char *const argv[],
                         char *const envp[]) {
  RC_REAL(real_execvpe, "execvpe");
  rc_record_before_exec(); /* nothing of this image runs after */
  envp = rc_options_env_for_exec(envp);
  RC_WITH_CHANNEL(rc_exec_channel(), int, real_execvpe(file, argv, envp));
}

RC_INTERCEPT int fexecve(int fd, char *const argv[], char *const envp[]) {
  RC_REAL(real_fexecve, "fexecve");
  rc_record_before_exec(); /* nothing of this image runs after */
  envp = rc_options_env_for_exec(envp);
  RC_WITH_CHANNEL(rc_exec_channel(), int, real_fexecve(fd, argv, envp));
}

/* execl, execlp, execle: their argument lists as an argv on the stack (glibc
 * calls its internal execve directly, past our wrapper; no allocation, as
 * they may run in a vfork child). */
#define RC_COLLECT_ARGS(first, argv, envp_out)                                 \
  va_list ap;                                                                  \
  va_start(ap, first);                                                         \
  size_t n_args = 1;                                                           \
  {                                                                            \
    va_list count;                                                             \
    va_copy(count, ap);                                                        \
    while (va_arg(count, const char *))                                        \
      n_args++;                                                                \
    va_end(count);                                                             \
  }                                                                            \
  char *argv[n_args + 1];                                                      \
  argv[0] = (char *)first;                                                     \
  for (size_t i = 1; i <= n_args; i++)                                         \
    argv[i] = va_arg(ap, char *); /* the last one read is the null */          \
  envp_out;                                                                    \
  va_end(ap)

RC_INTERCEPT int execl(const char *path, const char *arg, ...) {
  RC_COLLECT_ARGS(arg, argv, (void)0);
  return execve(path, argv, environ);
}

RC_INTERCEPT int execlp(const char *file, const char *arg, ...) {
  RC_COLLECT_ARGS(arg, argv, (void)0);
  return execvp(file, argv);
}

RC_INTERCEPT int execle(const char *path, const char *arg, ...) {
  char **envp;
  RC_COLLECT_ARGS(arg, argv, envp = va_arg(ap, char **));
  return execve(path, argv, envp);
}

RC_INTERCEPT int posix_spawn(pid_t *pid, const char *path,
                             const posix_spawn_file_actions_t *actions,
                             const posix_spawnattr_t *attr, char *const argv[],
                             char *const envp[]) {
  RC_REAL(real_posix_spawn, "posix_spawn");
  RC_WITH_CHANNEL(rc_child_channel_open_new(), int,
                  real_posix_spawn(pid, path, actions, attr, argv, envp));
}

RC_INTERCEPT int posix_spawnp(pid_t *pid, const char *file,
                              const posix_spawn_file_actions_t *actions,
                              const posix_spawnattr_t *attr, char *const argv[],
                              char *const envp[]) {
  RC_REAL(real_posix_spawnp, "posix_spawnp");
  RC_WITH_CHANNEL(rc_child_channel_open_new(), int,
                  real_posix_spawnp(pid, file, actions, attr, argv, envp));
}

RC_INTERCEPT int system(const char *command) {
  RC_REAL(real_system, "system");
  if (!command) /* asks whether a shell exists: starts none */
    RC_WITH_REAL_MASK(int, real_system(command));
  int channel = rc_child_channel_open_new();
  /* It waits for the command: outside the serialized region, as waitpid
   * does, so other threads run meanwhile and the schedule does not depend
   * on how long the command takes (the watchdog would take the token). */
  rc_thread *t = rc_active_thread();
  if (t)
    rc_io_leave(t);
  bool unpinned = unpin_caller();
  int result = real_system(command);
  int saved_errno = errno;
  repin(unpinned);
  if (t)
    rc_io_return(t);
  rc_child_channel_close(channel);
  errno = saved_errno;
  return result;
}

RC_INTERCEPT FILE *popen(const char *command, const char *mode) {
  RC_REAL(real_popen, "popen");
  RC_WITH_CHANNEL(rc_child_channel_open_new(), FILE *,
                  real_popen(command, mode));
}
