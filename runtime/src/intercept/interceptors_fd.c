/* interceptors_fd.c — the calls that create, duplicate and close file
 * descriptors, for the fd model (sync/fd.c): each makes the real call and
 * tells the model what it did. Only opening a FIFO can wait (for its other
 * end): it is made outside the serialized region. accept, which waits too,
 * is with the other waiting calls in interceptors_io.c.
 *
 * Before init, after finalization and on threads the runtime does not know,
 * they only forward to libc. The runtime itself opens and closes its files
 * with raw system calls, so none of its own descriptors reach the model. */
#include "sync/models.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/timerfd.h>
#include <unistd.h>

/* `call` returns a descriptor (or fails: < 0), fd_, which `model` tells
 * the fd model about. */
#define RC_FD_RESULT(real_var, name, call, model)                              \
  do {                                                                         \
    RC_REAL(real_var, name);                                                   \
    int fd_ = call;                                                            \
    rc_thread *t_ = rc_active_thread();                                        \
    if (t_ && fd_ >= 0)                                                        \
      model;                                                                   \
    return fd_;                                                                \
  } while (0)

/* `call` returns a new descriptor of `kind`. */
#define RC_FD_CREATE(real_var, name, kind, call)                               \
  RC_FD_RESULT(real_var, name, call,                                           \
               rc_fd_created(t_, fd_, (kind), rc_caller_site()))

/* `call` fills `pair` with both ends of one channel (returns 0). */
#define RC_FD_CREATE_PAIR(real_var, name, kind, pair, call)                    \
  do {                                                                         \
    RC_REAL(real_var, name);                                                   \
    int ret_ = call;                                                           \
    rc_thread *t_ = rc_active_thread();                                        \
    if (t_ && ret_ == 0)                                                       \
      rc_fd_pair_created(t_, (pair)[0], (pair)[1], (kind), rc_caller_site());  \
    return ret_;                                                               \
  } while (0)

static int (*real_pipe)(int[2]);
static int (*real_pipe2)(int[2], int);
static int (*real_socketpair)(int, int, int, int[2]);

RC_INTERCEPT int pipe(int fds[2]) {
  RC_FD_CREATE_PAIR(real_pipe, "pipe", RC_RECORD_FD_PIPE, fds, real_pipe(fds));
}

RC_INTERCEPT int pipe2(int fds[2], int flags) {
  RC_FD_CREATE_PAIR(real_pipe2, "pipe2", RC_RECORD_FD_PIPE, fds,
                    real_pipe2(fds, flags));
}

RC_INTERCEPT int socketpair(int domain, int type, int protocol, int sv[2]) {
  RC_FD_CREATE_PAIR(real_socketpair, "socketpair", RC_RECORD_FD_SOCKET, sv,
                    real_socketpair(domain, type, protocol, sv));
}

static int (*real_socket)(int, int, int);
static int (*real_eventfd)(unsigned, int);
static int (*real_epoll_create)(int);
static int (*real_epoll_create1)(int);
static int (*real_timerfd_create)(int, int);
static int (*real_signalfd)(int, const sigset_t *, int);

RC_INTERCEPT int socket(int domain, int type, int protocol) {
  RC_FD_CREATE(real_socket, "socket", RC_RECORD_FD_SOCKET,
               real_socket(domain, type, protocol));
}

RC_INTERCEPT int eventfd(unsigned initval, int flags) {
  RC_FD_CREATE(real_eventfd, "eventfd", RC_RECORD_FD_EVENTFD,
               real_eventfd(initval, flags));
}

RC_INTERCEPT int epoll_create(int size) {
  RC_FD_CREATE(real_epoll_create, "epoll_create", RC_RECORD_FD_EPOLL,
               real_epoll_create(size));
}

RC_INTERCEPT int epoll_create1(int flags) {
  RC_FD_CREATE(real_epoll_create1, "epoll_create1", RC_RECORD_FD_EPOLL,
               real_epoll_create1(flags));
}

RC_INTERCEPT int timerfd_create(int clock, int flags) {
  RC_FD_CREATE(real_timerfd_create, "timerfd_create", RC_RECORD_FD_TIMERFD,
               real_timerfd_create(clock, flags));
}

/* signalfd(-1, ...) creates a descriptor; on an existing one it changes
 * only the mask. */
RC_INTERCEPT int signalfd(int fd, const sigset_t *mask, int flags) {
  RC_REAL(real_signalfd, "signalfd");
  int ret = real_signalfd(fd, mask, flags);
  rc_thread *t = rc_active_thread();
  if (t && ret >= 0 && fd == -1)
    rc_fd_created(t, ret, RC_RECORD_FD_SIGNALFD, rc_caller_site());
  return ret;
}

/* ---- open: the mode argument is there only when the flags create ---- */
static int (*real_openat)(int, const char *, int, ...);

/* Opening a FIFO waits until its other end is opened, maybe by another
 * thread of the program: such an open is made outside the region. */
static int open_outside_if_fifo(int dir, const char *path, int flags,
                                mode_t mode) {
  rc_thread *t = rc_active_thread();
  struct stat st;
  if (!t || (flags & O_NONBLOCK) || fstatat(dir, path, &st, 0) != 0 ||
      !S_ISFIFO(st.st_mode))
    return real_openat(dir, path, flags, mode);
  rc_io_leave(t);
  int fd = real_openat(dir, path, flags, mode);
  rc_io_return(t);
  return fd;
}

/* open(path) is openat(AT_FDCWD, path), as in glibc. */
static int open_file(int dir, const char *path, int flags, mode_t mode) {
  RC_FD_CREATE(real_openat, "openat", RC_RECORD_FD_FILE,
               open_outside_if_fifo(dir, path, flags, mode));
}

/* The mode after `flags` in the variadic arguments, 0 when there is none. */
#define RC_OPEN_MODE(flags, mode)                                              \
  mode_t mode = 0;                                                             \
  do {                                                                         \
    va_list ap_;                                                               \
    va_start(ap_, flags);                                                      \
    if (((flags) & O_CREAT) || ((flags) & O_TMPFILE) == O_TMPFILE)             \
      mode = (mode_t)va_arg(ap_, unsigned);                                    \
    va_end(ap_);                                                               \
  } while (0)

RC_INTERCEPT int open(const char *path, int flags, ...) {
  RC_OPEN_MODE(flags, mode);
  return open_file(AT_FDCWD, path, flags, mode);
}

/* The *64 names are the same calls where off_t has 64 bits (x86-64). */
RC_INTERCEPT int open64(const char *path, int flags, ...) {
  RC_OPEN_MODE(flags, mode);
  return open_file(AT_FDCWD, path, flags, mode);
}

RC_INTERCEPT int openat(int dir, const char *path, int flags, ...) {
  RC_OPEN_MODE(flags, mode);
  return open_file(dir, path, flags, mode);
}

RC_INTERCEPT int openat64(int dir, const char *path, int flags, ...) {
  RC_OPEN_MODE(flags, mode);
  return open_file(dir, path, flags, mode);
}

RC_INTERCEPT int creat(const char *path, mode_t mode) {
  return open_file(AT_FDCWD, path, O_CREAT | O_WRONLY | O_TRUNC, mode);
}

RC_INTERCEPT int creat64(const char *path, mode_t mode) {
  return open_file(AT_FDCWD, path, O_CREAT | O_WRONLY | O_TRUNC, mode);
}

/* ---- stdio streams: their descriptors, not their buffered I/O ----
 * fopen and fclose open and close a descriptor inside libc, where the
 * model would not see it (a number closed unseen and reopened by another
 * thread would race with its old life), as ThreadSanitizer intercepts
 * them too. The reads and writes of the stream stay unseen. */
static FILE *(*real_fopen)(const char *, const char *);
static int (*real_fclose)(FILE *);

RC_INTERCEPT FILE *fopen(const char *path, const char *mode) {
  RC_REAL(real_fopen, "fopen");
  FILE *f = real_fopen(path, mode);
  rc_thread *t = rc_active_thread();
  if (t && f)
    rc_fd_created(t, fileno_unlocked(f), RC_RECORD_FD_FILE, rc_caller_site());
  return f;
}

RC_INTERCEPT FILE *fopen64(const char *path, const char *mode) {
  return fopen(path, mode);
}

RC_INTERCEPT int fclose(FILE *f) {
  RC_REAL(real_fclose, "fclose");
  rc_thread *t = rc_active_thread();
  if (t && f)
    rc_fd_close(t, fileno_unlocked(f), rc_caller_site());
  return real_fclose(f);
}

/* ---- duplicating and closing ---- */
static int (*real_dup)(int);
static int (*real_dup2)(int, int);
static int (*real_dup3)(int, int, int);
static int (*real_close)(int);

/* `call` made its result refer to what `oldfd` does. */
#define RC_FD_DUP(real_var, name, oldfd, call)                                 \
  RC_FD_RESULT(real_var, name, call,                                           \
               rc_fd_dup(t_, (oldfd), fd_, rc_caller_site()))

RC_INTERCEPT int dup(int oldfd) {
  RC_FD_DUP(real_dup, "dup", oldfd, real_dup(oldfd));
}

RC_INTERCEPT int dup2(int oldfd, int newfd) {
  RC_FD_DUP(real_dup2, "dup2", oldfd, real_dup2(oldfd, newfd));
}

RC_INTERCEPT int dup3(int oldfd, int newfd, int flags) {
  RC_FD_DUP(real_dup3, "dup3", oldfd, real_dup3(oldfd, newfd, flags));
}

/* fcntl: F_DUPFD duplicates; F_SETLKW waits for a file lock another
 * thread or process may hold, outside the region. Every command's argument
 * is read as a pointer, as glibc's own fcntl does. fcntl64 is the same call
 * on x86-64. */
static int (*real_fcntl)(int, int, ...);

static int fcntl_model(int fd, int cmd, void *arg) {
  RC_REAL(real_fcntl, "fcntl");
  rc_thread *t = rc_active_thread();
  if (!t)
    return real_fcntl(fd, cmd, arg);
  if (cmd == F_SETLKW || cmd == F_OFD_SETLKW) {
    rc_io_leave(t);
    int ret = real_fcntl(fd, cmd, arg);
    rc_io_return(t);
    return ret;
  }
  int ret = real_fcntl(fd, cmd, arg);
  if ((cmd == F_DUPFD || cmd == F_DUPFD_CLOEXEC) && ret >= 0) {
    int saved = errno;
    rc_fd_dup(t, fd, ret, rc_caller_site());
    errno = saved;
  }
  return ret;
}

RC_INTERCEPT int fcntl(int fd, int cmd, ...) {
  va_list ap;
  va_start(ap, cmd);
  void *arg = va_arg(ap, void *);
  va_end(ap);
  return fcntl_model(fd, cmd, arg);
}

RC_INTERCEPT int fcntl64(int fd, int cmd, ...) {
  va_list ap;
  va_start(ap, cmd);
  void *arg = va_arg(ap, void *);
  va_end(ap);
  return fcntl_model(fd, cmd, arg);
}

RC_INTERCEPT int close(int fd) {
  RC_REAL(real_close, "close");
  rc_thread *t = rc_active_thread();
  if (t)
    rc_fd_close(t, fd, rc_caller_site());
  return real_close(fd);
}
