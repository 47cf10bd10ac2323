/* core/child_channel.h — the private channel through which an instrumented
 * process the program starts (posix_spawn, system, popen, fork then exec of
 * another program) learns that it belongs to the run: where its record goes,
 * which child it is, with which strategy and seed. The program's environment
 * never carries it (RACECHECK_OPTIONS stays hidden from children): it is an
 * anonymous memory file (memfd "racecheck-channel") inherited across exec,
 * which an instrumented image takes and closes at start-up; an uninstrumented
 * child (a shell, env) only holds an open descriptor it never reads.
 *
 * The child runs as a fork child does: its findings go to its own record
 * beside the parent's (RC_RECORD_CHILD_SUFFIX, `meta process` its creation
 * path), it writes none when it found nothing, and it ends with its own exit
 * status, so the parent sees what the child meant to return. */
#ifndef RACECHECK_CORE_CHILD_CHANNEL_H
#define RACECHECK_CORE_CHILD_CHANNEL_H

#include <stdbool.h>

/* At start-up: the options the channel inherited by this image gives (to be
 * parsed like RACECHECK_OPTIONS), or null when there is none. Every channel
 * descriptor found is closed, so nothing the image starts inherits it. */
const char *rc_child_channel_take(void);

/* Before the program starts a new process: a channel for it (its creation
 * order is the next of this process's forks and spawns), open without
 * close-on-exec; -1 when none can be made. Channels still open for earlier
 * starts (a system() in another thread) become close-on-exec first, so the
 * new process inherits only its own. */
int rc_child_channel_open_new(void);
/* Before an exec in a fork child, whose new image continues that child:
 * its process path and record. `wrote_record`: the child wrote its own
 * findings to that record first, so the image writes its own beside it. */
int rc_child_channel_open_same(bool wrote_record);
/* After the start (or a failed exec): closes it (-1: nothing). */
void rc_child_channel_close(int fd);
/* In a fork child: the channels of the parent's other starts are not its. */
void rc_child_channel_after_fork_child(void);

#endif
