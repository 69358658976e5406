/*
 * memory.c: what an idle task costs, as a hosted unikernel without devices.
 * N tasks (100,000) each block in a long mk_sleep; with all of them blocked
 * the process's resident and virtual sizes (/proc/self/statm) are compared
 * with those just before the spawns, per task; then every task is cancelled
 * and awaited, so the run ends cleanly. It is done with the default stack
 * and with the smallest one (MK_STACK_MIN). Each repetition runs in a fresh
 * child process: within one process, freed stacks and records stay cached
 * or in malloc's free lists, and a second measurement would see no growth.
 * RSS is compared with one 4 KiB page per task, the floor for a task with a
 * stack of its own; reserved bytes with the stack size. Page tables are not
 * in RSS; their growth is printed as a note.
 */
#define _GNU_SOURCE
#include <mkernel.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench.h"

typedef struct sample {
  double rss, vsz, pte; /* bytes per task */
} sample;

typedef struct job {
  long tasks;
  size_t stack;
  mk_task *handles;
  sample s;
} job;

static void statm(uint64_t *vsz, uint64_t *rss) {
  unsigned long size = 0, resident = 0;
  FILE *f = fopen("/proc/self/statm", "r");
  if (f) {
    if (fscanf(f, "%lu %lu", &size, &resident) != 2) size = resident = 0;
    fclose(f);
  }
  uint64_t page = (uint64_t)sysconf(_SC_PAGESIZE);
  *vsz = size * page;
  *rss = resident * page;
}

/* Page-table bytes (VmPTE in /proc/self/status). */
static uint64_t page_tables(void) {
  char line[256];
  uint64_t kb = 0;
  FILE *f = fopen("/proc/self/status", "r");
  if (!f) return 0;
  while (fgets(line, sizeof line, f))
    if (sscanf(line, "VmPTE: %lu kB", (unsigned long *)&kb) == 1) break;
  fclose(f);
  return kb * 1024;
}

static void *idle_task(void *arg) {
  (void)arg;
  mk_sleep(MK_SEC(3600));
  return NULL;
}

static void *root(void *arg) {
  job *j = arg;
  mk_spawn_opts opts = {.stack_size = j->stack};
  uint64_t vsz0, rss0, vsz1, rss1, pte0 = page_tables();
  statm(&vsz0, &rss0);
  long n = 0;
  for (; n < j->tasks; n++)
    if (mk_async_with(&j->handles[n], idle_task, NULL, &opts) != MK_OK) break;
  mk_yield(); /* every task runs once and blocks in its sleep */
  statm(&vsz1, &rss1);
  uint64_t pte1 = page_tables();
  for (long i = n; i-- > 0;) mk_cancel(&j->handles[i]);
  if (n < j->tasks) {
    fprintf(stderr, "memory: only %ld of %ld tasks could be spawned\n", n,
            j->tasks);
    exit(1);
  }
  j->s.rss = (double)(rss1 - rss0) / (double)n;
  j->s.vsz = (double)(vsz1 - vsz0) / (double)n;
  j->s.pte = (double)(pte1 - pte0) / (double)n;
  return NULL;
}

/* One measurement in a child process; false if it failed. */
static bool measure(long tasks, size_t stack, sample *out) {
  int fd[2];
  if (pipe(fd) != 0) return false;
  pid_t pid = fork();
  if (pid < 0) return false;
  if (pid == 0) {
    close(fd[0]);
    static job j;
    j.tasks = tasks;
    j.stack = stack;
    /* Allocated and touched before the first reading: the benchmark's own
     * handles are not the library's memory. */
    j.handles = malloc((size_t)tasks * sizeof(mk_task));
    if (!j.handles) _exit(1);
    memset(j.handles, 0, (size_t)tasks * sizeof(mk_task));
    if (mk_run_task(root, &j, NULL, NULL) != MK_OK) _exit(1);
    _exit(write(fd[1], &j.s, sizeof j.s) == (ssize_t)sizeof j.s ? 0 : 1);
  }
  close(fd[1]);
  bool ok = read(fd[0], out, sizeof *out) == (ssize_t)sizeof *out;
  close(fd[0]);
  int status;
  waitpid(pid, &status, 0);
  return ok && WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

int mk_main(int argc, char **argv) {
  (void)argc, (void)argv;
  bench_init();
  long tasks = bench_quick() ? 20000 : 100000;
  long maps = bench_max_map_count();
  if (maps > 0 && 2 * tasks + 4096 > maps) {
    long fit = (maps - 4096) / 2;
    bench_note("memory: vm.max_map_count is %ld: %ld tasks instead of %ld "
               "(bench/run.sh raises it when run as root)",
               maps, fit, tasks);
    tasks = fit;
  }
  static const size_t stacks[2] = {MK_STACK_MIN, MK_STACK_DEFAULT};
  int reps = bench_reps();
  double rss[2][BENCH_MAX_REPS], vsz[2][BENCH_MAX_REPS], pte[2] = {0, 0};
  for (int r = 0; r < reps; r++)
    for (int k = 0; k < 2; k++) {
      sample s;
      if (!measure(tasks, stacks[k], &s)) {
        fprintf(stderr, "memory: measurement failed\n");
        return 1;
      }
      rss[k][r] = s.rss / 1024;
      vsz[k][r] = s.vsz / 1024;
      pte[k] += s.pte / reps;
    }
  bench_header("Memory of idle tasks (blocked in mk_sleep)");
  for (int k = 0; k < 2; k++) {
    char name[128], base[64];
    double kib = (double)stacks[k] / 1024;
    snprintf(name, sizeof name,
             "memory: RSS per idle task, %.0f KiB stack, "
             "%ld tasks",
             kib, tasks);
    bench_row(name, rss[k], reps, "KiB", 4.0, "one 4 KiB page (floor)",
              k == 0 ? (bench_target){BENCH_AT_MOST, 4.2} : BENCH_NO_TARGET);
    snprintf(name, sizeof name,
             "memory: reserved per idle task, %.0f KiB stack, %ld tasks", kib,
             tasks);
    snprintf(base, sizeof base, "the %.0f KiB stack", kib);
    bench_row(name, vsz[k], reps, "KiB", kib, base, BENCH_NO_TARGET);
  }
  bench_note("memory: page tables (VmPTE, not in RSS) grow by %.0f bytes per "
             "task with 4 KiB stacks, %.0f with %zu KiB stacks",
             pte[0], pte[1], (size_t)MK_STACK_DEFAULT / 1024);
  return 0;
}
