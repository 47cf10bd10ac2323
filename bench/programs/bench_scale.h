// bench_scale.h — the operation counts of the scalable bench programs: the
// count the program names, times BENCH_SCALE (default 1, bench.py passes
// its --scale), at least 1.
#ifndef BENCH_SCALE_H
#define BENCH_SCALE_H
#include <stdlib.h>
static long bench_scaled(long count) {
  const char *s = getenv("BENCH_SCALE");
  double scale = s && *s ? atof(s) : 1.0;
  long n = (long)(count * scale);
  return n > 0 ? n : 1;
}
#endif
