// finding_text_test.cpp — the English the analyzer composes from the
// runtime's structured fields (finding_text.cpp): every cause and wait
// object of racecheck/record_format.h, worded as the runtime once wrote it.
#include <gtest/gtest.h>

#include "finding_text.h"
#include "record_reader.h"
#include "test_data.h"

namespace racecheck {
namespace {

// Sites, and locks named, known by position only, and by creator only.
Record MakeRecord() {
  Record r;
  r.sites[0] = Site{0, "/src/dir/spin.c", "loop", 42, 3, kNoId};
  r.sites[1] = Site{1, "", "anon", 7, 0, kNoId};
  r.locks[0] = Lock{0, "mutex", "a", 0, kNoId, 0, 0};
  r.locks[1] = Lock{1, "mutex", "b", 0, kNoId, 0, 1};
  r.locks[2] = Lock{2, "rwlock", "", 0, kNoId, 1, 0};
  r.locks[3] = Lock{3, "sem", "", kNoId, kNoId, 1, 2};
  r.locks[4] = Lock{4, "mutex", "", kNoId, kNoId, kNoId, 0};  // no identity known
  return r;
}

Waiter MakeWaiter(int tid, const std::string &operation, const std::string &object) {
  Waiter w;
  w.tid = tid;
  w.operation = operation;
  w.object = object;
  return w;
}

TEST(FindingText, LockReadsByNameByPositionOrByCreator) {
  Record r = MakeRecord();
  EXPECT_EQ(lock_text(r, 0), "mutex `a`");
  EXPECT_EQ(lock_text(r, 2), "rwlock created at /src/dir/spin.c:42");
  EXPECT_EQ(lock_text(r, 3), "sem #2 of T1");
  EXPECT_EQ(lock_text(r, 4), "an unknown object");
  EXPECT_EQ(lock_text(r, 9), "an unknown object");
}

TEST(FindingText, EveryWaitObject) {
  Record r = MakeRecord();
  EXPECT_EQ(wait_object_text(r, "mutex lock", ""), "");
  EXPECT_EQ(wait_object_text(r, "mutex lock", "lock:1"), "mutex `b`");
  EXPECT_EQ(wait_object_text(r, "pthread_join", "thread:3"), "thread T3");
  EXPECT_EQ(wait_object_text(r, "cond wait", "operation"), "cond wait");
  EXPECT_EQ(wait_object_text(r, "cond wait", "operation:ready"), "cond wait on ready");
  EXPECT_EQ(wait_object_text(r, "sem wait", "object"), "object");
  EXPECT_EQ(wait_object_text(r, "sem wait", "object:pool.slots"), "object `pool.slots`");
  EXPECT_EQ(wait_object_text(r, "futex wait", "futex"), "futex word");
  EXPECT_EQ(wait_object_text(r, "futex wait", "futex:word"), "futex word `word`");
  EXPECT_EQ(wait_object_text(r, "atomic load", "atomic"), "atomic object");
  EXPECT_EQ(wait_object_text(r, "atomic load", "atomic:flag"), "atomic `flag`");
  EXPECT_EQ(wait_object_text(r, "atomic rmw", "spin"), "spin lock on an unnamed atomic");
  EXPECT_EQ(wait_object_text(r, "atomic rmw", "spin:busy"), "spin lock on atomic `busy`");
  EXPECT_EQ(wait_object_text(r, "read", "io"), "real I/O");
  EXPECT_EQ(wait_object_text(r, "none", "scheduling-point"), "a scheduling point");
  EXPECT_EQ(wait_object_text(r, "none", "signal:11"), "SIGSEGV");
  EXPECT_EQ(wait_object_text(r, "none", "signal:6"), "SIGABRT");
  EXPECT_EQ(wait_object_text(r, "a system call", "syscall:0"), "read to return");
  EXPECT_EQ(wait_object_text(r, "a system call", "syscall:128"), "rt_sigtimedwait to return");
  EXPECT_EQ(wait_object_text(r, "a system call", "syscall:999"), "system call 999 to return");
  // A global name containing ':' is the value after the first one.
  EXPECT_EQ(wait_object_text(r, "atomic load", "atomic:ns::flag"), "atomic `ns::flag`");
  // The runtime's object buffer held 95 bytes.
  std::string text = wait_object_text(r, "atomic load", "atomic:" + std::string(200, 'x'));
  EXPECT_EQ(text, "atomic `" + std::string(87, 'x'));
  EXPECT_THROW(wait_object_text(r, "x", "planet:3"), FindingTextError);
  EXPECT_THROW(wait_object_text(r, "x", "thread:T3"), FindingTextError);
}

Finding Deadlock(const Record &r) {
  Finding f;
  f.kind = FindingKind::Deadlock;
  f.waiters = {MakeWaiter(0, "pthread_join", wait_object_text(r, "pthread_join", "thread:1")),
               MakeWaiter(1, "mutex lock", wait_object_text(r, "mutex lock", "lock:1")),
               MakeWaiter(2, "mutex lock", wait_object_text(r, "mutex lock", "lock:0"))};
  return f;
}

TEST(FindingText, DeadlockNamesHoldersAndHeldLocks) {
  Record r = MakeRecord();
  Finding f = Deadlock(r);
  EXPECT_EQ(cause_text(r, f, {"deadlock", "no-progress", "0:-1:-1:0", "1:2:0:1", "2:1:1:3"}),
            "no thread can make progress: T0 waits for thread T1; T1 waits for mutex `b` held by "
            "T2 while holding mutex `a`; T2 waits for mutex `a` held by T1 while holding mutex "
            "`b` and more;");
  EXPECT_EQ(cause_text(r, f, {"deadlock", "relock", "0:-1:-1:0", "1:-1:-1:0", "2:-1:2:1"}),
            "a thread locks a non-recursive lock it already holds: T0 waits for thread T1; T1 "
            "waits for mutex `b`; T2 waits for mutex `a` while holding rwlock created at "
            "/src/dir/spin.c:42;");
  f.waiters.resize(1);
  EXPECT_EQ(cause_text(r, f, {"deadlock", "once-self", "0:0:-1:0"}),
            "a pthread_once initialiser waits for itself: T0 waits for thread T1 held by T0;");
  EXPECT_EQ(cause_text(r, f, {"deadlock", "guard-self", "0:0:-1:0"}),
            "a static variable's initialiser needs itself: T0 waits for thread T1 held by T0;");
  // The waits are the waiters', one each, in order.
  EXPECT_THROW(cause_text(r, f, {"deadlock", "no-progress"}), FindingTextError);
  EXPECT_THROW(cause_text(r, f, {"deadlock", "no-progress", "5:-1:-1:0"}), FindingTextError);
  EXPECT_THROW(cause_text(r, f, {"deadlock", "no-progress", "0:-1"}), FindingTextError);
  EXPECT_THROW(cause_text(r, f, {"deadlock", "sulking", "0:-1:-1:0"}), FindingTextError);
}

TEST(FindingText, DetailIsCutWhereTheRuntimeBufferEnded) {
  Record r = MakeRecord();
  Finding f;
  std::vector<std::string> cause = {"deadlock", "no-progress"};
  for (int t = 0; t < 12; ++t) {
    f.waiters.push_back(MakeWaiter(t, "mutex lock", "mutex `b`"));
    cause.push_back(std::to_string(t) + ":-1:0:1");
  }
  std::string text = cause_text(r, f, cause);
  EXPECT_EQ(text.size(), 255u);
  EXPECT_EQ(text.substr(0, 80),
            "no thread can make progress: T0 waits for mutex `b` while holding mutex `a`; T1 ");
}

TEST(FindingText, MaxStepsHangWithAndWithoutTheBusiestSite) {
  Record r = MakeRecord();
  Finding f;
  f.kind = FindingKind::Hang;
  EXPECT_EQ(cause_text(r, f, {"max-steps", "100000"}),
            "the run did not end within max_steps=100000 scheduling points");
  EXPECT_EQ(cause_text(r, f, {"max-steps", "100000", "4096", "0", "2048"}),
            "the run did not end within max_steps=100000 scheduling points; busiest site in "
            "the last 4096 points: spin.c:42 (2048 times)");
  EXPECT_EQ(cause_text(r, f, {"max-steps", "10", "10", "1", "9"}),
            "the run did not end within max_steps=10 scheduling points; busiest site in the "
            "last 10 points: ?:7 (9 times)");
}

TEST(FindingText, SpinHangNamesTheSpinnerItsSiteAndTheCycle) {
  Record r = MakeRecord();
  Finding f;
  f.kind = FindingKind::Hang;
  EXPECT_EQ(cause_text(r, f, {"spin", "1", "0", "2", "50"}),
            "T1 spins at spin.c:42 on values no other thread can change (every other thread is "
            "blocked or finished): a 2-step cycle repeated 50 times without progress");
  EXPECT_EQ(cause_text(r, f, {"spin", "3", "-1", "1", "65"}),
            "T3 spins at ?:0 on values no other thread can change (every other thread is "
            "blocked or finished): a 1-step cycle repeated 65 times without progress");
  EXPECT_EQ(cause_text(r, f, {"spin", "1", "0", "2", "50", "500", "10", "15"}),
            "T1 spins at spin.c:42 on values only a handler of a signal from outside could still "
            "change (SIGUSR1, SIGTERM), and none came in 500 ms: a 2-step cycle repeated 50 times "
            "without progress");
}

TEST(FindingText, WatchdogHang) {
  Record r = MakeRecord();
  EXPECT_EQ(cause_text(r, Finding{}, {"watchdog", "2", "30"}),
            "thread T2 ran 30 s without reaching a scheduling point: spinning in uninstrumented "
            "code? mark the wait with racecheck_spin_wait()");
}

TEST(FindingText, KernelWaitHang) {
  Record r = MakeRecord();
  EXPECT_EQ(cause_text(r, Finding{}, {"kernel-wait", "300"}),
            "no thread made progress for 300 ms: every thread is blocked in the kernel or waits "
            "for one that is");
  EXPECT_THROW(cause_text(r, Finding{}, {"kernel-wait", "soon"}), FindingTextError);
}

TEST(FindingText, LivelockNamesThreadsInOrderAndOperationsOnce) {
  Record r = MakeRecord();
  Finding f;
  f.kind = FindingKind::Livelock;
  f.waiters = {MakeWaiter(2, "mutex lock", ""), MakeWaiter(1, "mutex lock", ""),
               MakeWaiter(2, "mutex trylock", ""), MakeWaiter(1, "mutex unlock", "")};
  EXPECT_EQ(cause_text(r, f, {"livelock", "4", "50"}),
            "T1 and T2 repeat a 4-step cycle (mutex lock, mutex trylock, mutex unlock) without "
            "progress, 50 times");
  f.waiters.push_back(MakeWaiter(0, "spin wait", ""));
  EXPECT_EQ(cause_text(r, f, {"livelock", "5", "7"}),
            "T0, T1 and T2 repeat a 5-step cycle (mutex lock, mutex trylock, mutex unlock, spin "
            "wait) without progress, 7 times");
}

TEST(FindingText, StarvationSingularAndPlural) {
  Record r = MakeRecord();
  Finding f;
  f.kind = FindingKind::Starvation;
  f.waiters = {MakeWaiter(3, "rwlock write lock", "rwlock `rw`")};
  EXPECT_EQ(cause_text(r, f, {"starvation", "3", "196", "1902", "50"}),
            "T3 was bypassed 196 times while waiting for rwlock `rw` (1902 scheduling points, "
            "threshold 50)");
  EXPECT_EQ(cause_text(r, f, {"starvation", "3", "1", "12", "1"}),
            "T3 was bypassed 1 time while waiting for rwlock `rw` (12 scheduling points, "
            "threshold 1)");
}

TEST(FindingText, EveryMisuseCase) {
  Record r = MakeRecord();
  Finding f;
  f.kind = FindingKind::Misuse;
  auto text = [&](const char *misuse, const char *lock, const char *holder, const char *other) {
    return cause_text(r, f, {"misuse", misuse, "2", lock, holder, other});
  };
  EXPECT_EQ(text("unlock-not-held", "0", "-1", "-1"),
            "T2 unlocks mutex `a`, which no thread holds");
  EXPECT_EQ(text("unlock-other-thread", "2", "-1", "-1"),
            "T2 unlocks rwlock created at /src/dir/spin.c:42, which another thread holds (only "
            "the owner may unlock it)");
  EXPECT_EQ(text("destroy-held", "0", "1", "-1"), "T2 destroys mutex `a` while T1 holds it");
  EXPECT_EQ(text("destroy-waited", "3", "-1", "-1"),
            "T2 destroys sem #2 of T1 while threads wait on it");
  EXPECT_EQ(text("wait-not-held", "0", "-1", "1"),
            "T2 waits on mutex `b` with mutex `a`, which it does not hold");
  EXPECT_EQ(text("wait-not-held", "0", "3", "1"),
            "T2 waits on mutex `b` with mutex `a`, which it does not hold (T3 holds it)");
  EXPECT_EQ(text("wait-two-mutexes", "1", "-1", "0"),
            "T2 waits on mutex `b` with another mutex than mutex `a`, which other threads wait on "
            "it with");
  EXPECT_EQ(text("exit-holding", "0", "2", "-1"), "T2 ends while holding mutex `a`");
  EXPECT_EQ(text("reinit-in-use", "0", "1", "-1"),
            "T2 initialises mutex `a` again while T1 holds it");
  EXPECT_EQ(text("reinit-in-use", "1", "-1", "-1"),
            "T2 initialises mutex `b` again while it is in use");
  EXPECT_EQ(text("sem-overflow", "3", "-1", "-1"), "T2 posts sem #2 of T1 beyond SEM_VALUE_MAX");
  EXPECT_EQ(text("barrier-zero", "0", "-1", "-1"), "T2 initialises mutex `a` with a count of 0");
  // No lock identity: the offending call's object names it.
  f.waiters = {MakeWaiter(2, "mutex unlock", "object `m`")};
  EXPECT_EQ(text("unlock-not-held", "-1", "-1", "-1"),
            "T2 unlocks mutex `m`, which no thread holds");
  f.waiters = {MakeWaiter(2, "none", "object `start`")};
  EXPECT_EQ(text("barrier-zero", "-1", "-1", "-1"),
            "T2 initialises barrier `start` with a count of 0");
  f.waiters = {MakeWaiter(2, "sem post", "object `s`")};
  EXPECT_EQ(text("sem-overflow", "-1", "-1", "-1"), "T2 posts object `s` beyond SEM_VALUE_MAX");
  EXPECT_THROW(text("unlock-twice", "0", "-1", "-1"), FindingTextError);
}

TEST(FindingText, CrashKinds) {
  Record r = MakeRecord();
  Finding f;
  f.kind = FindingKind::Crash;
  EXPECT_EQ(
      cause_text(r, f, {"terminated", "1", "6", "an uncaught exception of type std::bad_alloc"}),
      "thread T1 was terminated by an uncaught exception of type std::bad_alloc (SIGABRT)");
  EXPECT_EQ(cause_text(r, f, {"stack-overflow", "2"}),
            "thread T2 received SIGSEGV (stack overflow)");
  EXPECT_EQ(cause_text(r, f, {"signal", "0", "11"}),
            "thread T0 received SIGSEGV (Segmentation fault)");
  EXPECT_EQ(cause_text(r, f, {"signal", "1", "6"}), "thread T1 received SIGABRT (Aborted)");
  EXPECT_THROW(cause_text(r, f, {"signal", "1", "SIGABRT"}), FindingTextError);
  EXPECT_THROW(cause_text(r, f, {"meltdown", "1"}), FindingTextError);
}

// The reader composes both from a version 2 record: the cause becomes the
// finding's first detail, each waiter's reference its object text.
TEST(FindingText, ReaderComposesVersion2Records) {
  Record r = test::parse("racecheck-record\t2\n"
                         "site\t0\tdl.c\tab\t3\t5\t-1\n"
                         "thread\t0\t-1\t-1\t-1\n"
                         "thread\t1\t0\t-1\t-1\n"
                         "lock\t0\tmutex\ta\t0\t0\t0\t0\n"
                         "finding\tdeadlock\n"
                         "waiter\t1\tmutex lock\tlock:0\t0\t0\n"
                         "waiter\t0\tpthread_join\tthread:1\t0\t0\n"
                         "cause\tdeadlock\tno-progress\t1:0:-1:0\t0:-1:0:1\n"
                         "end\n"
                         "end-record\n");
  ASSERT_EQ(r.findings.size(), 1u);
  const Finding &f = r.findings[0];
  EXPECT_EQ(f.waiters[0].object, "mutex `a`");
  EXPECT_EQ(f.waiters[1].object, "thread T1");
  ASSERT_EQ(f.details.size(), 1u);
  EXPECT_EQ(f.details[0],
            "no thread can make progress: T1 waits for mutex `a` held by T0; T0 waits for thread "
            "T1 while holding mutex `a`;");
}

TEST(FindingText, ReaderRefusesABadCauseWithItsLine) {
  for (const std::string &cause :
       {"cause\tsignal\t1\n", "cause\tweather\t1\n", "cause\tsignal\t1\tx\n"}) {
    try {
      test::parse("racecheck-record\t2\nthread\t1\t-1\t-1\t-1\nfinding\tcrash\n" + cause +
                  "end\nend-record\n");
      ADD_FAILURE() << "accepted " << cause;
    } catch (const RecordError &e) {
      EXPECT_EQ(e.line(), 4) << e.what();
    }
  }
}

}  // namespace
}  // namespace racecheck
