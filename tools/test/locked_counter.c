// The correct twin of the HTML and gdb tests' programs: two threads
// increment a counter under a mutex, so no schedule has a finding
// (html_report_test.py, gdb_replay_test.py).
#include <pthread.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static long count;

static void *work(void *arg) {
  pthread_mutex_lock(&lock);
  count++;
  pthread_mutex_unlock(&lock);
  return arg;
}

int main(void) {
  pthread_t t;
  pthread_create(&t, 0, work, 0);
  work(0);
  pthread_join(t, 0);
  return count != 2;
}
