// EXPECT: hang
// SCHEDULES: 6
// DESCRIPTION: a thread pool's pause and resume, as C thread-pool libraries do it: pause sends SIGUSR1 to the worker, whose handler sets "on hold" and sleeps in a loop until resume clears it. When resume runs before the worker takes the signal, the handler sets the flag after it was cleared and loops for ever: the resume is lost and the program never ends natively (the main thread joins the worker). No thread can clear the flag any more and only another SIGUSR1 from outside could run code that writes it, so the run must wait for one (really, without spinning) and end as a hang when the watchdog's bound passes without any
// OPTIONS: watchdog_ms=300
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <unistd.h>

static atomic_int on_hold, keep_alive = 1;
static atomic_long jobs_done;

static void hold_worker(int sig) {
  (void)sig;
  atomic_store(&on_hold, 1);
  while (atomic_load(&on_hold))  // SITE
    sleep(1);
}

static void *worker(void *unused) {
  (void)unused;
  while (atomic_load(&keep_alive)) {
    atomic_fetch_add(&jobs_done, 1);
    usleep(100);
  }
  return NULL;
}

int main(void) {
  struct sigaction action = {0};
  action.sa_handler = hold_worker;
  sigaction(SIGUSR1, &action, NULL);
  pthread_t thread;
  pthread_create(&thread, NULL, worker, NULL);
  pthread_kill(thread, SIGUSR1); /* pause */
  atomic_store(&on_hold, 0);     /* resume: lost if the handler runs later */
  atomic_store(&keep_alive, 0);
  pthread_join(thread, NULL);
  printf("jobs done: %ld\n", atomic_load(&jobs_done) > 0 ? 1L : 0L);
  return 0;
}
