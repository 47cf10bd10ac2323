/* sched/task_state.h — what the kernel says about one of our threads: its
 * task state, the system call it is in, whether it still exists. Read from
 * /proc/self/task/TID with raw system calls only (no stdio, no malloc), so
 * the watchdog can ask while a program thread holds libc locks. */
#ifndef RACECHECK_SCHED_TASK_STATE_H
#define RACECHECK_SCHED_TASK_STATE_H

#include <stdbool.h>
#include <stdint.h>

/* The state letter of /proc/self/task/TID/stat ('R', 'S', 'D', ...), or 0
 * when it cannot be read. */
char rc_task_state(int32_t tid);
/* The same for thread TID of process PID (a fork server's child). */
char rc_task_state_in(int32_t pid, int32_t tid);

/* /proc/self/task/TID/syscall: the call's number and the user stack and
 * instruction pointers; number -1 when the task runs in user space. */
typedef struct rc_task_syscall {
  long number;
  uint64_t arg0; /* the first argument (a descriptor, for reads) */
  uintptr_t sp, pc;
} rc_task_syscall;
bool rc_task_syscall_of(int32_t tid, rc_task_syscall *out);
/* The same for thread TID of process PID (0: ours). */
bool rc_task_syscall_in(int32_t pid, int32_t tid, rc_task_syscall *out);

/* Whether a task in this call waits for someone outside the process who
 * may still end the wait: a child process (wait4, waitid) or a person at
 * a terminal (a read of a terminal). PID: the task's process, 0: ours. */
bool rc_task_syscall_waits_outside(int32_t pid, const rc_task_syscall *call);

/* Calls `visit` with each thread id of process PID (0: ours), from
 * /proc/PID/task, until it returns true; whether one did. */
bool rc_task_each(int32_t pid, bool (*visit)(int32_t tid, void *context),
                  void *context);

/* Whether process PID (0: ours) has a child process, running or not yet
 * reaped: it may still send a signal or end a wait, so a run waiting for
 * one is not stuck. From /proc/PID/task/TID/children of each task. */
bool rc_task_process_has_children(int32_t pid);

/* The task ended (its kernel thread is gone, e.g. after a raw SYS_exit). */
bool rc_task_gone(int32_t tid);

/* The instruction after the runtime's own `syscall` (raw_syscall.c): a
 * task blocked there waits inside the runtime. */
extern const char rc_raw_syscall_return[];

#endif /* RACECHECK_SCHED_TASK_STATE_H */
