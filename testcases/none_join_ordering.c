// EXPECT: none
// DESCRIPTION: create and join order everything: input written before create, output read after join, then reused by a second child
#include <pthread.h>
#include <stdio.h>

static int input_value;
static int output_value;

static void *square_input(void *unused) {
  (void)unused;
  output_value = input_value * input_value;
  return NULL;
}

int main(void) {
  for (int round = 1; round <= 3; round++) {
    input_value = round + 1;
    pthread_t child;
    pthread_create(&child, NULL, square_input, NULL);
    pthread_join(child, NULL);
    printf("round %d: %d\n", round, output_value);
    output_value = 0;
  }
  return 0;
}
