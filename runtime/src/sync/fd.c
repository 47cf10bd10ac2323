/* fd.c — the model of file descriptors, after ThreadSanitizer's
 * (tsan_fd.cpp): synchronisation through the OS is happens-before, and a
 * descriptor is itself a location whose races are reported.
 *
 * A table by descriptor number keeps each descriptor's channel (rc_fd_sync,
 * sync/objects.h), kind and state. Calls that send data (write, send,
 * sendto, sendmsg, writev, pwrite, connect) release the channel's clock;
 * calls that receive (read, readv, recv, recvfrom, recvmsg, pread, accept)
 * acquire it when they did not fail: a value handed over through a pipe,
 * a socket, a socketpair or an eventfd is ordered as natively. End-of-file
 * (0) acquires too, and close releases: a reader that saw end-of-file has
 * seen everything before the writer's close. All sockets share one channel
 * (a connected socket's peer is not known), as do all opened files;
 * connect releases and accept acquires one more clock, so connect happens
 * before the accept that returns its connection. Readiness (poll, select,
 * epoll) orders nothing by itself: what the next read returns does. The
 * same edges advance the sync-order clocks, so a lock-order cycle whose
 * halves a pipe serialises is known to be unable to deadlock.
 *
 * The race part: creation, close and dup2/dup3 onto a descriptor are writes
 * of its pseudo-address (detect/fd_locations.c), I/O calls reads, checked
 * by the memory race check. Creation forgets the number's earlier life.
 * Unlike TSan, close keeps its cell, so an I/O call made after an unordered
 * close is reported too, whichever came first; and dup2/dup3 onto an open
 * descriptor are writes (TSan reads them, to spare daemons that dup
 * /dev/null over stdout while other threads write there). A closed number
 * that a call racecheck did not see has reopened (libc's own fopen, say) is
 * recognised by asking the kernel, and starts a new life instead of racing
 * with the close. */
#include "sync/models.h"
#include "sync/objects.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/syscall.h>

/* Entries by descriptor number, in chunks that never move: the race check
 * may make a scheduling point (race-directed phase) while a model function
 * holds an entry, and another thread's descriptor may grow the table. */
enum { RC_FD_CHUNK = 1024 };
static rc_fd *fd_chunks[(1 << 20) / RC_FD_CHUNK];

/* The channels shared by a whole kind, and connect -> accept. */
static rc_fd_sync socket_sync = {.refs = UINT32_MAX};
static rc_fd_sync file_sync = {.refs = UINT32_MAX};
static rc_fd_sync connect_sync = {.refs = UINT32_MAX};

static rc_fd_sync *sync_new(void) {
  rc_fd_sync *s = rc_alloc(sizeof *s);
  rc_vc_init(&s->clock);
  rc_vc_init(&s->order_clock);
  s->refs = 1;
  return s;
}

static rc_fd_sync *sync_ref(rc_fd_sync *s) {
  if (s && s->refs != UINT32_MAX)
    s->refs++;
  return s;
}

static void sync_unref(rc_fd_sync *s) {
  if (!s || s->refs == UINT32_MAX || --s->refs > 0)
    return;
  rc_vc_destroy(&s->clock);
  rc_vc_destroy(&s->order_clock);
  rc_free(s, sizeof *s);
}

/* The entry of `fd`, null when the number is not tracked. */
static rc_fd *fd_entry(int fd) {
  if (!rc_fd_address(fd) ||
      (size_t)fd / RC_FD_CHUNK >= sizeof fd_chunks / sizeof *fd_chunks)
    return 0;
  rc_fd **chunk = &fd_chunks[fd / RC_FD_CHUNK];
  if (RC_UNLIKELY(!*chunk))
    *chunk = rc_alloc(RC_FD_CHUNK * sizeof **chunk);
  return &(*chunk)[fd % RC_FD_CHUNK];
}

/* Happens-before through a channel, in both clocks. A channel has no lock
 * identity, so a cycle it orders is reported as ordered by "other
 * synchronisation". */
static void channel_release(rc_thread *t, rc_fd_sync *s) {
  rc_hb_release_join(t, &s->clock);
  rc_sync_order_release(t, &s->order_clock);
}

static void channel_acquire(rc_thread *t, rc_fd_sync *s) {
  rc_hb_acquire(t, &s->clock);
  rc_sync_order_acquire(t, &s->order_clock, UINT32_MAX);
}

/* A new life of `fd`: its creation is a write of the descriptor, made on a
 * fresh location (TSan "imitates" it the same way), so that a later
 * unordered use of the number is reported. */
static void fd_begin(rc_thread *t, int fd, rc_fd *e, rc_fd_sync *sync,
                     enum rc_record_fd_kind kind, const rc_site *site,
                     bool seen) {
  sync_unref(e->sync);
  e->sync = sync;
  e->kind = (uint8_t)kind;
  e->state = RC_FD_OPEN;
  rc_fd_location_reset(fd, kind, seen ? t->tid : UINT32_MAX, seen ? site : 0,
                       seen ? t->current_stack : 0);
  if (seen)
    rc_shadow_access(t, rc_fd_address(fd), 8, true, false, site);
}

/* The entry of a descriptor an I/O call or close is about to use. One whose
 * creation racecheck did not see (inherited, or opened inside libc) starts
 * its life now, ordering nothing. */
static rc_fd *fd_in_use(rc_thread *t, int fd) {
  rc_fd *e = fd_entry(fd);
  if (!e)
    return 0;
  if (e->state == RC_FD_CLOSED &&
      rc_raw_syscall(SYS_fcntl, fd, F_GETFD, 0, 0, 0, 0) >= 0)
    e->state = RC_FD_UNSEEN; /* reopened where racecheck did not see it */
  if (e->state == RC_FD_UNSEEN)
    fd_begin(t, fd, e, 0, RC_RECORD_FD_UNKNOWN, 0, false);
  return e;
}

static rc_fd_sync *sync_for(enum rc_record_fd_kind kind) {
  switch (kind) {
  case RC_RECORD_FD_SOCKET: return &socket_sync;
  case RC_RECORD_FD_FILE: return &file_sync;
  case RC_RECORD_FD_PIPE:
  case RC_RECORD_FD_EVENTFD: return sync_new();
  default: return 0; /* epoll, timerfd, signalfd: no data to hand over */
  }
}

void rc_fd_created(rc_thread *t, int fd, enum rc_record_fd_kind kind,
                   const rc_site *site) {
  rc_fd *e = fd_entry(fd);
  if (e)
    fd_begin(t, fd, e, sync_for(kind), kind, site, true);
}

void rc_fd_pair_created(rc_thread *t, int fd0, int fd1,
                        enum rc_record_fd_kind kind, const rc_site *site) {
  rc_fd_sync *s = sync_new();
  rc_fd *e0 = fd_entry(fd0);
  if (e0)
    fd_begin(t, fd0, e0, sync_ref(s), kind, site, true);
  rc_fd *e1 = fd_entry(fd1);
  if (e1)
    fd_begin(t, fd1, e1, sync_ref(s), kind, site, true);
  sync_unref(s);
}

/* A write of the descriptor that ends its life, releasing its channel. */
static void fd_end(rc_thread *t, int fd, rc_fd *e, const rc_site *site) {
  rc_shadow_access(t, rc_fd_address(fd), 8, true, false, site);
  if (e->sync)
    channel_release(t, e->sync);
  sync_unref(e->sync);
  e->sync = 0;
  e->state = RC_FD_CLOSED;
}

void rc_fd_dup(rc_thread *t, int oldfd, int newfd, const rc_site *site) {
  rc_fd *old = fd_in_use(t, oldfd);
  if (old)
    rc_shadow_access(t, rc_fd_address(oldfd), 8, false, false, site);
  if (newfd == oldfd)
    return;
  rc_fd *e = fd_entry(newfd);
  if (!e)
    return;
  if (e->state == RC_FD_OPEN)
    fd_end(t, newfd, e, site); /* dup2/dup3 closed it first */
  fd_begin(t, newfd, e, old ? sync_ref(old->sync) : 0,
           old ? (enum rc_record_fd_kind)old->kind : RC_RECORD_FD_UNKNOWN, site,
           true);
}

void rc_fd_close(rc_thread *t, int fd, const rc_site *site) {
  rc_fd *e = fd_entry(fd);
  if (!e)
    return;
  if (e->state == RC_FD_CLOSED) {
    /* A close of a closed number: a write racing with the close before,
     * unless the number was reopened unseen (then a life of its own). */
    e = fd_in_use(t, fd);
  } else if (e->state == RC_FD_UNSEEN) {
    e = fd_in_use(t, fd);
  }
  fd_end(t, fd, e, site);
}

/* A read of the descriptor, before an I/O call. */
static rc_fd *fd_use(rc_thread *t, int fd, const rc_site *site) {
  rc_fd *e = fd_in_use(t, fd);
  if (e)
    rc_shadow_access(t, rc_fd_address(fd), 8, false, false, site);
  return e;
}

void rc_fd_send(rc_thread *t, int fd, const rc_site *site) {
  rc_fd *e = fd_use(t, fd, site);
  if (e && e->sync)
    channel_release(t, e->sync);
}

void rc_fd_receive(rc_thread *t, int fd, const rc_site *site) {
  fd_use(t, fd, site);
}

void rc_fd_received(rc_thread *t, int fd, long result) {
  if (result < 0)
    return;
  rc_fd *e = fd_entry(fd);
  if (e && e->state == RC_FD_OPEN && e->sync)
    channel_acquire(t, e->sync);
}

void rc_fd_connect(rc_thread *t, int fd, const rc_site *site) {
  rc_fd_send(t, fd, site);
  channel_release(t, &connect_sync);
}

void rc_fd_after_fork_child(void) {
  for (size_t c = 0; c < sizeof fd_chunks / sizeof *fd_chunks; c++) {
    if (!fd_chunks[c])
      continue;
    for (int i = 0; i < RC_FD_CHUNK; i++)
      if (fd_chunks[c][i].state != RC_FD_UNSEEN)
        rc_shadow_clear(rc_fd_address((int)c * RC_FD_CHUNK + i), 8);
  }
}

void rc_fd_accepted(rc_thread *t, int fd, int newfd, const rc_site *site) {
  if (newfd < 0)
    return;
  int saved = errno;
  channel_acquire(t, &connect_sync);
  rc_fd_received(t, fd, newfd);
  rc_fd_created(t, newfd, RC_RECORD_FD_SOCKET, site);
  errno = saved;
}
