//go:build !unix

package boundtest

import "os"

func maxRSS(*os.ProcessState) (int64, bool) { return 0, false }
