package printer

import (
	"bytes"

	"go.etcd.io/etcd/api/v3/authpb"
	pb "go.etcd.io/etcd/api/v3/etcdserverpb"
)

// RoleAdd reports a created role.
func (p *Printer) RoleAdd(name string, r *pb.AuthRoleAddResponse) error {
	return authHeaderOnly(p, "Role "+name+" created", r.Header, r)
}

// RoleDelete reports a deleted role.
func (p *Printer) RoleDelete(name string, r *pb.AuthRoleDeleteResponse) error {
	return authHeaderOnly(p, "Role "+name+" deleted", r.Header, r)
}

// RoleGrantPermission reports a permission granted to a role.
func (p *Printer) RoleGrantPermission(name string, r *pb.AuthRoleGrantPermissionResponse) error {
	return authHeaderOnly(p, "Role "+name+" updated", r.Header, r)
}

// RoleRevokePermission reports a permission revoked from a role.
func (p *Printer) RoleRevokePermission(name, key, rangeEnd string, r *pb.AuthRoleRevokePermissionResponse) error {
	var msg string
	switch rangeEnd {
	case "":
		msg = "Permission of key " + key + " is revoked from role " + name
	case "\x00":
		msg = "Permission of range [" + key + ", <open ended> is revoked from role " + name
	default:
		msg = "Permission of range [" + key + ", " + rangeEnd + ") is revoked from role " + name
	}
	return authHeaderOnly(p, msg, r.Header, r)
}

// RoleList prints the role names: simple, json, fields and protobuf.
func (p *Printer) RoleList(r *pb.AuthRoleListResponse) error {
	switch p.Format {
	case Simple:
		for _, n := range r.Roles {
			p.raw(n)
			p.raw("\n")
		}
		return nil
	case JSON:
		return p.WriteJSON(r)
	case Fields:
		p.FieldsHeader(r.Header)
		p.raw(`"Roles" :`)
		for _, n := range r.Roles {
			p.printf(" %q", n)
		}
		p.raw("\n")
		return nil
	case Protobuf:
		return p.WriteProto(r)
	}
	return p.Unsupported()
}

// RoleGet prints a role and its permissions: simple, json, fields and protobuf.
func (p *Printer) RoleGet(name string, r *pb.AuthRoleGetResponse) error {
	switch p.Format {
	case Simple:
		p.raw("Role " + name + "\nKV Read:\n")
		for _, perm := range r.Perm {
			if perm.PermType == authpb.READ || perm.PermType == authpb.READWRITE {
				rolePermLine(p, perm)
			}
		}
		p.raw("KV Write:\n")
		for _, perm := range r.Perm {
			if perm.PermType == authpb.WRITE || perm.PermType == authpb.READWRITE {
				rolePermLine(p, perm)
			}
		}
		return nil
	case JSON:
		return p.WriteJSON(r)
	case Fields:
		p.FieldsHeader(r.Header)
		for _, perm := range r.Perm {
			p.printf("\"PermType\" :  %s\n\"Key\" : %q\n\"RangeEnd\" : %q\n", perm.PermType, perm.Key, perm.RangeEnd)
		}
		return nil
	case Protobuf:
		return p.WriteProto(r)
	}
	return p.Unsupported()
}

// rolePermLine writes one permission of `role get` in the simple format.
func rolePermLine(p *Printer, perm *authpb.Permission) {
	w := p.w
	w.WriteByte('\t')
	switch {
	case len(perm.RangeEnd) == 0:
		w.Write(perm.Key)
	case len(perm.RangeEnd) == 1 && perm.RangeEnd[0] == 0:
		w.WriteByte('[')
		w.Write(perm.Key)
		w.WriteString(", <open ended>")
		rolePrefixNote(p, perm)
	default:
		w.WriteByte('[')
		w.Write(perm.Key)
		w.WriteString(", ")
		w.Write(perm.RangeEnd)
		w.WriteByte(')')
		rolePrefixNote(p, perm)
	}
	w.WriteByte('\n')
}

// rolePrefixNote adds " (prefix key)" when the permission's range is exactly the keys with that
// prefix. Upstream adds none for an empty key (the root role's implicit ["", "\x00")), except
// in 3.5.
func rolePrefixNote(p *Printer, perm *authpb.Permission) {
	emptyToo := p.Dialect != nil && p.Dialect.RolePrefixEmptyKey
	if (len(perm.Key) > 0 || emptyToo) && bytes.Equal(perm.RangeEnd, RolePrefixEnd(perm.Key)) {
		w := p.w
		w.WriteString(" (prefix ")
		w.Write(perm.Key)
		w.WriteByte(')')
	}
}

// RolePrefixEnd is the end of the range holding every key that starts with key ("\x00", every
// key, when no such end exists).
func RolePrefixEnd(key []byte) []byte {
	end := bytes.Clone(key)
	for i := len(end) - 1; i >= 0; i-- {
		if end[i] < 0xff {
			end[i]++
			return end[:i+1]
		}
	}
	return []byte{0}
}
