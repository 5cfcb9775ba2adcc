package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"time"

	"github.com/bomrank/bomrank/db"
	"github.com/bomrank/bomrank/internal/pgp"
	"github.com/bomrank/bomrank/internal/textsafe"
	"github.com/bomrank/bomrank/internal/walk"
	"github.com/spf13/cobra"
)

const dbExportLong = `Write the database as one bundle FILE (a gzip-compressed tar of a manifest,
with the database's digest, schema, build time and sources, and the database
file) to carry it across an air gap; 'bomrank db import FILE' installs it on the
other side. The same database gives the same bytes. With --sign-key, also
write FILE.asc, a detached OpenPGP signature over FILE (an old FILE.asc is
removed when no key is given). FILE and FILE.asc are written beside, then
renamed into place.

Exit status: 0 written; 2 usage error, or not written (the database is
missing or corrupt, the key cannot be read or is protected by a passphrase,
FILE cannot be written).`

func newDBExportCmd(stderr io.Writer, configPath *string) *cobra.Command {
	var (
		path, signKey string
		quiet         bool
	)
	cmd := &cobra.Command{
		Use:   "export FILE [--db PATH] [--sign-key KEYFILE]",
		Short: "Write the database as a bundle (and a signature) to carry across an air gap",
		Long:  dbExportLong,
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			path, err := dbPathOf("db export", path, *configPath)
			if err != nil {
				return err
			}
			return dbExport(cmd.Context(), stderr, path, args[0], signKey, quiet)
		},
	}
	f := cmd.Flags()
	f.StringVar(&path, "db", "", "the database file (default $BOMRANK_DB, else bomrank/db in the user cache directory)")
	f.StringVar(&signKey, "sign-key", "", "OpenPGP private key file (no passphrase) to sign FILE with: writes FILE.asc")
	f.BoolVarP(&quiet, "quiet", "q", false, "no summary on stderr (errors are still printed)")
	return cmd
}

func dbExport(ctx context.Context, stderr io.Writer, path, file, keyFile string, quiet bool) error {
	if sameFile(path, file) {
		return usageErr("db export: FILE %s is the database itself", file)
	}
	opts := db.ExportOptions{Version: moduleVersion(), Now: time.Now().UTC()}
	var sig bytes.Buffer
	if keyFile != "" {
		key, err := walk.ReadFile(keyFile, pgp.MaxKeyBytes)
		if err != nil {
			return usageErr("db export: --sign-key %s: %v", keyFile, walk.UnwrapPath(err))
		}
		opts.SignKey, opts.Signature = key, &sig
	}
	var res *db.ExportResult
	err := walk.WriteFile(file, func(w io.Writer) (err error) {
		res, err = db.Export(ctx, path, w, opts)
		return err
	})
	if err == nil && keyFile != "" {
		err = walk.WriteFile(file+".asc", func(w io.Writer) error { _, err := w.Write(sig.Bytes()); return err })
	}
	if err != nil {
		return &exitError{code: exitUsage, msg: "db export: " + err.Error()}
	}
	if keyFile == "" {
		if err := os.Remove(file + ".asc"); err == nil && !quiet {
			fmt.Fprintf(stderr, "note: removed %s: it signed an older bundle\n", textsafe.Line(file+".asc"))
		}
	}
	if !quiet {
		m := res.Manifest
		fmt.Fprintf(stderr, "exported %s (built %s, %s) to %s", textsafe.Line(path), m.Built.UTC().Format(time.RFC3339), m.Digest, textsafe.Line(file))
		if res.Signer != "" {
			fmt.Fprintf(stderr, ", signed by %s in %s", res.Signer, textsafe.Line(file+".asc"))
		}
		fmt.Fprintln(stderr)
	}
	return nil
}

// sameFile reports whether a and b name one existing file.
func sameFile(a, b string) bool {
	sa, errA := os.Stat(a)
	sb, errB := os.Stat(b)
	return errA == nil && errB == nil && os.SameFile(sa, sb)
}

const dbImportLong = `Install the database of a bundle written by 'bomrank db export', on the
air-gapped side. Before anything is installed: the bundle's layout and bounds
(a manifest and the database, nothing else), the signature FILE.asc when
--trust is given or the configuration file's import.trust lists keys (then
required: made by one of the trusted keys, over FILE's exact bytes), each
member's SHA-256 and the database's digest against the manifest, the database
itself (schema, checksums, every record), and that it was not built before the
installed database (a rollback) unless --allow-older. The database is then
installed as 'db build' writes one: under the same lock, beside the old file,
flushed and renamed into place. 'db status' then prints the digest 'db status'
printed on the exporting side.

Exit status: 0 installed (or already installed: the same digest); 1 refused,
the installed database untouched (not a bundle, truncated, too large, an
unexpected member, a digest mismatch, a corrupt database or one of another
schema inside, no signature or a signature not made by a trusted key over
these bytes, a rollback); 2 usage error, or not installed (FILE or a key
cannot be read, another build or import holds the lock, the directory is
unwritable or the disk full).`

func newDBImportCmd(stderr io.Writer, configPath *string) *cobra.Command {
	var (
		path  string
		trust []string
		older bool
		quiet bool
	)
	cmd := &cobra.Command{
		Use:   "import FILE [--db PATH] [--trust PUBKEYFILE]... [--allow-older]",
		Short: "Verify a bundle written by db export and install its database",
		Long:  dbImportLong,
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			path, err := dbPathOf("db import", path, *configPath)
			if err != nil {
				return err
			}
			keys, err := configuredTrust(*configPath)
			if err != nil {
				return err
			}
			return dbImport(cmd.Context(), stderr, path, args[0], importFlags{trust: append(keys, trust...), allowOlder: older, quiet: quiet})
		},
	}
	f := cmd.Flags()
	f.StringVar(&path, "db", "", "the database file (default $BOMRANK_DB, else bomrank/db in the user cache directory)")
	f.StringArrayVar(&trust, "trust", nil, "OpenPGP public key file whose signature FILE.asc must carry (repeatable, any one of them; added to the configuration file's import.trust)")
	f.BoolVar(&older, "allow-older", false, "install a database built before the installed one")
	f.BoolVarP(&quiet, "quiet", "q", false, "no summary on stderr (errors are still printed)")
	return cmd
}

// configuredTrust is the configuration file's import.trust, relative
// paths made relative to the file's directory.
func configuredTrust(configPath string) ([]string, error) {
	file, err := loadConfig(configPath)
	if err != nil {
		return nil, usageErr("db import: %v", err)
	}
	return configuredPaths(file.Path, file.Import.Trust), nil
}

// importFlags are db import's options besides the paths.
type importFlags struct {
	trust      []string
	allowOlder bool
	quiet      bool
}

func dbImport(ctx context.Context, stderr io.Writer, path, file string, fl importFlags) error {
	opts := db.ImportOptions{Name: file, AllowOlder: fl.allowOlder, Now: time.Now().UTC()}
	for _, k := range fl.trust {
		key, err := walk.ReadFile(k, pgp.MaxKeyBytes)
		if err != nil {
			return usageErr("db import: trusted key %s: %v", k, walk.UnwrapPath(err))
		}
		opts.Trust = append(opts.Trust, key)
	}
	sig, err := walk.ReadFile(file+".asc", pgp.MaxSignatureBytes)
	switch {
	case errors.Is(err, fs.ErrNotExist):
	case err != nil && len(opts.Trust) > 0:
		return &exitError{code: exitFail, msg: fmt.Sprintf("db import: %s: %v", file+".asc", walk.UnwrapPath(err))}
	case err == nil && len(opts.Trust) == 0 && !fl.quiet:
		fmt.Fprintf(stderr, "warning: %s not checked: no --trust key given\n", textsafe.Line(file+".asc"))
	case err == nil:
		opts.Signature = sig
	}
	f, _, err := walk.Open(file, 0)
	if err != nil {
		return usageErr("db import: %s: %v", file, walk.UnwrapPath(err))
	}
	defer f.Close()
	res, err := db.Import(ctx, path, f, opts)
	var be *db.BundleError
	if errors.As(err, &be) {
		return &exitError{code: exitFail, msg: "db import: " + err.Error() + ": the installed database is unchanged"}
	}
	if err != nil {
		return &exitError{code: exitUsage, msg: "db import: " + err.Error()}
	}
	if !fl.quiet {
		printImport(stderr, path, file, res)
	}
	return nil
}

// printImport says what an import installed.
func printImport(stderr io.Writer, path, file string, res *db.ImportResult) {
	m := res.Manifest
	signed := "not signature-checked (no --trust)"
	if res.Signer != "" {
		signed = "signed by " + res.Signer
	}
	if res.Unchanged {
		fmt.Fprintf(stderr, "%s already holds the database of %s (%s): nothing changed; %s\n", textsafe.Line(path), textsafe.Line(file), m.Digest, signed)
		return
	}
	if res.PreviousErr != nil {
		fmt.Fprintf(stderr, "note: replacing a database that could not be opened: %s\n", textsafe.Message(res.PreviousErr.Error()))
	}
	fmt.Fprintf(stderr, "installed %s into %s: built %s by bomrank %s, %s; %s\n", textsafe.Line(file), textsafe.Line(path),
		m.Built.UTC().Format(time.RFC3339), textsafe.Line(m.Version), m.Digest, signed)
	if res.Previous != "" {
		fmt.Fprintf(stderr, "replaced the database built %s (%s)\n", res.PreviousBuilt.UTC().Format(time.RFC3339), res.Previous)
	}
}
