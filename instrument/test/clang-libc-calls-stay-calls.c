// Calls of libc functions whose memory effects the runtime checks are
// marked nobuiltin, so the code generator cannot expand them into loads the
// instrumentation never saw (memcmp(...) == 0 of 16 bytes becomes two loads
// and a compare otherwise). Other calls keep their builtin semantics.
// RUN: %clang -fplugin=%plugin -O2 -S -emit-llvm %s -o - | FileCheck %s
// RUN: %clang -fplugin=%plugin -O2 -S %s -o - | FileCheck %s --check-prefix=ASM

#include <string.h>

char a[16], b[16];

// CHECK-LABEL: define {{.*}}i32 @same(
// CHECK:         call i32 @bcmp(ptr {{.*}}@a, ptr {{.*}}@b, i64 16) #[[NOBUILTIN:[0-9]+]]
// ASM-LABEL: same:
// ASM:         call{{q?}} bcmp
int same(void) { return memcmp(a, b, sizeof a) == 0; }

// CHECK-LABEL: define {{.*}}i64 @length(
// CHECK:         call i64 @strlen(ptr {{.*}}) #[[NOBUILTIN2:[0-9]+]]
size_t length(const char *s) { return strlen(s); }

// CHECK-DAG: attributes #[[NOBUILTIN]] = { {{.*}}nobuiltin
// CHECK-DAG: attributes #[[NOBUILTIN2]] = { {{.*}}nobuiltin
