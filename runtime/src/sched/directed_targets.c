/* directed_targets.c — reading and matching the target acquisitions of the
 * directed strategy (see directed_targets.h for the format and meaning).
 * Pure functions over the runtime's lock identities, so they can be unit
 * tested without a scheduler. */
#include "sched/directed_targets.h"
#include "racecheck/schedule_format.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool parse_u32(const char *s, uint32_t *out) {
  if (!*s)
    return false;
  uint64_t v = 0;
  for (; *s; s++) {
    if (*s < '0' || *s > '9')
      return false;
    v = v * 10 + (uint64_t)(*s - '0');
    if (v > UINT32_MAX)
      return false;
  }
  *out = (uint32_t)v;
  return true;
}

static bool parse_key(char **f, rc_lock_key *key) {
  key->name = f[0];
  key->file = f[1];
  return parse_u32(f[2], &key->line) && parse_u32(f[3], &key->creator) &&
         parse_u32(f[4], &key->ordinal);
}

bool rc_directed_targets_parse(char *text, rc_directed_target **out,
                               uint32_t *n_out, char *error,
                               size_t error_size) {
  uint32_t lines = 1;
  for (const char *p = text; *p; p++)
    lines += *p == '\n';
  rc_directed_target *targets = rc_alloc(lines * sizeof *targets);
  uint32_t n = 0, line_no = 0;
  char *line = text;
  while (line && *line) {
    line_no++;
    char *next = strchr(line, '\n');
    if (next)
      *next++ = 0;
    if (*line && *line != RC_SCHEDULE_COMMENT) {
      char *fields[RC_DIRECTED_TARGET_FIELDS + 1];
      uint32_t count = 0;
      for (char *f = line; f && count <= RC_DIRECTED_TARGET_FIELDS; count++) {
        fields[count] = f;
        f = strchr(f, '\t');
        if (f)
          *f++ = 0;
      }
      rc_directed_target *t = &targets[n];
      memset(t, 0, sizeof *t);
      if (count != RC_DIRECTED_TARGET_FIELDS ||
          strcmp(fields[0], RC_DIRECTED_TARGET_KEYWORD) != 0 ||
          !parse_u32(fields[1], &t->tid) || !parse_u32(fields[3], &t->line) ||
          !parse_key(&fields[4], &t->wanted) ||
          !parse_key(&fields[4 + RC_DIRECTED_LOCK_KEY_FIELDS], &t->held) ||
          !parse_u32(fields[14], &t->occurrence)) {
        snprintf(error, error_size,
                 "line %u: expected \"target TID FILE LINE\" then the wanted "
                 "and the held lock (NAME FILE LINE CREATOR ORDINAL each) and "
                 "OCCURRENCE, separated by tabs",
                 line_no);
        return false;
      }
      t->file = fields[2];
      n++;
    }
    line = next;
  }
  *out = targets;
  *n_out = n;
  return true;
}

static bool same_file(const char *a, const char *b) {
  return strcmp(a ? a : "", b ? b : "") == 0;
}

bool rc_lock_key_matches(const rc_lock_key *key, const rc_lock_info *info) {
  if (!info)
    return false;
  if (*key->name)
    return info->name && strcmp(key->name, info->name) == 0;
  if (info->name && *info->name)
    return false;
  return info->site && same_file(key->file, info->site->file) &&
         info->site->line == key->line && info->creator == key->creator &&
         info->ordinal == key->ordinal;
}

bool rc_directed_request_matches(const rc_directed_target *target,
                                 const rc_thread *t, uint32_t wanted_lock,
                                 const rc_site *site) {
  if (t->tid != target->tid || !site || site->line != target->line ||
      !same_file(site->file, target->file) ||
      !rc_lock_key_matches(&target->wanted, rc_lock_info_get(wanted_lock)))
    return false;
  for (uint32_t i = 0; i < t->n_held; i++)
    if (t->held[i].lock_id != wanted_lock &&
        rc_lock_key_matches(&target->held,
                            rc_lock_info_get(t->held[i].lock_id)))
      return true;
  return false;
}
