// main.go: the Go peer of the scheduler benchmarks, built when golang-go is
// installed (make bench installs it when run as root) and run with
// GOMAXPROCS=1, the single-CPU setting that matches mkernel. It measures a
// goroutine yield round trip (two goroutines alternating with
// runtime.Gosched) and spawn + run + wait of an empty goroutine (go + a
// sync.WaitGroup), each repeated at least 5 times, and prints rows in the
// format of bench/lib/bench.h. Go cannot link the minimal switch baseline,
// so its ratio is against the matching mkernel row of the same `make bench`
// run (another process), passed as -vs-yield and -vs-spawn. It is not pinned
// to one CPU: besides the thread that runs goroutines, the Go runtime has
// threads of its own (sysmon), which pinning would make compete with it.
package main

import (
	"flag"
	"fmt"
	"os"
	"runtime"
	"sort"
	"sync"
	"time"
)

func yieldRoundTrips(n int) time.Duration {
	var wg sync.WaitGroup
	start := time.Now()
	wg.Add(2)
	for k := 0; k < 2; k++ {
		go func() {
			for i := 0; i < n; i++ {
				runtime.Gosched()
			}
			wg.Done()
		}()
	}
	wg.Wait()
	return time.Since(start)
}

func spawnWaits(n int) time.Duration {
	var wg sync.WaitGroup
	start := time.Now()
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() { wg.Done() }()
		wg.Wait()
	}
	return time.Since(start)
}

// calibrate returns an n for which one run takes at least target.
func calibrate(run func(int) time.Duration, target time.Duration) int {
	n := 1000
	for {
		d := run(n)
		if d >= target || n > 1<<40 {
			return n
		}
		want := float64(n) * float64(target) / float64(d+1) * 1.1
		if want > float64(n)*10 {
			want = float64(n) * 10
		}
		n = int(want) + 1
	}
}

func stats(v []float64) (med, min, max float64) {
	s := append([]float64(nil), v...)
	sort.Float64s(s)
	n := len(s)
	if n%2 == 1 {
		med = s[n/2]
	} else {
		med = (s[n/2-1] + s[n/2]) / 2
	}
	return med, s[0], s[n-1]
}

func num(v float64) string {
	switch {
	case v >= 100:
		return fmt.Sprintf("%.0f", v)
	case v >= 10:
		return fmt.Sprintf("%.1f", v)
	default:
		return fmt.Sprintf("%.2f", v)
	}
}

func row(name string, v []float64, base float64, baseName string) {
	med, min, max := stats(v)
	ratio, bname := "-", "-"
	if base > 0 {
		ratio, bname = fmt.Sprintf("%.2fx", med/base), baseName
	}
	fmt.Printf("| %s | %s | %s | %s | ns | %s | %s | - |\n", name, num(med),
		num(min), num(max), ratio, bname)
}

func main() {
	vsYield := flag.Float64("vs-yield", 0, "mkernel yield round trip, ns")
	vsSpawn := flag.Float64("vs-spawn", 0, "mkernel spawn+await, ns")
	flag.Parse()
	runtime.GOMAXPROCS(1)
	quick := os.Getenv("BENCH_QUICK") != "" && os.Getenv("BENCH_QUICK") != "0"
	reps := 7
	if quick {
		reps = 5
	}
	if r := os.Getenv("BENCH_REPS"); r != "" {
		var x int
		if _, err := fmt.Sscan(r, &x); err == nil && x >= 5 {
			reps = x
		}
	}
	target := 100 * time.Millisecond
	if quick {
		target = 20 * time.Millisecond
	}
	ops := []func(int) time.Duration{yieldRoundTrips, spawnWaits}
	iters := make([]int, len(ops))
	for i, op := range ops {
		iters[i] = calibrate(op, target/4) * 4
	}
	ns := make([][]float64, len(ops))
	for r := 0; r < reps; r++ {
		for i, op := range ops {
			ns[i] = append(ns[i], float64(op(iters[i]).Nanoseconds())/float64(iters[i]))
		}
	}
	fmt.Printf("\n## Peer: Go %s, GOMAXPROCS=1\n\n", runtime.Version())
	fmt.Println("| benchmark | median | min | max | unit | ratio | baseline | target |")
	fmt.Println("|---|---:|---:|---:|---|---:|---|---|")
	row("peer Go: goroutine yield round trip (Gosched)", ns[0], *vsYield,
		"mkernel yield round trip (same run)")
	row("peer Go: go + WaitGroup wait, empty goroutine", ns[1], *vsSpawn,
		"mkernel spawn + await (same run)")
}
