/* test_fakes.h — what runtime_fakes.c offers the unit tests besides the
 * runtime functions it stands in for. */
#ifndef RACECHECK_UNITTESTS_TEST_FAKES_H
#define RACECHECK_UNITTESTS_TEST_FAKES_H

#include <errno.h>

#ifdef __cplusplus
extern "C" {
#endif
#include "core/runtime.h"

enum { RC_FAKE_BUDGET = 1u << 30, RC_FAKE_MAX_LOCKS = 16 };
extern uint64_t rc_fake_preempt_points;               /* rc_preempt_point calls */
extern rc_lock_info rc_fake_locks[RC_FAKE_MAX_LOCKS]; /* rc_lock_info_get */
extern uint32_t rc_fake_n_locks;
/* rc_sync_free_range calls: {addr, size}, the first RC_FAKE_MAX_FREED_RANGES */
enum { RC_FAKE_MAX_FREED_RANGES = 64 };
extern uintptr_t rc_fake_freed_sync_ranges[RC_FAKE_MAX_FREED_RANGES][2];
extern uint32_t rc_fake_n_freed_sync_ranges;
/* rc_shared_access_point calls; the flag access.c tests before asking */
extern uint64_t rc_fake_shared_access_points;
extern bool rc_access_points_active;
#ifdef __cplusplus
}
#endif
#endif
