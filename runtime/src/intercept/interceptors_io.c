/* interceptors_io.c — calls that wait for the outside world (reads and
 * writes on pipes, sockets and terminals, accept, poll/select/epoll).
 *
 * A thread about to block in such a call leaves the serialized region
 * (status OUTSIDE, g_rt.io_leaves++), hands the token on, makes the real
 * call, then queues itself to come back. Blocking there while holding the
 * token could hang the run when the data comes from another thread of the
 * program. Only calls that would really block leave (a zero-timeout poll
 * tells): when the input is already there, the run stays deterministic.
 * Regular files never block and never leave. (eventfd/timerfd reads leave
 * too, as they can wait.)
 *
 * Waiting for a child process (waitpid, wait, wait4, waitid) leaves too:
 * the child may need something from a thread of ours.
 *
 * Not covered: libc-internal reads (stdio's fgets/fread call the kernel
 * without going through these symbols). */
#include "sched/scheduler.h"

#include <errno.h>
#include <poll.h>
#include <sys/epoll.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/stat.h>
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
  return real_poll(&p, 1, 0) == 0;
}

void rc_io_leave(rc_thread *t) {
  rc_schedule(RC_OP_IO_RETURN, 0, rc_caller_site());
  rc_cancel_point(t); /* blocking I/O calls are cancellation points */
  t->status = RC_THREAD_OUTSIDE;
  g_rt.io_leaves++;
  rc_schedule_leave();
}

void rc_io_return(rc_thread *t) {
  int saved = errno;
  rc_schedule_return(t);
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

/* Calls `call` outside the region when fd would block for `events`. */
#define RC_IO_CALL(real_var, name, fd, events, call)                           \
  RC_CALL_OUTSIDE_UNLESS(real_var, name, !would_block((fd), (events)), call)

static ssize_t (*real_read)(int, void *, size_t);
static ssize_t (*real_readv)(int, const struct iovec *, int);
static ssize_t (*real_write)(int, const void *, size_t);
static ssize_t (*real_recv)(int, void *, size_t, int);
static ssize_t (*real_recvfrom)(int, void *, size_t, int, struct sockaddr *,
                                socklen_t *);
static ssize_t (*real_recvmsg)(int, struct msghdr *, int);
static ssize_t (*real_send)(int, const void *, size_t, int);
static int (*real_accept)(int, struct sockaddr *, socklen_t *);
static int (*real_accept4)(int, struct sockaddr *, socklen_t *, int);
static int (*real_connect)(int, const struct sockaddr *, socklen_t);

RC_INTERFACE ssize_t read(int fd, void *buf, size_t count) {
  RC_IO_CALL(real_read, "read", fd, POLLIN, real_read(fd, buf, count));
}

RC_INTERFACE ssize_t readv(int fd, const struct iovec *iov, int n) {
  RC_IO_CALL(real_readv, "readv", fd, POLLIN, real_readv(fd, iov, n));
}

RC_INTERFACE ssize_t write(int fd, const void *buf, size_t count) {
  RC_IO_CALL(real_write, "write", fd, POLLOUT, real_write(fd, buf, count));
}

RC_INTERFACE ssize_t recv(int fd, void *buf, size_t len, int flags) {
  RC_IO_CALL(real_recv, "recv", fd, (flags & MSG_DONTWAIT) ? 0 : POLLIN,
             real_recv(fd, buf, len, flags));
}

RC_INTERFACE ssize_t recvfrom(int fd, void *buf, size_t len, int flags,
                              struct sockaddr *addr, socklen_t *addrlen) {
  RC_IO_CALL(real_recvfrom, "recvfrom", fd, (flags & MSG_DONTWAIT) ? 0 : POLLIN,
             real_recvfrom(fd, buf, len, flags, addr, addrlen));
}

RC_INTERFACE ssize_t recvmsg(int fd, struct msghdr *msg, int flags) {
  RC_IO_CALL(real_recvmsg, "recvmsg", fd, (flags & MSG_DONTWAIT) ? 0 : POLLIN,
             real_recvmsg(fd, msg, flags));
}

RC_INTERFACE ssize_t send(int fd, const void *buf, size_t len, int flags) {
  RC_IO_CALL(real_send, "send", fd, (flags & MSG_DONTWAIT) ? 0 : POLLOUT,
             real_send(fd, buf, len, flags));
}

RC_INTERFACE int accept(int fd, struct sockaddr *addr, socklen_t *addrlen) {
  RC_IO_CALL(real_accept, "accept", fd, POLLIN, real_accept(fd, addr, addrlen));
}

RC_INTERFACE int accept4(int fd, struct sockaddr *addr, socklen_t *addrlen,
                         int flags) {
  RC_IO_CALL(real_accept4, "accept4", fd, POLLIN,
             real_accept4(fd, addr, addrlen, flags));
}

RC_INTERFACE int connect(int fd, const struct sockaddr *addr, socklen_t len) {
  RC_IO_CALL(real_connect, "connect", fd, POLLOUT, real_connect(fd, addr, len));
}

/* Multiplexers: try without waiting first; leave only to really wait. */
#define RC_WAIT_CALL(real_var, name, no_wait, call)                            \
  do {                                                                         \
    RC_REAL(real_var, name);                                                   \
    rc_thread *t_ = rc_active_thread();                                        \
    if (!t_)                                                                   \
      return call;                                                             \
    __typeof__(call) ret_ = no_wait;                                           \
    if (ret_ != 0)                                                             \
      return ret_;                                                             \
    rc_io_leave(t_);                                                           \
    ret_ = call;                                                               \
    rc_io_return(t_);                                                          \
    return ret_;                                                               \
  } while (0)

static int (*real_ppoll)(struct pollfd *, nfds_t, const struct timespec *,
                         const sigset_t *);
static int (*real_select)(int, fd_set *, fd_set *, fd_set *, struct timeval *);
static int (*real_pselect)(int, fd_set *, fd_set *, fd_set *,
                           const struct timespec *, const sigset_t *);
static int (*real_epoll_wait)(int, struct epoll_event *, int, int);
static int (*real_epoll_pwait)(int, struct epoll_event *, int, int,
                               const sigset_t *);

RC_INTERFACE int poll(struct pollfd *fds, nfds_t n, int timeout) {
  RC_REAL(real_poll, "poll");
  if (timeout == 0)
    return real_poll(fds, n, 0);
  RC_WAIT_CALL(real_poll, "poll", real_poll(fds, n, 0),
               real_poll(fds, n, timeout));
}

static const struct timespec zero_ts;

RC_INTERFACE int ppoll(struct pollfd *fds, nfds_t n,
                       const struct timespec *timeout, const sigset_t *mask) {
  RC_REAL(real_ppoll, "ppoll");
  if (timeout && timeout->tv_sec == 0 && timeout->tv_nsec == 0)
    return real_ppoll(fds, n, timeout, mask);
  RC_WAIT_CALL(real_ppoll, "ppoll", real_ppoll(fds, n, &zero_ts, mask),
               real_ppoll(fds, n, timeout, mask));
}

/* select/pselect modify their sets, so the no-wait probe works on copies. */
static int select_probe(int n, fd_set *r, fd_set *w, fd_set *e) {
  fd_set rc, wc, ec;
  if (r)
    rc = *r;
  if (w)
    wc = *w;
  if (e)
    ec = *e;
  struct timeval zero = {0, 0};
  int ret = real_select(n, r ? &rc : 0, w ? &wc : 0, e ? &ec : 0, &zero);
  if (ret != 0) { /* ready (or an error): give the caller this result */
    if (r)
      *r = rc;
    if (w)
      *w = wc;
    if (e)
      *e = ec;
  }
  return ret;
}

RC_INTERFACE int select(int n, fd_set *r, fd_set *w, fd_set *e,
                        struct timeval *timeout) {
  RC_REAL(real_select, "select");
  if (timeout && timeout->tv_sec == 0 && timeout->tv_usec == 0)
    return real_select(n, r, w, e, timeout);
  RC_WAIT_CALL(real_select, "select", select_probe(n, r, w, e),
               real_select(n, r, w, e, timeout));
}

RC_INTERFACE int pselect(int n, fd_set *r, fd_set *w, fd_set *e,
                         const struct timespec *timeout, const sigset_t *mask) {
  RC_REAL(real_pselect, "pselect");
  RC_REAL(real_select, "select");
  if (timeout && timeout->tv_sec == 0 && timeout->tv_nsec == 0)
    return real_pselect(n, r, w, e, timeout, mask);
  RC_WAIT_CALL(real_pselect, "pselect", select_probe(n, r, w, e),
               real_pselect(n, r, w, e, timeout, mask));
}

RC_INTERFACE int epoll_wait(int epfd, struct epoll_event *events, int max,
                            int timeout) {
  RC_REAL(real_epoll_wait, "epoll_wait");
  if (timeout == 0)
    return real_epoll_wait(epfd, events, max, 0);
  RC_WAIT_CALL(real_epoll_wait, "epoll_wait",
               real_epoll_wait(epfd, events, max, 0),
               real_epoll_wait(epfd, events, max, timeout));
}

RC_INTERFACE int epoll_pwait(int epfd, struct epoll_event *events, int max,
                             int timeout, const sigset_t *mask) {
  RC_REAL(real_epoll_pwait, "epoll_pwait");
  if (timeout == 0)
    return real_epoll_pwait(epfd, events, max, 0, mask);
  RC_WAIT_CALL(real_epoll_pwait, "epoll_pwait",
               real_epoll_pwait(epfd, events, max, 0, mask),
               real_epoll_pwait(epfd, events, max, timeout, mask));
}

/* ---- waiting for child processes ---- */
static pid_t (*real_waitpid)(pid_t, int *, int);
static pid_t (*real_wait4)(pid_t, int *, int, struct rusage *);
static int (*real_waitid)(idtype_t, id_t, siginfo_t *, int);

#define RC_CHILD_WAIT(real_var, name, no_hang, call)                           \
  RC_CALL_OUTSIDE_UNLESS(real_var, name, no_hang, call)

RC_INTERFACE pid_t waitpid(pid_t pid, int *status, int options) {
  RC_CHILD_WAIT(real_waitpid, "waitpid", options & WNOHANG,
                real_waitpid(pid, status, options));
}

RC_INTERFACE pid_t wait(int *status) { return waitpid(-1, status, 0); }

RC_INTERFACE pid_t wait4(pid_t pid, int *status, int options,
                         struct rusage *usage) {
  RC_CHILD_WAIT(real_wait4, "wait4", options & WNOHANG,
                real_wait4(pid, status, options, usage));
}

RC_INTERFACE int waitid(idtype_t type, id_t id, siginfo_t *info, int options) {
  RC_CHILD_WAIT(real_waitid, "waitid", options & WNOHANG,
                real_waitid(type, id, info, options));
}
