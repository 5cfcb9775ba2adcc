package names

import (
	"slices"
	"testing"
)

func TestVendor(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Nordlicht Medizintechnik GmbH", "nordlicht medizintechnik"},
		{"Acme Medical Inc.", "acme medical"},
		{"Acme Medical, Inc", "acme medical"},
		{"Helix Imaging Oy", "helix imaging"},
		{"HELIX IMAGING", "helix imaging"},
		{"Brightwater Respiratory Ltd", "brightwater respiratory"},
		{"Siemens Healthineers AG", "siemens healthineers"},
		{"Innokas YhtymÃ¤ Oy", "innokas yhtyma"}, // mojibake of Yhtymä
		{"Innokas Yhtymä Oy", "innokas yhtyma"},
		{"Phillips", "philips"},
		{"B. Braun Medical", "b braun"},
		{"B. Braun Melsungen AG", "b braun"},
		{"Johnson & Johnson", "johnson johnson"},
		{"AS", "as"}, // a suffix word alone is a name
		{"", ""},
	}
	for _, tc := range tests {
		if got := Vendor(tc.in); got != tc.want {
			t.Errorf("Vendor(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	keys := VendorKeys("Siemens Healthineers AG")
	if !slices.Contains(keys, "siemens") || !slices.Contains(keys, "siemens healthineers") || keys[0] != "siemens healthineers" {
		t.Errorf("VendorKeys: %v", keys)
	}
	if slices.Contains(VendorKeys("Acme Medical Inc."), "acme robotics") {
		t.Error("VendorKeys invents names")
	}
}

func TestFixMojibake(t *testing.T) {
	for in, want := range map[string]string{
		"YhtymÃ¤":  "Yhtymä",
		"Yhtymä":   "Yhtymä", // valid UTF-8 text is left alone
		"MÃ¼nchen": "München",
		"plain":    "plain",
		"Ã":        "Ã", // not a valid sequence once re-encoded
	} {
		if got := FixMojibake(in); got != want {
			t.Errorf("FixMojibake(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestGlob(t *testing.T) {
	tests := []struct {
		pat, s string
		want   bool
	}{
		{"VF-3*", "VF-3000", true},
		{"VF-3???", "VF-3000", true},
		{"VF-3???", "VF-30000", false},
		{"*", "", true},
		{"A*B*C", "AxxBxxC", true},
		{"A*B*C", "AxxBxx", false},
		{"VF-3000", "VF-3000", true},
		{"VF-3000", "VF-3001", false},
	}
	for _, tc := range tests {
		if got := Glob(tc.pat, tc.s); got != tc.want {
			t.Errorf("Glob(%q, %q) = %v", tc.pat, tc.s, got)
		}
	}
}

func TestCPEVendorProduct(t *testing.T) {
	for in, want := range map[string]string{
		"cpe:2.3:o:amazon:freertos:10.4.1:*:*:*:*:*:*:*": "amazon:freertos",
		"cpe:/a:redhat:enterprise_linux:8::appstream":    "redhat:enterprise_linux",
		"cpe:2.3:a:*:*:*:*:*:*:*:*:*:*":                  "",
		"not a cpe":                                      "",
	} {
		if got := CPEVendorProduct(in); got != want {
			t.Errorf("CPEVendorProduct(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestCSAFIndexLookups: each lookup finds the statuses by its key, and an
// index without CSAF records answers nothing.

func TestAuthor(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Acme Medical Product Security", "acme medical"},
		{"Acme Medical Product Security Team", "acme medical"},
		{"Acme PSIRT", "acme"},
		{"Gamma Imaging Product Security", "gamma imaging"},
		{"Nordlicht Medizintechnik GmbH", "nordlicht medizintechnik"},
		{"Nordlicht Medizintechnik GmbH Product Security", "nordlicht medizintechnik"},
		{"HELIX IMAGING", "helix imaging"},
		{"Phillips PSIRT", "philips"},
		{"Product Security", ""},
		{"Example Hospital IT Security", "example hospital"},
		{"", ""},
	}
	for _, tc := range tests {
		if got := Author(tc.in); got != tc.want {
			t.Errorf("Author(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestSpeaksFor(t *testing.T) {
	tests := []struct {
		author, org string
		want        bool
	}{
		{"Acme Medical Product Security", "Acme Medical Inc.", true},
		{"Acme PSIRT", "Acme Medical Inc.", true},
		{"Nordlicht Medizintechnik GmbH", "Nordlicht Medizintechnik GmbH", true},
		{"HELIX IMAGING", "Helix Imaging Oy", true},
		{"Acme Medical Product Security", "Nordlicht Medizintechnik GmbH", false},
		{"Acme Robotics", "Acme Medical Inc.", false},
		{"Medical", "Acme Medical Inc.", false},
		{"Acme Medical Product Security", "Acme", false},
		{"Product Security", "Acme Medical Inc.", false},
		{"Acme Medical", "", false},
	}
	for _, tc := range tests {
		if got := SpeaksFor(tc.author, tc.org); got != tc.want {
			t.Errorf("SpeaksFor(%q, %q) = %v, want %v", tc.author, tc.org, got, tc.want)
		}
	}
}
