package cpe

import (
	"errors"
	"testing"
)

// wfn builds a Name from the attributes given, the others ANY.
func wfn(kv ...string) Name {
	n := Name{Any, Any, Any, Any, Any, Any, Any, Any, Any, Any, Any}
	names := map[string]*string{"part": &n.Part, "vendor": &n.Vendor, "product": &n.Product, "version": &n.Version,
		"update": &n.Update, "edition": &n.Edition, "language": &n.Language, "sw_edition": &n.SWEdition,
		"target_sw": &n.TargetSW, "target_hw": &n.TargetHW, "other": &n.Other}
	for i := 0; i+1 < len(kv); i += 2 {
		*names[kv[i]] = kv[i+1]
	}
	return n
}

// The examples of IR 7695 section 6.2.3.3 (unbind_fs) and 6.1.3.3
// (unbind_uri), and their bindings back (6.2.2.3, 6.1.2.3).
func TestParseSpecExamples(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want Name
		fs   string // the formatted string bound back ("" = in)
		uri  string // the URI bound back ("" = not checked)
	}{
		{in: "cpe:2.3:a:microsoft:internet_explorer:8.0.6001:beta:*:*:*:*:*:*",
			want: wfn("part", "a", "vendor", "microsoft", "product", "internet_explorer", "version", `8\.0\.6001`, "update", "beta"),
			uri:  "cpe:/a:microsoft:internet_explorer:8.0.6001:beta"},
		{in: "cpe:2.3:a:microsoft:internet_explorer:8.*:sp?:*:*:*:*:*:*",
			want: wfn("part", "a", "vendor", "microsoft", "product", "internet_explorer", "version", `8\.*`, "update", "sp?"),
			uri:  "cpe:/a:microsoft:internet_explorer:8.%02:sp%01"},
		{in: "cpe:2.3:a:hp:insight_diagnostics:7.4.0.1570:-:*:*:online:win2003:x64:*",
			want: wfn("part", "a", "vendor", "hp", "product", "insight_diagnostics", "version", `7\.4\.0\.1570`, "update", NA,
				"sw_edition", "online", "target_sw", "win2003", "target_hw", "x64"),
			uri: "cpe:/a:hp:insight_diagnostics:7.4.0.1570:-:~~online~win2003~x64~"},
		{in: `cpe:2.3:a:foo\\bar:big\$money_2010:*:*:*:*:special:ipod_touch:80gb:*`,
			want: wfn("part", "a", "vendor", `foo\\bar`, "product", `big\$money_2010`, "sw_edition", "special",
				"target_sw", "ipod_touch", "target_hw", "80gb"),
			uri: "cpe:/a:foo%5cbar:big%24money_2010:::~~special~ipod_touch~80gb~"},
		{in: "cpe:/a:microsoft:internet_explorer:8.0.6001:beta",
			want: wfn("part", "a", "vendor", "microsoft", "product", "internet_explorer", "version", `8\.0\.6001`, "update", "beta"),
			fs:   "cpe:2.3:a:microsoft:internet_explorer:8.0.6001:beta:*:*:*:*:*:*"},
		{in: "cpe:/a:microsoft:internet_explorer:8.%2a:sp%3f",
			want: wfn("part", "a", "vendor", "microsoft", "product", "internet_explorer", "version", `8\.\*`, "update", `sp\?`),
			fs:   `cpe:2.3:a:microsoft:internet_explorer:8.\*:sp\?:*:*:*:*:*:*`},
		{in: "cpe:/a:microsoft:internet_explorer:8.%02:sp%01",
			want: wfn("part", "a", "vendor", "microsoft", "product", "internet_explorer", "version", `8\.*`, "update", "sp?"),
			fs:   "cpe:2.3:a:microsoft:internet_explorer:8.*:sp?:*:*:*:*:*:*"},
		{in: "cpe:/a:hp:insight_diagnostics:7.4.0.1570::~~online~win2003~x64~",
			want: wfn("part", "a", "vendor", "hp", "product", "insight_diagnostics", "version", `7\.4\.0\.1570`,
				"sw_edition", "online", "target_sw", "win2003", "target_hw", "x64"),
			fs: "cpe:2.3:a:hp:insight_diagnostics:7.4.0.1570:*:*:*:online:win2003:x64:*"},
		{in: "cpe:/a:hp:openview_network_manager:7.51:-:~~~linux~~",
			want: wfn("part", "a", "vendor", "hp", "product", "openview_network_manager", "version", `7\.51`, "update", NA,
				"target_sw", "linux"),
			fs: "cpe:2.3:a:hp:openview_network_manager:7.51:-:*:*:*:linux:*:*"},
		{in: "cpe:/a:foo%5cbar:big%24money_manager_2010:::~~special~ipod_touch~80gb~",
			want: wfn("part", "a", "vendor", `foo\\bar`, "product", `big\$money_manager_2010`, "sw_edition", "special",
				"target_sw", "ipod_touch", "target_hw", "80gb"),
			fs: `cpe:2.3:a:foo\\bar:big\$money_manager_2010:*:*:*:*:special:ipod_touch:80gb:*`},
		// NVD and SBOM shapes.
		{in: "CPE:2.3:A:OpenSSL:OpenSSL:1.0.2K:*:*:*:*:*:*:*",
			want: wfn("part", "a", "vendor", "openssl", "product", "openssl", "version", `1\.0\.2k`),
			fs:   "cpe:2.3:a:openssl:openssl:1.0.2k:*:*:*:*:*:*:*"},
		{in: "cpe:2.3:o:windriver:vxworks:6.9.4.1:-:*:*:*:*:*:*",
			want: wfn("part", "o", "vendor", "windriver", "product", "vxworks", "version", `6\.9\.4\.1`, "update", NA),
			uri:  "cpe:/o:windriver:vxworks:6.9.4.1:-"},
		{in: "cpe:/o:linux:linux_kernel:4.9",
			want: wfn("part", "o", "vendor", "linux", "product", "linux_kernel", "version", `4\.9`),
			fs:   "cpe:2.3:o:linux:linux_kernel:4.9:*:*:*:*:*:*:*"},
		{in: "cpe:/a:haxx",
			want: wfn("part", "a", "vendor", "haxx"),
			fs:   "cpe:2.3:a:haxx:*:*:*:*:*:*:*:*:*"},
	} {
		got, err := Parse(tc.in)
		if err != nil {
			t.Errorf("Parse(%q): %v", tc.in, err)
			continue
		}
		if got != tc.want {
			t.Errorf("Parse(%q) =\n %#v, want\n %#v", tc.in, got, tc.want)
		}
		fs := tc.fs
		if fs == "" {
			fs = tc.in
		}
		if got.String() != fs {
			t.Errorf("Parse(%q).String() = %q, want %q", tc.in, got.String(), fs)
		}
		if tc.uri != "" && got.URI() != tc.uri {
			t.Errorf("Parse(%q).URI() = %q, want %q", tc.in, got.URI(), tc.uri)
		}
	}
}

func TestParseErrors(t *testing.T) {
	for _, in := range []string{
		"",
		"cpe:",
		"cpe:2.3:a:openssl:openssl:1.0.2k", // 5 attributes
		"cpe:2.3:a:openssl:openssl:1.0.2k:*:*:*:*:*:*:*:*",                   // 12
		"cpe:2.3:x:openssl:openssl:1.0.2k:*:*:*:*:*:*:*",                     // part
		"cpe:2.3:a:open*ssl:openssl:1.0.2k:*:*:*:*:*:*:*",                    // embedded *
		"cpe:2.3:a:openssl:open?ssl:1.0.2k:*:*:*:*:*:*:*",                    // embedded ?
		"cpe:2.3:a:openssl::1.0.2k:*:*:*:*:*:*:*",                            // empty value
		"cpe:2.3:a:openssl:openssl:1.0 2:*:*:*:*:*:*:*",                      // space
		"cpe:2.3:a:openssl:openssl:**:*:*:*:*:*:*:*",                         // wildcards only
		"cpe:2.3:a:openssl:openssl:1.0.2k:*:*:*:*:*:*:\\",                    // dangling backslash
		"cpe:/a:foo:bar:12.%02.1234",                                         // IR 7695: embedded %02
		"cpe:/a:foo:bar:12.%0",                                               // truncated
		"cpe:/a:foo:bar:12.%zz",                                              // not hex
		"cpe:/a:foo:bar:1:2:3:4:5",                                           // 8 components
		"cpe:/a:foo:bar:1::~a~b",                                             // packed edition, 2 fields
		"cpe:/a:foo:bar:1!",                                                  // "!" must be encoded in a URI
		"cpe:/q:foo:bar",                                                     // part
		"pkg:npm/nx@1.0.0",                                                   // not a CPE
		"cpe:2.3:a:foo:bar:1.0:*:*:*:*:*:*:*\x00",                            // control character
		"cpe:2.3:a:foo:bar:1.0:*:*:*:*:*:*:\xff",                             // not ASCII
		"cpe:/a:foo:bar:%00",                                                 // encoded NUL
		"cpe:2.3:a:foo:bar:\\\x01:*:*:*:*:*:*:*",                             // quoted control
		"cpe:2.3:a:foo:bar:1.0:*:*:*:*:*:*:*" + string(make([]byte, maxLen)), // too long
	} {
		if n, err := Parse(in); err == nil {
			t.Errorf("Parse(%q) = %v, want an error", in, n)
		} else if !errors.Is(err, ErrSyntax) {
			t.Errorf("Parse(%q) error %v does not wrap ErrSyntax", in, err)
		}
	}
}

// The attribute comparison table of IR 7696 section 6.1.2 (Table 6-2) and
// the wildcard rules of compare_strings.
func TestCompareSpecTable(t *testing.T) {
	for _, tc := range []struct {
		source, target string
		want           Relation
	}{
		{Any, Any, Equal},
		{Any, NA, Superset},
		{Any, "i", Superset},
		{Any, "m+wild*", Undefined}, // target wildcards
		{NA, Any, Subset},
		{NA, NA, Equal},
		{NA, "i", Disjoint},
		{NA, "m+wild*", Undefined},
		{"i", NA, Disjoint},
		{"i", Any, Subset},
		{"i", "i", Equal},
		{"i", "k", Disjoint},
		{"m+wild*", "m+wild", Disjoint}, // no: the middle is "m+wild" ... see below
		{"i", "m+wild*", Undefined},
		{`8\.*`, `8\.0\.6001`, Superset},
		{`8\.*`, `8\.`, Superset},
		{`8\.*`, `7\.0`, Disjoint},
		{"*beta", "prebeta", Superset},
		{"*beta", "betas", Disjoint},
		{"sp?", "sp1", Superset},
		{"sp?", "sp", Superset}, // "?" at an end matches zero or one character
		{"sp?", "sp10", Disjoint},
		{"??3", "103", Superset},
		{"??3", "1003", Disjoint},
		{`\*x`, `\*x`, Equal}, // quoted, not a wildcard
		{`\*x`, "ax", Disjoint},
		{`?\.0`, `1\.0`, Superset}, // a quoted pair is one character
		{`?\.0`, `1\\\.0`, Disjoint},
	} {
		src, tgt := tc.source, tc.target
		if tc.source == "m+wild*" && tc.target == "m+wild" {
			// The middle "m+wild" is not in WFN form ("+" would be
			// quoted): use the quoted form.
			src, tgt = `m\+wild*`, `m\+wild`
			tc.want = Superset
		}
		if got := Compare(src, tgt); got != tc.want {
			t.Errorf("Compare(%q, %q) = %v, want %v", src, tgt, got, tc.want)
		}
	}
}

// The name-level examples of IR 7696 section 6.2.
func TestNameRelations(t *testing.T) {
	must := func(s string) Name {
		n, err := Parse(s)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	ie := must("cpe:2.3:a:microsoft:internet_explorer:8.0.6001:beta:*:*:*:*:*:*")
	ieAny := must("cpe:2.3:a:microsoft:internet_explorer:*:*:*:*:*:*:*:*")
	ieSP := must("cpe:2.3:a:microsoft:internet_explorer:8.*:sp?:*:*:*:*:*:*")
	if !IsSuperset(ieAny, ie) || IsSubset(ieAny, ie) || IsEqual(ieAny, ie) || IsDisjoint(ieAny, ie) {
		t.Errorf("ANY-version IE vs 8.0.6001 beta: %v", CompareNames(ieAny, ie))
	}
	if !IsSubset(ie, ieAny) {
		t.Errorf("8.0.6001 beta not a subset of ANY-version IE: %v", CompareNames(ie, ieAny))
	}
	if !IsDisjoint(ieSP, ie) { // update "sp?" against "beta"
		t.Errorf("8.* sp? vs 8.0.6001 beta not disjoint: %v", CompareNames(ieSP, ie))
	}
	if !IsEqual(ie, must("cpe:/a:microsoft:internet_explorer:8.0.6001:beta")) {
		t.Error("FS and URI of the same name not equal")
	}
	// Vendor decides: npm nx is not Siemens NX.
	if !IsDisjoint(must("cpe:2.3:a:siemens:nx:*:*:*:*:*:*:*:*"), must("cpe:2.3:a:nrwl:nx:15.8.0:*:*:*:*:node.js:*:*")) {
		t.Error("siemens nx and nrwl nx not disjoint")
	}
	if r := Relation(9).String(); r != "UNDEFINED" {
		t.Errorf("Relation(9) = %s", r)
	}
	if Unquote(`1\.0\.2k`) != "1.0.2k" || Unquote(Any) != Any || !HasWildcards(`8\.*`) || HasWildcards(Any) || HasWildcards(`a\*`) {
		t.Error("Unquote/HasWildcards")
	}
}
