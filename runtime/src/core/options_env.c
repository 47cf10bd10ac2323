/* options_env.c — RACECHECK_OPTIONS kept out of the program's environment
 * (core/options_env.h). */
#include "core/options_env.h"
#include "core/runtime.h"

#include <string.h>

static const char *g_entry;

static int is_options_entry(const char *e) {
  return strncmp(e, "RACECHECK_OPTIONS=", 18) == 0;
}

const char *rc_options_env_take(char **envp) {
  if (!envp)
    return 0;
  char **out = envp;
  for (char **e = envp; *e; e++) {
    if (is_options_entry(*e))
      g_entry = *e; /* the last one wins, as getenv's would not matter */
    else
      *out++ = *e;
  }
  *out = 0;
  return g_entry ? g_entry + 18 : 0;
}

const char *rc_options_env_entry(void) { return g_entry; }

void rc_options_env_set(const char *entry) { g_entry = entry; }

char *const *rc_options_env_for_exec(char *const envp[]) {
  if (!g_entry || g_rt.process[0])
    return envp;
  size_t n = 0;
  for (; envp && envp[n]; n++)
    if (is_options_entry(envp[n]))
      return envp; /* the program chose the options of what it runs */
  char **with = rc_alloc((n + 2) * sizeof *with);
  for (size_t i = 0; i < n; i++)
    with[i] = envp[i];
  with[n] = (char *)g_entry;
  with[n + 1] = 0;
  return with;
}
