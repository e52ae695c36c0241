package printer

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/etcdctl-rewritten/etcdctl/internal/dialect"
	pb "go.etcd.io/etcd/api/v3/etcdserverpb"
	"google.golang.org/protobuf/proto"
)

// EndpointStatusRow is one endpoint's answer to `endpoint status`. Its JSON shape is upstream's
// ({"Endpoint":...,"Status":{...}}).
type EndpointStatusRow struct {
	Endpoint string
	Status   *pb.StatusResponse
}

// EndpointHealthRow is one endpoint's health check result, in upstream's JSON shape.
type EndpointHealthRow struct {
	Endpoint string `json:"endpoint"`
	Health   bool   `json:"health"`
	Took     string `json:"took"`
	Error    string `json:"error,omitempty"`
}

// EndpointHashKVRow is one endpoint's answer to `endpoint hashkv`.
type EndpointHashKVRow struct {
	Endpoint string
	HashKV   *pb.HashKVResponse
}

// endpointStatusHeader is the 16-column header of `endpoint status -w table`.
func endpointStatusHeader() []string {
	return []string{"ENDPOINT", "ID", "VERSION", "STORAGE VERSION", "DB SIZE", "IN USE",
		"PERCENTAGE NOT IN USE", "QUOTA", "IS LEADER", "IS LEARNER", "RAFT TERM", "RAFT INDEX",
		"RAFT APPLIED INDEX", "ERRORS", "DOWNGRADE TARGET VERSION", "DOWNGRADE ENABLED"}
}

// EndpointHumanBytes renders a byte count with SI units the way etcdctl does (29 kB, 2.1 GB).
func EndpointHumanBytes(n uint64) string {
	if n < 10 {
		return strconv.FormatUint(n, 10) + " B"
	}
	units := [...]string{"B", "kB", "MB", "GB", "TB", "PB", "EB"}
	e := math.Floor(math.Log(float64(n)) / math.Log(1000))
	if int(e) >= len(units) {
		e = float64(len(units) - 1)
	}
	val := math.Floor(float64(n)/math.Pow(1000, e)*10+0.5) / 10
	if val < 10 {
		return fmt.Sprintf("%.1f %s", val, units[int(e)])
	}
	return fmt.Sprintf("%.0f %s", val, units[int(e)])
}

// endpointStatusCells are the 16 cells of one status row (simple and table formats).
func endpointStatusCells(r EndpointStatusRow) []string {
	s := r.Status
	h := s.Header
	if h == nil {
		h = &pb.ResponseHeader{}
	}
	notInUse := 0
	if s.DbSize > 0 {
		notInUse = 100 - int(s.DbSizeInUse*100/s.DbSize)
	}
	var target string
	var enabled bool
	if s.DowngradeInfo != nil {
		target, enabled = s.DowngradeInfo.TargetVersion, s.DowngradeInfo.Enabled
	}
	return []string{
		r.Endpoint,
		HexID(h.MemberId),
		s.Version,
		s.StorageVersion,
		EndpointHumanBytes(uint64(s.DbSize)),
		EndpointHumanBytes(uint64(s.DbSizeInUse)),
		strconv.Itoa(notInUse) + "%",
		EndpointHumanBytes(uint64(s.DbSizeQuota)),
		strconv.FormatBool(s.Leader == h.MemberId),
		strconv.FormatBool(s.IsLearner),
		strconv.FormatUint(s.RaftTerm, 10),
		strconv.FormatUint(s.RaftIndex, 10),
		strconv.FormatUint(s.RaftAppliedIndex, 10),
		strings.Join(s.Errors, ", "),
		target,
		strconv.FormatBool(enabled),
	}
}

// status35 reports the 3.5 layout of `endpoint status`: 10 columns, and the response as 3.5's
// protocol knows it (no storage version, quota, in-use size or downgrade info).
func (p *Printer) status35() bool {
	return p.Dialect != nil && p.Dialect.StatusLayout == dialect.StatusLayout35
}

// status35Columns are the indexes of the 16 cells that 3.5 shows.
func status35Columns() []int { return []int{0, 1, 2, 4, 8, 9, 10, 11, 12, 13} }

func pick(cells []string, idx []int) []string {
	out := make([]string, len(idx))
	for i, j := range idx {
		out[i] = cells[j]
	}
	return out
}

// EndpointStatus prints the status of the endpoints that answered, in the given order.
func (p *Printer) EndpointStatus(rows []EndpointStatusRow) error {
	if p.status35() {
		return p.endpointStatus35(rows)
	}
	switch p.Format {
	case Simple:
		for _, r := range rows {
			p.raw(strings.Join(endpointStatusCells(r), ", "))
			p.raw("\n")
		}
	case JSON:
		return p.WriteJSON(rows)
	case Fields:
		for _, r := range rows {
			s := r.Status
			p.FieldsHeader(s.Header)
			var target string
			var enabled bool
			if s.DowngradeInfo != nil {
				target, enabled = s.DowngradeInfo.TargetVersion, s.DowngradeInfo.Enabled
			}
			p.printf("\"Version\" : %q\n\"StorageVersion\" : %q\n\"DBSize\" : %d\n\"DBSizeInUse\" : %d\n\"DBSizeQuota\" : %d\n",
				s.Version, s.StorageVersion, s.DbSize, s.DbSizeInUse, s.DbSizeQuota)
			p.printf("\"Leader\" : %d\n\"IsLearner\" : %t\n\"RaftIndex\" : %d\n\"RaftAppliedIndex\" : %d\n\"Errors\" : %v\n",
				s.Leader, s.IsLearner, s.RaftIndex, s.RaftAppliedIndex, s.Errors)
			p.printf("\"Endpoint\" : %q\n\"DowngradeTargetVersion\" : %q\n\"DowngradeEnabled\" : %t\n\n",
				r.Endpoint, target, enabled)
		}
	case Table:
		cells := make([][]string, len(rows))
		for i, r := range rows {
			cells[i] = endpointStatusCells(r)
		}
		return p.WriteTable(endpointStatusHeader(), cells)
	default:
		return p.Unsupported()
	}
	return nil
}

// endpointStatus35 is EndpointStatus in the 3.5 dialect.
func (p *Printer) endpointStatus35(rows []EndpointStatusRow) error {
	switch p.Format {
	case Simple:
		for _, r := range rows {
			p.raw(strings.Join(pick(endpointStatusCells(r), status35Columns()), ", "))
			p.raw("\n")
		}
	case JSON:
		old := make([]EndpointStatusRow, len(rows))
		for i, r := range rows {
			s := proto.Clone(r.Status).(*pb.StatusResponse)
			s.StorageVersion, s.DbSizeQuota, s.DowngradeInfo = "", 0, nil
			old[i] = EndpointStatusRow{Endpoint: r.Endpoint, Status: s}
		}
		return p.WriteJSON(old)
	case Fields:
		for _, r := range rows {
			s := r.Status
			p.FieldsHeader(s.Header)
			p.printf("\"Version\" : %q\n\"DBSize\" : %d\n\"Leader\" : %d\n\"IsLearner\" : %t\n\"RaftIndex\" : %d\n\"RaftAppliedIndex\" : %d\n\"Errors\" : %v\n\"Endpoint\" : %q\n\n",
				s.Version, s.DbSize, s.Leader, s.IsLearner, s.RaftIndex, s.RaftAppliedIndex, s.Errors, r.Endpoint)
		}
	case Table:
		cells := make([][]string, len(rows))
		for i, r := range rows {
			cells[i] = pick(endpointStatusCells(r), status35Columns())
		}
		return p.WriteTable(pick(endpointStatusHeader(), status35Columns()), cells)
	default:
		return p.Unsupported()
	}
	return nil
}

// EndpointHealthLine prints one health result in the simple format: healthy endpoints on out,
// unhealthy ones on errOut (as upstream does).
func EndpointHealthLine(r EndpointHealthRow) (line string, healthy bool) {
	if r.Health {
		return fmt.Sprintf("%s is healthy: successfully committed proposal: took = %s\n", r.Endpoint, r.Took), true
	}
	return fmt.Sprintf("%s is unhealthy: failed to commit proposal: %s\n", r.Endpoint, r.Error), false
}

// EndpointHealthy prints, in the simple format, one healthy endpoint's line (unhealthy ones go to
// stderr: see EndpointHealthLine).
func (p *Printer) EndpointHealthy(r EndpointHealthRow) {
	line, _ := EndpointHealthLine(r)
	p.w.WriteString(line)
}

// EndpointHealth prints health results (in the order they completed) for the non-simple formats.
func (p *Printer) EndpointHealth(rows []EndpointHealthRow) error {
	switch p.Format {
	case JSON:
		return p.WriteJSON(rows)
	case Fields:
		for _, r := range rows {
			p.printf("\"Endpoint\" : %q\n\"Health\" : %t\n\"Took\" : %s\n\"Error\" : %s\n\n", r.Endpoint, r.Health, r.Took, r.Error)
		}
	case Table:
		cells := make([][]string, len(rows))
		for i, r := range rows {
			cells[i] = []string{r.Endpoint, strconv.FormatBool(r.Health), r.Took, r.Error}
		}
		return p.WriteTable([]string{"ENDPOINT", "HEALTH", "TOOK", "ERROR"}, cells)
	default:
		return p.Unsupported()
	}
	return nil
}

// EndpointHashKV prints the KV hashes of the endpoints that answered, in the given order.
func (p *Printer) EndpointHashKV(rows []EndpointHashKVRow) error {
	if p.Dialect != nil && !p.Dialect.HashKVRevision {
		return p.endpointHashKVNoRevision(rows)
	}
	switch p.Format {
	case Simple:
		for _, r := range rows {
			p.printf("%s, %d, %d\n", r.Endpoint, r.HashKV.Hash, r.HashKV.HashRevision)
		}
	case JSON:
		return p.WriteJSON(rows)
	case Fields:
		for _, r := range rows {
			p.FieldsHeader(r.HashKV.Header)
			p.printf("\"Endpoint\" : %q\n\"Hash\" : %d\n\"HashRevision\" : %d\n\n", r.Endpoint, r.HashKV.Hash, r.HashKV.HashRevision)
		}
	case Table:
		cells := make([][]string, len(rows))
		for i, r := range rows {
			cells[i] = []string{r.Endpoint, strconv.FormatUint(uint64(r.HashKV.Hash), 10), strconv.FormatInt(r.HashKV.HashRevision, 10)}
		}
		return p.WriteTable([]string{"ENDPOINT", "HASH", "HASH REVISION"}, cells)
	default:
		return p.Unsupported()
	}
	return nil
}

// endpointHashKVNoRevision is EndpointHashKV for releases without the hash revision (3.5).
func (p *Printer) endpointHashKVNoRevision(rows []EndpointHashKVRow) error {
	switch p.Format {
	case Simple:
		for _, r := range rows {
			p.printf("%s, %d\n", r.Endpoint, r.HashKV.Hash)
		}
	case JSON:
		old := make([]EndpointHashKVRow, len(rows))
		for i, r := range rows {
			h := proto.Clone(r.HashKV).(*pb.HashKVResponse)
			h.HashRevision = 0
			old[i] = EndpointHashKVRow{Endpoint: r.Endpoint, HashKV: h}
		}
		return p.WriteJSON(old)
	case Fields:
		for _, r := range rows {
			p.FieldsHeader(r.HashKV.Header)
			p.printf("\"Endpoint\" : %q\n\"Hash\" : %d\n\n", r.Endpoint, r.HashKV.Hash)
		}
	case Table:
		cells := make([][]string, len(rows))
		for i, r := range rows {
			cells[i] = []string{r.Endpoint, strconv.FormatUint(uint64(r.HashKV.Hash), 10)}
		}
		return p.WriteTable([]string{"ENDPOINT", "HASH"}, cells)
	default:
		return p.Unsupported()
	}
	return nil
}
