/* list.h: every unit test, in the order they run. */
#define TEST_LIST(X)                                                           \
  X(test_async_parent_keeps_running)                                           \
  X(test_yield_lets_child_run_first)
