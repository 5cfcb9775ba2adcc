package pgp

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/ProtonMail/go-crypto/openpgp"
	"github.com/ProtonMail/go-crypto/openpgp/armor"
	pgperrors "github.com/ProtonMail/go-crypto/openpgp/errors"
	"github.com/ProtonMail/go-crypto/openpgp/packet"
)

// MaxKeyBytes caps a key file; MaxSignatureBytes a detached signature.
const (
	MaxKeyBytes       = 1 << 20
	MaxSignatureBytes = 64 << 10
)

// ErrNoKeys is returned when a key file holds no usable key.
var ErrNoKeys = errors.New("no OpenPGP key found")

// Keys is a set of OpenPGP keys (public, or private for signing).
type Keys struct {
	list openpgp.EntityList
}

// ReadKeys reads one or more keys, armored ("-----BEGIN PGP ...") or
// binary. It fails on anything else, on more than MaxKeyBytes, and when
// no key is found.
func ReadKeys(data []byte) (*Keys, error) {
	if len(data) > MaxKeyBytes {
		return nil, fmt.Errorf("key file larger than %d bytes", MaxKeyBytes)
	}
	var (
		list openpgp.EntityList
		err  error
	)
	if bytes.Contains(data[:min(len(data), 1024)], []byte("-----BEGIN PGP")) {
		list, err = openpgp.ReadArmoredKeyRing(bytes.NewReader(data))
	} else {
		list, err = openpgp.ReadKeyRing(bytes.NewReader(data))
	}
	if err != nil {
		return nil, fmt.Errorf("reading OpenPGP key: %w", err)
	}
	if len(list) == 0 {
		return nil, ErrNoKeys
	}
	return &Keys{list: list}, nil
}

// Fingerprints lists the primary keys' fingerprints, upper-case hex
// without spaces, in the order read.
func (k *Keys) Fingerprints() []string {
	out := make([]string, 0, len(k.list))
	for _, e := range k.list {
		out = append(out, fingerprint(e))
	}
	return out
}

// Only returns the keys whose primary fingerprint matches fp (spaces and
// case ignored; a full fingerprint, never a short key ID), or nil when
// none does.
func (k *Keys) Only(fp string) *Keys {
	want := NormalizeFingerprint(fp)
	for _, e := range k.list {
		if fingerprint(e) == want {
			return &Keys{list: openpgp.EntityList{e}}
		}
	}
	return nil
}

// NormalizeFingerprint upper-cases fp and drops spaces and colons.
func NormalizeFingerprint(fp string) string {
	r := strings.NewReplacer(" ", "", ":", "", "\t", "")
	return strings.ToUpper(r.Replace(fp))
}

func fingerprint(e *openpgp.Entity) string {
	return fmt.Sprintf("%X", e.PrimaryKey.Fingerprint)
}

// Verify checks the detached signature sig (armored or binary) over the
// bytes of signed against the keys. It returns the fingerprint of the
// primary key that made it. A signature by a key not in the set, over
// other bytes, or by a key expired or revoked at now is an error saying
// which (the library never reads the clock: now is the caller's).
func (k *Keys) Verify(signed io.Reader, sig []byte, now time.Time) (string, error) {
	if len(sig) > MaxSignatureBytes {
		return "", fmt.Errorf("signature larger than %d bytes", MaxSignatureBytes)
	}
	var (
		signer *openpgp.Entity
		err    error
		cfg    = &packet.Config{Time: func() time.Time { return now }}
	)
	if bytes.Contains(sig[:min(len(sig), 1024)], []byte("-----BEGIN PGP")) {
		signer, err = openpgp.CheckArmoredDetachedSignature(k.list, signed, bytes.NewReader(sig), cfg)
	} else {
		signer, err = openpgp.CheckDetachedSignature(k.list, signed, bytes.NewReader(sig), cfg)
	}
	if err != nil {
		return "", describe(err)
	}
	return fingerprint(signer), nil
}

// describe turns go-crypto's errors into what a user reads.
func describe(err error) error {
	switch {
	case errors.Is(err, pgperrors.ErrUnknownIssuer):
		return errors.New("signature made by a key that is not trusted")
	case errors.Is(err, pgperrors.ErrSignatureExpired):
		// go-crypto says so too of a signature made after now: on an
		// air-gapped machine that is often a clock running behind.
		return errors.New("signature expired, or made after now (is this machine's clock behind?)")
	case errors.Is(err, pgperrors.ErrKeyExpired):
		return errors.New("signing key expired")
	case errors.Is(err, pgperrors.ErrKeyRevoked):
		return errors.New("signing key revoked")
	}
	var se pgperrors.SignatureError
	if errors.As(err, &se) {
		return fmt.Errorf("bad signature: %v", err)
	}
	return fmt.Errorf("signature check failed: %v", err)
}

// Sign writes an armored detached signature over the bytes of signed
// with the first key that holds a usable private key, dated now.
func (k *Keys) Sign(w io.Writer, signed io.Reader, now time.Time) error {
	for _, e := range k.list {
		if e.PrivateKey == nil {
			continue
		}
		if e.PrivateKey.Encrypted {
			return errors.New("signing key is protected by a passphrase; export it without one for bomrank")
		}
		return openpgp.ArmoredDetachSign(w, e, signed, &packet.Config{Time: func() time.Time { return now }})
	}
	return errors.New("no private key to sign with")
}

// Public returns the armored public part of the keys (what a signer
// hands to those who verify).
func (k *Keys) Public() ([]byte, error) {
	var buf bytes.Buffer
	w, err := armor.Encode(&buf, openpgp.PublicKeyType, nil)
	if err != nil {
		return nil, err
	}
	for _, e := range k.list {
		if err := e.Serialize(w); err != nil {
			return nil, err
		}
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// Generate makes a new Ed25519 signing key for name, created at now
// (tests, and `db export` users who have none).
func Generate(name, email string, now time.Time) (*Keys, error) {
	cfg := &packet.Config{Time: func() time.Time { return now }, Algorithm: packet.PubKeyAlgoEdDSA}
	e, err := openpgp.NewEntity(name, "", email, cfg)
	if err != nil {
		return nil, err
	}
	return &Keys{list: openpgp.EntityList{e}}, nil
}

// Private returns the armored private key (to store a generated key).
func (k *Keys) Private() ([]byte, error) {
	var buf bytes.Buffer
	w, err := armor.Encode(&buf, openpgp.PrivateKeyType, nil)
	if err != nil {
		return nil, err
	}
	for _, e := range k.list {
		if err := e.SerializePrivate(w, nil); err != nil {
			return nil, err
		}
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// Join returns the keys of k and then of o in one set (k may be nil:
// the set of o).
func (k *Keys) Join(o *Keys) *Keys {
	if k == nil {
		return o
	}
	list := append(append(openpgp.EntityList{}, k.list...), o.list...)
	return &Keys{list: list}
}
