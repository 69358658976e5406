/* list.h: every unit test, in the order they run. list_examples.h lists the
 * tests of the examples' support code. */
#include "list_examples.h"

#define TEST_LIST(X)                                                           \
  TEST_LIST_EXAMPLES(X)                                                        \
  X(test_async_parent_keeps_running)                                           \
  X(test_yield_lets_child_run_first)
