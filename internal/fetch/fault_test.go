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

// counted serves h over TLS and counts the requests.
func counted(t *testing.T, h http.HandlerFunc) (*httptest.Server, *atomic.Int32, *Client) {
	t.Helper()
	var n atomic.Int32
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		h(w, r)
	}))
	t.Cleanup(srv.Close)
	hc := srv.Client()
	hc.CheckRedirect = CheckRedirect
	return srv, &n, &Client{HTTP: hc, Sleep: noSleep, Retries: 2}
}

func TestFaults(t *testing.T) {
	srv, n, c := counted(t, func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/404":
			http.NotFound(w, r)
		case "/503":
			w.WriteHeader(http.StatusServiceUnavailable)
		case "/429-long":
			w.Header().Set("Retry-After", "3600")
			w.WriteHeader(http.StatusTooManyRequests)
		case "/403":
			w.WriteHeader(http.StatusForbidden)
		case "/loop":
			http.Redirect(w, r, "/loop", http.StatusFound)
		case "/304":
			w.WriteHeader(http.StatusNotModified)
		}
	})
	for _, tc := range []struct {
		path, want string
		retryOn    []int
		requests   int32
	}{
		{"/404", "HTTP 404: Not Found", nil, 1},              // not retried
		{"/503", "HTTP 503: Service Unavailable", nil, 3},    // retried twice
		{"/429-long", "server asks to wait 1h0m0s", nil, 1},  // past MaxWait: no wait
		{"/403", "HTTP 403", nil, 1},                         // not retried by default
		{"/403", "HTTP 403", []int{http.StatusForbidden}, 3}, // RetryOn
		{"/loop", "stopped after 10 redirects", nil, 10},     // not retried
		{"/304", "not modified, but the request was not conditional", nil, 1},
	} {
		n.Store(0)
		_, err := c.Get(context.Background(), Request{URL: srv.URL + tc.path, RetryOn: tc.retryOn})
		if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), srv.URL) {
			t.Errorf("%s: %v, want %q naming the URL", tc.path, err, tc.want)
		}
		if got := n.Load(); got != tc.requests {
			t.Errorf("%s: %d requests, want %d", tc.path, got, tc.requests)
		}
	}
}

func TestCutBodyRetried(t *testing.T) {
	var cut atomic.Bool
	srv, n, c := counted(t, func(w http.ResponseWriter, r *http.Request) {
		if !cut.Swap(true) {
			// A chunked body whose connection dies mid-way.
			w.Write([]byte("partial"))
			w.(http.Flusher).Flush()
			conn, _, err := http.NewResponseController(w).Hijack()
			if err == nil {
				conn.Close()
			}
			return
		}
		w.Write([]byte("complete body"))
	})
	dest := filepath.Join(t.TempDir(), "f")
	if _, err := c.Download(context.Background(), Request{URL: srv.URL + "/f"}, dest, nil); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(dest); string(b) != "complete body" || n.Load() != 2 {
		t.Errorf("got %q after %d requests", b, n.Load())
	}
}

func TestSlowServerDeadline(t *testing.T) {
	release := make(chan struct{})
	srv, _, c := counted(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", "100")
		w.Write([]byte("x"))
		w.(http.Flusher).Flush()
		select {
		case <-release:
		case <-r.Context().Done():
		}
	})
	defer close(release)
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	dest := filepath.Join(t.TempDir(), "f")
	_, err := c.Download(ctx, Request{URL: srv.URL + "/slow"}, dest, nil)
	if err == nil || !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), srv.URL) {
		t.Errorf("%v, want the deadline naming the URL", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("took %s after a 200ms deadline", d)
	}
	if _, err := os.Stat(dest); !os.IsNotExist(err) {
		t.Error("a file was stored")
	}
}

func TestDowngradeRedirectRefused(t *testing.T) {
	plain := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("evil")) }))
	defer plain.Close()
	srv, _, c := counted(t, func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, plain.URL+"/x", http.StatusFound)
	})
	_, err := c.Get(context.Background(), Request{URL: srv.URL})
	if err == nil || !strings.Contains(err.Error(), "from https to http") {
		t.Errorf("%v, want the downgrade refused", err)
	}
}

func TestHeadAndVerifiedDownload(t *testing.T) {
	srv, n, c := counted(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("ETag", `"e1"`)
		w.Header().Add("X-Goog-Hash", "crc32c=AAAAAA==")
		w.Header().Add("X-Goog-Hash", "md5=BBBB")
		if r.Header.Get("If-None-Match") == `"e1"` {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Write([]byte("body"))
	})
	resp, err := c.Head(context.Background(), Request{URL: srv.URL})
	if err != nil || resp.ETag != `"e1"` || resp.GoogHash != "crc32c=AAAAAA==,md5=BBBB" || resp.Size != 4 || resp.Body != nil {
		t.Fatalf("head: %+v %v", resp, err)
	}
	resp, err = c.Head(context.Background(), Request{URL: srv.URL, ETag: `"e1"`})
	if err != nil || !resp.NotModified {
		t.Fatalf("conditional head: %+v %v", resp, err)
	}
	dest := filepath.Join(t.TempDir(), "f")
	var seen string
	_, err = c.DownloadVerified(context.Background(), Request{URL: srv.URL}, dest, func(path string, r *Response) error {
		seen = r.GoogHash
		return errors.New("crc32c mismatch")
	})
	if err == nil || seen == "" {
		t.Errorf("check saw %q, err %v", seen, err)
	}
	if _, err := os.Stat(dest); !os.IsNotExist(err) {
		t.Error("a refused file was stored")
	}
	if n.Load() != 3 {
		t.Errorf("%d requests, want 3", n.Load())
	}
}

// TestBadURLNotRetried: a URL no retry can mend fails at once, named.
func TestBadURLNotRetried(t *testing.T) {
	slept := 0
	c := &Client{Sleep: func(context.Context, time.Duration) error { slept++; return nil }}
	for _, u := range []string{"file:///etc/passwd", "http://[::1", "ftp://example.com/x"} {
		_, err := c.Get(context.Background(), Request{URL: u})
		if err == nil || !strings.Contains(err.Error(), u) {
			t.Errorf("%s: %v", u, err)
		}
	}
	if slept != 0 {
		t.Errorf("%d retries of URLs that cannot work", slept)
	}
}

// TestStalledBodyCancelled: a body that stops coming is cancelled after
// StallTimeout (no deadline needed), retried, and named when it stalls
// again; a slow body that keeps coming is not.
func TestStalledBodyCancelled(t *testing.T) {
	release := make(chan struct{})
	defer close(release)
	srv, n, c := counted(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", "4")
		if r.URL.Path == "/trickle" {
			for _, b := range []byte("abcd") {
				w.Write([]byte{b})
				w.(http.Flusher).Flush()
				time.Sleep(40 * time.Millisecond)
			}
			return
		}
		w.Write([]byte("a"))
		w.(http.Flusher).Flush()
		select {
		case <-release:
		case <-r.Context().Done():
		}
	})
	c.StallTimeout = 100 * time.Millisecond
	_, err := c.Get(context.Background(), Request{URL: srv.URL + "/stall"})
	if err == nil || !strings.Contains(err.Error(), "stalled: no data for 100ms") || !strings.Contains(err.Error(), srv.URL) || n.Load() != 3 {
		t.Errorf("%v after %d requests, want stalled, named, 3 requests", err, n.Load())
	}
	resp, err := c.Get(context.Background(), Request{URL: srv.URL + "/trickle"})
	if err != nil || string(resp.Body) != "abcd" {
		t.Errorf("trickle: %v", err)
	}
}
