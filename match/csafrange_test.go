package match

import (
	"context"
	"sort"
	"strings"
	"testing"

	"github.com/bomrank/bomrank/advisory"
	"github.com/bomrank/bomrank/internal/sharedtest"
)

// TestCSAFRange covers every form of range found in the real CISA files of
// shared/csaf (the strings are copied from them), plus vers and vls.
func TestCSAFRange(t *testing.T) {
	const in, out, unknown = "in", "out", "unknown"
	tests := []struct {
		rng, version, want string
	}{
		// vers, valid and the invalid-but-common vers:all with comparators.
		{"vers:all/*", "1.0", in},
		{"vers:generic/>=1.0.0|<2.0.0", "1.5", in},
		{"vers:generic/>=1.0.0|<2.0.0", "2.0.0", out},
		{"vers:generic/<1.0|>=2.0|<3.0", "0.9", in},
		{"vers:generic/<1.0|>=2.0|<3.0", "1.5", out},
		{"vers:generic/<1.0|>=2.0|<3.0", "2.5", in},
		{"vers:generic/>=1.0|!=1.2|<2.0", "1.2", out},
		{"vers:generic/1.2.3|1.2.5", "1.2.5", in},
		{"vers:generic/1.2.3|1.2.5", "1.2.4", out},
		{"vers:all/>=V11.5.1|<V11.6.2", "11.5.2", in},
		{"vers:all/>=V11.5.1|<V11.6.2", "V11.6.2", out},
		{"vers:all/>=V11.5.1|<V11.6.2", "11.5.0", out},
		{"vers:all/<V4.3.8", "4.2.1", in},
		{"vers:all/<V4.3.8", "4.3.8", out},
		{"vers:all/<=3.0.11.5_BN9", "3.0.11.5_BN9", in},
		{"vers:all/<=3.0.11.5_BN9", "3.0.11.4", in},
		{"vers:all/<=3.0.11.5_BN9", "3.0.12", out},
		{"vers:generic", "1.0", unknown},
		// vls: one comparator.
		{"< 1.003", "1.002", in},
		{"< 1.003", "1.003", out},
		{"<= 1.0.0", "1.0", in},
		{"<=N", "M", in},
		{"<=N", "N", in},
		{"<=N", "P", out},
		{"<= K", "L", out},
		{"<= L81", "L80", in},
		{"<= L81", "L82", out},
		{"<= L81", "4.2.1", unknown}, // a number against a letter release
		{"<= D25", "D24", in},
		{"<= 012U000061", "012U000050", in},
		{"<= 012U000061", "012U000062", out},
		{"< 012U000040", "012U000040", out},
		{"<= 4107600010.23", "4107600010.22", in},
		{"< B.06.18", "B.06.17", in},
		{"< B.06.18", "C.00.01", out},
		{"<= C.00.04", "C.00.04", in},
		{"<= B.12", "B.11", in},
		{"<= 2.4A", "2.4", in},
		{"<= 2.4A", "2.4B", out},
		{"<= 2.6A", "2.6A", in},
		{"< 3.0.GBB", "3.0.GBA", in},
		{"<= R4.1L1", "R4.1L0", in},
		{"<= R8.0.3", "R8.0.4", out},
		{"<= VM5.0", "VM4.9", in},
		{"<V2.4", "2.3", in},
		{"<V3.2_SP2", "V3.2_SP1", in},
		{"<V3.2_SP2", "V3.2", in},
		{"<V3.2_SP2", "V3.2 SP3", out},
		{"< 1.8.4 Service Pack 01", "1.8.4", in},
		{"< 1.8.4 Service Pack 01", "1.8.4 SP1", out},
		{"<= 6.5.0 SP1", "6.5.0", in},
		{"<= 3.0 D15", "3.0 D14", in},
		{"<= 3.0 D15", "3.0 D16", out},
		{"<=2023.3_Build_9342", "2023.3", in},
		{"<=2023.3_Build_9342", "2023.4", out},
		{"<=5.17.1-754993421", "5.17.1-754993420", in},
		{"<=5.17.1-754993421", "5.18", out},
		{"<2024.2", "2024.1", in},
		{"<12.2.8.410", "12.2.8.409", in},
		{"<= 1.0.51", "1.0.6", in}, // numeric, not string, order: 6 < 51
		{"<= 1.0.51", "1.0.100", out},
		{"< 1.10", "1.9", in},
		{"< 1.10", "1.10.0", out},
		{"<= 1.0.0", "1.0.0-beta", in},
		{">= 1.3.3", "1.3.3", in},
		{">= 1.3.3", "1.3.2", out},
		{">=6.5", "7", in},
		{">= 4.0.1", "4.0.0", out},
		{"< 3.x", "2.9", in},
		{"< 3.x", "3.5", out},
		{"<= 11.x", "11.9.9", in},
		{"<= 11.x", "12.0", out},
		{"<=2.x", "2.7", in},
		{"<= 12.2.x.x", "12.2.9.1", in},
		{"<= 12.2.x.x", "12.3", out},
		// Two constraints joined by "|", with stray spaces.
		{">= 1.0.0  | <= 1.3.1", "1.2", in},
		{">= 1.0.0  | <= 1.3.1", "1.3.2", out},
		{">= 1.0.0  | <= 1.3.1", "0.9", out},
		{">= 1.3.4 | < 1.5.3", "1.5.3", out},
		{">= 2003 | <= 2006", "2005", in},
		{">=2003|<=2006", "2007", out},
		{">= 2018-1 | <= 2021-1", "2019-2", in},
		{">=BT02 | <= BT06", "BT04", in},
		{">=BT02 | <= BT06", "BT07", out},
		{">=5.3|<=6.4", "6.4", in},
		{">=5.3|<=6.4", "6.5", out},
		{"3.0|3.1", "3.1", in},
		{"3.0|3.1", "3.2", out},
		{"5.0|5.1", "5.0", in},
		{"<= U61 |<= L81", "U60", in},
		{"<= U61 |<= L81", "L81", in},
		{"<= U61 |<= L81", "U62", out},
		// Infix intervals: both ends included.
		{"A10 < A11", "A10", in},
		{"A10 < A11", "A11", in},
		{"A10 < A11", "A12", out},
		{"A10 < A11", "A09", out},
		{"A.01 <= C.0x | 4.0", "B.02", in},
		{"A.01 <= C.0x | 4.0", "C.05", in},
		{"A.01 <= C.0x | 4.0", "4.0", in},
		{"A.01 <= C.0x | 4.0", "D.01", out},
		// Notes, conditions, lists.
		{"<= 1.54 (integrated into GE MobileLink)", "1.54", in},
		{"<= 1.54 (integrated into GE MobileLink)", "1.55", out},
		{"<= GEH-1.1 (integrated into GE MobileLink)", "GEH-1.0", in},
		{"<= 2.01 (end-of-life Nov 2017)", "2.01", in},
		{"<= 2.01 (end-of-life Nov 2017)", "2.02", out},
		{"<=11.2 on Windows 8.1 with IIS 7.5", "11.1", in},
		{"<=11.2 on Windows 8.1 with IIS 7.5", "11.3", out},
		{"053L000091 (global) / 054U000091 (U.S.) and 053L000092 (global) / 054U000092 (U.S.)", "054U000092", in},
		{"053L000091 (global) / 054U000091 (U.S.) and 053L000092 (global) / 054U000092 (U.S.)", "054U000093", out},
		{"6.x (Wireless Battery Modules (16 | 16D38 | 17 | 17D19 | >= 20D29 | <= v20D32 | >= 22D24 | <= v22D28)", "6.2", in},
		{"6.x (Wireless Battery Modules (16 | 16D38 | 17 | 17D19 | >= 20D29 | <= v20D32 | >= 22D24 | <= v22D28)", "8.0", out},
		{"v8.x (with Wireless Battery Modules v17 | v17D19 | >= v20D29 | <= v20D32 | >= v22D24 | <= v22D28)", "8.1", in},
		{"9.x (with Wireless Battery Modules >= 22D19 | <= v22D28)", "9.0", in},
		{"<= S4 A.07.107", "S4 A.07.100", in},
		{"<= S4 A.07.107", "S4 A.07.108", out},
		{">=MCE_3.x_Cert_Edition", "6.9", unknown},
		{"all versions", "0.1", in},
		// Dates are not versions.
		{"distributed  < april 1, 2018", "1.0", unknown},
		{"<8/30/2024", "1.0", unknown},
		{"<May 2018", "1.0", unknown},
		{"<  july 1 2017", "1.0", unknown},
		{"< august 28", "1.0", unknown},
		{"", "1.0", unknown},
		// The device version must be readable.
		{"< 2.0", "", unknown},
		{"< 2.0", "#!", unknown},
	}
	for _, tc := range tests {
		r := parseCSAFRange(tc.rng)
		got, err := r.contains(tc.version)
		res := out
		switch {
		case err != nil:
			res = unknown
			if tc.rng != "" && !strings.Contains(err.Error(), tc.rng) && !strings.Contains(err.Error(), tc.version) {
				t.Errorf("%q %q: error %v names neither range nor version", tc.rng, tc.version, err)
			}
		case got:
			res = in
		}
		if res != tc.want {
			t.Errorf("%q contains %q: %s (err %v), want %s", tc.rng, tc.version, res, err, tc.want)
		}
	}
}

// TestSharedCSAFRanges reads every product_version_range of the real CISA
// files in shared/csaf: all but the dates are understood.
func TestSharedCSAFRanges(t *testing.T) {
	dir := sharedtest.Path(t, "csaf")
	res := advisory.Load(context.Background(), dir+"/cisa-icsma", dir+"/cisa-icsa-selected", dir+"/cisagov-CSAF")
	if len(res.Errors) > 0 {
		t.Fatal(res.Errors)
	}
	ranges := map[string]bool{}
	for _, a := range res.Advisories {
		for _, ps := range a.Products {
			if vr := ps.Product.VersionRange; vr != "" {
				ranges[vr] = true
			}
		}
	}
	var notUnderstood []string
	for vr := range ranges {
		if r := parseCSAFRange(vr); r.err != nil {
			notUnderstood = append(notUnderstood, vr)
		}
	}
	sort.Strings(notUnderstood)
	want := []string{"<  july 1 2017", "<  november 29 2017", "< august 28", "<8/30/2024", "<May 2018", "distributed  < april 1, 2018"}
	if strings.Join(notUnderstood, "\n") != strings.Join(want, "\n") {
		t.Errorf("not understood:\n%s\nwant:\n%s", strings.Join(notUnderstood, "\n"), strings.Join(want, "\n"))
	}
	if len(ranges) < 170 {
		t.Errorf("only %d distinct ranges read", len(ranges))
	}
	t.Logf("%d distinct ranges, %d not understood (dates)", len(ranges), len(notUnderstood))
}
