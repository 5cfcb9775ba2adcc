package report_test

import (
	"bufio"
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/bomrank/bomrank/report"
	"github.com/bomrank/bomrank/scan"
)

// TestHTMLBenchRendersInChromium renders the HTML report of the 200-device
// benchmark workload (BOMRANK_BENCH, default /tmp/bench: about 82,000
// findings) in headless Chromium, part of the Chromium test of
// TestHTMLRendersInChromium: the page must take under 5 s on top of what
// Chromium takes for a blank page (its own start, measured just before:
// on a shared machine it varies more than the page does). It skips
// without Chromium or without the workload.
func TestHTMLBenchRendersInChromium(t *testing.T) {
	bin := report.ChromiumBinary(t)
	dir := os.Getenv("BOMRANK_BENCH")
	if dir == "" {
		dir = "/tmp/bench"
	}
	if _, err := os.Stat(filepath.Join(dir, "osv")); err != nil {
		t.Skipf("no benchmark workload at %s: run python3 ../shared/bench/gen.py %s", dir, dir)
	}
	s, err := scan.Run(context.Background(), scan.Config{SBOMs: []string{filepath.Join(dir, "sboms")},
		Advisories: []string{filepath.Join(dir, "osv")}, AsOf: time.Date(2026, 12, 7, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Results) < 200 {
		t.Fatalf("%d devices, want 200", len(s.Results))
	}
	tmp := t.TempDir()
	page := filepath.Join(tmp, "bench.html")
	writePage(t, page, func(w *bufio.Writer) error { return report.HTML(w, s, report.Options{AsOf: s.AsOf}) })
	blank := filepath.Join(tmp, "blank.html")
	writePage(t, blank, func(w *bufio.Writer) error {
		_, err := w.WriteString("<!DOCTYPE html><title>blank</title>")
		return err
	})
	start := report.RenderInChromium(t, bin, blank, tmp)
	took := report.RenderInChromium(t, bin, page, tmp)
	st, _ := os.Stat(page)
	t.Logf("%d devices, %d MB of HTML: Chromium %v (a blank page %v)", len(s.Results), st.Size()>>20, took.Round(time.Millisecond), start.Round(time.Millisecond))
	if took-start > 5*time.Second {
		t.Errorf("the 200-device report took %v in Chromium, %v more than a blank page (limit 5s)", took, took-start)
	}
}

func writePage(t *testing.T, path string, write func(*bufio.Writer) error) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriter(f)
	if err := write(w); err != nil {
		t.Fatal(err)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}
