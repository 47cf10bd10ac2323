/* core/options_env.h — RACECHECK_OPTIONS belongs to the runtime: it is taken
 * out of the program's environment at start-up, so the program and the
 * processes it starts (system, popen, posix_spawn, fork then exec) never
 * see it: an instrumented child would otherwise write its record over its
 * parent's and end with racecheck's exit code. Only an exec that replaces
 * the program itself carries it on, since that image continues the same
 * run and its findings join the report. */
#ifndef RACECHECK_CORE_OPTIONS_ENV_H
#define RACECHECK_CORE_OPTIONS_ENV_H

/* Removes the RACECHECK_OPTIONS entry from `envp` (the process's initial
 * environment) and keeps it; its value, or null when there is none. */
const char *rc_options_env_take(char **envp);

/* The kept entry ("RACECHECK_OPTIONS=..."), or null. */
const char *rc_options_env_entry(void);
/* Replaces the kept entry (the fork server's per-run options). */
void rc_options_env_set(const char *entry);

/* The environment an exec of the program itself passes on: `envp` plus the
 * kept entry, unless this is a child process (its next image takes the
 * channel instead, core/child_channel.h) or `envp` names its own. */
char *const *rc_options_env_for_exec(char *const envp[]);

#endif
