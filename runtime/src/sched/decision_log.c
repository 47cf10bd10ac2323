/* decision_log.c — the scheduling decisions with a real choice (more than
 * one enabled thread), in order, kept in g_rt.decisions for the schedule
 * file (schedule_writer.c) that replays them. */
#include "sched/scheduler.h"

void rc_decision_log(const rc_thread *chosen) {
  if (g_rt.n_decisions == g_rt.decisions_cap) {
    uint64_t cap = g_rt.decisions_cap ? g_rt.decisions_cap * 2 : 4096;
    g_rt.decisions =
        rc_realloc(g_rt.decisions, g_rt.decisions_cap * sizeof *g_rt.decisions,
                   cap * sizeof *g_rt.decisions);
    g_rt.decisions_cap = cap;
  }
  struct rc_decision *d = &g_rt.decisions[g_rt.n_decisions++];
  d->step = g_rt.steps;
  d->chosen = chosen->tid;
  d->op = chosen->pending.kind;
  d->site = chosen->pending.site;
}
