package printer_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/etcdctl-rewritten/etcdctl/internal/dialect"
	"github.com/etcdctl-rewritten/etcdctl/printer"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	pb "go.etcd.io/etcd/api/v3/etcdserverpb"
	"google.golang.org/protobuf/proto"
)

// The expected texts below were taken from etcdctl 3.7.3's output for the same answers (the
// differential tests in commands/ compare against the binary itself; these pin the cases a live
// cluster only hits by chance, such as IDs with a leading zero nibble).

// memberPrint runs print with a printer for format (and --hex) and returns what it wrote.
func memberPrint(t *testing.T, format string, hex bool, print func(p *printer.Printer) error) (string, error) {
	t.Helper()
	var buf bytes.Buffer
	p, err := printer.New(format, hex, &buf)
	require.NoError(t, err)
	err = print(p)
	require.NoError(t, p.Flush())
	return buf.String(), err
}

func memberTestList() *pb.MemberListResponse {
	return &pb.MemberListResponse{
		Header: &pb.ResponseHeader{ClusterId: 0x0a7b4defca9021ba, MemberId: 0xb588d6fbffa47a1c, RaftTerm: 2},
		Members: []*pb.Member{
			{ID: 0x0c45a953dc6b6bc9, PeerURLs: []string{"http://127.0.0.1:1", "http://127.0.0.2:2"}, IsLearner: true},
			{ID: 0xb588d6fbffa47a1c, Name: `m"1`, PeerURLs: []string{"http://127.0.0.1:46691"}, ClientURLs: []string{"http://127.0.0.1:33463"}},
		},
	}
}

func TestMemberListFormats(t *testing.T) {
	r := memberTestList()
	out, err := memberPrint(t, "simple", false, func(p *printer.Printer) error { return p.MemberList(r) })
	require.NoError(t, err)
	assert.Equal(t, "c45a953dc6b6bc9, unstarted, , http://127.0.0.1:1,http://127.0.0.2:2, , true\n"+
		"b588d6fbffa47a1c, started, m\"1, http://127.0.0.1:46691, http://127.0.0.1:33463, false\n", out)

	out, err = memberPrint(t, "json", false, func(p *printer.Printer) error { return p.MemberList(r) })
	require.NoError(t, err)
	assert.Equal(t, `{"header":{"cluster_id":755283054805655994,"member_id":13080941495511710236,"raft_term":2},"members":[`+
		`{"ID":884299079493577673,"peerURLs":["http://127.0.0.1:1","http://127.0.0.2:2"],"isLearner":true},`+
		`{"ID":13080941495511710236,"name":"m\"1","peerURLs":["http://127.0.0.1:46691"],"clientURLs":["http://127.0.0.1:33463"]}]}`+"\n", out)

	out, err = memberPrint(t, "json", true, func(p *printer.Printer) error { return p.MemberList(r) })
	require.NoError(t, err)
	assert.Equal(t, `{"header":{"cluster_id":"a7b4defca9021ba","member_id":"b588d6fbffa47a1c","raft_term":2},"members":[`+
		`{"ID":"c45a953dc6b6bc9","peerURLs":["http://127.0.0.1:1","http://127.0.0.2:2"],"isLearner":true},`+
		`{"ID":"b588d6fbffa47a1c","name":"m\"1","peerURLs":["http://127.0.0.1:46691"],"clientURLs":["http://127.0.0.1:33463"]}]}`+"\n", out)

	out, err = memberPrint(t, "fields", true, func(p *printer.Printer) error { return p.MemberList(r) })
	require.NoError(t, err)
	assert.Equal(t, `"ClusterID" : a7b4defca9021ba
"MemberID" : b588d6fbffa47a1c
"RaftTerm" : 2
"ID" : c45a953dc6b6bc9
"Name" : ""
"PeerURL" : "http://127.0.0.1:1"
"PeerURL" : "http://127.0.0.2:2"
"IsLearner" : true

"ID" : b588d6fbffa47a1c
"Name" : "m\"1"
"PeerURL" : "http://127.0.0.1:46691"
"ClientURL" : "http://127.0.0.1:33463"
"IsLearner" : false

`, out)

	out, err = memberPrint(t, "fields", false, func(p *printer.Printer) error { return p.MemberList(r) })
	require.NoError(t, err)
	assert.Contains(t, out, "\"ClusterID\" : 755283054805655994\n\"MemberID\" : 13080941495511710236\n\"RaftTerm\" : 2\n\"ID\" : 884299079493577673\n")

	out, err = memberPrint(t, "table", false, func(p *printer.Printer) error { return p.MemberList(r) })
	require.NoError(t, err)
	assert.Equal(t, `┌──────────────────┬───────────┬──────┬───────────────────────────────────────┬────────────────────────┬────────────┐
│        ID        │  STATUS   │ NAME │              PEER ADDRS               │      CLIENT ADDRS      │ IS LEARNER │
├──────────────────┼───────────┼──────┼───────────────────────────────────────┼────────────────────────┼────────────┤
│  c45a953dc6b6bc9 │ unstarted │      │ http://127.0.0.1:1,http://127.0.0.2:2 │                        │       true │
│ b588d6fbffa47a1c │   started │  m"1 │                http://127.0.0.1:46691 │ http://127.0.0.1:33463 │      false │
└──────────────────┴───────────┴──────┴───────────────────────────────────────┴────────────────────────┴────────────┘
`, out)

	out, err = memberPrint(t, "protobuf", false, func(p *printer.Printer) error { return p.MemberList(r) })
	require.NoError(t, err)
	var back pb.MemberListResponse
	require.NoError(t, proto.Unmarshal([]byte(out), &back))
	assert.True(t, proto.Equal(r, &back))
}

func TestMemberSentencesPadIDs(t *testing.T) {
	h := &pb.ResponseHeader{ClusterId: 0x0a7b4defca9021ba, MemberId: 1}
	members := []*pb.Member{
		{ID: 0x23de6058daec8dc4, Name: "n1", PeerURLs: []string{"http://127.0.0.1:55043"}},
		{ID: 0x3000000000000000, PeerURLs: []string{"http://127.0.0.9:9"}}, // another unstarted member
		{ID: 0xf1e32018de117246, PeerURLs: []string{"http://127.0.0.1:1", "http://[::1]:5"}, IsLearner: true},
	}
	add := &pb.MemberAddResponse{Header: h, Member: members[2], Members: members}
	out, err := memberPrint(t, "simple", false, func(p *printer.Printer) error { return p.MemberAdd(`x"y`, " http://127.0.0.1:1,http://[::1]:5", add) })
	require.NoError(t, err)
	assert.Equal(t, `Member f1e32018de117246 added as learner to cluster  a7b4defca9021ba

ETCD_NAME="x\"y"
ETCD_INITIAL_CLUSTER="n1=http://127.0.0.1:55043,=http://127.0.0.9:9,x\"y=http://127.0.0.1:1,x\"y=http://[::1]:5"
ETCD_INITIAL_ADVERTISE_PEER_URLS=" http://127.0.0.1:1,http://[::1]:5"
ETCD_INITIAL_CLUSTER_STATE="existing"
`, out)

	voter := &pb.MemberAddResponse{Header: &pb.ResponseHeader{ClusterId: 0x28987bc14a64f0e3}, Member: &pb.Member{ID: 0xc45a953dc6b6bc9, PeerURLs: []string{"http://a:1"}},
		Members: []*pb.Member{{ID: 0xc45a953dc6b6bc9, PeerURLs: []string{"http://a:1"}}}}
	out, err = memberPrint(t, "simple", true, func(p *printer.Printer) error { return p.MemberAdd("v", "http://a:1", voter) })
	require.NoError(t, err)
	assert.Contains(t, out, "Member  c45a953dc6b6bc9 added to cluster 28987bc14a64f0e3\n")

	h2 := &pb.ResponseHeader{ClusterId: 0x28987bc14a64f0e3}
	for _, c := range []struct {
		print func(p *printer.Printer) error
		want  string
	}{
		{func(p *printer.Printer) error {
			return p.MemberUpdate(0xc45a953dc6b6bc9, &pb.MemberUpdateResponse{Header: h2})
		},
			"Member  c45a953dc6b6bc9 updated in cluster 28987bc14a64f0e3\n"},
		{func(p *printer.Printer) error {
			return p.MemberRemove(0xc45a953dc6b6bc9, &pb.MemberRemoveResponse{Header: h2})
		},
			"Member  c45a953dc6b6bc9 removed from cluster 28987bc14a64f0e3\n"},
		{func(p *printer.Printer) error {
			return p.MemberPromote(0xbe815b5951806a2, &pb.MemberPromoteResponse{Header: h2})
		},
			"Member  be815b5951806a2 promoted in cluster 28987bc14a64f0e3\n"},
		{func(p *printer.Printer) error {
			return p.MemberRemove(0xf1e32018de117246, &pb.MemberRemoveResponse{Header: h})
		},
			"Member f1e32018de117246 removed from cluster  a7b4defca9021ba\n"},
		// move-leader does not pad
		{func(p *printer.Printer) error {
			return p.MoveLeader(0xc4c6641fe83cc50e, 0xfa5b05dfbddba08, &pb.MoveLeaderResponse{})
		},
			"Leadership transferred from c4c6641fe83cc50e to fa5b05dfbddba08\n"},
		{func(p *printer.Printer) error {
			return p.Downgrade("enable", &pb.DowngradeResponse{Header: h2, Version: "3.7"})
		}, "Downgrade enable success, cluster version 3.7\n"},
	} {
		out, err := memberPrint(t, "simple", false, c.print)
		require.NoError(t, err)
		assert.Equal(t, c.want, out)
	}
}

func TestMemberVerbsJSONAndUnsupported(t *testing.T) {
	r := &pb.MemberRemoveResponse{Header: &pb.ResponseHeader{ClusterId: 0x28987bc14a64f0e3, MemberId: 0xc4c6641fe83cc50e, RaftTerm: 15},
		Members: []*pb.Member{{ID: 0xb588d6fbffa47a1c, Name: "m1", PeerURLs: []string{"http://127.0.0.1:46691"}, ClientURLs: []string{"http://127.0.0.1:33463"}}}}
	out, err := memberPrint(t, "json", true, func(p *printer.Printer) error { return p.MemberRemove(1, r) })
	require.NoError(t, err)
	assert.Equal(t, `{"header":{"cluster_id":"28987bc14a64f0e3","member_id":"c4c6641fe83cc50e","raft_term":15},"members":[{"ID":"b588d6fbffa47a1c","name":"m1","peerURLs":["http://127.0.0.1:46691"],"clientURLs":["http://127.0.0.1:33463"]}]}`+"\n", out)

	add := &pb.MemberAddResponse{Header: r.Header, Member: &pb.Member{ID: 0xea5e78dc14f3e909, PeerURLs: []string{"http://127.0.0.3:3"}, IsLearner: true}}
	out, err = memberPrint(t, "json", true, func(p *printer.Printer) error { return p.MemberAdd("x", "http://127.0.0.3:3", add) })
	require.NoError(t, err)
	assert.Equal(t, `{"header":{"cluster_id":"28987bc14a64f0e3","member_id":"c4c6641fe83cc50e","raft_term":15},"member":{"ID":"ea5e78dc14f3e909","peerURLs":["http://127.0.0.3:3"],"isLearner":true}}`+"\n", out)

	out, err = memberPrint(t, "json", false, func(p *printer.Printer) error { return p.MoveLeader(1, 2, &pb.MoveLeaderResponse{}) })
	require.NoError(t, err)
	assert.Equal(t, "{}\n", out)

	unsupported := map[string][]func(p *printer.Printer) error{
		"fields": {
			func(p *printer.Printer) error { return p.MemberAdd("x", "u", add) },
			func(p *printer.Printer) error { return p.MemberRemove(1, r) },
			func(p *printer.Printer) error { return p.MemberUpdate(1, &pb.MemberUpdateResponse{}) },
			func(p *printer.Printer) error { return p.MemberPromote(1, &pb.MemberPromoteResponse{}) },
			func(p *printer.Printer) error { return p.MoveLeader(1, 2, &pb.MoveLeaderResponse{}) },
			func(p *printer.Printer) error { return p.Downgrade("cancel", &pb.DowngradeResponse{}) },
		},
		"table": {
			func(p *printer.Printer) error { return p.MemberAdd("x", "u", add) },
			func(p *printer.Printer) error { return p.MemberPromote(1, &pb.MemberPromoteResponse{}) },
			func(p *printer.Printer) error { return p.MoveLeader(1, 2, &pb.MoveLeaderResponse{}) },
			func(p *printer.Printer) error { return p.AlarmList(&pb.AlarmResponse{}) },
			func(p *printer.Printer) error { return p.Downgrade("validate", &pb.DowngradeResponse{}) },
		},
	}
	for format, prints := range unsupported {
		for _, print := range prints {
			out, err := memberPrint(t, format, false, print)
			var ue *printer.UnsupportedError
			require.True(t, errors.As(err, &ue), "%s: %v", format, err)
			assert.Equal(t, format+" not supported as output format", err.Error())
			assert.Empty(t, out)
		}
	}
}

func TestAlarmFormats(t *testing.T) {
	list := &pb.AlarmResponse{
		Header: &pb.ResponseHeader{ClusterId: 10497420403122940243, MemberId: 7076936849100259172, Revision: 12, RaftTerm: 2},
		Alarms: []*pb.AlarmMember{{MemberID: 7076936849100259172, Alarm: pb.AlarmType_NOSPACE}, {MemberID: 1, Alarm: pb.AlarmType_CORRUPT}},
	}
	out, err := memberPrint(t, "simple", true, func(p *printer.Printer) error { return p.AlarmList(list) })
	require.NoError(t, err)
	assert.Equal(t, "memberID:7076936849100259172  alarm:NOSPACE\nmemberID:1  alarm:CORRUPT\n", out)

	out, err = memberPrint(t, "json", true, func(p *printer.Printer) error { return p.AlarmList(list) })
	require.NoError(t, err)
	assert.Equal(t, `{"header":{"cluster_id":10497420403122940243,"member_id":7076936849100259172,"revision":12,"raft_term":2},"alarms":[{"memberID":7076936849100259172,"alarm":1},{"memberID":1,"alarm":2}]}`+"\n", out)

	out, err = memberPrint(t, "fields", true, func(p *printer.Printer) error { return p.AlarmList(list) })
	require.NoError(t, err)
	assert.Equal(t, "\"ClusterID\" : 91ae543d2a14a953\n\"MemberID\" : 62365491ac7e3f64\n\"Revision\" : 12\n\"RaftTerm\" : 2\n"+
		"\"MemberID\" : 62365491ac7e3f64\n\"AlarmType\" : NOSPACE\n\n\"MemberID\" : 1\n\"AlarmType\" : CORRUPT\n\n", out)

	// disarm answers carry no header
	disarmed := &pb.AlarmResponse{Alarms: list.Alarms[:1]}
	out, err = memberPrint(t, "fields", false, func(p *printer.Printer) error { return p.AlarmList(disarmed) })
	require.NoError(t, err)
	assert.Equal(t, "\"ClusterID\" : 0\n\"MemberID\" : 0\n\"RaftTerm\" : 0\n\"MemberID\" : 7076936849100259172\n\"AlarmType\" : NOSPACE\n\n", out)
	out, err = memberPrint(t, "json", false, func(p *printer.Printer) error { return p.AlarmList(disarmed) })
	require.NoError(t, err)
	assert.Equal(t, `{"alarms":[{"memberID":7076936849100259172,"alarm":1}]}`+"\n", out)
	out, err = memberPrint(t, "json", false, func(p *printer.Printer) error { return p.AlarmList(&pb.AlarmResponse{}) })
	require.NoError(t, err)
	assert.Equal(t, "{}\n", out)
	out, err = memberPrint(t, "protobuf", false, func(p *printer.Printer) error { return p.AlarmList(&pb.AlarmResponse{}) })
	require.NoError(t, err)
	assert.Empty(t, out)
}

// 3.5 and 3.6 show hex IDs in JSON with --hex for `member list` only; add, remove, update and
// promote keep numbers there (3.7 turns them all to hex).
func TestMemberHexListOnlyDialects(t *testing.T) {
	h := &pb.ResponseHeader{ClusterId: 0x0a7b4defca9021ba, MemberId: 0xb588d6fbffa47a1c, RaftTerm: 2}
	add := &pb.MemberAddResponse{Header: h, Member: &pb.Member{ID: 0x10, PeerURLs: []string{"http://a:1"}}}
	for _, tc := range []struct {
		dialect string
		hexIDs  bool
	}{{"3.5", false}, {"3.6", false}, {"3.7", true}} {
		d, err := dialect.Get(tc.dialect)
		require.NoError(t, err)
		out, err := memberPrint(t, "json", true, func(p *printer.Printer) error {
			p.Dialect = d
			return p.MemberAdd("x", "http://a:1", add)
		})
		require.NoError(t, err)
		assert.Equal(t, tc.hexIDs, strings.Contains(out, `"cluster_id":"a7b4defca9021ba"`), "%s: %s", tc.dialect, out)
		assert.Equal(t, !tc.hexIDs, strings.Contains(out, `"cluster_id":755283054805655994`), "%s: %s", tc.dialect, out)
		out, err = memberPrint(t, "json", true, func(p *printer.Printer) error {
			p.Dialect = d
			return p.MemberList(memberTestList())
		})
		require.NoError(t, err)
		assert.Contains(t, out, `"cluster_id":"a7b4defca9021ba"`, "%s: member list shows hex in every release", tc.dialect)
	}
}
