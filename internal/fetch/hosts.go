package fetch

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"sync"
)

// hosts remembers, for one Client (and its copies), the hosts that could
// not be reached at all in this run: once every try of a request failed
// to resolve or connect to a host, later requests to it fail at once
// naming the first error, instead of each waiting through its own
// retries. Without it an update on a machine whose network is down took
// minutes (four retries with backoff for each of NVD's 50 files) before
// it said so; with it the first source names the cause and the rest
// follow in milliseconds.
type hosts struct {
	mu   sync.Mutex
	down map[string]error
}

// hostsMu guards the lazy creation of a Client's hosts (the zero Client
// is ready to use; its copies share the pointer).
var hostsMu sync.Mutex

func (c *Client) hosts() *hosts {
	hostsMu.Lock()
	defer hostsMu.Unlock()
	if c.unreachable == nil {
		c.unreachable = &hosts{down: map[string]error{}}
	}
	return c.unreachable
}

// downErr is the error of a request to a host already found unreachable,
// nil otherwise.
func (c *Client) downErr(rawURL string) error {
	h := hostOf(rawURL)
	if h == "" {
		return nil
	}
	s := c.hosts()
	s.mu.Lock()
	defer s.mu.Unlock()
	if err, ok := s.down[h]; ok {
		return &Error{URL: rawURL, Err: fmt.Errorf("host %s unreachable earlier in this run: %w", h, err), permanent: true}
	}
	return nil
}

// noteDown records the host of rawURL as unreachable when err says it
// could not be resolved or connected to.
func (c *Client) noteDown(rawURL string, err error) {
	h := hostOf(rawURL)
	if h == "" || !unreachable(err) {
		return
	}
	var fe *Error
	if errors.As(err, &fe) {
		err = fe.Err
	}
	s := c.hosts()
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.down[h]; !ok {
		s.down[h] = err
	}
}

// unreachable reports whether err is a failure to resolve or to connect
// (not an HTTP answer, not a body cut short).
func unreachable(err error) bool {
	var dns *net.DNSError
	if errors.As(err, &dns) {
		return true
	}
	var op *net.OpError
	return errors.As(err, &op) && op.Op == "dial"
}

// notFound reports whether err says the host name does not exist, which
// no retry mends.
func notFound(err error) bool {
	var dns *net.DNSError
	return errors.As(err, &dns) && dns.IsNotFound
}

func hostOf(rawURL string) string {
	u, err := url.Parse(rawURL)
	if err != nil {
		return ""
	}
	return u.Host
}
