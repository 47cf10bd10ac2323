// EXPECT: crash
// DESCRIPTION: a worker with a small stack sums a tree recursively; a bug in building the tree makes a leaf point back at the root, so the recursion never ends and overflows the thread's stack (SIGSEGV on the guard page, reported through the alternate signal stack)
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

struct node {
  long value;
  struct node *left, *right;
};

/* Two recursive calls per frame: the compiler cannot turn this into a loop. */
static long sum_tree(const struct node *n) {
  volatile char scratch[512]; /* per-frame work space: a deep recursion is a big one */
  if (!n)
    return 0;
  scratch[n->value % sizeof scratch] = (char)n->value;
  return n->value + sum_tree(n->left) + sum_tree(n->right) + scratch[0]; // SITE
}

static void *summer(void *root) {
  long *total = malloc(sizeof *total);
  *total = sum_tree(root);
  return total;
}

int main(void) {
  struct node nodes[7] = {{0}};
  for (int i = 0; i < 7; i++) {
    nodes[i].value = i + 1;
    if (2 * i + 2 < 7) {
      nodes[i].left = &nodes[2 * i + 1];
      nodes[i].right = &nodes[2 * i + 2];
    }
  }
  nodes[6].left = &nodes[0]; /* bug: meant to be a leaf */
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setstacksize(&attr, 128 * 1024);
  pthread_t thread;
  pthread_create(&thread, &attr, summer, &nodes[0]);
  void *result;
  pthread_join(thread, &result);
  printf("sum: %ld\n", *(long *)result);
  free(result);
  return 0;
}
