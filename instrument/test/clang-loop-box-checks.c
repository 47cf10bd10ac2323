// Box checks (LoopCheckHoisting.h): an access of a loop nest that cannot
// synchronize, with an affine address, made on every iteration, is checked
// once before the nest over all its addresses; anything else keeps its
// per-iteration check. Unrolling and vectorizing are off so that each loop
// keeps one access per source access.
// RUN: %clang -fplugin=%plugin -O2 -fno-unroll-loops -fno-vectorize -fno-slp-vectorize -S -emit-llvm %s -o - | FileCheck %s
// RUN: %clang -fplugin=%plugin -O2 -fno-unroll-loops -fno-vectorize -fno-slp-vectorize -mllvm -racecheck-hoist-loop-checks=0 -S -emit-llvm %s -o - | FileCheck %s --check-prefix=OFF
// RUN: %clang -fplugin=%plugin -O0 -S -emit-llvm %s -o - | FileCheck %s --check-prefix=O0
// With unrolling and vectorizing on, the copies of one access that the
// unrolled body makes (a[i], a[i+1], ... each with a stride of k elements)
// are merged back into one box per loop whose stride is its element size:
// RUN: %clang -fplugin=%plugin -O2 -S -emit-llvm %s -o - | FileCheck %s --check-prefix=UNROLLED

void touch(void);
long counter;

// One read box: n elements of 4 bytes, 4 apart, from a; none in the loop.
// CHECK-LABEL: define {{.*}} @sum(
// CHECK:       call void @__racecheck_read_box(ptr %0, i64 4, i64 [[N:%[0-9]+]], i64 4, i64 1, i64 0, i64 1, i64 0, ptr @{{__racecheck_site[.0-9]*}})
// CHECK-NOT:   call void @__racecheck_read
// OFF-LABEL:   define {{.*}} @sum(
// OFF-NOT:     _box
// OFF:         call void @__racecheck_read4(
// O0-LABEL:    define {{.*}} @sum(
// O0-NOT:      _box
// O0:          call void @__racecheck_read4(
// UNROLLED-LABEL: define {{.*}} @sum(
// UNROLLED-DAG:   call void @__racecheck_read_box(ptr %0, i64 [[VECTOR:[0-9]+]], i64 {{%[0-9]+}}, i64 [[VECTOR]], i64 1, i64 0, i64 1, i64 0,
// UNROLLED-DAG:   call void @__racecheck_read_box(ptr {{%[0-9]+}}, i64 4, i64 {{%[0-9]+}}, i64 4, i64 1, i64 0, i64 1, i64 0,
// UNROLLED-NOT:   call void @__racecheck_read
// UNROLLED-LABEL: define {{.*}} @scale_rows(
long sum(const int *a, long n) {
  long s = 0;
  for (long i = 0; i < n; i++)
    s += a[i];
  return s;
}

// Both levels of the nest: 64 columns 8 bytes apart, rows 512 bytes apart,
// as one write box (the read of `*=` is covered by the write).
// CHECK-LABEL: define {{.*}} @scale_rows(
// CHECK:       call void @__racecheck_write_box(ptr %0, i64 8, i64 64, i64 8, i64 {{%[0-9]+}}, i64 512, i64 1, i64 0,
// CHECK-NOT:   call void @__racecheck_{{read|write}}
void scale_rows(double *m, long rows) {
  for (long i = 0; i < rows; i++)
    for (long j = 0; j < 64; j++)
      m[i * 64 + j] *= 2;
}

// A call in the loop may synchronize: checked per iteration.
// CHECK-LABEL: define {{.*}} @with_call(
// CHECK-NOT:   _box
// CHECK:       call void @__racecheck_read4(
// CHECK:       call void @touch()
long with_call(const int *a, long n) {
  long s = 0;
  for (long i = 0; i < n; i++) {
    s += a[i];
    touch();
  }
  return s;
}

// The read runs on every iteration (box); the write only on some (kept).
// CHECK-LABEL: define {{.*}} @conditional(
// CHECK:       call void @__racecheck_read_box(ptr %0, i64 4,
// CHECK-NOT:   call void @__racecheck_read4(
// CHECK:       call void @__racecheck_write4(
// CHECK-NOT:   _box
void conditional(const int *a, int *b, long n) {
  for (long i = 0; i < n; i++)
    if (a[i] > 0)
      b[i] = 1;
}

// An early exit: how many elements are read is not known before the loop.
// CHECK-LABEL: define {{.*}} @find(
// CHECK-NOT:   _box
// CHECK:       call void @__racecheck_read4(
long find(const int *a, long n, int key) {
  for (long i = 0; i < n; i++)
    if (a[i] == key)
      return i;
  return -1;
}

// Volatile accesses are checked where they happen.
// CHECK-LABEL: define {{.*}} @clear_volatile(
// CHECK-NOT:   _box
// CHECK:       call void @__racecheck_write4(
void clear_volatile(volatile int *v, long n) {
  for (long i = 0; i < n; i++)
    v[i] = 0;
}

// An atomic in the loop orders memory between threads: per iteration.
// CHECK-LABEL: define {{.*}} @with_atomic(
// CHECK-NOT:   _box
// CHECK:       call void @__racecheck_write4(
void with_atomic(int *a, long n) {
  for (long i = 0; i < n; i++) {
    a[i] = 1;
    __atomic_fetch_add(&counter, 1, __ATOMIC_RELAXED);
  }
}

// Downwards: a negative stride, from the first address the loop touches.
// CHECK-LABEL: define {{.*}} @reverse(
// CHECK:       call void @__racecheck_write_box(ptr {{%[0-9]+}}, i64 4, i64 {{%[0-9]+}}, i64 -4, i64 1, i64 0, i64 1, i64 0,
// CHECK-NOT:   call void @__racecheck_write4(
void reverse(int *a, long n) {
  for (long i = n - 1; i >= 0; i--)
    a[i] = (int)i;
}

// The inner trip count depends on the outer counter: only the inner loop is
// boxed, once per row (the box call sits inside the outer loop, after the
// outer loop's own header).
// CHECK-LABEL: define {{.*}} @lower_triangle(
// CHECK:       br label
// CHECK:       call void @__racecheck_write_box(ptr {{%[0-9]+}}, i64 8, i64 {{%[0-9]+}}, i64 8, i64 1, i64 0, i64 1, i64 0,
// CHECK-NOT:   call void @__racecheck_write8(
void lower_triangle(double *m, long n) {
  for (long i = 0; i < n; i++)
    for (long j = 0; j <= i; j++)
      m[i * n + j] = (double)(i + j);
}
