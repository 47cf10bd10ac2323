/* interceptors_io.c — calls that wait for the outside world (reads and
 * writes on pipes, sockets and terminals, accept, poll/select/epoll).
 *
 * A thread about to block in such a call leaves the serialized region
 * (status OUTSIDE, g_rt.io_leaves++), hands the token on, makes the real
 * call, then queues itself to come back. Blocking there while holding the
 * token could hang the run when the data comes from another thread of the
 * program. Only calls that would really block leave (a zero-timeout poll
 * tells): when the input is already there, the run stays deterministic.
 * The multiplexers' time-outs are virtual (their section below).
 * Regular files never block and never leave. (eventfd/timerfd reads leave
 * too, as they can wait.)
 *
 * Waiting for a child process (waitpid, wait, wait4, waitid) leaves too:
 * the child may need something from a thread of ours.
 *
 * The calls on descriptors also tell the fd model (sync/fd.c) what they
 * do: sending releases, receiving acquires, each is a read of the
 * descriptor for the race check. And they access the caller's buffers, as
 * ThreadSanitizer's common interceptors count them: a send reads the bytes
 * it is given, a receive writes the bytes it returns. Creating, closing and
 * duplicating descriptors are in interceptors_fd.c.
 *
 * Not covered: libc-internal reads (stdio's fgets/fread call the kernel
 * without going through these symbols). */
#include "intercept/memory_effects.h"
#include "sync/models.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <sys/epoll.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

static int (*real_poll)(struct pollfd *, nfds_t, int);

/* True when `fd` is a pipe, socket, terminal or other waitable descriptor
 * on which `events` is not ready now, so the call would wait. */
static bool would_block(int fd, short events) {
  if (events == 0)
    return false; /* a non-blocking call */
  struct stat st;
  if (fstat(fd, &st) != 0)
    return false;
  /* Files and block devices never wait; pipes, sockets, terminals and
   * anonymous inodes (eventfd, timerfd, signalfd) may. */
  if (S_ISREG(st.st_mode) || S_ISDIR(st.st_mode) || S_ISBLK(st.st_mode))
    return false;
  RC_REAL(real_poll, "poll");
  struct pollfd p = {fd, events, 0};
  if (real_poll(&p, 1, 0) != 0)
    return false;
  /* A non-blocking descriptor fails with EAGAIN instead of waiting: the
   * call stays in the region, where its result is deterministic. */
  long flags = rc_raw_syscall(SYS_fcntl, fd, F_GETFL, 0, 0, 0, 0);
  return flags < 0 || !(flags & O_NONBLOCK);
}

void rc_io_leave(rc_thread *t) {
  rc_schedule(RC_OP_IO_RETURN, 0, rc_caller_site());
  rc_cancel_point(t); /* blocking I/O calls are cancellation points */
  rc_thread_set_status(t, RC_THREAD_OUTSIDE);
  g_rt.io_leaves++;
  rc_schedule_leave();
  errno = 0; /* so that EINTR below is the call's own */
}

void rc_io_return(rc_thread *t) {
  int saved = errno;
  rc_schedule_return(t);
  /* A pthread_cancel interrupts the call with EINTR (sync/cancel.c): it is
   * acted on here, at the cancellation point the call is. */
  if (saved == EINTR)
    rc_cancel_point(t);
  errno = saved;
}

/* Returns `call`, made outside the serialized region unless `stays_inside`
 * (it cannot wait), so that other threads run while it waits. */
#define RC_CALL_OUTSIDE_UNLESS(real_var, name, stays_inside, call)             \
  do {                                                                         \
    RC_REAL(real_var, name);                                                   \
    rc_thread *t_ = rc_active_thread();                                        \
    if (!t_ || (stays_inside))                                                 \
      return call;                                                             \
    rc_io_leave(t_);                                                           \
    __typeof__(call) ret_ = call;                                              \
    rc_io_return(t_);                                                          \
    return ret_;                                                               \
  } while (0)

/* A call on descriptor `fd`: `before` (the fd model's, with the token)
 * first, then `call`, made outside the region when fd would block for
 * `events`, then `after` back in the region, with the result in ret_. */
#define RC_FD_CALL(real_var, name, fd, events, before, call, after)            \
  do {                                                                         \
    RC_REAL(real_var, name);                                                   \
    rc_thread *t_ = rc_active_thread();                                        \
    if (!t_)                                                                   \
      return call;                                                             \
    const rc_site *site_ = rc_caller_site();                                   \
    before;                                                                    \
    __typeof__(call) ret_;                                                     \
    if (!would_block((fd), (events))) {                                        \
      ret_ = call;                                                             \
    } else {                                                                   \
      rc_io_leave(t_);                                                         \
      ret_ = call;                                                             \
      rc_io_return(t_);                                                        \
    }                                                                          \
    int errno_ = errno;                                                        \
    after;                                                                     \
    errno = errno_;                                                            \
    return ret_;                                                               \
  } while (0)

/* Sends on fd: `reads` (the caller's buffer, read by the kernel) then a
 * release of its channel, before the call. The buffer is checked before the
 * release: a thread that acquires the data may then reuse the buffer. */
#define RC_SEND_CALL(real_var, name, fd, events, reads, call)                  \
  RC_FD_CALL(real_var, name, fd, events, (reads, rc_fd_send(t_, (fd), site_)), \
             call, (void)0)
/* Receives from fd: an acquire after a call that did not fail, then
 * `writes` (the bytes the call stored, ret_ of them), after the acquire, so
 * the sender's accesses before sending are ordered before them. */
#define RC_RECEIVE_CALL(real_var, name, fd, events, call, writes)              \
  RC_FD_CALL(                                                                  \
      real_var, name, fd, events, rc_fd_receive(t_, (fd), site_), call,        \
      (rc_fd_received(t_, (fd), (long)ret_), ret_ > 0 ? (writes) : (void)0))
/* The buffer effects, at the intercepted call's site. */
#define RC_READS(buf, n) rc_libc_read_range((buf), (n), site_)
#define RC_WRITES(buf, n) rc_libc_write_range((buf), (unsigned long)(n), site_)
#define RC_IOV(iov, count, n, write)                                           \
  rc_libc_iov_access((iov), (unsigned long)(count), (unsigned long)(n),        \
                     (write), site_)
/* recvmsg/sendmsg's message, with its vector read. */
#define RC_MSG(msg, n, write)                                                  \
  ((msg) ? RC_IOV((msg)->msg_iov, (msg)->msg_iovlen, (n), (write)) : (void)0)
/* The bytes a send on a vector reads: all of it, when the count is sane. */
static unsigned long iov_bytes(const struct iovec *iov, unsigned long count) {
  unsigned long total = 0;
  for (unsigned long i = 0; iov && i < count && i < IOV_MAX; i++)
    total += iov[i].iov_len;
  return total;
}
/* The events a socket call waits for, none when it does not wait. */
#define RC_SOCKET_EVENTS(flags, events)                                        \
  (((flags) & MSG_DONTWAIT) ? 0 : (events))

static ssize_t (*real_read)(int, void *, size_t);
static ssize_t (*real_readv)(int, const struct iovec *, int);
static ssize_t (*real_write)(int, const void *, size_t);
static ssize_t (*real_writev)(int, const struct iovec *, int);
static ssize_t (*real_pread)(int, void *, size_t, off_t);
static ssize_t (*real_pwrite)(int, const void *, size_t, off_t);
static ssize_t (*real_recv)(int, void *, size_t, int);
static ssize_t (*real_recvfrom)(int, void *, size_t, int, struct sockaddr *,
                                socklen_t *);
static ssize_t (*real_recvmsg)(int, struct msghdr *, int);
static ssize_t (*real_send)(int, const void *, size_t, int);
static ssize_t (*real_sendto)(int, const void *, size_t, int,
                              const struct sockaddr *, socklen_t);
static ssize_t (*real_sendmsg)(int, const struct msghdr *, int);
static int (*real_accept)(int, struct sockaddr *, socklen_t *);
static int (*real_accept4)(int, struct sockaddr *, socklen_t *, int);
static int (*real_connect)(int, const struct sockaddr *, socklen_t);

RC_INTERCEPT ssize_t read(int fd, void *buf, size_t count) {
  RC_RECEIVE_CALL(real_read, "read", fd, POLLIN, real_read(fd, buf, count),
                  RC_WRITES(buf, ret_));
}

RC_INTERCEPT ssize_t readv(int fd, const struct iovec *iov, int n) {
  RC_RECEIVE_CALL(real_readv, "readv", fd, POLLIN, real_readv(fd, iov, n),
                  RC_IOV(iov, n, ret_, true));
}

RC_INTERCEPT ssize_t write(int fd, const void *buf, size_t count) {
  RC_SEND_CALL(real_write, "write", fd, POLLOUT, RC_READS(buf, count),
               real_write(fd, buf, count));
}

RC_INTERCEPT ssize_t writev(int fd, const struct iovec *iov, int n) {
  RC_SEND_CALL(real_writev, "writev", fd, POLLOUT,
               RC_IOV(iov, n, iov_bytes(iov, n), false),
               real_writev(fd, iov, n));
}

/* Positioned I/O is for files (a pipe or socket fails with ESPIPE), which
 * never wait. off_t is 64 bits here, so the *64 names are the same calls. */
RC_INTERCEPT ssize_t pread(int fd, void *buf, size_t count, off_t offset) {
  RC_RECEIVE_CALL(real_pread, "pread", fd, 0,
                  real_pread(fd, buf, count, offset), RC_WRITES(buf, ret_));
}

RC_INTERCEPT ssize_t pread64(int fd, void *buf, size_t count, off_t offset) {
  return pread(fd, buf, count, offset);
}

RC_INTERCEPT ssize_t pwrite(int fd, const void *buf, size_t count,
                            off_t offset) {
  RC_SEND_CALL(real_pwrite, "pwrite", fd, 0, RC_READS(buf, count),
               real_pwrite(fd, buf, count, offset));
}

RC_INTERCEPT ssize_t pwrite64(int fd, const void *buf, size_t count,
                              off_t offset) {
  return pwrite(fd, buf, count, offset);
}

RC_INTERCEPT ssize_t recv(int fd, void *buf, size_t len, int flags) {
  RC_RECEIVE_CALL(real_recv, "recv", fd, RC_SOCKET_EVENTS(flags, POLLIN),
                  real_recv(fd, buf, len, flags), RC_WRITES(buf, ret_));
}

RC_INTERCEPT ssize_t recvfrom(int fd, void *buf, size_t len, int flags,
                              struct sockaddr *addr, socklen_t *addrlen) {
  RC_RECEIVE_CALL(
      real_recvfrom, "recvfrom", fd, RC_SOCKET_EVENTS(flags, POLLIN),
      real_recvfrom(fd, buf, len, flags, addr, addrlen), RC_WRITES(buf, ret_));
}

RC_INTERCEPT ssize_t recvmsg(int fd, struct msghdr *msg, int flags) {
  RC_RECEIVE_CALL(real_recvmsg, "recvmsg", fd, RC_SOCKET_EVENTS(flags, POLLIN),
                  real_recvmsg(fd, msg, flags), RC_MSG(msg, ret_, true));
}

RC_INTERCEPT ssize_t send(int fd, const void *buf, size_t len, int flags) {
  RC_SEND_CALL(real_send, "send", fd, RC_SOCKET_EVENTS(flags, POLLOUT),
               RC_READS(buf, len), real_send(fd, buf, len, flags));
}

RC_INTERCEPT ssize_t sendto(int fd, const void *buf, size_t len, int flags,
                            const struct sockaddr *addr, socklen_t addrlen) {
  RC_SEND_CALL(real_sendto, "sendto", fd, RC_SOCKET_EVENTS(flags, POLLOUT),
               RC_READS(buf, len),
               real_sendto(fd, buf, len, flags, addr, addrlen));
}

RC_INTERCEPT ssize_t sendmsg(int fd, const struct msghdr *msg, int flags) {
  RC_SEND_CALL(
      real_sendmsg, "sendmsg", fd, RC_SOCKET_EVENTS(flags, POLLOUT),
      RC_MSG(msg, msg ? iov_bytes(msg->msg_iov, msg->msg_iovlen) : 0, false),
      real_sendmsg(fd, msg, flags));
}

RC_INTERCEPT int accept(int fd, struct sockaddr *addr, socklen_t *addrlen) {
  RC_FD_CALL(real_accept, "accept", fd, POLLIN, rc_fd_receive(t_, fd, site_),
             real_accept(fd, addr, addrlen),
             rc_fd_accepted(t_, fd, ret_, site_));
}

RC_INTERCEPT int accept4(int fd, struct sockaddr *addr, socklen_t *addrlen,
                         int flags) {
  RC_FD_CALL(real_accept4, "accept4", fd, POLLIN, rc_fd_receive(t_, fd, site_),
             real_accept4(fd, addr, addrlen, flags),
             rc_fd_accepted(t_, fd, ret_, site_));
}

RC_INTERCEPT int connect(int fd, const struct sockaddr *addr, socklen_t len) {
  RC_FD_CALL(real_connect, "connect", fd, POLLOUT, rc_fd_connect(t_, fd, site_),
             real_connect(fd, addr, len), (void)0);
}

/* ---- multiplexers: poll, ppoll, select, pselect, epoll_wait, epoll_pwait
 * Their time-outs are virtual deadlines like any timed wait's. The real
 * call is made with a zero time-out (a probe) while the thread holds the
 * token; when nothing is ready, the thread waits as a candidate of every
 * scheduling point (rc_vtime_wait_ready): picked while another thread could
 * act, it probes again and, still not ready, times out (virtual time moves
 * to its deadline; an endless wait just waits on). When no other thread can
 * act, only real input can end the wait: it leaves the serialized region
 * for a real wait of at most MUX_REAL_SLICE_NS (never longer than the
 * time-out, so never slower than natively), and then times out. */
#define MUX_REAL_SLICE_NS 10000000ll /* like the scheduler's I/O wait */

/* Makes the real call with `timeout_ns` (0: probe; -1: no limit); its
 * result and output parameters are the call's. */
typedef int (*mux_call)(void *args, int64_t timeout_ns);

static int ms_of(int64_t ns) {
  return ns < 0 ? -1 : (int)((ns + 999999) / 1000000);
}

static struct timespec ts_of(int64_t ns) {
  return (struct timespec){(time_t)(ns / 1000000000), (long)(ns % 1000000000)};
}

/* A time-out in ms as poll and epoll take it (negative: none). */
static int64_t ns_of_ms(int ms) { return ms < 0 ? -1 : (int64_t)ms * 1000000; }

static int64_t ns_of_ts(const struct timespec *ts) {
  if (!ts)
    return -1;
  if (ts->tv_sec < 0)
    return 0;
  return (int64_t)ts->tv_sec * 1000000000 + ts->tv_nsec;
}

/* `no_fds`: the call watches no descriptor (select(0, 0, 0, 0, &tv), a
 * portable sleep): only its time-out can end it, a sleep. */
static int mux_wait(rc_thread *t, mux_call call, void *args, int64_t timeout_ns,
                    bool no_fds) {
  uint64_t now = rc_vtime_now();
  uint64_t deadline = timeout_ns < 0 ? 0 : now + (uint64_t)timeout_ns;
  if (deadline == 1)
    deadline = 2; /* 1 means "already passed" to the scheduler */
  const rc_site *site = rc_caller_site();
  bool picked = false;
  for (;;) {
    int ret = call(args, 0);
    if (ret != 0 || timeout_ns == 0)
      return ret;
    if (no_fds && deadline) {
      rc_cancel_point(t);
      if (rc_vtime_sleep_until(deadline, site))
        break; /* a signal handler ended it */
      return 0;
    }
    now = rc_vtime_now();
    bool others = rc_sched_others_can_act(t);
    if (deadline && (now >= deadline || (picked && others))) {
      rc_vtime_advance_to(deadline);
      return 0;
    }
    if (!others) {
      int64_t slice = !deadline ? -1
                      : deadline - now < (uint64_t)MUX_REAL_SLICE_NS
                          ? (int64_t)(deadline - now)
                          : MUX_REAL_SLICE_NS;
      rc_io_leave(t);
      ret = call(args, slice);
      rc_io_return(t);
      if (ret != 0 || !deadline)
        return ret;
      rc_vtime_advance_to(deadline);
      return call(args, 0); /* the outputs of a time-out */
    }
    rc_cancel_point(t); /* the multiplexers are cancellation points */
    picked = rc_vtime_wait_ready(deadline, site);
    /* A handler ends them with EINTR, SA_RESTART or not (as the kernel). */
    if (rc_signals_wait_interrupted(t) != RC_SIG_WAIT_NONE)
      break;
  }
  rc_cancel_point(t);
  errno = EINTR;
  return -1;
}

static int (*real_ppoll)(struct pollfd *, nfds_t, const struct timespec *,
                         const sigset_t *);
static int (*real_select)(int, fd_set *, fd_set *, fd_set *, struct timeval *);
static int (*real_pselect)(int, fd_set *, fd_set *, fd_set *,
                           const struct timespec *, const sigset_t *);
static int (*real_epoll_wait)(int, struct epoll_event *, int, int);
static int (*real_epoll_pwait)(int, struct epoll_event *, int, int,
                               const sigset_t *);

typedef struct poll_args {
  struct pollfd *fds;
  nfds_t n;
  const sigset_t *mask; /* ppoll's */
  bool is_ppoll;
} poll_args;

static int poll_call(void *p, int64_t timeout_ns) {
  poll_args *a = p;
  if (!a->is_ppoll)
    return real_poll(a->fds, a->n, ms_of(timeout_ns));
  struct timespec ts = ts_of(timeout_ns);
  return real_ppoll(a->fds, a->n, timeout_ns < 0 ? 0 : &ts, a->mask);
}

RC_INTERCEPT int poll(struct pollfd *fds, nfds_t n, int timeout) {
  RC_REAL(real_poll, "poll");
  rc_thread *t = rc_active_thread();
  if (!t || timeout == 0)
    return real_poll(fds, n, timeout);
  poll_args a = {fds, n, 0, false};
  return mux_wait(t, poll_call, &a, ns_of_ms(timeout), n == 0);
}

RC_INTERCEPT int ppoll(struct pollfd *fds, nfds_t n,
                       const struct timespec *timeout, const sigset_t *mask) {
  RC_REAL(real_ppoll, "ppoll");
  rc_thread *t = rc_active_thread();
  if (!t || (timeout && timeout->tv_sec == 0 && timeout->tv_nsec == 0))
    return real_ppoll(fds, n, timeout, mask);
  poll_args a = {fds, n, mask, true};
  return mux_wait(t, poll_call, &a, ns_of_ts(timeout), n == 0);
}

/* select/pselect overwrite their sets with the ready descriptors: every
 * call starts from the caller's sets as given, and the last call's result
 * (all empty on a time-out) is what the caller sees. */
typedef struct select_args {
  int n;
  fd_set *sets[3];
  fd_set given[3];
  const sigset_t *mask; /* pselect's */
  bool is_pselect;
} select_args;

static int select_call(void *p, int64_t timeout_ns) {
  select_args *a = p;
  for (int i = 0; i < 3; i++)
    if (a->sets[i])
      *a->sets[i] = a->given[i];
  struct timespec ts = ts_of(timeout_ns);
  if (a->is_pselect)
    return real_pselect(a->n, a->sets[0], a->sets[1], a->sets[2],
                        timeout_ns < 0 ? 0 : &ts, a->mask);
  struct timeval tv = {ts.tv_sec, ts.tv_nsec / 1000};
  return real_select(a->n, a->sets[0], a->sets[1], a->sets[2],
                     timeout_ns < 0 ? 0 : &tv);
}

static int select_wait(rc_thread *t, select_args *a, fd_set *r, fd_set *w,
                       fd_set *e, int64_t timeout_ns) {
  fd_set *sets[3] = {r, w, e};
  for (int i = 0; i < 3; i++)
    if ((a->sets[i] = sets[i]))
      a->given[i] = *sets[i];
  return mux_wait(t, select_call, a, timeout_ns, a->n == 0 || (!r && !w && !e));
}

RC_INTERCEPT int select(int n, fd_set *r, fd_set *w, fd_set *e,
                        struct timeval *timeout) {
  RC_REAL(real_select, "select");
  rc_thread *t = rc_active_thread();
  if (!t || (timeout && timeout->tv_sec == 0 && timeout->tv_usec == 0))
    return real_select(n, r, w, e, timeout);
  select_args a = {.n = n, .is_pselect = false};
  uint64_t start = rc_vtime_now();
  int64_t timeout_ns =
      timeout ? (int64_t)timeout->tv_sec * 1000000000 + timeout->tv_usec * 1000
              : -1;
  int ret = select_wait(t, &a, r, w, e, timeout_ns);
  if (timeout && ret >= 0) {
    /* Linux leaves the time not slept in *timeout. */
    uint64_t spent = rc_vtime_now() - start;
    int64_t left =
        spent >= (uint64_t)timeout_ns ? 0 : timeout_ns - (int64_t)spent;
    timeout->tv_sec = (time_t)(left / 1000000000);
    timeout->tv_usec = (suseconds_t)(left % 1000000000 / 1000);
  }
  return ret;
}

RC_INTERCEPT int pselect(int n, fd_set *r, fd_set *w, fd_set *e,
                         const struct timespec *timeout, const sigset_t *mask) {
  RC_REAL(real_pselect, "pselect");
  rc_thread *t = rc_active_thread();
  if (!t || (timeout && timeout->tv_sec == 0 && timeout->tv_nsec == 0))
    return real_pselect(n, r, w, e, timeout, mask);
  select_args a = {.n = n, .mask = mask, .is_pselect = true};
  return select_wait(t, &a, r, w, e, ns_of_ts(timeout));
}

typedef struct epoll_args {
  int epfd;
  struct epoll_event *events;
  int max;
  const sigset_t *mask; /* epoll_pwait's */
  bool is_pwait;
} epoll_args;

static int epoll_call(void *p, int64_t timeout_ns) {
  epoll_args *a = p;
  if (a->is_pwait)
    return real_epoll_pwait(a->epfd, a->events, a->max, ms_of(timeout_ns),
                            a->mask);
  return real_epoll_wait(a->epfd, a->events, a->max, ms_of(timeout_ns));
}

RC_INTERCEPT int epoll_wait(int epfd, struct epoll_event *events, int max,
                            int timeout) {
  RC_REAL(real_epoll_wait, "epoll_wait");
  rc_thread *t = rc_active_thread();
  if (!t || timeout == 0)
    return real_epoll_wait(epfd, events, max, timeout);
  epoll_args a = {epfd, events, max, 0, false};
  return mux_wait(t, epoll_call, &a, ns_of_ms(timeout), false);
}

RC_INTERCEPT int epoll_pwait(int epfd, struct epoll_event *events, int max,
                             int timeout, const sigset_t *mask) {
  RC_REAL(real_epoll_pwait, "epoll_pwait");
  rc_thread *t = rc_active_thread();
  if (!t || timeout == 0)
    return real_epoll_pwait(epfd, events, max, timeout, mask);
  epoll_args a = {epfd, events, max, mask, true};
  return mux_wait(t, epoll_call, &a, ns_of_ms(timeout), false);
}

/* ---- waiting for child processes ---- */
static pid_t (*real_waitpid)(pid_t, int *, int);
static pid_t (*real_wait4)(pid_t, int *, int, struct rusage *);
static int (*real_waitid)(idtype_t, id_t, siginfo_t *, int);

#define RC_CHILD_WAIT(real_var, name, no_hang, call)                           \
  RC_CALL_OUTSIDE_UNLESS(real_var, name, no_hang, call)

RC_INTERCEPT pid_t waitpid(pid_t pid, int *status, int options) {
  RC_CHILD_WAIT(real_waitpid, "waitpid", options & WNOHANG,
                real_waitpid(pid, status, options));
}

RC_INTERCEPT pid_t wait(int *status) { return waitpid(-1, status, 0); }

RC_INTERCEPT pid_t wait4(pid_t pid, int *status, int options,
                         struct rusage *usage) {
  RC_CHILD_WAIT(real_wait4, "wait4", options & WNOHANG,
                real_wait4(pid, status, options, usage));
}

RC_INTERCEPT int waitid(idtype_t type, id_t id, siginfo_t *info, int options) {
  RC_CHILD_WAIT(real_waitid, "waitid", options & WNOHANG,
                real_waitid(type, id, info, options));
}
