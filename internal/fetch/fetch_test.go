package fetch

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func noSleep(context.Context, time.Duration) error { return nil }

func TestRetryThenConditional(t *testing.T) {
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch n := calls.Add(1); {
		case n == 1:
			w.Header().Set("Retry-After", "3")
			w.WriteHeader(http.StatusTooManyRequests)
		case n == 2:
			w.WriteHeader(http.StatusServiceUnavailable)
		case r.Header.Get("If-None-Match") == `"v1"`:
			w.WriteHeader(http.StatusNotModified)
		default:
			w.Header().Set("ETag", `"v1"`)
			w.Write([]byte("payload"))
		}
	}))
	defer srv.Close()
	var waits []time.Duration
	c := &Client{Sleep: func(_ context.Context, d time.Duration) error { waits = append(waits, d); return nil }}
	resp, err := c.Get(context.Background(), Request{URL: srv.URL})
	if err != nil || string(resp.Body) != "payload" || resp.ETag != `"v1"` {
		t.Fatalf("%+v %v", resp, err)
	}
	if len(waits) != 2 || waits[0] != 3*time.Second || waits[1] != 6*time.Second {
		t.Errorf("waits %v, want [3s 6s] (Retry-After, then doubled)", waits)
	}
	resp, err = c.Get(context.Background(), Request{URL: srv.URL, ETag: resp.ETag})
	if err != nil || !resp.NotModified || resp.Body != nil {
		t.Errorf("conditional: %+v %v", resp, err)
	}
}

func TestDownloadKeepsOldOnFailure(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/cut":
			w.Header().Set("Content-Length", "100")
			w.Write([]byte("short"))
		case "/missing":
			http.NotFound(w, r)
		default:
			w.Write([]byte("new content"))
		}
	}))
	defer srv.Close()
	dest := filepath.Join(t.TempDir(), "feed.json")
	os.WriteFile(dest, []byte("old"), 0o644)
	c := &Client{Sleep: noSleep, Retries: 1}
	refuse := func(string) error { return errors.New("hash mismatch") }
	for _, tc := range []struct {
		path  string
		check func(string) error
		want  string
	}{{"/cut", nil, "cut short"}, {"/missing", nil, "HTTP 404"}, {"/ok", refuse, "hash mismatch"}} {
		_, err := c.Download(context.Background(), Request{URL: srv.URL + tc.path}, dest, tc.check)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want %q", tc.path, err, tc.want)
		}
		if b, _ := os.ReadFile(dest); string(b) != "old" {
			t.Errorf("%s replaced the old file: %q", tc.path, b)
		}
		if _, err := os.Stat(dest + ".part"); !os.IsNotExist(err) {
			t.Errorf("%s left its part file", tc.path)
		}
	}
	if _, err := c.Download(context.Background(), Request{URL: srv.URL + "/ok"}, dest, nil); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(dest); string(b) != "new content" {
		t.Errorf("got %q", b)
	}
}

func TestTooLarge(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(strings.Repeat("x", 1000)))
	}))
	defer srv.Close()
	c := &Client{Sleep: noSleep}
	_, err := c.Get(context.Background(), Request{URL: srv.URL, MaxBytes: 10})
	if !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), srv.URL) {
		t.Errorf("%v", err)
	}
}
