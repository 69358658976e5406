/*
 * mk_test.h: the test platform, for the core's unit tests.
 *
 * A platform whose clock is virtual: it starts where the test puts it and
 * jumps to the deadline whenever the scheduler waits, so timer tests are
 * exact and instant. Console and diagnostics are captured in memory, every
 * allocation is counted, and net and block devices are simulated in memory
 * so the event policy can be observed call by call.
 */
#ifndef MK_TEST_H
#define MK_TEST_H

#include <mkernel.h>

/* Resets everything: clock, captured text, counters, devices. */
void mk_test_reset(void);

void mk_test_clock_set(uint64_t now);
uint64_t mk_test_clock(void);

/* What the application wrote to the console / what the library logged. */
const char *mk_test_console(void);
const char *mk_test_log(void);

/* Counters of platform calls. */
typedef struct mk_test_counts {
  unsigned long waits;     /* every mk__platform_wait */
  unsigned long polls;     /* ... of which with a deadline at or before now */
  unsigned long net_reads; /* mk__platform_net_read calls */
  unsigned long block_ops; /* block reads and writes performed */
  long live_allocs;        /* allocations not freed, stacks included */
} mk_test_counts;
mk_test_counts mk_test_counts_get(void);

/* Called at the start of every wait with the virtual time and deadline, to
 * simulate the outside world (inject a frame at a given time, say). */
void mk_test_on_wait(void (*fn)(uint64_t now, uint64_t deadline, void *ctx),
                     void *ctx);

/* Simulated devices. The command line "gives" exactly the devices added. */
int mk_test_net_add(const char *name, size_t mtu); /* returns its handle */
void mk_test_net_inject(int handle, const void *frame, size_t len);
size_t mk_test_net_queued(int handle); /* frames not yet read */
/* Frames written by the unikernel, oldest first; returns its length or 0. */
size_t mk_test_net_sent(int handle, size_t index, void *buf, size_t size);
void mk_test_net_fail_writes(int handle, bool fail); /* host drops frames */
int mk_test_block_add(const char *name, size_t page, uint64_t length);
uint8_t *mk_test_block_data(int handle);

void mk_test_manifest_mode(bool on);

#endif
