/* decision_log.c — the scheduling decisions a replay needs, written to the
 * schedule's decisions spool (schedule_writer.c) as the run goes: the points
 * with a real choice (more than one enabled thread) where the chosen thread
 * is not the one that reached the point. Where that thread went on, the
 * schedule says nothing: replay lets it go on (strategy_replay.c), so the
 * file, and nothing in memory, grows with the run's length. */
#include "sched/scheduler.h"
#include "record/raw_writer.h"
#include "record/schedule.h"

void rc_decision_log(const rc_thread *chosen) {
  /* g_rt.current is still the thread that reached the point (null when
   * the watchdog hands the token on for a thread). */
  if (chosen == g_rt.current)
    return;
  g_rt.n_decisions++;
  rc_out *o = rc_schedule_spool(RC_SCHEDULE_SECTION_DECISIONS);
  if (!o)
    return;
  char op[48];
  rc_out_u64(o, g_rt.steps);
  rc_out_char(o, ' ');
  rc_out_char(o, RC_SCHEDULE_THREAD_PREFIX);
  rc_out_u64(o, chosen->tid);
  rc_out_char(o, ' ');
  rc_out_str(o, rc_op_token(chosen->pending.kind, op, sizeof op));
  rc_out_char(o, ' ');
  rc_schedule_write_site(o, chosen->pending.site, false);
  rc_out_char(o, '\n');
}
