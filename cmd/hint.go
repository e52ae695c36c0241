package cmd

import (
	"context"
	"errors"
	"net"
	"strings"
	"syscall"

	clientv3 "go.etcd.io/etcd/client/v3"
)

// ConnectionHint returns a one-line hint (without a trailing newline) for a person at a terminal
// after err, when err means etcd could not be reached at endpoints; "" for any other error.
// The caller shows it on stderr only when stderr is a terminal, after the `Error:` line, and
// never changes stdout or the exit code because of it.
func ConnectionHint(err error, endpoints []string) string {
	if err == nil {
		return ""
	}
	where := helpHintEndpoints(endpoints)
	msg := err.Error()
	switch {
	case helpHintTLSMismatch(msg):
		return "hint: " + where + " did not complete a TLS handshake; check the scheme (http:// or https://) " +
			"and --cacert/--cert/--key (or ETCDCTL_CACERT/ETCDCTL_CERT/ETCDCTL_KEY)"
	case strings.Contains(msg, "x509:") || strings.Contains(msg, "certificate"):
		return "hint: the certificate of " + where + " was not accepted; pass the CA bundle with --cacert " +
			"(or ETCDCTL_CACERT)"
	case helpHintUnreachable(err, msg):
		return "hint: no etcd answered at " + where + "; set the cluster with --endpoints=host:port[,host:port] " +
			"or ETCDCTL_ENDPOINTS"
	case errors.Is(err, context.DeadlineExceeded) || strings.Contains(msg, "code = DeadlineExceeded"):
		return "hint: " + where + " did not answer in time; check --endpoints (or ETCDCTL_ENDPOINTS), " +
			"or allow more time with --dial-timeout/--command-timeout"
	}
	return ""
}

// helpHintEndpoints names the endpoints that were tried.
func helpHintEndpoints(endpoints []string) string {
	switch len(endpoints) {
	case 0:
		return "the endpoint"
	case 1:
		if endpoints[0] == "127.0.0.1:2379" {
			return "127.0.0.1:2379 (the default endpoint)"
		}
		return endpoints[0]
	default:
		return strings.Join(endpoints, ", ")
	}
}

func helpHintUnreachable(err error, msg string) bool {
	for _, errno := range []syscall.Errno{syscall.ECONNREFUSED, syscall.EHOSTUNREACH, syscall.ENETUNREACH,
		syscall.ECONNRESET, syscall.ENOENT} {
		if errors.Is(err, errno) {
			return true
		}
	}
	var dnsErr *net.DNSError
	var opErr *net.OpError
	if errors.As(err, &dnsErr) || errors.As(err, &opErr) || errors.Is(err, clientv3.ErrNoAvailableEndpoints) {
		return true
	}
	// errors that crossed gRPC keep only their text (and their status code in it)
	for _, s := range []string{"code = Unavailable", "connection refused", "no route to host", "network is unreachable",
		"no such host", "connection reset by peer", "error reading server preface"} {
		if strings.Contains(msg, s) {
			return true
		}
	}
	return false
}

func helpHintTLSMismatch(msg string) bool {
	return strings.Contains(msg, "first record does not look like a TLS handshake") ||
		strings.Contains(msg, "tls: ") && strings.Contains(msg, "handshake")
}
