// The pass is required, so it also runs on optnone functions at -O0; it runs
// at every level and before (Thin)LTO, always once per module.
// RUN: %clang -fplugin=%plugin -O0 -S -emit-llvm %s -o - | FileCheck %s --check-prefix=O0
// RUN: %clang -fplugin=%plugin -O1 -S -emit-llvm %s -o - | FileCheck %s --check-prefix=OPT
// RUN: %clang -fplugin=%plugin -O3 -S -emit-llvm %s -o - | FileCheck %s --check-prefix=OPT
// RUN: %clang -fplugin=%plugin -Os -S -emit-llvm %s -o - | FileCheck %s --check-prefix=OPT
// RUN: %clang -fplugin=%plugin -O2 -flto=thin -S -emit-llvm %s -o - | FileCheck %s --check-prefix=OPT
// RUN: %clang -fplugin=%plugin -O2 -flto -S -emit-llvm %s -o - | FileCheck %s --check-prefix=OPT

void publish(int *p);
int total;

// At -O0 every local lives in an alloca: the non-escaping ones (`sum`, the
// parameter's slot) are not instrumented, the escaping one (`mine`, passed
// to publish) is, and so is the global; `total += sum` gets one check, the
// write's (read-before-write elision).
// O0-LABEL: define {{.*}}i32 @accumulate(i32 noundef %0) #0 {
// O0-NEXT:    call void @__racecheck_func_entry(
// O0-NEXT:    alloca i32
// O0-NEXT:    [[SUM:%[0-9]+]] = alloca i32
// O0-NEXT:    [[MINE:%[0-9]+]] = alloca i32
// O0-NEXT:    store i32 %0, ptr
// O0-NEXT:    store i32 0, ptr [[SUM]]
// O0-NEXT:    call void @__racecheck_write4(ptr [[MINE]],
// O0-NEXT:    store i32 1, ptr [[MINE]]
// O0-NEXT:    store ptr @{{__racecheck_site[.0-9]*}}, ptr @__racecheck_call_site
// O0-NEXT:    call void @publish(ptr noundef [[MINE]])
// O0-NEXT:    call void @__racecheck_read4(ptr [[MINE]],
// O0-NEXT:    load i32, ptr [[MINE]]
// O0-NEXT:    load i32, ptr [[SUM]]
// O0-NEXT:    add nsw
// O0-NEXT:    store i32 {{.*}}, ptr [[SUM]]
// O0-NEXT:    load i32, ptr [[SUM]]
// O0-NEXT:    load i32, ptr @total
// O0-NEXT:    add nsw
// O0-NEXT:    call void @__racecheck_write4(ptr @total,
// O0-NEXT:    store i32 {{.*}}, ptr @total
// O0-NEXT:    load i32, ptr [[SUM]]
// O0-NEXT:    call void @__racecheck_func_exit()
// O0-NEXT:    ret i32
// O0: attributes #0 = { {{.*}}optnone

// OPT-LABEL: define {{.*}}i32 @accumulate(
// OPT-NEXT:    call void @__racecheck_func_entry(
// OPT-NEXT:    [[MINE:%[0-9]+]] = alloca i32
// OPT:         call void @__racecheck_write4(ptr {{.*}}[[MINE]],
// OPT:         call void @publish(
// OPT:         call void @__racecheck_read4(ptr {{.*}}[[MINE]],
// OPT-NOT:     call void @__racecheck_read4(ptr @total,
// OPT:         call void @__racecheck_write4(ptr @total,
// OPT:         call void @__racecheck_func_exit()
// OPT-NEXT:    ret i32
// OPT-NOT:     call void @__racecheck_func_entry(
int accumulate(int x) {
  int sum = 0, mine = 1;
  publish(&mine);
  sum += mine;
  total += sum;
  return sum;
}
