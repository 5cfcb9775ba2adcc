package pgp

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/bomrank/bomrank/internal/sharedtest"
)

var fixedNow = time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)

func TestSignVerify(t *testing.T) {
	signer, err := Generate("Test PSIRT", "psirt@example.test", fixedNow)
	if err != nil {
		t.Fatal(err)
	}
	other, err := Generate("Other", "other@example.test", fixedNow)
	if err != nil {
		t.Fatal(err)
	}
	msg := []byte(`{"document":{"title":"signed"}}`)
	var sig bytes.Buffer
	if err := signer.Sign(&sig, bytes.NewReader(msg), fixedNow); err != nil {
		t.Fatal(err)
	}
	pub, err := signer.Public()
	if err != nil {
		t.Fatal(err)
	}
	verifier, err := ReadKeys(pub)
	if err != nil {
		t.Fatal(err)
	}
	fp, err := verifier.Verify(bytes.NewReader(msg), sig.Bytes(), fixedNow)
	if err != nil {
		t.Fatalf("good signature refused: %v", err)
	}
	if fp != signer.Fingerprints()[0] || len(fp) != 40 {
		t.Errorf("signer %q, want %q", fp, signer.Fingerprints()[0])
	}
	if _, err := verifier.Verify(strings.NewReader(string(msg)+" "), sig.Bytes(), fixedNow); err == nil || !strings.Contains(err.Error(), "bad signature") {
		t.Errorf("tampered bytes: %v", err)
	}
	otherPub, _ := other.Public()
	otherKeys, _ := ReadKeys(otherPub)
	if _, err := otherKeys.Verify(bytes.NewReader(msg), sig.Bytes(), fixedNow); err == nil || !strings.Contains(err.Error(), "not trusted") {
		t.Errorf("other key: %v", err)
	}
	if verifier.Only(strings.ToLower(fp[:4]+" "+fp[4:])) == nil || verifier.Only(otherKeys.Fingerprints()[0]) != nil {
		t.Error("Only does not select by fingerprint")
	}
}

func TestPrivateRoundTrip(t *testing.T) {
	k, err := Generate("T", "t@example.test", fixedNow)
	if err != nil {
		t.Fatal(err)
	}
	priv, err := k.Private()
	if err != nil {
		t.Fatal(err)
	}
	back, err := ReadKeys(priv)
	if err != nil {
		t.Fatal(err)
	}
	var sig bytes.Buffer
	if err := back.Sign(&sig, strings.NewReader("x"), fixedNow); err != nil {
		t.Fatal(err)
	}
	if _, err := k.Verify(strings.NewReader("x"), sig.Bytes(), fixedNow); err != nil {
		t.Fatal(err)
	}
	pubOnly, _ := k.Public()
	pk, _ := ReadKeys(pubOnly)
	if err := pk.Sign(&sig, strings.NewReader("x"), fixedNow); err == nil {
		t.Error("signed with a public key")
	}
}

// TestRealCISASignature reads CISA's real detached signatures: they parse,
// and a key other than CISA's is refused as untrusted (CISA's key is not in
// ../shared).
func TestRealCISASignature(t *testing.T) {
	dir := sharedtest.Path(t, "csaf-distribution", "cisagov-CSAF", "csaf_files", "OT", "white", "2023")
	ascs, _ := filepath.Glob(filepath.Join(dir, "*.json.asc"))
	if len(ascs) == 0 {
		t.Skip("no .asc files")
	}
	k, _ := Generate("T", "t@example.test", fixedNow)
	for _, a := range ascs {
		sig, err := os.ReadFile(a)
		if err != nil {
			t.Fatal(err)
		}
		_, err = k.Verify(strings.NewReader("{}"), sig, fixedNow)
		if err == nil || !strings.Contains(err.Error(), "not trusted") {
			t.Errorf("%s: %v", filepath.Base(a), err)
		}
	}
}

func TestReadKeysRefuses(t *testing.T) {
	for _, in := range []string{"", "not a key", "-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nAAAA\n-----END PGP PUBLIC KEY BLOCK-----\n", strings.Repeat("x", MaxKeyBytes+1)} {
		if _, err := ReadKeys([]byte(in)); err == nil {
			t.Errorf("%.20q accepted", in)
		}
	}
}
