/* child_channel.c — the channel that makes an instrumented child part of the
 * run (core/child_channel.h): written by the parent into a memfd, taken by
 * the child's runtime at start-up, with raw system calls only (the child
 * reads it before libc's stdio or the fd model exist). */
#include "core/child_channel.h"
#include "core/options_env.h"
#include "core/runtime.h"
#include "racecheck/record_format.h"

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>

#define CHANNEL_NAME "racecheck-channel"
#define CHANNEL_MAGIC "racecheck-channel 1\n"
/* A record path and the options: far below this; a longer text is not a
 * channel the runtime wrote. */
#define CHANNEL_TEXT_MAX 65536

/* The memfd's first bytes; the options text follows at sizeof(header). */
typedef struct channel_header {
  char magic[32];
  /* images that took this channel so far (a shell may start several): the
   * first writes the record the text names, the K-th that path plus "+K" */
  uint64_t claims;
  uint64_t text_len;
  char pad[16];
} channel_header;

static long sys(long n, long a, long b, long c, long d) {
  return rc_raw_syscall(n, a, b, c, d, 0, 0);
}

/* ---- the child's side ---- */

/* The text a channel gives, with its claim's record path; null when `fd`
 * is not a channel this runtime wrote. */
static char *read_channel(int fd) {
  channel_header h;
  if (sys(SYS_pread64, fd, (long)&h, sizeof h, 0) != (long)sizeof h ||
      memcmp(h.magic, CHANNEL_MAGIC, sizeof CHANNEL_MAGIC - 1) != 0 ||
      h.text_len == 0 || h.text_len > CHANNEL_TEXT_MAX)
    return 0;
  long page = rc_raw_syscall(SYS_mmap, 0, sizeof h, PROT_READ | PROT_WRITE,
                             MAP_SHARED, fd, 0);
  if (page < 0)
    return 0;
  uint64_t claim = __atomic_add_fetch(&((channel_header *)page)->claims, 1,
                                      __ATOMIC_SEQ_CST);
  sys(SYS_munmap, page, sizeof h, 0, 0);
  char *text = rc_alloc(h.text_len + 32);
  if (sys(SYS_pread64, fd, (long)text, (long)h.text_len, sizeof h) !=
      (long)h.text_len)
    return 0;
  text[h.text_len] = 0;
  /* invariant (open_channel): the text ends with its "record=" item */
  const char *last = strrchr(text, ':');
  if (claim > 1 && last && strncmp(last, ":record=", 8) == 0 && last[8])
    snprintf(text + h.text_len, 32, "+%llu", (unsigned long long)claim);
  return text;
}

static bool is_channel_link(const char *dir_name, int dir_fd) {
  char link[64];
  long n =
      sys(SYS_readlinkat, dir_fd, (long)dir_name, (long)link, sizeof link - 1);
  if (n <= 0)
    return false;
  link[n] = 0;
  return strncmp(link, "/memfd:" CHANNEL_NAME,
                 sizeof "/memfd:" CHANNEL_NAME - 1) == 0;
}

/* linux_dirent64, as getdents64 fills it */
typedef struct dirent64_raw {
  uint64_t ino;
  int64_t off;
  unsigned short reclen;
  unsigned char type;
  char name[];
} dirent64_raw;

const char *rc_child_channel_take(void) {
  int dir = (int)sys(SYS_openat, AT_FDCWD, (long)"/proc/self/fd",
                     O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);
  if (dir < 0)
    return 0;
  int found[16];
  int n_found = 0;
  char buf[2048] __attribute__((aligned(8)));
  long n;
  while ((n = sys(SYS_getdents64, dir, (long)buf, sizeof buf, 0)) > 0)
    for (long at = 0; at < n;) {
      dirent64_raw *d = (dirent64_raw *)(buf + at);
      at += d->reclen;
      int fd = 0;
      const char *c = d->name;
      for (; *c >= '0' && *c <= '9' && fd < 1 << 24; c++)
        fd = fd * 10 + (*c - '0');
      if (*c || c == d->name || fd == dir || n_found == 16)
        continue;
      if (is_channel_link(d->name, dir))
        found[n_found++] = fd;
    }
  sys(SYS_close, dir, 0, 0, 0);
  char *text = 0;
  for (int i = 0; i < n_found; i++) {
    if (!text)
      text = read_channel(found[i]);
    sys(SYS_close, found[i], 0, 0, 0);
  }
  return text;
}

/* ---- the parent's side ---- */

/* Channels open in this process (a system() holds its own until the
 * command ends); the lock orders threads the watchdog let run meanwhile. */
static int g_open[16];
static int g_n_open;
static int g_lock;

static void lock(void) {
  while (__atomic_exchange_n(&g_lock, 1, __ATOMIC_ACQUIRE))
    __builtin_ia32_pause();
}
static void unlock(void) { __atomic_store_n(&g_lock, 0, __ATOMIC_RELEASE); }

/* The strategy a child runs: the parent's own, as recorded (a replay sets
 * it from the file, so the child repeats its choices); strategies steered
 * by the parent's files give their base. */
static const char *child_strategy(void) {
  const char *s = g_rt.options.strategy;
  if (strcmp(s, "guided") == 0)
    return g_rt.options.guided_base[0] ? g_rt.options.guided_base : "random";
  if (strcmp(s, "directed") == 0 || strcmp(s, "race-directed") == 0 ||
      strcmp(s, "replay") == 0)
    return "random";
  return s;
}

static int open_channel(const char *process, const char *record,
                        uint64_t claims) {
  const char *base = rc_options_env_entry() ? rc_options_env_entry() + 18 : "";
  const rc_options *o = &g_rt.options;
  size_t size = strlen(base) + strlen(record) + strlen(process) + 1024;
  char *text = rc_alloc(size);
  int len = snprintf(
      text, size,
      "%s:json=:schedule_out=:replay=:fork_server=:directed_targets=:guide=:"
      "race_targets=:suppressions=:guided_base=:shrunk_from=0:"
      "debug_stop_finding=0:debug_stop_step=0:strategy=%s:seed=%llu:"
      "preempt_budget=%llu:pct_depth=%llu:pct_steps=%llu:"
      "spurious_wakeups=%d:random_decay_steps=%llu:access_points=%d:"
      "max_steps=%llu:fair=%d:livelock_repeats=%llu:child_process=%s%s"
      ":record=%s",
      base, child_strategy(), (unsigned long long)o->seed,
      (unsigned long long)o->preempt_budget, (unsigned long long)o->pct_depth,
      (unsigned long long)o->pct_steps, (int)o->spurious_wakeups,
      (unsigned long long)o->random_decay_steps, (int)o->access_points,
      (unsigned long long)o->max_steps, (int)o->fair,
      (unsigned long long)o->livelock_repeats, process,
      record[0] ? ":report=0" : "", record);
  if (len <= 0 || (size_t)len >= size || len > CHANNEL_TEXT_MAX)
    return -1;
  int fd = (int)sys(SYS_memfd_create, (long)CHANNEL_NAME, 0, 0, 0);
  if (fd < 0)
    return -1;
  channel_header h;
  memset(&h, 0, sizeof h);
  memcpy(h.magic, CHANNEL_MAGIC, sizeof CHANNEL_MAGIC - 1);
  h.claims = claims;
  h.text_len = (uint64_t)len;
  if (sys(SYS_pwrite64, fd, (long)&h, sizeof h, 0) != (long)sizeof h ||
      sys(SYS_pwrite64, fd, (long)text, len, sizeof h) != len) {
    sys(SYS_close, fd, 0, 0, 0);
    return -1;
  }
  lock();
  for (int i = 0; i < g_n_open; i++) /* their processes exist already */
    sys(SYS_fcntl, g_open[i], F_SETFD, FD_CLOEXEC, 0);
  if (g_n_open < 16)
    g_open[g_n_open++] = fd;
  unlock();
  return fd;
}

int rc_child_channel_open_new(void) {
  if (!g_rt.initialized)
    return -1;
  uint32_t order = ++g_rt.forks;
  char process[sizeof g_rt.process];
  snprintf(process, sizeof process, "%s%s%u", g_rt.process,
           g_rt.process[0] ? "." : "", order);
  const char *record = g_rt.options.record;
  char *child_record = "";
  if (record[0]) {
    size_t size = strlen(record) + sizeof RC_RECORD_CHILD_SUFFIX + 12;
    child_record = rc_alloc(size);
    snprintf(child_record, size, "%s%s%u", record, RC_RECORD_CHILD_SUFFIX,
             order);
  }
  return open_channel(process, child_record, 0);
}

int rc_child_channel_open_same(bool wrote_record) {
  if (!g_rt.initialized)
    return -1;
  return open_channel(g_rt.process, g_rt.options.record, wrote_record ? 1 : 0);
}

void rc_child_channel_close(int fd) {
  if (fd < 0)
    return;
  lock();
  for (int i = 0; i < g_n_open; i++)
    if (g_open[i] == fd) {
      g_open[i] = g_open[--g_n_open];
      break;
    }
  unlock();
  sys(SYS_close, fd, 0, 0, 0);
}

void rc_child_channel_after_fork_child(void) {
  for (int i = 0; i < g_n_open; i++)
    sys(SYS_close, g_open[i], 0, 0, 0);
  g_n_open = 0;
  g_lock = 0;
}
