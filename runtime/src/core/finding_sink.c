/* core/finding_sink.c — the findings of a run, kept in order until the
 * record is written, and the request to end the run that detectors make
 * (finding_sink.h). The sink only keeps; the handler init.c registers
 * decides how the run ends. */
#include "core/finding_sink.h"

void rc_add_finding(rc_finding *finding) {
  if (g_rt.n_findings >= g_rt.options.max_findings) {
    rc_free(finding->waiters, finding->n_waiters * sizeof(rc_waiter));
    rc_free(finding, sizeof *finding);
    return;
  }
  finding->next = 0;
  if (g_rt.findings_tail)
    g_rt.findings_tail->next = finding;
  else
    g_rt.findings = finding;
  g_rt.findings_tail = finding;
  g_rt.n_findings++;
  if (RC_UNLIKELY(g_rt.n_findings == g_rt.options.debug_stop_finding))
    __racecheck_debug_stop();
}

RC_INTERFACE __attribute__((noinline)) void __racecheck_debug_stop(void) {
  /* Keeps the call and the function: a debugger breaks here. */
  __asm__ volatile("" ::: "memory");
}

void rc_findings_forget_inherited(void) {
  /* Still the parent's memory until written: left to it, not freed. */
  g_rt.findings = 0;
  g_rt.findings_tail = 0;
  g_rt.n_findings = 0;
}

static rc_end_run_handler end_handler;

void rc_finding_sink_set_end_handler(rc_end_run_handler handler) {
  end_handler = handler;
}

const char *rc_end_reason_name(rc_end_reason reason) {
  switch (reason) {
  case RC_END_DEADLOCK: return "deadlock";
  case RC_END_HANG: return "hang";
  case RC_END_LIVELOCK: return "livelock";
  case RC_END_CRASH: return "crash";
  }
  return "unknown";
}

void rc_end_run(rc_end_reason reason) {
  /* invariant: init.c registers the handler before any thread can reach a
   * scheduling point, so a detector never finds it missing. */
  if (!end_handler)
    rc_fatal("a %s ended the run before the runtime was initialised",
             rc_end_reason_name(reason));
  end_handler(reason, 0);
  __builtin_unreachable();
}

void rc_end_run_by_signal(int sig) {
  if (end_handler) /* set before the crash handler is installed */
    end_handler(RC_END_CRASH, sig);
}
