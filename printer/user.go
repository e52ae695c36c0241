package printer

import (
	pb "go.etcd.io/etcd/api/v3/etcdserverpb"
)

// UserAdd reports a created user.
func (p *Printer) UserAdd(name string, r *pb.AuthUserAddResponse) error {
	return authHeaderOnly(p, "User "+name+" created", r.Header, r)
}

// UserDelete reports a deleted user.
func (p *Printer) UserDelete(name string, r *pb.AuthUserDeleteResponse) error {
	return authHeaderOnly(p, "User "+name+" deleted", r.Header, r)
}

// UserChangePassword reports a changed password.
func (p *Printer) UserChangePassword(r *pb.AuthUserChangePasswordResponse) error {
	return authHeaderOnly(p, "Password updated", r.Header, r)
}

// UserGrantRole reports a role granted to a user.
func (p *Printer) UserGrantRole(user, role string, r *pb.AuthUserGrantRoleResponse) error {
	return authHeaderOnly(p, "Role "+role+" is granted to user "+user, r.Header, r)
}

// UserRevokeRole reports a role revoked from a user.
func (p *Printer) UserRevokeRole(user, role string, r *pb.AuthUserRevokeRoleResponse) error {
	return authHeaderOnly(p, "Role "+role+" is revoked from user "+user, r.Header, r)
}

// UserList prints the user names: simple, json and protobuf (fields and table are unsupported).
func (p *Printer) UserList(r *pb.AuthUserListResponse) error {
	switch p.Format {
	case Simple:
		for _, n := range r.Users {
			p.raw(n)
			p.raw("\n")
		}
		return nil
	case JSON:
		return p.WriteJSON(r)
	case Protobuf:
		return p.WriteProto(r)
	}
	return p.Unsupported()
}

// UserGet prints a user and its roles: simple, json and protobuf (fields and table are unsupported).
func (p *Printer) UserGet(name string, r *pb.AuthUserGetResponse) error {
	switch p.Format {
	case Simple:
		p.raw("User: " + name + "\nRoles:")
		for _, role := range r.Roles {
			p.raw(" " + role)
		}
		p.raw("\n")
		return nil
	case JSON:
		return p.WriteJSON(r)
	case Protobuf:
		return p.WriteProto(r)
	}
	return p.Unsupported()
}

// UserDetailHeader starts `user get --detail`: the user's name, in every format.
func (p *Printer) UserDetailHeader(name string) { p.raw("User: " + name + "\n") }

// UserDetailGap is the blank line `user get --detail` prints before asking for each role (so
// it is there even when asking fails).
func (p *Printer) UserDetailGap() { p.raw("\n") }

// UserDetailRole prints one role of `user get --detail` as `role get` shows it.
func (p *Printer) UserDetailRole(role string, r *pb.AuthRoleGetResponse) error {
	return p.RoleGet(role, r)
}
