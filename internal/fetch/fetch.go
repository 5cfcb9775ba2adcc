package fetch

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/bomrank/bomrank/internal/walk"
)

// Defaults of a Client.
const (
	DefaultRetries   = 4
	DefaultBackoff   = time.Second
	DefaultMaxWait   = 2 * time.Minute
	DefaultMaxBytes  = 64 << 20 // Get
	DefaultMaxFile   = 4 << 30  // Download
	DefaultRedirects = 10
	DefaultStall     = 2 * time.Minute
)

// Client fetches over HTTP(S). The zero value is ready to use.
type Client struct {
	// HTTP is the client used; nil means one that honours the proxy
	// environment (HTTPS_PROXY, NO_PROXY), times out a request that
	// sends no headers in 60 s, and stops after DefaultRedirects
	// redirects.
	HTTP *http.Client
	// Retries is how many times a failed request is tried again
	// (network error, 408, 429, 5xx); 0 means DefaultRetries, a
	// negative value none.
	Retries int
	// Backoff is the first wait between tries, doubled each time;
	// a Retry-After header replaces it. No wait exceeds MaxWait
	// (a longer Retry-After fails the request at once).
	Backoff, MaxWait time.Duration
	// Sleep waits d or until ctx ends (tests shorten it); nil sleeps.
	Sleep func(ctx context.Context, d time.Duration) error
	// UserAgent is sent with every request.
	UserAgent string
	// Progress, when set, is told how a body download goes (total -1
	// when the server did not say).
	Progress func(url string, done, total int64)
	// StallTimeout cancels a request whose body brings no byte for that
	// long (then retried like a network error); 0 means DefaultStall.
	// Without it a server that stops sending would hold an update for
	// ever.
	StallTimeout time.Duration
	// unreachable holds the hosts found unreachable in this run (see
	// hosts.go); created on first use, shared by copies.
	unreachable *hosts
}

// Request is one GET.
type Request struct {
	URL string
	// ETag and LastModified, when set, make the request conditional
	// (If-None-Match, If-Modified-Since): a 304 answer is
	// Response.NotModified.
	ETag, LastModified string
	// MaxBytes caps the body; 0 means DefaultMaxBytes for Get and
	// DefaultMaxFile for Download.
	MaxBytes int64
	// Header holds extra request headers (an API key).
	Header http.Header
	// RetryOn lists statuses retried besides 408, 429 and 5xx (NVD's
	// API answers 403 when its rate limit is passed).
	RetryOn []int
}

// Response is what a GET returned.
type Response struct {
	// URL is the final URL, after redirects.
	URL string
	// Status is the HTTP status code.
	Status int
	// NotModified is true for a 304 answer to a conditional request.
	NotModified bool
	// ETag and LastModified are the validators the server sent.
	ETag, LastModified string
	// GoogHash holds the x-goog-hash header values (Google Cloud
	// Storage: "crc32c=...,md5=...").
	GoogHash string
	// Body is the body (Get only).
	Body []byte
	// Size is the body's length in bytes.
	Size int64
}

// Error is a failed fetch; it names the URL.
type Error struct {
	URL    string
	Status int // 0 when no HTTP answer
	Err    error
	retry  bool // Request.RetryOn named the status
	// permanent marks an error no retry can mend (a malformed URL, a
	// scheme other than http or https).
	permanent bool
}

func statusText(code int) string {
	if t := http.StatusText(code); t != "" {
		return t
	}
	return "unexpected status"
}

func (e *Error) Error() string {
	if e.Status != 0 {
		return fmt.Sprintf("%s: HTTP %d: %v", e.URL, e.Status, e.Err)
	}
	return fmt.Sprintf("%s: %v", e.URL, e.Err)
}

func (e *Error) Unwrap() error { return e.Err }

// ErrTooLarge is wrapped by the error of a body over its cap.
var ErrTooLarge = errors.New("body larger than allowed")

// Get fetches req.URL into memory.
func (c *Client) Get(ctx context.Context, req Request) (*Response, error) {
	limit := orDefault(req.MaxBytes, DefaultMaxBytes)
	var resp *Response
	err := c.try(ctx, http.MethodGet, req, func(r *http.Response) error {
		var err error
		resp, err = c.answer(r, req)
		if err != nil || resp.NotModified {
			return err
		}
		var buf bytes.Buffer
		n, err := c.copyBody(&buf, r, req.URL, limit)
		resp.Body, resp.Size = buf.Bytes(), n
		return err
	})
	return resp, err
}

// Download fetches req.URL into the file dest: the body goes to
// dest+".part", then check (when not nil) is called with that path, and
// only when it returns nil is the file renamed to dest. On any failure,
// and on a 304 answer, dest is left as it was and the part file removed.
func (c *Client) Download(ctx context.Context, req Request, dest string, check func(path string) error) (*Response, error) {
	var verify func(string, *Response) error
	if check != nil {
		verify = func(path string, _ *Response) error { return check(path) }
	}
	return c.DownloadVerified(ctx, req, dest, verify)
}

// DownloadVerified is Download with a check that also sees the answer's
// headers (an x-goog-hash to compare the body with). The renamed file
// and its directory entry are flushed to disk before it returns.
func (c *Client) DownloadVerified(ctx context.Context, req Request, dest string, check func(path string, resp *Response) error) (*Response, error) {
	limit := orDefault(req.MaxBytes, DefaultMaxFile)
	part := dest + ".part"
	var resp *Response
	err := c.try(ctx, http.MethodGet, req, func(r *http.Response) error {
		var err error
		resp, err = c.answer(r, req)
		if err != nil || resp.NotModified {
			return err
		}
		resp.Size, err = c.toFile(part, r, req.URL, limit)
		return err
	})
	if err == nil && resp != nil && !resp.NotModified {
		err = finish(part, dest, func(path string) error {
			if check == nil {
				return nil
			}
			return check(path, resp)
		})
	}
	if err != nil {
		os.Remove(part)
		return resp, err
	}
	return resp, nil
}

// Head asks for req.URL's headers only (conditionally, as Get does): what
// `db check` needs to tell whether a file changed without fetching it.
func (c *Client) Head(ctx context.Context, req Request) (*Response, error) {
	var resp *Response
	err := c.try(ctx, http.MethodHead, req, func(r *http.Response) error {
		var err error
		resp, err = c.answer(r, req)
		if err == nil && !resp.NotModified {
			resp.Size = r.ContentLength
		}
		return err
	})
	return resp, err
}

func finish(part, dest string, check func(string) error) error {
	if check != nil {
		if err := check(part); err != nil {
			return err
		}
	}
	if err := os.Rename(part, dest); err != nil {
		return err
	}
	walk.SyncDir(filepath.Dir(dest))
	return nil
}

func (c *Client) toFile(path string, r *http.Response, url string, limit int64) (int64, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return 0, err
	}
	f, err := os.Create(path)
	if err != nil {
		return 0, err
	}
	n, err := c.copyBody(f, r, url, limit)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return n, err
}

// answer turns the HTTP answer into a Response, or an error for any
// status but 200 and 304 (and for a 304 to a request that was not
// conditional: it would pass for "unchanged" with nothing stored).
func (c *Client) answer(r *http.Response, req Request) (*Response, error) {
	resp := &Response{URL: r.Request.URL.String(), Status: r.StatusCode, ETag: r.Header.Get("ETag"),
		LastModified: r.Header.Get("Last-Modified"), GoogHash: strings.Join(r.Header.Values("X-Goog-Hash"), ",")}
	switch r.StatusCode {
	case http.StatusOK:
		return resp, nil
	case http.StatusNotModified:
		if req.ETag == "" && req.LastModified == "" {
			return resp, &Error{URL: resp.URL, Status: r.StatusCode, Err: errors.New("not modified, but the request was not conditional")}
		}
		resp.NotModified = true
		return resp, nil
	}
	return resp, &Error{URL: resp.URL, Status: r.StatusCode, Err: errors.New(statusText(r.StatusCode)), retry: slices.Contains(req.RetryOn, r.StatusCode)}
}

// copyBody copies at most limit bytes, failing on more, and on fewer
// than the Content-Length announced (a body cut short).
func (c *Client) copyBody(w io.Writer, r *http.Response, url string, limit int64) (int64, error) {
	var src io.Reader = io.LimitReader(r.Body, limit+1)
	if c.Progress != nil {
		src = &progressReader{r: src, url: url, total: r.ContentLength, fn: c.Progress}
	}
	n, err := io.Copy(w, src)
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return n, &Error{URL: url, Err: fmt.Errorf("body cut short after %d bytes: %w", n, err)}
	}
	if err != nil {
		return n, &Error{URL: url, Err: fmt.Errorf("reading body: %w", err)}
	}
	if n > limit {
		return n, &Error{URL: url, Err: fmt.Errorf("%w (%d bytes)", ErrTooLarge, limit)}
	}
	if r.ContentLength >= 0 && n != r.ContentLength {
		return n, &Error{URL: url, Err: fmt.Errorf("body cut short: %d of %d bytes", n, r.ContentLength)}
	}
	return n, nil
}

type progressReader struct {
	r     io.Reader
	url   string
	done  int64
	total int64
	fn    func(string, int64, int64)
}

func (p *progressReader) Read(b []byte) (int, error) {
	n, err := p.r.Read(b)
	p.done += int64(n)
	p.fn(p.url, p.done, p.total)
	return n, err
}

// try sends req, handing a 200 or 304 answer to use, and retries on
// network errors, 408, 429 and 5xx (and on a body error of use).
func (c *Client) try(ctx context.Context, method string, req Request, use func(*http.Response) error) error {
	if err := c.downErr(req.URL); err != nil {
		return err
	}
	wait := c.backoff()
	for attempt := 0; ; attempt++ {
		after, err := c.attempt(ctx, method, req, use)
		if err == nil {
			return nil
		}
		if ctx.Err() != nil || !retryable(err) || attempt >= c.retries() {
			if ctx.Err() == nil {
				c.noteDown(req.URL, err)
			}
			return err
		}
		if after > 0 {
			wait = after
		}
		if wait > c.maxWait() {
			return fmt.Errorf("%w (server asks to wait %s)", err, wait)
		}
		if serr := c.Wait(ctx, wait); serr != nil {
			return err
		}
		wait *= 2
	}
}

// attempt sends req once and hands the answer to use, cancelling the
// request when its body stalls (no byte for StallTimeout). It returns the
// answer's Retry-After.
func (c *Client) attempt(ctx context.Context, method string, req Request, use func(*http.Response) error) (time.Duration, error) {
	actx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	r, err := c.send(actx, method, req)
	if err != nil {
		return 0, err
	}
	stall := c.stallTimeout()
	timer := time.AfterFunc(stall, func() { cancel(errStalled) })
	r.Body = &stallReader{r: r.Body, timer: timer, d: stall}
	err = use(r)
	timer.Stop()
	r.Body.Close()
	if err != nil && ctx.Err() == nil && errors.Is(context.Cause(actx), errStalled) {
		err = &Error{URL: req.URL, Err: fmt.Errorf("%w: no data for %s", errStalled, stall)}
	}
	return retryAfter(r.Header.Get("Retry-After")), err
}

// errStalled is why a request whose body stopped coming was cancelled.
var errStalled = errors.New("stalled")

// stallReader restarts the stall timer at every read that brings bytes.
type stallReader struct {
	r     io.ReadCloser
	timer *time.Timer
	d     time.Duration
}

func (s *stallReader) Read(b []byte) (int, error) {
	n, err := s.r.Read(b)
	if n > 0 {
		s.timer.Reset(s.d)
	}
	return n, err
}

func (s *stallReader) Close() error { return s.r.Close() }

func (c *Client) stallTimeout() time.Duration {
	if c.StallTimeout > 0 {
		return c.StallTimeout
	}
	return DefaultStall
}

func (c *Client) send(ctx context.Context, method string, req Request) (*http.Response, error) {
	hr, err := http.NewRequestWithContext(ctx, method, req.URL, nil)
	if err != nil {
		return nil, &Error{URL: req.URL, Err: err, permanent: true}
	}
	if hr.URL.Scheme != "https" && hr.URL.Scheme != "http" {
		return nil, &Error{URL: req.URL, Err: fmt.Errorf("scheme %q is not http or https", hr.URL.Scheme), permanent: true}
	}
	for k, v := range req.Header {
		hr.Header[k] = v
	}
	if c.UserAgent != "" {
		hr.Header.Set("User-Agent", c.UserAgent)
	}
	if req.ETag != "" {
		hr.Header.Set("If-None-Match", req.ETag)
	}
	if req.LastModified != "" {
		hr.Header.Set("If-Modified-Since", req.LastModified)
	}
	r, err := c.client().Do(hr)
	if err != nil {
		return nil, &Error{URL: req.URL, Err: err, permanent: notFound(err)}
	}
	return r, nil
}

// retryable says whether err is worth another try.
func retryable(err error) bool {
	var fe *Error
	if !errors.As(err, &fe) {
		return false
	}
	if errors.Is(err, ErrTooLarge) || fe.permanent {
		return false
	}
	switch {
	case fe.retry:
		return true
	case fe.Status == 0:
		return !errors.Is(fe.Err, errRedirect) && !strings.Contains(fe.Err.Error(), "stopped after")
	case fe.Status == http.StatusRequestTimeout, fe.Status == http.StatusTooManyRequests:
		return true
	case fe.Status >= 500:
		return true
	}
	return false
}

// retryAfter reads a Retry-After header: seconds, or an HTTP date is
// not used (the library never reads the clock) and means "back off".
func retryAfter(v string) time.Duration {
	if v == "" {
		return 0
	}
	if s, err := strconv.Atoi(strings.TrimSpace(v)); err == nil && s >= 0 {
		return time.Duration(s) * time.Second
	}
	return 0
}

func (c *Client) client() *http.Client {
	if c.HTTP != nil {
		return c.HTTP
	}
	return defaultClient
}

// defaultClient asks for bodies as stored (DisableCompression: no
// transparent gzip decoding, so that hashes published for the stored
// bytes, such as x-goog-hash, hold for what is read).
var defaultClient = &http.Client{
	Transport: &http.Transport{Proxy: http.ProxyFromEnvironment, ResponseHeaderTimeout: 60 * time.Second,
		DialContext:         (&net.Dialer{Timeout: 30 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		TLSHandshakeTimeout: 30 * time.Second, ForceAttemptHTTP2: true, DisableCompression: true},
	CheckRedirect: CheckRedirect,
}

// errRedirect is wrapped by the errors of CheckRedirect; they are not
// retried.
var errRedirect = errors.New("redirect refused")

// CheckRedirect is the redirect policy of the default client: at most
// DefaultRedirects redirects, and never from https to http (a downgrade
// would let anyone on the path answer). Tests set it on their clients.
func CheckRedirect(req *http.Request, via []*http.Request) error {
	if len(via) >= DefaultRedirects {
		return fmt.Errorf("%w: stopped after %d redirects", errRedirect, DefaultRedirects)
	}
	if len(via) > 0 && via[len(via)-1].URL.Scheme == "https" && req.URL.Scheme != "https" {
		return fmt.Errorf("%w: from https to %s (%s)", errRedirect, req.URL.Scheme, req.URL.Redacted())
	}
	return nil
}

func (c *Client) retries() int {
	if c.Retries < 0 {
		return 0
	}
	if c.Retries == 0 {
		return DefaultRetries
	}
	return c.Retries
}

func (c *Client) backoff() time.Duration {
	if c.Backoff > 0 {
		return c.Backoff
	}
	return DefaultBackoff
}

func (c *Client) maxWait() time.Duration {
	if c.MaxWait > 0 {
		return c.MaxWait
	}
	return DefaultMaxWait
}

// Wait waits d as the client waits between retries (c.Sleep when set),
// or until ctx ends: what a caller pacing its own requests (rate limits)
// uses, so that tests shorten every wait at one place.
func (c *Client) Wait(ctx context.Context, d time.Duration) error {
	if c.Sleep != nil {
		return c.Sleep(ctx, d)
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

func orDefault(v, def int64) int64 {
	if v > 0 {
		return v
	}
	return def
}
