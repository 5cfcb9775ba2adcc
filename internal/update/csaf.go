package update

import (
	"context"
	"fmt"

	"github.com/bomrank/bomrank/internal/csafsync"
)

// csafOptions are the sync options of the job's provider.
func (j *job) csafOptions() csafsync.Options {
	o := csafsync.Options{Provider: j.src.provider, TrustedOnly: j.o.trustedOnly(), Client: j.c, Dir: j.dir(), Now: j.o.Now}
	if j.o.Progress != nil {
		name := j.src.name
		o.Progress = func(done, total int) { j.o.Progress(name, "", int64(done), int64(total)) }
	}
	return o
}

// csaf mirrors one provider with csafsync, from its stored state.
func (j *job) csaf(ctx context.Context) error {
	r, st, err := csafsync.Sync(ctx, j.csafOptions(), j.st.CSAF)
	if st != nil {
		j.st.CSAF = st
	}
	if r != nil {
		j.res.Stored, j.res.Unchanged, j.res.Verification = r.Fetched, r.Unchanged, r.Verification
		for _, f := range r.Refused {
			j.res.Refused = append(j.res.Refused, Refusal{URL: f.URL, Release: f.Release, Reason: f.Reason})
		}
		if r.MetadataURL != "" {
			j.st.URL = r.MetadataURL
		}
	}
	if err != nil {
		return fmt.Errorf("csaf provider %s: %w", j.src.url, err)
	}
	return nil
}
