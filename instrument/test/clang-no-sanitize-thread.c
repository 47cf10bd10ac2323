// The opt-outs of -fsanitize=thread: functions marked no_sanitize("thread") /
// no_sanitize_thread, or matched by an ignorelist (-racecheck-ignorelist,
// which `racecheck cc` passes for -fsanitize-ignorelist=), get no plain-access
// checks; their entry/exit and atomics stay, and they are not inlined into
// checked callers (where their accesses would be checked after all).
// RUN: %clang -fplugin=%plugin -O1 -S -emit-llvm %s -o - | FileCheck %s --check-prefixes=CHECK,ATTR
// RUN: %clang -fpass-plugin=%plugin -fplugin=%plugin -O0 -S -emit-llvm %s -o - | FileCheck %s --check-prefixes=CHECK,ATTR
// RUN: printf '[thread]\nfun:listed_*\n' > %t.fun.txt
// RUN: %clang -fplugin=%plugin -O1 -mllvm -racecheck-ignorelist=%t.fun.txt -S -emit-llvm %s -o - \
// RUN:   | FileCheck %s --check-prefixes=CHECK,ATTR,FUN
// RUN: printf 'src:*clang-no-sanitize-thread.c\n' > %t.src.txt
// RUN: %clang -fplugin=%plugin -O1 -mllvm -racecheck-ignorelist=%t.src.txt -S -emit-llvm %s -o - \
// RUN:   | FileCheck %s --check-prefix=SRC --implicit-check-not=__racecheck_write --implicit-check-not=__racecheck_read
// A section for another sanitizer does not apply.
// RUN: printf '[address]\nfun:*\n' > %t.asan.txt
// RUN: %clang -fplugin=%plugin -O1 -mllvm -racecheck-ignorelist=%t.asan.txt -S -emit-llvm %s -o - \
// RUN:   | FileCheck %s --check-prefixes=CHECK,ATTR
// A list that does not parse is an error naming the file and line.
// RUN: printf 'fun:ok\nbogus line\n' > %t.bad.txt
// RUN: not %clang -fplugin=%plugin -O1 -mllvm -racecheck-ignorelist=%t.bad.txt -c %s -o /dev/null 2>&1 \
// RUN:   | FileCheck %s --check-prefix=BAD
// BAD: racecheck: {{.*}}bad.txt{{.*}}2

int plain, header_copy, listed;
_Atomic int atomic;

// CHECK-LABEL: define {{.*}}void @checked(
// CHECK:         call void @__racecheck_write4(ptr @plain,
void checked(void) { plain = 1; }

// ATTR-LABEL: define {{.*}}void @unchecked(
// ATTR:         call void @__racecheck_func_entry(
// ATTR-NOT:     call void @__racecheck_write
// ATTR:         call void @__racecheck_atomic_op(ptr @atomic,
// ATTR-NOT:     call void @__racecheck_write
// ATTR:         call void @__racecheck_func_exit()
__attribute__((no_sanitize("thread"))) void unchecked(void) {
  header_copy = 1;
  atomic = 2;
  header_copy = 3;
}

// ATTR-LABEL: define {{.*}}void @unchecked_old_spelling(
// ATTR-NOT:     call void @__racecheck_write
// ATTR:         ret void
__attribute__((no_sanitize_thread)) void unchecked_old_spelling(void) {
  header_copy = 4;
}

static __attribute__((no_sanitize("thread"))) void helper(void) {
  header_copy = 5;
}

// The helper is called, not inlined and checked.
// ATTR-LABEL: define {{.*}}void @caller(
// ATTR-NOT:     __racecheck_write4(ptr @header_copy
// ATTR:         call void @helper()
// ATTR:         ret void
void caller(void) { helper(); }

// FUN-LABEL: define {{.*}}void @listed_function(
// FUN:         call void @__racecheck_func_entry(
// FUN-NOT:     call void @__racecheck_write
// FUN:         ret void
void listed_function(void) { listed = 1; }

// SRC-LABEL: define {{.*}}void @checked(
// SRC:         call void @__racecheck_func_entry(
// SRC-LABEL: define {{.*}}void @unchecked(
// SRC:         call void @__racecheck_atomic_op(ptr @atomic,
