// EXPECT: none
// DESCRIPTION: fence-based message passing: atomic_thread_fence(release) before a relaxed flag store, relaxed load then atomic_thread_fence(acquire) before reading
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>

static int message[4];
static atomic_int message_ready;

static void *send_message(void *unused) {
  (void)unused;
  for (int i = 0; i < 4; i++)
    message[i] = 10 * (i + 1);
  atomic_thread_fence(memory_order_release);
  atomic_store_explicit(&message_ready, 1, memory_order_relaxed);
  return NULL;
}

static void *receive_message(void *result) {
  while (!atomic_load_explicit(&message_ready, memory_order_relaxed))
    ;
  atomic_thread_fence(memory_order_acquire);
  int sum = 0;
  for (int i = 0; i < 4; i++)
    sum += message[i];
  *(int *)result = sum;
  return NULL;
}

int main(void) {
  int sum = 0;
  pthread_t sender, receiver;
  pthread_create(&receiver, NULL, receive_message, &sum);
  pthread_create(&sender, NULL, send_message, NULL);
  pthread_join(sender, NULL);
  pthread_join(receiver, NULL);
  printf("sum %d\n", sum);
  return sum == 100 ? 0 : 1;
}
