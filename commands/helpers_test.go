package commands_test

import (
	"net"
	"strconv"
	"testing"

	"github.com/etcdctl-rewritten/etcdctl/internal/localcluster"
)

// freeClosedPort is a loopback port with nothing listening on it.
func freeClosedPort(t *testing.T) string {
	p, err := localcluster.FreePort()
	if err != nil {
		t.Fatal(err)
	}
	return strconv.Itoa(p)
}

// blackHole is a loopback endpoint that accepts connections and never answers.
func blackHole(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			t.Cleanup(func() { c.Close() })
		}
	}()
	return l.Addr().String()
}
