// SPDX-License-Identifier: Apache-2.0
//
// gock: the Go programs ck must run (issue #11), one static binary
// (CGO_ENABLED=0) with a subcommand per case, each printing only what is
// the same on every run, so run-go.sh can compare it natively and under ck.
package main

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"runtime"
	"sync"
	"syscall"
	"time"
)

// goroutines: work spread over all CPUs, plus goroutines in tight loops
// that only asynchronous preemption (SIGURG) lets the others past.
func goroutines() {
	var wg sync.WaitGroup
	sums := make([]uint64, 64)
	for i := 0; i < 64; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			var s uint64
			for j := 0; j < 200000; j++ {
				s += uint64(i*j) % 7
			}
			sums[i] = s
		}(i)
	}
	wg.Wait()
	var total uint64
	for _, s := range sums {
		total += s
	}
	stop := make(chan struct{})
	spun := make(chan int, runtime.NumCPU())
	for i := 0; i < runtime.NumCPU(); i++ {
		go func() {
			n := 0
			for {
				select {
				case <-stop:
					spun <- n
					return
				default:
				}
				for k := 0; k < 1000; k++ {
					n++
				}
			}
		}()
	}
	time.Sleep(50 * time.Millisecond)
	runtime.GC() // needs every goroutine stopped: preemption
	close(stop)
	for i := 0; i < runtime.NumCPU(); i++ {
		<-spun
	}
	fmt.Printf("goroutines: 64 done, total %d, spinners preempted\n", total)
}

type node struct {
	next *node
	buf  []byte
}

// gc: a garbage-heavy loop; the collector must run many times.
func gc() {
	var ms runtime.MemStats
	var keep *node
	for i := 0; i < 200000; i++ {
		n := &node{buf: make([]byte, 512)}
		if i%100 == 0 {
			n.next = keep
			keep = n
		}
	}
	runtime.GC()
	runtime.ReadMemStats(&ms)
	k := 0
	for n := keep; n != nil; n = n.next {
		k++
	}
	fmt.Printf("gc: kept %d, collected: %v\n", k, ms.NumGC >= 2)
}

// exec: os/exec starts this program again (fork/vfork+exec in Go's
// runtime), with a pipe for its output and its exit status.
func execCase() {
	out, err := exec.Command(os.Args[0], "child", "hello").Output()
	fmt.Printf("exec: child said %q, err %v\n", out, err)
	err = exec.Command(os.Args[0], "child-exit", "3").Run()
	if ee, ok := err.(*exec.ExitError); ok {
		fmt.Printf("exec: child exit code %d\n", ee.ExitCode())
	} else {
		fmt.Printf("exec: unexpected %v\n", err)
	}
}

// http: a server and a client on loopback.
func httpCase() {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Println("http: listen:", err)
		os.Exit(1)
	}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "hello %s", r.URL.Path)
	})}
	go srv.Serve(ln)
	for i := 0; i < 3; i++ {
		resp, err := http.Get(fmt.Sprintf("http://%s/n%d", ln.Addr(), i))
		if err != nil {
			fmt.Println("http: get:", err)
			os.Exit(1)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		fmt.Printf("http: %d %s\n", resp.StatusCode, b)
	}
	srv.Close()
}

// signal: os/signal receives signals sent to the process; SIGINT ignored.
func signalCase() {
	c := make(chan os.Signal, 2)
	signal.Notify(c, syscall.SIGUSR1, syscall.SIGHUP)
	signal.Ignore(syscall.SIGINT)
	syscall.Kill(os.Getpid(), syscall.SIGINT)
	syscall.Kill(os.Getpid(), syscall.SIGUSR1)
	fmt.Println("signal: got", <-c)
	syscall.Kill(os.Getpid(), syscall.SIGHUP)
	fmt.Println("signal: got", <-c)
	signal.Reset(syscall.SIGUSR1)
	fmt.Println("signal: done")
}

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: gock goroutines|gc|exec|http|signal")
		os.Exit(2)
	}
	switch os.Args[1] {
	case "goroutines":
		goroutines()
	case "gc":
		gc()
	case "exec":
		execCase()
	case "http":
		httpCase()
	case "signal":
		signalCase()
	case "child":
		fmt.Print(os.Args[2])
	case "child-exit":
		var n int
		fmt.Sscan(os.Args[2], &n)
		os.Exit(n)
	default:
		fmt.Fprintln(os.Stderr, "gock: unknown case", os.Args[1])
		os.Exit(2)
	}
}
