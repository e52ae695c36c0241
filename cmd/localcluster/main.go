// Command localcluster runs a real N-member etcd cluster on loopback (server/v3/embed) for
// demos and manual testing. It prints the client endpoints, then obeys commands on stdin:
//
//	endpoints          print the client endpoints, comma-separated
//	leader             print the leader's member name and client URL
//	stop <name|leader> stop a member (its data is kept)
//	start <name>       start a stopped member again
//	quit               stop everything (also on Ctrl-C or end of stdin)
//
// Every answer is one line. Data is removed on exit unless -keep is given.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/etcdctl-rewritten/etcdctl/internal/localcluster"
)

func main() {
	size := flag.Int("n", 3, "number of members")
	dir := flag.String("data-dir", "", "parent folder for the members' data (default: a temp dir)")
	keep := flag.Bool("keep", false, "keep the data dir on exit")
	flag.Parse()

	d := *dir
	if d == "" {
		var err error
		if d, err = os.MkdirTemp("", "localcluster-"); err != nil {
			fail(err)
		}
	}
	c, err := localcluster.Start(localcluster.Options{Size: *size, Dir: d})
	if err != nil {
		fail(err)
	}
	cleanup := func() {
		c.Close()
		if !*keep {
			os.RemoveAll(d)
		}
	}
	fmt.Println(strings.Join(c.Hosts(), ","))

	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	lines := make(chan string)
	go func() {
		sc := bufio.NewScanner(os.Stdin)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	for {
		select {
		case <-sig:
			cleanup()
			return
		case line, ok := <-lines:
			if !ok {
				// No controller on stdin: keep serving until a signal arrives.
				<-sig
				cleanup()
				return
			}
			if quit := handle(c, strings.Fields(line)); quit {
				cleanup()
				fmt.Println("bye")
				return
			}
		}
	}
}

func handle(c *localcluster.Cluster, f []string) (quit bool) {
	if len(f) == 0 {
		return false
	}
	find := func(name string) *localcluster.Member {
		if name == "leader" {
			if i, err := c.Leader(10 * time.Second); err == nil {
				return c.Members[i]
			}
			return nil
		}
		for _, m := range c.Members {
			if m.Name == name {
				return m
			}
		}
		return nil
	}
	switch f[0] {
	case "quit", "exit":
		return true
	case "endpoints":
		fmt.Println(strings.Join(c.Hosts(), ","))
	case "leader":
		if m := find("leader"); m != nil {
			fmt.Println(m.Name, strings.TrimPrefix(m.ClientURL, "http://"))
		} else {
			fmt.Println("error: no leader")
		}
	case "stop", "start":
		if len(f) != 2 {
			fmt.Println("error: usage:", f[0], "<name>")
			return false
		}
		m := find(f[1])
		if m == nil {
			fmt.Println("error: no member", f[1])
			return false
		}
		if f[0] == "stop" {
			m.Stop()
			fmt.Println("stopped", m.Name, strings.TrimPrefix(m.ClientURL, "http://"))
		} else if err := m.Restart(); err != nil {
			fmt.Println("error:", err)
		} else {
			fmt.Println("started", m.Name, strings.TrimPrefix(m.ClientURL, "http://"))
		}
	default:
		fmt.Println("error: unknown command", f[0])
	}
	return false
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "localcluster:", err)
	os.Exit(1)
}
