package report

import (
	"bytes"
	"context"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestHTMLRendersInChromium renders the HTML report of the status scan
// and of the sample fleet in headless Chromium (Debian's chromium
// package) and checks that a full-size, non-blank screenshot comes out.
// It skips when chromium is not installed; scripts/render-html.sh makes
// the same screenshot for a person to look at.
func TestHTMLRendersInChromium(t *testing.T) {
	bin := chromiumBinary(t)
	dir := t.TempDir()
	for name, s := range map[string]*Scan{"statuses": statusScan(), "fleet": fleetScan(t), "disclosed": disclosedFleetScan(t)} {
		page := filepath.Join(dir, name+".html")
		var buf bytes.Buffer
		if err := HTML(&buf, s, testOptions); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(page, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		renderInChromium(t, bin, page, dir)
	}
}

// chromiumBinary is the Chromium to render with; the test skips without
// one, and under -short.
func chromiumBinary(t *testing.T) string {
	t.Helper()
	bin := ""
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			bin = p
			break
		}
	}
	if bin == "" {
		t.Skip("chromium not installed (apt-get install chromium)")
	}
	if testing.Short() {
		t.Skip("-short")
	}
	return bin
}

// renderInChromium takes a 1280x2000 screenshot of the page in headless
// Chromium, checks that it is not blank, and returns how long Chromium
// took, start to exit.
func renderInChromium(t *testing.T, bin, page, dir string) time.Duration {
	t.Helper()
	name := strings.TrimSuffix(filepath.Base(page), ".html")
	shot := filepath.Join(dir, name+".png")
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--user-data-dir="+filepath.Join(dir, "profile-"+name), "--screenshot="+shot, "--window-size=1280,2000", "file://"+page)
	start := time.Now()
	out, err := cmd.CombinedOutput()
	took := time.Since(start)
	if err != nil {
		t.Fatalf("%s: chromium: %v\n%s", name, err, out)
	}
	f, err := os.Open(shot)
	if err != nil {
		t.Fatalf("%s: no screenshot: %v\n%s", name, err, out)
	}
	img, err := png.Decode(f)
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	if b := img.Bounds(); b.Dx() != 1280 || b.Dy() != 2000 {
		t.Errorf("%s: screenshot %v", name, b)
	}
	if colours := distinctColours(img); colours < 50 && name != "blank" {
		t.Errorf("%s: the page looks blank (%d colours)", name, colours)
	}
	return took
}

func distinctColours(img image.Image) int {
	seen := map[uint32]bool{}
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y += 4 {
		for x := b.Min.X; x < b.Max.X; x += 4 {
			r, g, bl, _ := img.At(x, y).RGBA()
			seen[(r>>8)<<16|(g>>8)<<8|bl>>8] = true
		}
	}
	return len(seen)
}
