// Input for the clang-*.c tests: a tiny program whose instrumentation is the
// same whichever way the plugin is loaded. Each access must be instrumented
// exactly once (CHECK-NEXT leaves no room for a second copy).
#include <stdatomic.h>

int counter;
_Atomic long hits;
struct pair { long a, b; } shared_pair, other_pair;

void helper(void);

// CHECK-LABEL: define {{.*}}void @bump(
// CHECK-NEXT:    call void @__racecheck_func_entry(ptr @[[BUMP:__racecheck_site[.0-9]*]])
//   counter++: the write's check covers the read (read-before-write elision)
// CHECK-NEXT:    load i32, ptr @counter
// CHECK-NEXT:    add nsw i32
// CHECK-NEXT:    call void @__racecheck_write4(ptr @counter, ptr @[[INC:__racecheck_site[.0-9]*]])
// CHECK-NEXT:    store i32 {{.*}}, ptr @counter
// CHECK-NEXT:    call void @__racecheck_atomic_int_rmw(ptr @hits, i32 8, i32 1, i32 5, i64 1,
// CHECK-NEXT:    atomicrmw add ptr @hits, i64 1 seq_cst
// CHECK-NEXT:    store ptr @{{__racecheck_site[.0-9]*}}, ptr @__racecheck_call_site
// CHECK-NEXT:    tail call void @helper()
// CHECK-NEXT:    call void @__racecheck_func_exit()
// CHECK-NEXT:    ret void
void bump(void) {
  counter++;
  atomic_fetch_add(&hits, 1);
  helper();
}

// A plain read with no write after it keeps its own check.
// CHECK-LABEL: define {{.*}}i32 @peek(
// CHECK-NEXT:    call void @__racecheck_func_entry(
// CHECK-NEXT:    call void @__racecheck_read4(ptr @counter,
// CHECK-NEXT:    load i32, ptr @counter
// CHECK-NEXT:    call void @__racecheck_func_exit()
// CHECK-NEXT:    ret i32
int peek(void) { return counter; }

// CHECK-LABEL: define {{.*}}void @copy(
// CHECK-NEXT:    call void @__racecheck_func_entry(
// CHECK-NEXT:    call void @__racecheck_read_range(ptr @other_pair, i64 16,
// CHECK-NEXT:    call void @__racecheck_write_range(ptr @shared_pair, i64 16,
// CHECK-NEXT:    tail call void @llvm.memcpy
// CHECK-NEXT:    call void @__racecheck_func_exit()
// CHECK-NEXT:    ret void
void copy(void) { __builtin_memcpy(&shared_pair, &other_pair, sizeof shared_pair); }

// One module constructor, one flag.
// CHECK-LABEL: define internal void @__racecheck_module_ctor()
// CHECK-NEXT:    call void @__racecheck_init(i32 1)
// CHECK-NEXT:    call void @__racecheck_register_globals(ptr @__racecheck_globals, i64 4)
// CHECK-NEXT:    ret void
// CHECK-NOT:   define {{.*}}__racecheck_module_ctor
// CHECK:       !{i32 7, !"racecheck.instrumented", i32 1}

// The object refers to the runtime ABI (undefined) and defines nothing of it.
// NM-NOT:  {{[TtDdBb]}} __racecheck
// NM-DAG:  U __racecheck_atomic_int_rmw
// NM-DAG:  U __racecheck_call_site
// NM-DAG:  U __racecheck_func_entry
// NM-DAG:  U __racecheck_func_exit
// NM-DAG:  U __racecheck_init
// NM-DAG:  U __racecheck_read4
// NM-DAG:  U __racecheck_read_range
// NM-DAG:  U __racecheck_register_globals
// NM-DAG:  U __racecheck_write4
// NM-DAG:  U __racecheck_write_range
