package printer

import (
	pb "go.etcd.io/etcd/api/v3/etcdserverpb"
)

// AlarmList prints the answer of `alarm list` and `alarm disarm` (the alarms listed or disarmed).
//
// The simple format is how upstream's binary renders an alarm in protobuf text: member ID in
// decimal, two spaces, the alarm type's name. JSON is the response as is (no hex IDs, even with
// --hex); fields follow --hex for IDs; table is not supported.
func (p *Printer) AlarmList(r *pb.AlarmResponse) error {
	switch p.Format {
	case Simple:
		for _, a := range r.Alarms {
			if p.Dialect != nil && p.Dialect.GogoText {
				p.printf("%s\n", alarmGogoText(a))
				continue
			}
			p.printf("%s\n", alarmText(a))
		}
		return nil
	case JSON:
		return p.WriteJSON(r)
	case Fields:
		p.memberFieldsHeader(r.Header)
		for _, a := range r.Alarms {
			p.printf("\"MemberID\" : %s\n\"AlarmType\" : %s\n\n", p.memberID(a.MemberID), a.Alarm)
		}
		return nil
	case Protobuf:
		return memberWriteProto(p, r)
	}
	return p.Unsupported()
}

// alarmText renders one alarm in the compact text form upstream prints; zero fields are left out
// as protobuf text does.
func alarmText(a *pb.AlarmMember) string {
	var b []byte
	if a.MemberID != 0 {
		b = append(b, "memberID:"...)
		b = appendUint(b, a.MemberID)
	}
	if a.Alarm != pb.AlarmType_NONE {
		if len(b) > 0 {
			b = append(b, "  "...)
		}
		b = append(b, "alarm:"...)
		b = append(b, a.Alarm.String()...)
	}
	return string(b)
}

// alarmGogoText is alarmText the way the 3.5 and 3.6 binaries render protobuf text (gogo):
// every field set is followed by one space.
func alarmGogoText(a *pb.AlarmMember) string {
	var b []byte
	if a.MemberID != 0 {
		b = append(b, "memberID:"...)
		b = appendUint(b, a.MemberID)
		b = append(b, ' ')
	}
	if a.Alarm != pb.AlarmType_NONE {
		b = append(b, "alarm:"...)
		b = append(b, a.Alarm.String()...)
		b = append(b, ' ')
	}
	return string(b)
}

func appendUint(b []byte, v uint64) []byte {
	var tmp [20]byte
	i := len(tmp)
	for {
		i--
		tmp[i] = byte('0' + v%10)
		v /= 10
		if v == 0 {
			break
		}
	}
	return append(b, tmp[i:]...)
}
