package fetch

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// A host that refuses connections is tried with every retry once; later
// requests to it in the same run fail at once, naming the first error,
// and other hosts are still asked.
func TestUnreachableHostFailsFast(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	dead := "http://" + ln.Addr().String()
	ln.Close() // connections are now refused
	live := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("ok")) }))
	defer live.Close()
	var waits atomic.Int32
	c := &Client{Retries: 2, Sleep: func(context.Context, time.Duration) error { waits.Add(1); return nil }}
	if _, err := c.Get(context.Background(), Request{URL: dead + "/a"}); err == nil || !strings.Contains(err.Error(), "connection refused") {
		t.Fatalf("first request: %v", err)
	}
	if waits.Load() != 2 {
		t.Errorf("%d waits before giving up, want 2 (Retries)", waits.Load())
	}
	copied := *c // a copy shares what the original learnt
	_, err = copied.Get(context.Background(), Request{URL: dead + "/b"})
	if err == nil || !strings.Contains(err.Error(), "unreachable earlier in this run") || !strings.Contains(err.Error(), dead+"/b") || waits.Load() != 2 {
		t.Errorf("second request: %v after %d waits", err, waits.Load())
	}
	if resp, err := c.Get(context.Background(), Request{URL: live.URL}); err != nil || string(resp.Body) != "ok" {
		t.Errorf("another host: %v", err)
	}
}

// A host name that does not exist is not retried.
func TestHostNotFoundNotRetried(t *testing.T) {
	tr := &http.Transport{DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
		return nil, &net.DNSError{Err: "no such host", Name: "feeds.example", IsNotFound: true}
	}}
	var waits atomic.Int32
	c := &Client{HTTP: &http.Client{Transport: tr}, Sleep: func(context.Context, time.Duration) error { waits.Add(1); return nil }}
	_, err := c.Get(context.Background(), Request{URL: "https://feeds.example/kev.json"})
	if err == nil || !strings.Contains(err.Error(), "no such host") || waits.Load() != 0 {
		t.Errorf("%v after %d waits, want no retry", err, waits.Load())
	}
}
