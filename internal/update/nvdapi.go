package update

import (
	"context"
	"errors"
)

// nvdAPI fetches the NVD changes since the last update from the CVE API.
func (j *job) nvdAPI(ctx context.Context) error {
	return errors.New("not yet")
}
