/* list_examples.h: unit tests of the examples' support code. */
#define TEST_LIST_EXAMPLES(X)                                                  \
  X(test_md5_rfc1321)                                                          \
  X(test_md5_chunked)                                                          \
  X(test_ping_parse_ipv4)                                                      \
  X(test_ping_arp_reply)                                                       \
  X(test_ping_arp_ignored)                                                     \
  X(test_ping_echo_reply)                                                      \
  X(test_ping_bad_checksums_ignored)                                           \
  X(test_ping_truncated_ignored)                                               \
  X(test_ping_ip_options)                                                      \
  X(test_ping_non_echo_ignored)                                                \
  X(test_ping_odd_frames_ignored)                                              \
  X(test_ping_mutations)
