package commands_test

import (
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
