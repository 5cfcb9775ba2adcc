package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"

	"github.com/bomrank/bomrank/internal/textsafe"
	"github.com/spf13/cobra"
)

// Exit codes. They are documented in the README and are a contract.
const (
	exitOK      = 0
	exitFail    = 1 // --fail-on: a device reaches the threshold
	exitUsage   = 2 // usage error, or nothing readable
	exitPartial = 3 // some inputs skipped; each named on stderr and in "errors"
)

// exitError carries an exit code out of a command.
type exitError struct {
	code int
	msg  string
}

func (e *exitError) Error() string { return e.msg }

func usageErr(format string, args ...any) error {
	return &exitError{code: exitUsage, msg: fmt.Sprintf(format, args...)}
}

// main runs with Go's default GOGC (100). GOGC=200 saved about a tenth
// of the CPU of a scan of files, but through the database at 600k
// records the peak is set by the heap goal while matching fills the
// findings: 2.01 GiB at 200, 1.93 GiB at 150, 1.86 GiB at 100 (December
// 2026, `scan --db` of the 600k benchmark, -f json, same binary), against
// a target of 2 GiB; at 100k the peak is the same at 100 and 200 (290
// MiB). GOGC in the environment still applies.
func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run executes the CLI and returns the process exit code. It never lets a
// panic reach the user as a stack trace.
func run(args []string, stdout, stderr io.Writer) (code int) {
	defer func() {
		if p := recover(); p != nil {
			fmt.Fprintf(stderr, "bomrank: internal error: %s (please report this)\n", textsafe.Message(fmt.Sprint(p)))
			code = exitUsage
		}
	}()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	root := newRoot(stdout, stderr)
	root.SetArgs(args)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return exitOK
	}
	var ee *exitError
	if errors.As(err, &ee) {
		if ee.msg != "" {
			fmt.Fprintf(stderr, "bomrank: %s\n", textsafe.Message(ee.msg))
		}
		return ee.code
	}
	// Anything cobra reports itself (unknown flag or command, bad
	// argument) is a usage error.
	fmt.Fprintf(stderr, "bomrank: %s\n", textsafe.Message(err.Error()))
	fmt.Fprintf(stderr, "Run 'bomrank --help' for usage.\n")
	return exitUsage
}

func newRoot(stdout, stderr io.Writer) *cobra.Command {
	root := &cobra.Command{
		Use:   "bomrank",
		Short: "Rank a fleet of medical devices for patching from their SBOMs and advisories",
		Long: `bomrank joins device SBOMs (CycloneDX, SPDX) with advisories (OSV, CSAF, NVD,
VEX, KEV, EPSS) and answers: which devices do we patch first, and why?
Everything works offline: every feed is a local file or directory.`,
		SilenceUsage:  true,
		SilenceErrors: true,
		Version:       moduleVersion(),
	}
	// --version prints what `bomrank version` prints first.
	root.SetVersionTemplate("bomrank {{.Version}}\n")
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.AddCommand(newSBOMCmd(stdout, stderr), newScanCmd(stdout, stderr), newDBCmd(stdout, stderr), newVersionCmd(stdout))
	return root
}
