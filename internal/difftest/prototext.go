package difftest

import (
	"fmt"
	"strings"

	"google.golang.org/protobuf/encoding/protowire"
)

// ProtoText renders protobuf wire bytes as an indented field tree (numbers as decimal), so that
// outputs of two clusters can be compared after masking IDs whose varint lengths differ.
// Length-delimited fields that parse as messages are expanded; others are shown quoted.
func ProtoText(b []byte) []byte {
	var sb strings.Builder
	if !protoTree(&sb, b, 0) {
		return b
	}
	return []byte(sb.String())
}

func protoTree(sb *strings.Builder, b []byte, depth int) bool {
	indent := strings.Repeat("  ", depth)
	for len(b) > 0 {
		num, typ, n := protowire.ConsumeTag(b)
		if n < 0 || num <= 0 || num > 1000 {
			return false
		}
		b = b[n:]
		switch typ {
		case protowire.VarintType:
			v, n := protowire.ConsumeVarint(b)
			if n < 0 {
				return false
			}
			fmt.Fprintf(sb, "%s%d: %d\n", indent, num, v)
			b = b[n:]
		case protowire.Fixed64Type:
			v, n := protowire.ConsumeFixed64(b)
			if n < 0 {
				return false
			}
			fmt.Fprintf(sb, "%s%d: f64 %d\n", indent, num, v)
			b = b[n:]
		case protowire.Fixed32Type:
			v, n := protowire.ConsumeFixed32(b)
			if n < 0 {
				return false
			}
			fmt.Fprintf(sb, "%s%d: f32 %d\n", indent, num, v)
			b = b[n:]
		case protowire.BytesType:
			v, n := protowire.ConsumeBytes(b)
			if n < 0 {
				return false
			}
			var sub strings.Builder
			if len(v) > 0 && protoTree(&sub, v, depth+1) {
				fmt.Fprintf(sb, "%s%d: {\n%s%s}\n", indent, num, sub.String(), indent)
			} else {
				fmt.Fprintf(sb, "%s%d: %q\n", indent, num, v)
			}
			b = b[n:]
		default:
			return false
		}
	}
	return true
}

// isProtobuf reports whether args ask for -w protobuf.
func isProtobuf(args []string) bool {
	for i, a := range args {
		if a == "--write-out=protobuf" || a == "-w=protobuf" || a == "-wprotobuf" {
			return true
		}
		if (a == "-w" || a == "--write-out") && i+1 < len(args) && args[i+1] == "protobuf" {
			return true
		}
	}
	return false
}
