// Package pgp is bomrank's one door to OpenPGP: reading public and
// private keys, checking detached signatures (CSAF documents' .asc
// files, signed database bundles) and writing them. It wraps
// github.com/ProtonMail/go-crypto/openpgp, the maintained fork of
// x/crypto/openpgp, so that every signature check in bomrank applies the
// same rules: a signature must be made by one of the given keys, by a
// key that is neither expired nor revoked at the signature's time, and
// over exactly the given bytes; armored and binary forms are both read.
package pgp
