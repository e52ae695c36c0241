package printer

import (
	"encoding/json"
	"fmt"
)

// SnapshotFileStatus is what `snapshot status` (3.5) reports about a snapshot file.
type SnapshotFileStatus struct {
	Hash      uint32 `json:"hash"`
	Revision  int64  `json:"revision"`
	TotalKey  int    `json:"totalKey"`
	TotalSize int64  `json:"totalSize"`
}

// SnapshotStatus prints a snapshot file's status the way etcdctl 3.5 does (fields without a
// closing blank line; no protobuf).
func (p *Printer) SnapshotStatus(s SnapshotFileStatus) error {
	switch p.Format {
	case Simple:
		p.printf("%x, %d, %d, %s\n", s.Hash, s.Revision, s.TotalKey, EndpointHumanBytes(uint64(s.TotalSize)))
	case JSON:
		b, err := json.Marshal(s)
		if err != nil {
			return err
		}
		p.w.Write(append(b, '\n'))
	case Fields:
		p.printf("\"Hash\" : %d\n\"Revision\" : %d\n\"Keys\" : %d\n\"Size\" : %d\n", s.Hash, s.Revision, s.TotalKey, s.TotalSize)
	case Table:
		return p.WriteTable([]string{"hash", "revision", "total keys", "total size"}, [][]string{{
			fmt.Sprintf("%x", s.Hash), fmt.Sprint(s.Revision), fmt.Sprint(s.TotalKey), EndpointHumanBytes(uint64(s.TotalSize)),
		}})
	default:
		return p.Unsupported()
	}
	return nil
}
