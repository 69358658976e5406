/* list_examples.h: unit tests of the examples' support code. */
#define TEST_LIST_EXAMPLES(X)
