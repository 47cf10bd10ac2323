/* globals.c — the instrumented global variables and address symbolization.
 *
 * Every instrumented module registers its globals (address, size, name, type
 * layout, declaration site) from its constructor, possibly before
 * __racecheck_init. They are kept in one array sorted by address, so a report
 * can name the variable and the field an address falls in. rc_describe_address
 * also asks the heap registry (heap_blocks.c) and the thread stacks. */
#include "core/runtime.h"
#include "racecheck/text_encoding.h"

#include <string.h>

static const struct __racecheck_global **g_globals; /* sorted by address */
static size_t g_globals_count, g_globals_cap;

static bool rc_global_before(const struct __racecheck_global *a,
                             const struct __racecheck_global *b) {
  return (uintptr_t)a->address < (uintptr_t)b->address;
}

RC_INTERFACE void
__racecheck_register_globals(const struct __racecheck_global *globals,
                             unsigned long count) {
  if (g_globals_count + count > g_globals_cap) {
    size_t cap = g_globals_cap ? g_globals_cap : 64;
    while (cap < g_globals_count + count)
      cap *= 2;
    g_globals = rc_realloc(g_globals, g_globals_cap * sizeof *g_globals,
                           cap * sizeof *g_globals);
    g_globals_cap = cap;
  }
  /* Insertion keeps the array sorted; modules register once each, and their
   * tables are usually already in address order, so this is near-linear. */
  for (unsigned long i = 0; i < count; i++) {
    const struct __racecheck_global *g = &globals[i];
    if (g->size == 0 || !g->address)
      continue;
    size_t pos = g_globals_count;
    while (pos > 0 && rc_global_before(g, g_globals[pos - 1])) {
      g_globals[pos] = g_globals[pos - 1];
      pos--;
    }
    g_globals[pos] = g;
    g_globals_count++;
  }
}

/* The registered global whose [address, address + size) contains addr. */
static const struct __racecheck_global *rc_find_global(uintptr_t addr) {
  size_t lo = 0, hi = g_globals_count; /* first entry with address > addr */
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if ((uintptr_t)g_globals[mid]->address <= addr)
      lo = mid + 1;
    else
      hi = mid;
  }
  /* Walk back over entries starting at or before addr; the closest one that
   * contains it wins (nested registrations cannot occur, aliases may). */
  for (size_t i = lo; i > 0; i--) {
    const struct __racecheck_global *g = g_globals[i - 1];
    if (addr - (uintptr_t)g->address < g->size)
      return g;
    if (lo - i >= 8)
      break; /* neighbours further back cannot reach: only aliases overlap */
  }
  return 0;
}

/* ---- layout strings: "path@offset+size" / "path[]@offset+elem*count" ---- */

typedef struct rc_layout_entry {
  const char *path; /* not NUL-terminated */
  size_t path_len;
  uint64_t offset, elem_size, count; /* count 0: not an array */
} rc_layout_entry;

static bool rc_parse_u64(const char **p, const char *end, uint64_t *out) {
  const char *s = *p;
  uint64_t v = 0;
  if (s == end || *s < '0' || *s > '9')
    return false;
  while (s < end && *s >= '0' && *s <= '9')
    v = v * 10 + (uint64_t)(*s++ - '0');
  *p = s;
  *out = v;
  return true;
}

/* Parses one entry spanning [s, end); false when malformed. */
static bool rc_parse_layout_entry(const char *s, const char *end,
                                  rc_layout_entry *e) {
  const char *at = s;
  while (at < end && *at != '@')
    at++;
  if (at == end)
    return false;
  e->path = s;
  e->path_len = (size_t)(at - s);
  const char *p = at + 1;
  if (!rc_parse_u64(&p, end, &e->offset) || p == end || *p++ != '+' ||
      !rc_parse_u64(&p, end, &e->elem_size))
    return false;
  e->count = 0;
  if (p < end && *p == '*') {
    p++;
    if (!rc_parse_u64(&p, end, &e->count))
      return false;
  }
  bool is_array = e->path_len >= 2 && e->path[e->path_len - 2] == '[' &&
                  e->path[e->path_len - 1] == ']';
  if (is_array && e->count == 0)
    e->count = 1; /* "a[]@0+4" without a count: treat as one element */
  if (!is_array)
    e->count = 0;
  return p == end;
}

static bool rc_has_inner_array(const char *s, size_t len) {
  /* "[]" anywhere but as the final two characters */
  for (size_t i = 0; i + 2 < len; i++)
    if (s[i] == '[' && s[i + 1] == ']')
      return true;
  return false;
}

typedef struct rc_field_writer {
  char *buf;
  size_t size, len;
} rc_field_writer;

static void rc_field_append(rc_field_writer *w, const char *s, size_t n) {
  for (size_t i = 0; i < n && w->len + 1 < w->size; i++)
    w->buf[w->len++] = s[i];
  w->buf[w->len] = 0;
}

static void rc_field_append_u64(rc_field_writer *w, uint64_t v) {
  char digits[RC_DECIMAL_U64_MAX];
  rc_field_append(w, digits, rc_decimal_u64(digits, v));
}

/* Writes into field[] the path of `offset` within a variable described by
 * `layout` (as the plugin writes it: entries below "x[]" have offsets
 * relative to one element). Each step picks the deepest entry below the path
 * chosen so far that contains the offset, appends its path (a trailing "[]"
 * becomes "[index]") and, for an array, continues with the offset within the
 * element. */
static void rc_layout_field(const char *layout, uint64_t offset, char *field,
                            size_t field_size) {
  rc_field_writer w = {field, field_size, 0};
  field[0] = 0;
  if (!layout || !field_size)
    return;
  const char *prefix = "";
  size_t prefix_len = 0;
  for (int depth = 0; depth < 64; depth++) {
    rc_layout_entry best = {0};
    bool found = false;
    for (const char *s = layout; *s;) {
      const char *end = s;
      while (*end && *end != ';')
        end++;
      rc_layout_entry e;
      if (rc_parse_layout_entry(s, end, &e) && e.path_len > prefix_len &&
          memcmp(e.path, prefix, prefix_len) == 0 &&
          (prefix_len == 0 || e.path[prefix_len] == '.' ||
           e.path[prefix_len] == '[') &&
          !rc_has_inner_array(e.path + prefix_len, e.path_len - prefix_len)) {
        uint64_t extent = e.count ? e.elem_size * e.count : e.elem_size;
        if (offset >= e.offset && offset - e.offset < extent &&
            (!found || e.path_len > best.path_len)) {
          best = e;
          found = true;
        }
      }
      s = *end ? end + 1 : end;
    }
    if (!found)
      return;
    const char *rest = best.path + prefix_len;
    size_t rest_len = best.path_len - prefix_len;
    /* The dot between a path and its first component is written only when
     * something precedes it (the variable's own "" path adds nothing). */
    if (w.len == 0 && rest_len && rest[0] == '.') {
      rest++;
      rest_len--;
    }
    if (best.count) {
      uint64_t index = (offset - best.offset) / best.elem_size;
      rc_field_append(&w, rest, rest_len - 2);
      rc_field_append(&w, "[", 1);
      rc_field_append_u64(&w, index);
      rc_field_append(&w, "]", 1);
      offset = (offset - best.offset) % best.elem_size;
    } else {
      rc_field_append(&w, rest, rest_len);
    }
    prefix = best.path;
    prefix_len = best.path_len;
  }
}

static bool rc_describe_global(uintptr_t addr, rc_variable *out) {
  const struct __racecheck_global *g = rc_find_global(addr);
  if (!g)
    return false;
  out->kind = RC_VAR_GLOBAL;
  out->name = g->name;
  out->offset = addr - (uintptr_t)g->address;
  out->size = g->size;
  out->site = g->site;
  rc_layout_field(g->layout, out->offset, out->field, sizeof out->field);
  return true;
}

void rc_describe_address(uintptr_t addr, rc_variable *out) {
  memset(out, 0, sizeof *out);
  if (rc_describe_global(addr, out) || rc_heap_describe(addr, out) ||
      rc_fd_describe(addr, out))
    return;
  for (uint32_t i = 0; i < g_rt.n_threads; i++) {
    const rc_thread *t = g_rt.threads[i];
    if (t && addr >= t->stack_lo && addr < t->stack_hi) {
      out->kind = RC_VAR_STACK;
      out->tid = t->tid;
      return;
    }
  }
  if (rc_heap_describe_freed(addr, out) || rc_mapping_describe(addr, out))
    return;
  out->kind = RC_VAR_UNKNOWN;
}

const char *rc_global_name_at(uintptr_t addr, char *buf, size_t buf_size) {
  rc_variable v;
  memset(&v, 0, sizeof v);
  if (!buf_size || !rc_describe_global(addr, &v))
    return 0;
  rc_field_writer w = {buf, buf_size, 0};
  buf[0] = 0;
  rc_field_append(&w, v.name ? v.name : "?", v.name ? strlen(v.name) : 1);
  if (v.field[0]) {
    if (v.field[0] != '[')
      rc_field_append(&w, ".", 1);
    rc_field_append(&w, v.field, strlen(v.field));
  }
  return buf;
}

const char *rc_global_name_copy(const void *addr) {
  char name[160];
  const char *global =
      addr ? rc_global_name_at((uintptr_t)addr, name, sizeof name) : 0;
  return global ? rc_strdup(global) : 0;
}
