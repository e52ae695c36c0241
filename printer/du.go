package printer

import (
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"
)

// DuGroup is one prefix path of `etcdctl du`: how many keys lie under it and their bytes
// (keys + values).
type DuGroup struct {
	Path  string
	Depth int
	Keys  int64
	Bytes int64
}

// DuReport is the whole result of `etcdctl du`: the groups to show (already sorted and cut to
// --top), and the totals over every key of the range, read at Revision.
type DuReport struct {
	Prefix     string
	Depth      int
	Revision   int64
	TotalKeys  int64
	TotalBytes int64
	Groups     []DuGroup
}

func (r *DuReport) share(bytes int64) float64 {
	if r.TotalBytes == 0 {
		return 0
	}
	return float64(bytes) / float64(r.TotalBytes)
}

func (p *Printer) duPath(s string) string {
	if p.Hex {
		return hex.EncodeToString([]byte(s))
	}
	return s
}

type duJSONGroup struct {
	Prefix string  `json:"prefix"`
	Depth  int     `json:"depth"`
	Keys   int64   `json:"keys"`
	Bytes  int64   `json:"bytes"`
	Share  float64 `json:"share"`
}

type duJSON struct {
	Prefix   string        `json:"prefix"`
	Depth    int           `json:"depth"`
	Revision int64         `json:"revision"`
	Keys     int64         `json:"keys"`
	Bytes    int64         `json:"bytes"`
	Prefixes []duJSONGroup `json:"prefixes"`
}

// Du prints a du report: simple (bytes, keys, share, prefix; tab-separated, then the total and
// the revision), json (one document) or table. Other formats are unsupported (exit 4).
func (p *Printer) Du(r *DuReport) error {
	switch p.Format {
	case Simple:
		for _, g := range r.Groups {
			fmt.Fprintf(p.w, "%d\t%d\t%.1f%%\t%s\n", g.Bytes, g.Keys, 100*r.share(g.Bytes), p.duPath(g.Path))
		}
		fmt.Fprintf(p.w, "%d\t%d\t%.1f%%\ttotal\n", r.TotalBytes, r.TotalKeys, 100*r.share(r.TotalBytes))
		fmt.Fprintf(p.w, "revision %d\n", r.Revision)
		return nil
	case JSON:
		doc := duJSON{Prefix: p.duPath(r.Prefix), Depth: r.Depth, Revision: r.Revision, Keys: r.TotalKeys,
			Bytes: r.TotalBytes, Prefixes: make([]duJSONGroup, 0, len(r.Groups))}
		for _, g := range r.Groups {
			doc.Prefixes = append(doc.Prefixes, duJSONGroup{Prefix: p.duPath(g.Path), Depth: g.Depth,
				Keys: g.Keys, Bytes: g.Bytes, Share: r.share(g.Bytes)})
		}
		b, err := json.Marshal(doc)
		if err != nil {
			return err
		}
		p.w.Write(b)
		p.w.WriteByte('\n')
		return nil
	case Table:
		rows := make([][]string, 0, len(r.Groups)+1)
		for _, g := range r.Groups {
			rows = append(rows, []string{p.duPath(g.Path), strconv.FormatInt(g.Keys, 10),
				strconv.FormatInt(g.Bytes, 10), EndpointHumanBytes(uint64(g.Bytes)), fmt.Sprintf("%.1f%%", 100*r.share(g.Bytes))})
		}
		rows = append(rows, []string{"total", strconv.FormatInt(r.TotalKeys, 10), strconv.FormatInt(r.TotalBytes, 10),
			EndpointHumanBytes(uint64(r.TotalBytes)), fmt.Sprintf("%.1f%%", 100*r.share(r.TotalBytes))})
		if err := p.WriteTable([]string{"PREFIX", "KEYS", "BYTES", "SIZE", "SHARE"}, rows); err != nil {
			return err
		}
		fmt.Fprintf(p.w, "revision %d\n", r.Revision)
		return nil
	}
	return p.Unsupported()
}
