package main

import (
	"fmt"
	"io"
	"runtime/debug"
	"sort"

	"github.com/spf13/cobra"
)

// toolVersion overrides the version written into reports (the tests set
// it, so that golden files do not depend on how the binary was built).
var toolVersion string

// moduleVersion is bomrank's version from the build information
// (buildVersion); the tests set toolVersion instead.
func moduleVersion() string {
	if toolVersion != "" {
		return toolVersion
	}
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "(devel)"
	}
	return buildVersion(bi)
}

// buildVersion is the version a build says it is: the module version
// (a tag for `go install ...@v1.2.3`, or the pseudo-version the go
// command stamps from the VCS), else the VCS revision and time of a
// build from a checkout ("(devel) 3e67d2f1a2b3 2026-12-07T10:00:00Z",
// "+dirty" when it had changes), else "(devel)".
func buildVersion(bi *debug.BuildInfo) string {
	if v := bi.Main.Version; v != "" && v != "(devel)" {
		return v
	}
	var rev, when, dirty string
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.time":
			when = s.Value
		case "vcs.modified":
			if s.Value == "true" {
				dirty = "+dirty"
			}
		}
	}
	if rev == "" {
		return "(devel)"
	}
	v := "(devel) " + rev[:min(12, len(rev))] + dirty
	if when != "" {
		v += " " + when
	}
	return v
}

func newVersionCmd(stdout io.Writer) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print bomrank's version and the versions of the modules it was built with",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			bi, ok := debug.ReadBuildInfo()
			if !ok {
				fmt.Fprintf(stdout, "bomrank %s\n(no build information)\n", moduleVersion())
				return nil
			}
			fmt.Fprintf(stdout, "bomrank %s\n", moduleVersion())
			fmt.Fprintf(stdout, "module %s\n", bi.Main.Path)
			fmt.Fprintf(stdout, "go %s\n", bi.GoVersion)
			for _, s := range bi.Settings {
				switch s.Key {
				case "vcs.revision", "vcs.time", "vcs.modified":
					fmt.Fprintf(stdout, "%s %s\n", s.Key, s.Value)
				}
			}
			deps := append([]*debug.Module(nil), bi.Deps...)
			sort.Slice(deps, func(i, j int) bool { return deps[i].Path < deps[j].Path })
			if len(deps) > 0 {
				fmt.Fprintln(stdout, "dependencies:")
			}
			for _, d := range deps {
				line := "  " + d.Path + " " + d.Version
				if d.Replace != nil {
					line += " => " + d.Replace.Path + " " + d.Replace.Version
				}
				fmt.Fprintln(stdout, line)
			}
			return nil
		},
	}
}
