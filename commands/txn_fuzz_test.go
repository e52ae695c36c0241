package commands

import (
	"errors"
	"testing"

	"github.com/etcdctl-rewritten/etcdctl/internal/cmdutil"
)

// FuzzTxnParse feeds arbitrary text to the txn parser: it must never panic, and every failure
// must be a *txnParseError carrying one of upstream's exit codes.
func FuzzTxnParse(f *testing.F) {
	seeds := []string{
		"mod(\"key1\") > \"0\"\n\nput key1 \"overwrote-key1\"\n\nput key1 \"created-key1\"\nput key2 \"some extra key\"\n\n",
		"value(\"k\") = \"v\"\nver(\"k\") != \"1\"\nc(\"k\") < \"3\"\nm(`k`) > \"-1\"\n\nget k --prefix --keys-only\ndel k --prev-kv\n\nput k v --lease=1f --prev-kv\n\n",
		"lease(\"k\") = \"0\"\n\n\n\n",
		"\n\nget k --order=descend --sort-by=version --limit 3 --rev=2\n\n",
		"\nput k 'a b' \"c\\x41\" \n\n\n",
		"\ndel a b\n\n\n",
		"\ndel a b --range\nget --from-key \"\"\n\n\n",
		"\nget k --bogus\n\n\n",
		"\nput k \"\\q\"\n\n\n",
		"\r\n\r\n\r\n",
		"mod(\"k\")>\"0\"\n",
		"foo(\n",
		"\n\"\n\n\n",
		"\nget -h\n\n\n",
	}
	for _, s := range seeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		spec, err := txnParseString(in)
		if err != nil {
			var pe *txnParseError
			if !errors.As(err, &pe) {
				t.Fatalf("error of type %T: %v", err, err)
			}
			switch cmdutil.Kind(pe.Err).(type) {
			case *cmdutil.UpstreamPanicError, *cmdutil.InvalidInputError, *cmdutil.BadFeatureError, *cmdutil.BadArgsError:
			default:
				t.Fatalf("unexpected kind %T for %q", cmdutil.Kind(pe.Err), pe.Err)
			}
			if spec != nil {
				t.Fatal("spec and error both returned")
			}
			return
		}
		if spec == nil {
			t.Fatal("nil spec without error")
		}
		for _, r := range append(spec.Success, spec.Failure...) {
			if !r.Op.IsGet() && !r.Op.IsPut() && !r.Op.IsDelete() {
				t.Fatalf("request is neither get, put nor del: %+v", r)
			}
		}
	})
}
